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
/// Allowed: adding signatures, annotations, values of fields empty when signed, validation data
/// (DSS, document time-stamps), metadata, and objects nothing old points to. Everything else
/// (page content, the page tree, the catalog, an existing signature, deleted objects, unknown
/// objects, and what was visible when signed hidden or replaced: the shadow attacks) means
/// "document modified after signing". A certification signature's DocMDP level and the
/// signature's FieldMDP lock narrow the allowed set (ISO 32000-1 12.8.2.2, 12.8.2.4).
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
    /// <param name="fieldLock">The fields this signature locks (FieldMDP, /Lock), else null.</param>
    public ChangesReport Analyse(int signedRevision, int? signatureObject, int? signatureField, int? docMdpLevel, FieldLock? fieldLock = null, CancellationToken ct = default)
    {
        var found = new List<(ChangeKind Kind, bool Allowed, int Revision, string Description, int Obj, ModificationLevel Level)>();
        for (var r = signedRevision + 1; r < _doc.RevisionCount; r++)
        {
            if (!_contexts.TryGetValue(r - 1, out var context))
                _contexts[r - 1] = context = new Context(_doc, r - 1);
            var pass = new Pass(r, signedRevision, signatureObject, signatureField, fieldLock);
            foreach (var number in _doc.ObjectsWrittenIn(r).Distinct().Order())
            {
                ct.ThrowIfCancellationRequested();
                var before = _doc.Get(number, r - 1);
                var after = _doc.Get(number, r);
                var c = Classify(context, pass, number, before, after);
                if (c is null) continue;
                var (kind, allowed, text) = c.Value;
                var level = LevelOf(kind, allowed);
                if (allowed && docMdpLevel is int p && ForbiddenByDocMdp(kind, p))
                {
                    found.Add((ChangeKind.ForbiddenByCertification, false, r + 1,
                        $"{text}, which the certification signature (DocMDP level {p}) forbids", number, level));
                    continue;
                }
                found.Add((kind, allowed, r + 1, text, number, level));
            }
        }

        var changes = found
            .GroupBy(f => (f.Revision, f.Kind, f.Allowed, f.Description, f.Level))
            .Select(g => new DocumentChange
            {
                Revision = g.Key.Revision,
                Kind = g.Key.Kind,
                Allowed = g.Key.Allowed,
                Description = g.Key.Description,
                Level = g.Key.Level,
                ObjectNumbers = g.Select(x => x.Obj).Distinct().Order().ToList(),
            })
            .OrderBy(c => c.Revision).ThenBy(c => c.Allowed).ThenBy(c => c.Kind)
            .ToList();
        return new ChangesReport { LaterRevisions = _doc.RevisionCount - 1 - signedRevision, Changes = changes };
    }

    /// <summary>One later revision compared with its predecessor, on behalf of one signature.</summary>
    /// <param name="Revision">The later revision (0-based).</param>
    /// <param name="Signed">The revision the signature covers (0-based): what was visible when signed.</param>
    private sealed record Pass(int Revision, int Signed, int? SignatureObject, int? SignatureField, FieldLock? Lock);

    /// <summary>
    /// The change classes of pyHanko and EU DSS: validation data (DSS, document time-stamps),
    /// form filling (field values, signing fields, the form growing, metadata), annotations, other.
    /// Supporting objects (appearance streams, fonts) take the class of what refers to them.
    /// </summary>
    private static ModificationLevel LevelOf(ChangeKind kind, bool allowed) => !allowed ? ModificationLevel.Other : kind switch
    {
        ChangeKind.ValidationDataAdded => ModificationLevel.ValidationData,
        ChangeKind.UnreferencedObjectAdded => ModificationLevel.None,
        ChangeKind.SignatureAdded or ChangeKind.FormFieldFilled or ChangeKind.FormStructureUpdated or ChangeKind.MetadataChanged => ModificationLevel.FormFilling,
        ChangeKind.AnnotationAdded or ChangeKind.AnnotationModified => ModificationLevel.Annotations,
        _ => ModificationLevel.Other,
    };

    /// <summary>
    /// ISO 32000-1 12.8.2.2: P=1 no changes, P=2 form filling and signing, P=3 also annotations.
    /// Validation data and document time-stamps are allowed at every level (ETSI EN 319 142-1, 5.4).
    /// </summary>
    private static bool ForbiddenByDocMdp(ChangeKind kind, int level) => level switch
    {
        <= 1 => kind is not (ChangeKind.ValidationDataAdded or ChangeKind.UnreferencedObjectAdded),
        2 => kind is ChangeKind.AnnotationAdded or ChangeKind.AnnotationModified,
        _ => false,
    };

    private (ChangeKind, bool, string)? Classify(Context cx, Pass pass, int number, PdfObj? before, PdfObj? after)
    {
        if (after is null)
            return before is null ? null : (ChangeKind.ObjectDeleted, false, "an existing object was deleted");

        if (before is null)
            return ClassifyNew(pass, after);

        if (DeepEquals(before, after, 0))
            return null;

        if (number == pass.SignatureObject)
            return (ChangeKind.SignedSignatureChanged, false, "the signed signature dictionary was replaced");

        if (before is PdfDictObj bd && after is PdfDictObj ad)
        {
            var changedKeys = ChangedKeys(bd, ad);

            if (number == pass.SignatureField)
                return changedKeys.Contains("V")
                    ? (ChangeKind.SignedSignatureChanged, false, "the signed signature field now points to another signature")
                    : !AppearanceChanged(bd, ad, changedKeys)
                        ? (ChangeKind.AnnotationModified, true, $"the signed signature field was updated ({Keys(changedKeys)})")
                        : OnlyKeys(changedKeys, [.. AppearanceKeys, "F"])
                            ? (ChangeKind.VisibleSignedContentChanged, false, "the appearance of the signed signature field was replaced or hidden")
                            : (ChangeKind.SignedSignatureChanged, false, $"the signed signature field was changed ({Keys(changedKeys)})");

            if (IsSignatureDictionary(bd))
                return (ChangeKind.SignedSignatureChanged, false, "an earlier signature dictionary was replaced");

            if (number == cx.RootNumber)
                return ClassifyCatalog(cx, pass, bd, ad, changedKeys);

            if (bd.GetName("Type") == "Pages" || bd.ContainsKey("Kids") && !bd.ContainsKey("FT") && !bd.ContainsKey("T"))
                return (ChangeKind.PagesAddedOrRemoved, false, "the page tree was changed (pages added, removed or reordered)");

            if (bd.GetName("Type") == "Page" || cx.PageIndex(number) is not null)
            {
                var page = cx.PageIndex(number) is int i ? $"page {i + 1}" : "a page";
                if (OnlyKeys(changedKeys, ["Annots"]))
                    return AnnotsGrew(cx, bd.Get("Annots"), ad.Get("Annots"))
                        ? AddedToAnnots(cx, pass, bd.Get("Annots"), ad.Get("Annots"), page)
                        : (ChangeKind.AnnotationRemoved, false, $"annotations removed from {page}");
                return (ChangeKind.PageContentChanged, false, $"{page} changed ({Keys(changedKeys)})");
            }

            if (number == cx.AcroFormNumber)
                return ClassifyAcroForm(cx, pass, bd, ad, changedKeys);

            if (IsField(bd))
                return ClassifyField(cx, pass, number, bd, ad, changedKeys);

            if (IsAnnotation(bd))
                return ClassifyAnnotation(cx, pass, number, bd, ad, changedKeys);

            if (number == cx.InfoNumber || bd.GetName("Type") == "Metadata")
                return (ChangeKind.MetadataChanged, true, "document information / metadata updated");

            if (IsValidationData(bd) || cx.IsDssPart(number))
                return (ChangeKind.ValidationDataAdded, true, "validation data (DSS: certificates, OCSP, CRLs) added");

            if (bd is PdfStreamObj && cx.IsPageContent(number))
                return (ChangeKind.PageContentChanged, false, $"{cx.PageOfContent(number)} content stream changed");

            if (bd is PdfStreamObj && cx.AppearanceOwner(number) is int owner)
                return ClassifyAppearanceStream(cx, pass, number, owner);
        }

        if (before is PdfArrayObj ba && after is PdfArrayObj aa)
        {
            if (cx.IsAnnotsArray(number))
                return AnnotsGrew(cx, ba, aa)
                    ? AddedToAnnots(cx, pass, ba, aa, "a page")
                    : (ChangeKind.AnnotationRemoved, false, "annotations removed from a page");
            if (cx.IsFieldsArray(number))
                return IsSuperset(aa, ba)
                    ? AddedToFields(cx, pass, ba, aa)
                    : (ChangeKind.OtherObjectChanged, false, "form fields removed");
        }

        if (cx.IsPageContent(number))
            return (ChangeKind.PageContentChanged, false, $"{cx.PageOfContent(number)} content stream changed");

        return (ChangeKind.OtherObjectChanged, false, $"another object changed ({Describe(before)})");
    }

    /// <summary>Keys whose change alters how an annotation looks on the page (its /F visibility bits are compared apart).</summary>
    private static readonly string[] AppearanceKeys = ["AP", "AS", "MK", "Rect", "OC"];

    /// <summary>/F bits that decide whether an annotation is seen or printed: Invisible, Hidden, Print, NoView, ToggleNoView.</summary>
    private const long VisibilityFlags = 1 | 2 | 4 | 32 | 256;

    private static long Flags(PdfDictObj d) => (d.Get("F") as PdfNumObj)?.LongValue ?? 0;

    private static bool AppearanceChanged(PdfDictObj bd, PdfDictObj ad, HashSet<string> changedKeys) =>
        changedKeys.Overlaps(AppearanceKeys) || ((Flags(bd) ^ Flags(ad)) & VisibilityFlags) != 0;

    /// <summary>
    /// An annotation that was on the page when signed may get a reply or a new text, but hiding
    /// it, showing it, moving it or giving it another appearance changes what the signer saw
    /// (the "hide" shadow attack uncovers signed content that an overlay annotation covered).
    /// </summary>
    private (ChangeKind, bool, string) ClassifyAnnotation(Context cx, Pass pass, int number, PdfDictObj bd, PdfDictObj ad, HashSet<string> changedKeys)
    {
        if (!AppearanceChanged(bd, ad, changedKeys))
            return (ChangeKind.AnnotationModified, true, $"an annotation was modified ({Keys(changedKeys)})");
        // A widget of a field shows the field's value: filling the field redraws it.
        if (bd.GetName("Subtype") == "Widget" && bd.Get("Parent") is PdfRefObj parent && FieldFilledIn(pass, parent.Number) is { } fill)
            return WithLock(cx, pass, parent.Number, fill);
        if (_doc.Get(number, pass.Signed) is null)
            return (ChangeKind.AnnotationModified, true, $"an annotation added after signing was modified ({Keys(changedKeys)})");
        var hiddenNow = (Flags(ad) & (1 | 2 | 32)) != 0 && (Flags(bd) & (1 | 2 | 32)) == 0;
        return (ChangeKind.VisibleSignedContentChanged, false, hiddenNow
            ? "an annotation present when signed was hidden, uncovering what lay beneath it"
            : $"an annotation present when signed was given another appearance or place ({Keys(changedKeys.Where(k => k != "F"))})");
    }

    /// <summary>An appearance stream that existed when signed was rewritten in place.</summary>
    private (ChangeKind, bool, string) ClassifyAppearanceStream(Context cx, Pass pass, int number, int owner)
    {
        var ownerDict = _doc.Get(owner, pass.Revision) as PdfDictObj;
        var field = ownerDict is null ? null : IsField(ownerDict) ? owner : (ownerDict.Get("Parent") as PdfRefObj)?.Number;
        if (field is int f && FieldFilledIn(pass, f) is { } fill)
            return WithLock(cx, pass, f, fill);
        if (_doc.Get(number, pass.Signed) is null)
            return (ChangeKind.AnnotationModified, true, "the appearance of an annotation added after signing was redrawn");
        return (ChangeKind.VisibleSignedContentChanged, false, "the appearance of an annotation present when signed was redrawn");
    }

    /// <summary>
    /// Whether the field was filled in by this revision with no value shown when signed: then the
    /// change is form filling; a value that was there when signed and is now another is the
    /// "replace" shadow attack. Null when the field's value did not change in this revision.
    /// </summary>
    private (ChangeKind, bool, string)? FieldFilledIn(Pass pass, int field)
    {
        var now = _doc.Get(field, pass.Revision) as PdfDictObj;
        var before = _doc.Get(field, pass.Revision - 1) as PdfDictObj;
        if (now is null || before is null) return null;
        var v = now.Get("V");
        var b = before.Get("V");
        if (v is null && b is null || v is not null && b is not null && DeepEquals(v, b, 0)) return null;
        var label = FieldLabel(now);
        return HasValue((_doc.Get(field, pass.Signed) as PdfDictObj)?.Get("V"))
            ? (ChangeKind.VisibleSignedContentChanged, false, $"{label} showed a value when signed, and that value was replaced")
            : (ChangeKind.FormFieldFilled, true, $"{label} filled in");
    }

    /// <summary>A value a viewer shows: not absent, null, an empty string or the "Off" state of a check box.</summary>
    private static bool HasValue(PdfObj? v) => v switch
    {
        null or PdfNullObj => false,
        PdfStringObj s => s.Bytes.Length > 0,
        PdfNameObj n => n.Value != "Off",
        PdfArrayObj a => a.Count > 0,
        _ => true,
    };

    private static string FieldLabel(PdfDictObj field) =>
        (field.Get("T") as PdfStringObj)?.ToText() is string name ? $"form field \"{name}\"" : "a form field";

    /// <summary>An otherwise allowed change of a field becomes forbidden when this signature locked the field (FieldMDP).</summary>
    private static (ChangeKind, bool, string) WithLock(Context cx, Pass pass, int field, (ChangeKind Kind, bool Allowed, string Text) change)
    {
        if (!change.Allowed || pass.Lock is not { } l) return change;
        var name = cx.FullName(field);
        return name is not null && l.Locks(name)
            ? (ChangeKind.ForbiddenByFieldLock, false, $"{change.Text}, but the signature locked field \"{name}\" (FieldMDP)")
            : change;
    }

    /// <summary>New entries of a page's /Annots: a signature's widget is signing, anything else an annotation.</summary>
    private (ChangeKind, bool, string) AddedToAnnots(Context cx, Pass pass, PdfObj? before, PdfObj? after, string page)
    {
        var added = NewItems(cx, pass, before, after);
        return SignatureFieldsOnly(pass, added) switch
        {
            SignatureFields.TimestampsOnly => (ChangeKind.ValidationDataAdded, true, $"document time-stamp field added to {page}"),
            SignatureFields.Signatures => (ChangeKind.SignatureAdded, true, $"signature field added to {page}"),
            _ => (ChangeKind.AnnotationAdded, true, $"annotation added to {page}"),
        };
    }

    private (ChangeKind, bool, string) AddedToFields(Context cx, Pass pass, PdfObj? before, PdfObj? after) =>
        SignatureFieldsOnly(pass, NewItems(cx, pass, before, after)) == SignatureFields.TimestampsOnly
            ? (ChangeKind.ValidationDataAdded, true, "document time-stamp field added to the form")
            : (ChangeKind.FormStructureUpdated, true, "form field list extended");

    private List<PdfObj> NewItems(Context cx, Pass pass, PdfObj? before, PdfObj? after)
    {
        var old = cx.ResolveArray(before)?.Items ?? [];
        var have = old.OfType<PdfRefObj>().ToHashSet();
        var now = ResolveAt(after, pass.Revision) as PdfArrayObj;
        return now?.Items.Where(i => i is not PdfRefObj r || !have.Contains(r)).ToList() ?? [];
    }

    private enum SignatureFields { None, Signatures, TimestampsOnly }

    /// <summary>Whether every item is a signature field (or its widget), and whether all hold document time-stamps.</summary>
    private SignatureFields SignatureFieldsOnly(Pass pass, List<PdfObj> items)
    {
        if (items.Count == 0) return SignatureFields.None;
        var timestamps = true;
        foreach (var item in items)
        {
            if (ResolveAt(item, pass.Revision) is not PdfDictObj d) return SignatureFields.None;
            var field = d.GetName("FT") is null && ResolveAt(d.Get("Parent"), pass.Revision) is PdfDictObj p ? p : d;
            if (field.GetName("FT") != "Sig") return SignatureFields.None;
            timestamps &= ResolveAt(field.Get("V"), pass.Revision) is PdfDictObj v && IsTimestamp(v);
        }
        return timestamps ? SignatureFields.TimestampsOnly : SignatureFields.Signatures;
    }

    private static bool IsTimestamp(PdfDictObj sig) => sig.GetName("Type") == "DocTimeStamp" || sig.GetName("SubFilter") == "ETSI.RFC3161";

    private PdfObj? ResolveAt(PdfObj? o, int revision)
    {
        for (var i = 0; i < 8 && o is PdfRefObj r; i++)
            o = _doc.Get(r.Number, revision);
        return o is PdfRefObj ? null : o;
    }

    private (ChangeKind, bool, string)? ClassifyNew(Pass pass, PdfObj after)
    {
        if (after is not PdfDictObj d)
            return (ChangeKind.UnreferencedObjectAdded, true, "supporting objects added");
        var type = d.GetName("Type");
        if (type is "XRef" or "ObjStm")
            return null;
        if (IsSignatureDictionary(d))
            return IsTimestamp(d)
                ? (ChangeKind.ValidationDataAdded, true, "document time-stamp added")
                : (ChangeKind.SignatureAdded, true, "signature added");
        // A widget without /FT of its own belongs to its parent field: a signature's widget is signing.
        var field = d.GetName("FT") is null && d.GetName("Subtype") == "Widget" && ResolveAt(d.Get("Parent"), pass.Revision) is PdfDictObj parent ? parent : d;
        if (field.GetName("FT") == "Sig")
            return ResolveAt(field.Get("V"), pass.Revision) is PdfDictObj v && IsTimestamp(v)
                ? (ChangeKind.ValidationDataAdded, true, "document time-stamp field added")
                : (ChangeKind.SignatureAdded, true, "signature field added");
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

    private (ChangeKind, bool, string) ClassifyCatalog(Context cx, Pass pass, PdfDictObj bd, PdfDictObj ad, HashSet<string> changedKeys)
    {
        var bad = changedKeys.Where(k => k is not ("AcroForm" or "DSS" or "Extensions" or "Metadata" or "Version")).ToList();
        if (bad.Count > 0)
            return (ChangeKind.CatalogChanged, false, $"the document catalog was changed ({Keys(bad)})");
        if (changedKeys.Contains("AcroForm") && bd.Get("AcroForm") is PdfDictObj bf && ad.Get("AcroForm") is PdfDictObj af)
            return ClassifyAcroForm(cx, pass, bf, af, ChangedKeys(bf, af));
        if (changedKeys.Contains("AcroForm"))
            return (ChangeKind.FormStructureUpdated, true, "interactive form added or extended for a new signature or field");
        if (changedKeys.Contains("DSS"))
            return (ChangeKind.ValidationDataAdded, true, "validation data (DSS) added");
        return (ChangeKind.MetadataChanged, true, "document metadata / version declaration updated");
    }

    private (ChangeKind, bool, string) ClassifyAcroForm(Context cx, Pass pass, PdfDictObj bd, PdfDictObj ad, HashSet<string> changedKeys)
    {
        if (!OnlyKeys(changedKeys, ["Fields", "SigFlags", "DR", "DA", "NeedAppearances"]))
            return (ChangeKind.OtherObjectChanged, false, $"the interactive form was changed ({Keys(changedKeys)})");
        if (changedKeys.Contains("Fields")
            && !IsSuperset(ResolveAt(ad.Get("Fields"), pass.Revision) as PdfArrayObj, cx.ResolveArray(bd.Get("Fields"))))
            return (ChangeKind.OtherObjectChanged, false, "form fields were removed");
        if (changedKeys.SetEquals(["Fields"]))
            return AddedToFields(cx, pass, bd.Get("Fields"), ad.Get("Fields"));
        return (ChangeKind.FormStructureUpdated, true, "interactive form extended for a new signature or field");
    }

    private (ChangeKind, bool, string) ClassifyField(Context cx, Pass pass, int number, PdfDictObj bd, PdfDictObj ad, HashSet<string> changedKeys)
    {
        var type = cx.FieldType(bd);
        var name = (bd.Get("T") as PdfStringObj)?.ToText();
        var label = FieldLabel(bd);
        if (type == "Sig")
        {
            var wasEmpty = bd.Get("V") is null or PdfNullObj;
            if (wasEmpty && changedKeys.Contains("V") && OnlyKeys(changedKeys, ["V", .. WidgetAppearanceKeys, "Rect", "P"]))
                return WithLock(cx, pass, number, ResolveAt(ad.Get("V"), pass.Revision) is PdfDictObj v && IsTimestamp(v)
                    ? (ChangeKind.ValidationDataAdded, true, $"empty signature field \"{name}\" received a document time-stamp")
                    : (ChangeKind.SignatureAdded, true, $"empty signature field \"{name}\" was signed"));
            if (!AppearanceChanged(bd, ad, changedKeys) && !changedKeys.Contains("V"))
                return (ChangeKind.AnnotationModified, true, $"signature field \"{name}\" updated ({Keys(changedKeys)})");
            if (OnlyKeys(changedKeys, WidgetAppearanceKeys) && _doc.Get(number, pass.Signed) is null)
                return (ChangeKind.AnnotationModified, true, $"appearance of signature field \"{name}\" updated");
            if (OnlyKeys(changedKeys, WidgetAppearanceKeys))
                return (ChangeKind.VisibleSignedContentChanged, false, $"the appearance of signature field \"{name}\", present when signed, was replaced or hidden");
            return (ChangeKind.SignedSignatureChanged, false, $"signature field \"{name}\" was changed ({Keys(changedKeys)})");
        }
        if (OnlyKeys(changedKeys, ["V", "AS", "AP", "MK", "RV"]))
        {
            if (FieldFilledIn(pass, number) is { } fill)
                return WithLock(cx, pass, number, fill);
            // The value stayed, only the drawing changed: what the signer saw is replaced unless the field came later.
            return _doc.Get(number, pass.Signed) is null
                ? (ChangeKind.FormFieldFilled, true, $"{label} redrawn")
                : (ChangeKind.VisibleSignedContentChanged, false, $"the appearance of {label}, present when signed, was replaced");
        }
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
        /// <summary>Appearance stream → the annotation that shows it.</summary>
        private readonly Dictionary<int, int> _appearanceOwner = [];
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
                    if (a is PdfRefObj annotRef && Resolve(a) is PdfDictObj annot && Resolve(annot.Get("AP")) is PdfDictObj ap)
                        foreach (var (_, v) in ap.Entries)
                        {
                            if (v is PdfRefObj s) _appearanceOwner.TryAdd(s.Number, annotRef.Number);
                            else if (Resolve(v) is PdfDictObj states && states is not PdfStreamObj)
                                foreach (var (_, sv) in states.Entries.Take(100))
                                    if (sv is PdfRefObj ss) _appearanceOwner.TryAdd(ss.Number, annotRef.Number);
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
        public int? AppearanceOwner(int number) => _appearanceOwner.TryGetValue(number, out var a) && !_contentToPage.ContainsKey(number) ? a : null;

        /// <summary>The field's fully qualified name (ISO 32000-1 12.7.3.2), from /T up the /Parent chain.</summary>
        public string? FullName(int field)
        {
            var parts = new List<string>();
            var d = _doc.Get(field, _before) as PdfDictObj;
            for (var i = 0; i < 32 && d is not null; i++)
            {
                if (d.Get("T") is PdfStringObj t) parts.Insert(0, t.ToText());
                d = Resolve(d.Get("Parent")) as PdfDictObj;
            }
            return parts.Count == 0 ? null : string.Join(".", parts);
        }
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
