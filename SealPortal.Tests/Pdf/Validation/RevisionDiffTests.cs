using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Validation;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>
/// The classification rules on small in-memory documents: revision 0 is the signed one, each
/// test appends one revision and checks the kind and the allowed flag the auditor will read.
/// </summary>
public class RevisionDiffTests
{
    private sealed class Doc : IRevisionObjects
    {
        private readonly List<(Dictionary<int, PdfObj?> Objects, PdfDictObj Trailer)> _revisions = [];

        public Doc Revision(PdfDictObj trailer, params (int Number, PdfObj? Value)[] objects)
        {
            _revisions.Add((objects.ToDictionary(o => o.Number, o => o.Value), trailer));
            return this;
        }

        public int RevisionCount => _revisions.Count;
        public IEnumerable<int> ObjectsWrittenIn(int revision) => _revisions[revision].Objects.Keys;
        public PdfDictObj Trailer(int revision) => _revisions[revision].Trailer;
        public bool SameStreamData(PdfStreamObj a, PdfStreamObj b) => a.RawData!.AsSpan().SequenceEqual(b.RawData);

        public PdfObj? Get(int number, int revision)
        {
            for (var r = revision; r >= 0; r--)
                if (_revisions[r].Objects.TryGetValue(number, out var o)) return o;
            return null;
        }
    }

    private static PdfRefObj R(int n) => new(n, 0);
    private static PdfNameObj N(string s) => new(s);
    private static PdfDictObj D(params (string Key, PdfObj Value)[] entries)
    {
        var d = new PdfDictObj();
        foreach (var (k, v) in entries) d.Set(k, v);
        return d;
    }
    private static PdfArrayObj A(params PdfObj[] items) => new(items);
    private static PdfStreamObj S(string data) => new(new PdfDictObj(), System.Text.Encoding.ASCII.GetBytes(data));

    private static readonly PdfDictObj Trailer = D(("Root", R(1)), ("Size", new PdfNumObj(20)));

    // 1 catalog, 2 pages, 3 page, 4 content, 5 text field "Name", 6 signature field, 7 signature dict.
    private static Doc Signed() => new Doc().Revision(Trailer,
        (1, D(("Type", N("Catalog")), ("Pages", R(2)), ("AcroForm", D(("Fields", A(R(5), R(6))), ("SigFlags", new PdfNumObj(3)))))),
        (2, D(("Type", N("Pages")), ("Kids", A(R(3))), ("Count", new PdfNumObj(1)))),
        (3, D(("Type", N("Page")), ("Parent", R(2)), ("Contents", R(4)), ("Annots", A(R(5), R(6))))),
        (4, S("BT (hello) Tj ET")),
        (5, D(("FT", N("Tx")), ("T", new PdfStringObj("Name"u8.ToArray())), ("Type", N("Annot")), ("Subtype", N("Widget")), ("Rect", A()))),
        (6, D(("FT", N("Sig")), ("T", new PdfStringObj("Seal"u8.ToArray())), ("V", R(7)), ("Type", N("Annot")), ("Subtype", N("Widget")), ("Rect", A()))),
        (7, D(("Type", N("Sig")), ("ByteRange", A()), ("Contents", new PdfStringObj([1, 2], hex: true)))));

    private static ChangesReport Analyse(Doc doc, int? docMdp = null) => new RevisionDiff(doc).Analyse(0, 7, 6, docMdp);

    [Fact]
    public void Nothing_appended_means_no_changes()
    {
        var c = Analyse(Signed());
        Assert.Empty(c.Changes);
        Assert.Equal(0, c.LaterRevisions);
    }

    [Fact]
    public void Rewriting_an_object_with_the_same_value_is_no_change()
    {
        var doc = Signed().Revision(Trailer, (4, S("BT (hello) Tj ET")), (2, D(("Type", N("Pages")), ("Count", new PdfNumObj(1)), ("Kids", A(R(3))))));
        Assert.Empty(Analyse(doc).Changes);
    }

    [Fact]
    public void Changed_page_content_is_not_allowed()
    {
        var c = Analyse(Signed().Revision(Trailer, (4, S("BT (pay Mallory) Tj ET"))));
        var change = Assert.Single(c.Changes);
        Assert.Equal(ChangeKind.PageContentChanged, change.Kind);
        Assert.False(change.Allowed);
        Assert.Contains("page 1", change.Description);
    }

    [Fact]
    public void Pointing_the_page_at_new_content_is_not_allowed()
    {
        var c = Analyse(Signed().Revision(Trailer,
            (3, D(("Type", N("Page")), ("Parent", R(2)), ("Contents", R(8)), ("Annots", A(R(5), R(6))))),
            (8, S("BT (other) Tj ET"))));
        Assert.Contains(c.Changes, x => x.Kind == ChangeKind.PageContentChanged && !x.Allowed);
        Assert.False(c.AllAllowed);
    }

    [Fact]
    public void Adding_a_page_is_not_allowed()
    {
        var c = Analyse(Signed().Revision(Trailer,
            (2, D(("Type", N("Pages")), ("Kids", A(R(3), R(9))), ("Count", new PdfNumObj(2)))),
            (9, D(("Type", N("Page")), ("Parent", R(2))))));
        Assert.Contains(c.Changes, x => x.Kind == ChangeKind.PagesAddedOrRemoved && !x.Allowed);
    }

    [Fact]
    public void Filling_a_text_field_is_allowed()
    {
        var c = Analyse(Signed().Revision(Trailer,
            (5, D(("FT", N("Tx")), ("T", new PdfStringObj("Name"u8.ToArray())), ("Type", N("Annot")), ("Subtype", N("Widget")), ("Rect", A()),
                ("V", new PdfStringObj("Alice"u8.ToArray())), ("AP", D(("N", R(10)))))),
            (10, S("/Tx BMC (Alice) Tj EMC"))));
        Assert.True(c.AllAllowed);
        Assert.Contains(c.Changes, x => x.Kind == ChangeKind.FormFieldFilled && x.Description.Contains("\"Name\""));
    }

    [Fact]
    public void Adding_an_annotation_is_allowed_but_removing_one_is_not()
    {
        var added = Analyse(Signed().Revision(Trailer,
            (3, D(("Type", N("Page")), ("Parent", R(2)), ("Contents", R(4)), ("Annots", A(R(5), R(6), R(11))))),
            (11, D(("Type", N("Annot")), ("Subtype", N("Text")), ("Rect", A())))));
        Assert.True(added.AllAllowed);
        Assert.Contains(added.Changes, x => x.Kind == ChangeKind.AnnotationAdded);

        var removed = Analyse(Signed().Revision(Trailer,
            (3, D(("Type", N("Page")), ("Parent", R(2)), ("Contents", R(4)), ("Annots", A(R(5)))))));
        Assert.Contains(removed.Changes, x => x.Kind == ChangeKind.AnnotationRemoved && !x.Allowed);
    }

    [Fact]
    public void Replacing_the_signed_signature_or_deleting_an_object_is_not_allowed()
    {
        var sig = Analyse(Signed().Revision(Trailer, (7, D(("Type", N("Sig")), ("ByteRange", A()), ("Contents", new PdfStringObj([9], hex: true))))));
        Assert.Contains(sig.Changes, x => x.Kind == ChangeKind.SignedSignatureChanged && !x.Allowed);

        var field = Analyse(Signed().Revision(Trailer,
            (6, D(("FT", N("Sig")), ("T", new PdfStringObj("Seal"u8.ToArray())), ("V", R(12)), ("Type", N("Annot")), ("Subtype", N("Widget")), ("Rect", A())))));
        Assert.Contains(field.Changes, x => x.Kind == ChangeKind.SignedSignatureChanged && !x.Allowed);

        var deleted = Analyse(Signed().Revision(Trailer, (4, null)));
        Assert.Contains(deleted.Changes, x => x.Kind == ChangeKind.ObjectDeleted && !x.Allowed);
    }

    [Fact]
    public void Changing_the_catalog_beyond_the_form_is_not_allowed()
    {
        var c = Analyse(Signed().Revision(Trailer,
            (1, D(("Type", N("Catalog")), ("Pages", R(2)), ("OpenAction", R(3)), ("AcroForm", D(("Fields", A(R(5), R(6))), ("SigFlags", new PdfNumObj(3))))))));
        var change = Assert.Single(c.Changes);
        Assert.Equal(ChangeKind.CatalogChanged, change.Kind);
        Assert.Contains("/OpenAction", change.Description);
    }

    [Fact]
    public void A_second_signature_in_a_new_field_is_allowed()
    {
        var c = Analyse(Signed().Revision(Trailer,
            (1, D(("Type", N("Catalog")), ("Pages", R(2)), ("AcroForm", D(("Fields", A(R(5), R(6), R(13))), ("SigFlags", new PdfNumObj(3)))))),
            (3, D(("Type", N("Page")), ("Parent", R(2)), ("Contents", R(4)), ("Annots", A(R(5), R(6), R(13))))),
            (13, D(("FT", N("Sig")), ("T", new PdfStringObj("Seal2"u8.ToArray())), ("V", R(14)), ("Type", N("Annot")), ("Subtype", N("Widget")), ("Rect", A()))),
            (14, D(("Type", N("Sig")), ("ByteRange", A()), ("Contents", new PdfStringObj([3], hex: true))))));
        Assert.True(c.AllAllowed);
        Assert.Contains(c.Changes, x => x.Kind == ChangeKind.SignatureAdded);
        Assert.Contains(c.Changes, x => x.Kind == ChangeKind.FormStructureUpdated);
    }

    [Fact]
    public void A_field_locked_by_the_signature_may_not_be_filled_but_others_may()
    {
        var doc = Signed().Revision(Trailer,
            (5, D(("FT", N("Tx")), ("T", new PdfStringObj("Name"u8.ToArray())), ("Type", N("Annot")), ("Subtype", N("Widget")), ("Rect", A()),
                ("V", new PdfStringObj("Mallory"u8.ToArray())))));

        var locked = new RevisionDiff(doc).Analyse(0, 7, 6, null, new FieldLock(FieldLockAction.Include, ["Name"]));
        Assert.Contains(locked.Changes, c => c.Kind == ChangeKind.ForbiddenByFieldLock && !c.Allowed && c.Description.Contains("\"Name\""));
        Assert.True(new RevisionDiff(doc).Analyse(0, 7, 6, null, new FieldLock(FieldLockAction.Exclude, ["Name"])).AllAllowed);
        Assert.False(new RevisionDiff(doc).Analyse(0, 7, 6, null, new FieldLock(FieldLockAction.All, [])).AllAllowed);
        Assert.True(new RevisionDiff(doc).Analyse(0, 7, 6, null, new FieldLock(FieldLockAction.Include, ["Other"])).AllAllowed);
    }

    [Fact]
    public void A_value_shown_when_signed_may_not_be_replaced_but_an_empty_field_may_be_filled_later_again()
    {
        Doc WithName(Doc d, string value) => d.Revision(Trailer,
            (5, D(("FT", N("Tx")), ("T", new PdfStringObj("Name"u8.ToArray())), ("Type", N("Annot")), ("Subtype", N("Widget")), ("Rect", A()),
                ("V", new PdfStringObj(System.Text.Encoding.ASCII.GetBytes(value))))));

        // Filled after signing, then corrected: the signer never saw either value.
        Assert.True(Analyse(WithName(WithName(Signed(), "Alice"), "Alicia")).AllAllowed);

        // Filled before the signature (revision 1 signed), then replaced: the "replace" shadow attack.
        var replaced = new RevisionDiff(WithName(WithName(Signed(), "Alice"), "Mallory")).Analyse(1, 7, 6, null);
        Assert.Contains(replaced.Changes, c => c.Kind == ChangeKind.VisibleSignedContentChanged && !c.Allowed);
    }

    [Fact]
    public void Signing_with_a_separate_widget_is_allowed_under_certification_level_2_but_an_annotation_is_not()
    {
        var signed = Signed().Revision(Trailer,
            (1, D(("Type", N("Catalog")), ("Pages", R(2)), ("AcroForm", D(("Fields", A(R(5), R(6), R(13))), ("SigFlags", new PdfNumObj(3)))))),
            (3, D(("Type", N("Page")), ("Parent", R(2)), ("Contents", R(4)), ("Annots", A(R(5), R(6), R(15))))),
            (13, D(("FT", N("Sig")), ("T", new PdfStringObj("Seal2"u8.ToArray())), ("V", R(14)), ("Kids", A(R(15))))),
            (14, D(("Type", N("Sig")), ("ByteRange", A()), ("Contents", new PdfStringObj([3], hex: true)))),
            (15, D(("Type", N("Annot")), ("Subtype", N("Widget")), ("Parent", R(13)), ("Rect", A()))));
        var c = Analyse(signed, docMdp: 2);
        Assert.True(c.AllAllowed, string.Join("; ", c.Changes.Select(x => x.Description)));
        Assert.Equal(ModificationLevel.FormFilling, c.Level);

        var annotated = Analyse(Signed().Revision(Trailer,
            (3, D(("Type", N("Page")), ("Parent", R(2)), ("Contents", R(4)), ("Annots", A(R(5), R(6), R(15))))),
            (15, D(("Type", N("Annot")), ("Subtype", N("Square")), ("Rect", A())))), docMdp: 2);
        Assert.Contains(annotated.Changes, x => x.Kind == ChangeKind.ForbiddenByCertification);
        Assert.Equal(ModificationLevel.Annotations, Analyse(Signed().Revision(Trailer,
            (3, D(("Type", N("Page")), ("Parent", R(2)), ("Contents", R(4)), ("Annots", A(R(5), R(6), R(15))))),
            (15, D(("Type", N("Annot")), ("Subtype", N("Square")), ("Rect", A()))))).Level);
    }

    [Fact]
    public void Certification_levels_narrow_what_is_allowed()
    {
        Doc Annotated() => Signed().Revision(Trailer,
            (3, D(("Type", N("Page")), ("Parent", R(2)), ("Contents", R(4)), ("Annots", A(R(5), R(6), R(11))))),
            (11, D(("Type", N("Annot")), ("Subtype", N("Text")), ("Rect", A()))));
        Doc Filled() => Signed().Revision(Trailer,
            (5, D(("FT", N("Tx")), ("T", new PdfStringObj("Name"u8.ToArray())), ("Type", N("Annot")), ("Subtype", N("Widget")), ("Rect", A()),
                ("V", new PdfStringObj("Bob"u8.ToArray())))));

        Assert.True(Analyse(Annotated(), docMdp: 3).AllAllowed);
        Assert.Contains(Analyse(Annotated(), docMdp: 2).Changes, x => x.Kind == ChangeKind.ForbiddenByCertification && !x.Allowed);
        Assert.True(Analyse(Filled(), docMdp: 2).AllAllowed);
        Assert.False(Analyse(Filled(), docMdp: 1).AllAllowed);
    }
}
