using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// The view of a multi-revision PDF that difference analysis needs. Revision indexes are
/// 0-based here; the report numbers revisions from 1.
/// </summary>
public interface IRevisionObjects
{
    int RevisionCount { get; }

    /// <summary>Object numbers that the revision's own cross-reference section lists (in use or free).</summary>
    IEnumerable<int> ObjectsWrittenIn(int revision);

    /// <summary>The object as the document stood after <paramref name="revision"/>; null when absent or free.</summary>
    PdfObj? Get(int number, int revision);

    /// <summary>The trailer of the revision (for /Root and /Info).</summary>
    PdfDictObj Trailer(int revision);

    /// <summary>Whether two streams hold the same raw (still encoded) bytes.</summary>
    bool SameStreamData(PdfStreamObj a, PdfStreamObj b);
}

/// <summary>
/// Compares every revision after a signed one with its predecessor, object by object, and says
/// in plain words what kind of change each made and whether that kind is allowed after signing.
/// Allowed: adding signatures, annotations, form-field values, validation data (DSS), metadata,
/// and objects nothing old points to. Everything else (page content, the page tree, the catalog,
/// an existing signature, deleted objects, unknown objects) means "document modified after
/// signing". A certification signature's DocMDP level narrows the allowed set (ISO 32000-1 12.8.2.2).
/// </summary>
public sealed class RevisionDiff
{
    private const int MaxDepth = 64;
    private const int MaxPages = 100_000;

    private readonly IRevisionObjects _doc;
    /// <summary>The page walk per revision is the costly part and the same for every signature, so it is done once.</summary>
    private readonly Dictionary<int, Context> _contexts = [];

    public RevisionDiff(IRevisionObjects doc) => _doc = doc;

    /// <summary>Changes made by revisions after <paramref name="signedRevision"/> (0-based).</summary>
    /// <param name="signatureObject">The signature dictionary's object number, so changing it is caught.</param>
    /// <param name="signatureField">The signature field's object number, when it is indirect.</param>
    /// <param name="docMdpLevel">1, 2 or 3 from a DocMDP transform of this signature, else null.</param>
    public ChangesReport Analyse(int signedRevision, int? signatureObject, int? signatureField, int? docMdpLevel, CancellationToken ct = default)
    {
        var found = new List<(ChangeKind Kind, bool Allowed, int Revision, string Description, int Obj)>();
        for (var r = signedRevision + 1; r < _doc.RevisionCount; r++)
        {
            if (!_contexts.TryGetValue(r - 1, out var context))
                _contexts[r - 1] = context = new Context(_doc, r - 1);
            foreach (var number in _doc.ObjectsWrittenIn(r).Distinct().Order())
            {
                ct.ThrowIfCancellationRequested();
                var before = _doc.Get(number, r - 1);
                var after = _doc.Get(number, r);
                var c = Classify(context, number, before, after, signatureObject, signatureField);
                if (c is null) continue;
                var (kind, allowed, text) = c.Value;
                if (allowed && docMdpLevel is int p && ForbiddenByDocMdp(kind, p))
                {
                    found.Add((ChangeKind.ForbiddenByCertification, false, r + 1,
                        $"{text}, which the certification signature (DocMDP level {p}) forbids", number));
                    continue;
                }
                found.Add((kind, allowed, r + 1, text, number));
            }
        }

        var changes = found
            .GroupBy(f => (f.Revision, f.Kind, f.Allowed, f.Description))
            .Select(g => new DocumentChange
            {
                Revision = g.Key.Revision,
                Kind = g.Key.Kind,
                Allowed = g.Key.Allowed,
                Description = g.Key.Description,
                ObjectNumbers = g.Select(x => x.Obj).Distinct().Order().ToList(),
            })
            .OrderBy(c => c.Revision).ThenBy(c => c.Allowed).ThenBy(c => c.Kind)
            .ToList();
        return new ChangesReport { LaterRevisions = _doc.RevisionCount - 1 - signedRevision, Changes = changes };
    }

    private static bool ForbiddenByDocMdp(ChangeKind kind, int level) => level switch
    {
        <= 1 => kind is not (ChangeKind.ValidationDataAdded or ChangeKind.UnreferencedObjectAdded),
        2 => kind is ChangeKind.AnnotationAdded or ChangeKind.AnnotationModified,
        _ => false,
    };

    private (ChangeKind, bool, string)? Classify(Context cx, int number, PdfObj? before, PdfObj? after, int? signatureObject, int? signatureField)
    {
        if (after is null)
            return before is null ? null : (ChangeKind.ObjectDeleted, false, "an existing object was deleted");

        if (before is null)
            return ClassifyNew(after);

        if (DeepEquals(before, after, 0))
            return null;

        if (number == signatureObject)
            return (ChangeKind.SignedSignatureChanged, false, "the signed signature dictionary was replaced");

        if (before is PdfDictObj bd && after is PdfDictObj ad)
        {
            var changedKeys = ChangedKeys(bd, ad);

            if (number == signatureField)
                return changedKeys.Contains("V")
                    ? (ChangeKind.SignedSignatureChanged, false, "the signed signature field now points to another signature")
                    : OnlyKeys(changedKeys, WidgetAppearanceKeys)
                        ? (ChangeKind.AnnotationModified, true, "the appearance of the signed signature field was updated")
                        : (ChangeKind.SignedSignatureChanged, false, $"the signed signature field was changed ({Keys(changedKeys)})");

            if (IsSignatureDictionary(bd))
                return (ChangeKind.SignedSignatureChanged, false, "an earlier signature dictionary was replaced");

            if (number == cx.RootNumber)
                return ClassifyCatalog(cx, bd, ad, changedKeys);

            if (bd.GetName("Type") == "Pages" || bd.ContainsKey("Kids") && !bd.ContainsKey("FT") && !bd.ContainsKey("T"))
                return (ChangeKind.PagesAddedOrRemoved, false, "the page tree was changed (pages added, removed or reordered)");

            if (bd.GetName("Type") == "Page" || cx.PageIndex(number) is not null)
            {
                var page = cx.PageIndex(number) is int i ? $"page {i + 1}" : "a page";
                if (OnlyKeys(changedKeys, ["Annots"]))
                    return AnnotsGrew(cx, bd.Get("Annots"), ad.Get("Annots"))
                        ? (ChangeKind.AnnotationAdded, true, $"annotation added to {page}")
                        : (ChangeKind.AnnotationRemoved, false, $"annotations removed from {page}");
                return (ChangeKind.PageContentChanged, false, $"{page} changed ({Keys(changedKeys)})");
            }

            if (number == cx.AcroFormNumber)
                return ClassifyAcroForm(cx, bd, ad, changedKeys);

            if (IsField(bd))
                return ClassifyField(cx, bd, ad, changedKeys);

            if (IsAnnotation(bd))
                return (ChangeKind.AnnotationModified, true, $"an annotation was modified ({Keys(changedKeys)})");

            if (number == cx.InfoNumber || bd.GetName("Type") == "Metadata")
                return (ChangeKind.MetadataChanged, true, "document information / metadata updated");

            if (IsValidationData(bd) || cx.IsDssPart(number))
                return (ChangeKind.ValidationDataAdded, true, "validation data (DSS: certificates, OCSP, CRLs) added");

            if (bd is PdfStreamObj && cx.IsPageContent(number))
                return (ChangeKind.PageContentChanged, false, $"{cx.PageOfContent(number)} content stream changed");

            if (bd is PdfStreamObj && cx.IsAppearanceOfAnnotation(number))
                return (ChangeKind.AnnotationModified, true, "an annotation's appearance was redrawn");
        }

        if (before is PdfArrayObj ba && after is PdfArrayObj aa)
        {
            if (cx.IsAnnotsArray(number))
                return AnnotsGrew(cx, ba, aa)
                    ? (ChangeKind.AnnotationAdded, true, "annotation added to a page")
                    : (ChangeKind.AnnotationRemoved, false, "annotations removed from a page");
            if (cx.IsFieldsArray(number))
                return IsSuperset(aa, ba)
                    ? (ChangeKind.FormStructureUpdated, true, "form field list extended")
                    : (ChangeKind.OtherObjectChanged, false, "form fields removed");
        }

        if (cx.IsPageContent(number))
            return (ChangeKind.PageContentChanged, false, $"{cx.PageOfContent(number)} content stream changed");

        return (ChangeKind.OtherObjectChanged, false, $"another object changed ({Describe(before)})");
    }

    private static (ChangeKind, bool, string)? ClassifyNew(PdfObj after)
    {
        if (after is not PdfDictObj d)
            return (ChangeKind.UnreferencedObjectAdded, true, "supporting objects added");
        var type = d.GetName("Type");
        if (type is "XRef" or "ObjStm")
            return null;
        if (IsSignatureDictionary(d))
            return (ChangeKind.SignatureAdded, true, d.GetName("SubFilter") == "ETSI.RFC3161" || type == "DocTimeStamp"
                ? "document timestamp added" : "signature added");
        if (d.GetName("FT") == "Sig")
            return (ChangeKind.SignatureAdded, true, "signature field added");
        if (type == "Page")
            return (ChangeKind.PagesAddedOrRemoved, false, "a page object was added");
        if (IsField(d))
            return (ChangeKind.FormStructureUpdated, true, "form field added");
        if (IsAnnotation(d))
            return (ChangeKind.AnnotationAdded, true, "annotation added");
        if (IsValidationData(d))
            return (ChangeKind.ValidationDataAdded, true, "validation data (DSS: certificates, OCSP, CRLs) added");
        return (ChangeKind.UnreferencedObjectAdded, true, "supporting objects added (appearance streams, fonts, images)");
    }

    private (ChangeKind, bool, string) ClassifyCatalog(Context cx, PdfDictObj bd, PdfDictObj ad, HashSet<string> changedKeys)
    {
        var bad = changedKeys.Where(k => k is not ("AcroForm" or "DSS" or "Extensions" or "Metadata" or "Version")).ToList();
        if (bad.Count > 0)
            return (ChangeKind.CatalogChanged, false, $"the document catalog was changed ({Keys(bad)})");
        if (changedKeys.Contains("AcroForm") && bd.Get("AcroForm") is PdfDictObj bf && ad.Get("AcroForm") is PdfDictObj af)
            return ClassifyAcroForm(cx, bf, af, ChangedKeys(bf, af));
        if (changedKeys.Contains("AcroForm"))
            return (ChangeKind.FormStructureUpdated, true, "interactive form added or extended for a new signature or field");
        if (changedKeys.Contains("DSS"))
            return (ChangeKind.ValidationDataAdded, true, "validation data (DSS) added");
        return (ChangeKind.MetadataChanged, true, "document metadata / version declaration updated");
    }

    private (ChangeKind, bool, string) ClassifyAcroForm(Context cx, PdfDictObj bd, PdfDictObj ad, HashSet<string> changedKeys)
    {
        if (!OnlyKeys(changedKeys, ["Fields", "SigFlags", "DR", "DA", "NeedAppearances"]))
            return (ChangeKind.OtherObjectChanged, false, $"the interactive form was changed ({Keys(changedKeys)})");
        if (changedKeys.Contains("Fields")
            && !IsSuperset(cx.ResolveArray(ad.Get("Fields")), cx.ResolveArray(bd.Get("Fields"))))
            return (ChangeKind.OtherObjectChanged, false, "form fields were removed");
        return (ChangeKind.FormStructureUpdated, true, "interactive form extended for a new signature or field");
    }

    private (ChangeKind, bool, string) ClassifyField(Context cx, PdfDictObj bd, PdfDictObj ad, HashSet<string> changedKeys)
    {
        var type = cx.FieldType(bd);
        var name = (bd.Get("T") as PdfStringObj)?.ToText();
        var label = name is null ? "a form field" : $"form field \"{name}\"";
        if (type == "Sig")
        {
            var wasEmpty = bd.Get("V") is null or PdfNullObj;
            if (wasEmpty && changedKeys.Contains("V") && OnlyKeys(changedKeys, ["V", .. WidgetAppearanceKeys, "Rect", "P"]))
                return (ChangeKind.SignatureAdded, true, $"empty signature field \"{name}\" was signed");
            if (OnlyKeys(changedKeys, WidgetAppearanceKeys))
                return (ChangeKind.AnnotationModified, true, $"appearance of signature field \"{name}\" updated");
            return (ChangeKind.SignedSignatureChanged, false, $"signature field \"{name}\" was changed ({Keys(changedKeys)})");
        }
        if (OnlyKeys(changedKeys, ["V", "AS", "AP", "MK", "RV"]))
            return (ChangeKind.FormFieldFilled, true, $"{label} filled in");
        return (ChangeKind.OtherObjectChanged, false, $"{label} definition changed ({Keys(changedKeys)})");
    }

    private static readonly string[] WidgetAppearanceKeys = ["AP", "AS", "MK", "F"];

    private bool AnnotsGrew(Context cx, PdfObj? before, PdfObj? after) =>
        IsSuperset(cx.ResolveArray(after), cx.ResolveArray(before));

    private bool IsSuperset(PdfArrayObj? bigger, PdfArrayObj? smaller)
    {
        if (smaller is null || smaller.Count == 0) return true;
        if (bigger is null) return false;
        var have = bigger.Items.OfType<PdfRefObj>().ToHashSet();
        return smaller.Items.All(i => i is PdfRefObj r ? have.Contains(r) : bigger.Items.Any(b => DeepEquals(b, i, 0)));
    }

    private static bool OnlyKeys(HashSet<string> changed, IEnumerable<string> allowed) => changed.IsSubsetOf(allowed);

    private static string Keys(IEnumerable<string> keys) => string.Join(", ", keys.Order(StringComparer.Ordinal).Select(k => "/" + k));

    internal static bool IsSignatureDictionary(PdfDictObj d) =>
        d.GetName("Type") is "Sig" or "DocTimeStamp" || d.ContainsKey("ByteRange") && d.ContainsKey("Contents");

    private static bool IsField(PdfDictObj d) => d.ContainsKey("FT") || (d.ContainsKey("T") && (d.ContainsKey("Parent") || d.ContainsKey("Kids")));

    private static bool IsAnnotation(PdfDictObj d) => d.GetName("Type") == "Annot" || d.ContainsKey("Subtype") && d.ContainsKey("Rect");

    private static bool IsValidationData(PdfDictObj d) =>
        d.GetName("Type") is "DSS" or "VRI" || d.ContainsKey("VRI") || d.ContainsKey("OCSPs") || d.ContainsKey("CRLs");

    private static string Describe(PdfObj o) => o switch
    {
        PdfStreamObj s => s.GetName("Type") is string t ? $"a /{t} stream" : s.GetName("Subtype") is string st ? $"a /{st} stream" : "a stream",
        PdfDictObj d => d.GetName("Type") is string t ? $"a /{t} dictionary" : "a dictionary",
        PdfArrayObj => "an array",
        _ => "a value",
    };

    private HashSet<string> ChangedKeys(PdfDictObj a, PdfDictObj b)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in a.Entries)
            if (b.Get(k) is not { } w || !DeepEquals(v, w, 0)) keys.Add(k);
        foreach (var (k, _) in b.Entries)
            if (!a.ContainsKey(k)) keys.Add(k);
        if (a is PdfStreamObj || b is PdfStreamObj)
        {
            keys.Remove("Length");
            if (!(a is PdfStreamObj && b is PdfStreamObj) || !StreamDataEquals(a, b)) keys.Add("(stream data)");
        }
        return keys;
    }

    private bool StreamDataEquals(PdfDictObj a, PdfDictObj b)
    {
        return a is PdfStreamObj sa && b is PdfStreamObj sb && _doc.SameStreamData(sa, sb);
    }

    /// <summary>Structural equality: dictionaries by key set, arrays in order, streams by dictionary and raw data.</summary>
    internal bool DeepEquals(PdfObj a, PdfObj b, int depth)
    {
        if (ReferenceEquals(a, b)) return true;
        if (depth > MaxDepth) return false;
        switch (a)
        {
            case PdfNullObj: return b is PdfNullObj;
            case PdfBoolObj x: return b is PdfBoolObj yb && x.Value == yb.Value;
            case PdfNumObj x: return b is PdfNumObj yn && x.DoubleValue.Equals(yn.DoubleValue);
            case PdfNameObj x: return b is PdfNameObj ym && x.Value == ym.Value;
            case PdfStringObj x: return b is PdfStringObj yt && x.Bytes.AsSpan().SequenceEqual(yt.Bytes);
            case PdfRefObj x: return b is PdfRefObj yr && x.Equals(yr);
            case PdfArrayObj x:
                if (b is not PdfArrayObj ya || x.Count != ya.Count) return false;
                for (var i = 0; i < x.Count; i++)
                    if (!DeepEquals(x[i], ya[i], depth + 1)) return false;
                return true;
            case PdfDictObj x:
                if (b is not PdfDictObj yd || (x is PdfStreamObj) != (b is PdfStreamObj)) return false;
                var xs = x.Entries.Where(e => !(x is PdfStreamObj && e.Key == "Length")).ToList();
                var ys = yd.Entries.Where(e => !(yd is PdfStreamObj && e.Key == "Length")).ToList();
                if (xs.Count != ys.Count) return false;
                foreach (var (k, v) in xs)
                    if (yd.Get(k) is not { } w || !DeepEquals(v, w, depth + 1)) return false;
                return x is not PdfStreamObj || StreamDataEquals(x, yd);
            default:
                return false;
        }
    }

    /// <summary>What the document looked like just before the revision under analysis: pages, form, info.</summary>
    private sealed class Context
    {
        private readonly IRevisionObjects _doc;
    /// <summary>The page walk per revision is the costly part and the same for every signature, so it is done once.</summary>
    private readonly Dictionary<int, Context> _contexts = [];
        private readonly int _before;
        private readonly Dictionary<int, int> _pageIndex = [];
        private readonly Dictionary<int, int> _contentToPage = [];
        private readonly HashSet<int> _annotsArrays = [];
        private readonly HashSet<int> _appearanceStreams = [];
        private readonly HashSet<int> _fieldsArrays = [];
        private readonly HashSet<int> _dss = [];

        public int? RootNumber { get; }
        public int? InfoNumber { get; }
        public int? AcroFormNumber { get; }

        public Context(IRevisionObjects doc, int before)
        {
            _doc = doc;
            _before = before;
            var trailer = doc.Trailer(before);
            RootNumber = (trailer.Get("Root") as PdfRefObj)?.Number;
            InfoNumber = (trailer.Get("Info") as PdfRefObj)?.Number;
            var root = Resolve(trailer.Get("Root")) as PdfDictObj;
            if (root is null) return;
            if (root.Get("AcroForm") is PdfRefObj af) AcroFormNumber = af.Number;
            if (Resolve(root.Get("AcroForm")) is PdfDictObj form && form.Get("Fields") is PdfRefObj fr)
                _fieldsArrays.Add(fr.Number);
            if (root.Get("DSS") is PdfRefObj dssRef) _dss.Add(dssRef.Number);
            if (Resolve(root.Get("DSS")) is PdfDictObj dss)
                foreach (var (_, v) in dss.Entries)
                {
                    if (v is PdfRefObj r) _dss.Add(r.Number);
                    if (Resolve(v) is PdfArrayObj arr)
                        foreach (var i in arr.Items.OfType<PdfRefObj>()) _dss.Add(i.Number);
                }
            WalkPages(root.Get("Pages"), 0, []);
        }

        private void WalkPages(PdfObj? node, int depth, HashSet<int> seen)
        {
            if (depth > MaxDepth || _pageIndex.Count >= MaxPages) return;
            if (node is PdfRefObj r && !seen.Add(r.Number)) return;
            if (Resolve(node) is not PdfDictObj d) return;
            if (d.Get("Kids") is { } kids && d.GetName("Type") != "Page")
            {
                if (Resolve(kids) is PdfArrayObj list)
                    foreach (var k in list.Items) WalkPages(k, depth + 1, seen);
                return;
            }
            if (node is not PdfRefObj pageRef) return;
            var index = _pageIndex.Count;
            _pageIndex[pageRef.Number] = index;
            var contents = d.Get("Contents");
            if (contents is PdfRefObj c) _contentToPage.TryAdd(c.Number, index);
            if (Resolve(contents) is PdfArrayObj parts)
                foreach (var p in parts.Items.OfType<PdfRefObj>()) _contentToPage.TryAdd(p.Number, index);
            if (d.Get("Annots") is PdfRefObj ar) _annotsArrays.Add(ar.Number);
            if (Resolve(d.Get("Annots")) is PdfArrayObj annots)
                foreach (var a in annots.Items.Take(10_000))
                    if (Resolve(a) is PdfDictObj annot && Resolve(annot.Get("AP")) is PdfDictObj ap)
                        foreach (var (_, v) in ap.Entries)
                        {
                            if (v is PdfRefObj s) _appearanceStreams.Add(s.Number);
                            else if (v is PdfDictObj states)
                                foreach (var (_, sv) in states.Entries.Take(100))
                                    if (sv is PdfRefObj ss) _appearanceStreams.Add(ss.Number);
                        }
        }

        public PdfObj? Resolve(PdfObj? o)
        {
            for (var i = 0; i < 8 && o is PdfRefObj r; i++)
                o = _doc.Get(r.Number, _before);
            return o is PdfRefObj ? null : o;
        }

        public PdfArrayObj? ResolveArray(PdfObj? o) => Resolve(o) as PdfArrayObj;

        public int? PageIndex(int number) => _pageIndex.TryGetValue(number, out var i) ? i : null;
        public bool IsPageContent(int number) => _contentToPage.ContainsKey(number);
        public string PageOfContent(int number) => _contentToPage.TryGetValue(number, out var i) ? $"page {i + 1}" : "a page";
        public bool IsAnnotsArray(int number) => _annotsArrays.Contains(number);
        public bool IsFieldsArray(int number) => _fieldsArrays.Contains(number);
        public bool IsAppearanceOfAnnotation(int number) => _appearanceStreams.Contains(number) && !_contentToPage.ContainsKey(number);
        public bool IsDssPart(int number) => _dss.Contains(number);

        /// <summary>/FT, inherited from parents as forms allow (ISO 32000-1 12.7.3.1).</summary>
        public string? FieldType(PdfDictObj field)
        {
            PdfDictObj? d = field;
            for (var i = 0; i < 16 && d is not null; i++)
            {
                if (d.GetName("FT") is string ft) return ft;
                d = Resolve(d.Get("Parent")) as PdfDictObj;
            }
            return null;
        }
    }
}
