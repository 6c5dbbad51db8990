using System.Text;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Tests.Pdf;

public sealed class PdfLexerTests
{
    private static PdfObj Parse(string s) => new PdfLexer(new MemoryStream(Encoding.Latin1.GetBytes(s))).ReadObject();

    [Fact]
    public void Reads_names_strings_numbers_arrays_dicts_and_references()
    {
        var d = (PdfDictObj)Parse(@"<< /Na#20me (a\(b\)c\n\101 (nested) \
x) /H <48 65 6c6c6f 7> /N [1 -2.5 +3 .5 4 0 R] /B true /Z null /D<</X 1>>%comment
>>");
        Assert.Equal("a(b)c\nA (nested) x", ((PdfStringObj)d.Get("Na me")!).ToText());
        Assert.Equal([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x70], ((PdfStringObj)d.Get("H")!).Bytes);
        var n = (PdfArrayObj)d.Get("N")!;
        Assert.Equal(1L, ((PdfNumObj)n[0]).LongValue);
        Assert.Equal(-2.5, ((PdfNumObj)n[1]).DoubleValue);
        Assert.Equal(3L, ((PdfNumObj)n[2]).LongValue);
        Assert.Equal(0.5, ((PdfNumObj)n[3]).DoubleValue);
        Assert.Equal(new PdfRefObj(4, 0), n[4]);
        Assert.Equal(5, n.Count);
        Assert.True(((PdfBoolObj)d.Get("B")!).Value);
        Assert.Same(PdfNullObj.Instance, d.Get("Z"));
        Assert.Equal(1L, ((PdfNumObj)((PdfDictObj)d.Get("D")!).Get("X")!).LongValue);
    }

    [Fact]
    public void Writing_then_reading_round_trips()
    {
        var d = new PdfDictObj()
            .Set("A b", new PdfNameObj("x/y"))
            .Set("S", new PdfStringObj(Encoding.Latin1.GetBytes("p(q)\\r\r\n")))
            .Set("T", PdfStringObj.FromText("印章"))
            .Set("R", new PdfNumObj(1.25));
        var back = (PdfDictObj)Parse(d.ToString());
        Assert.Equal("x/y", back.GetName("A b"));
        Assert.Equal("p(q)\\r\r\n", Encoding.Latin1.GetString(((PdfStringObj)back.Get("S")!).Bytes));
        Assert.Equal("印章", ((PdfStringObj)back.Get("T")!).ToText());
        Assert.Equal(1.25, ((PdfNumObj)back.Get("R")!).DoubleValue);
    }

    [Theory]
    [InlineData("(unterminated")]
    [InlineData("<< /A 1")]
    [InlineData("[1 2")]
    [InlineData("<4G>")]
    [InlineData("<< 1 2 >>")]
    [InlineData("endobj")]
    public void Malformed_syntax_is_a_format_error(string s)
        => Assert.Throws<PdfFormatException>(() => Parse(s));

    [Fact]
    public void Deep_nesting_is_refused_instead_of_overflowing_the_stack()
    {
        var ex = Assert.Throws<PdfFormatException>(() => Parse(new string('[', 5000) + new string(']', 5000)));
        Assert.Contains("nested", ex.Message);
    }
}

[Trait("Category", "Integration")]
public sealed class PdfFileTests : IDisposable
{
    private readonly string _dir = PdfTestKit.NewTempDir("pdffile");

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string P(string n) => Path.Combine(_dir, n);

    [Fact]
    public void Classic_file_with_an_update_has_two_revisions_and_old_objects_stay_readable()
    {
        var original = PdfTestKit.ClassicPdf(3);
        File.WriteAllBytes(P("a.pdf"), original);
        using (var f = PdfFile.Open(P("a.pdf")))
        {
            Assert.Equal("1.7", f.HeaderVersion);
            Assert.Single(f.Revisions);
            Assert.Equal(original.Length, f.Revisions[0].EndOffset);
            Assert.Equal(PdfXrefKind.Table, f.LatestRevision.Kind);
            Assert.Equal(3, f.GetPages().Count);
            var w = new PdfIncrementalWriter(f);
            w.Set(new PdfRefObj(3, 0), new PdfDictObj().Set("Title", PdfStringObj.FromText("New")));
            using var o = File.Create(P("b.pdf"));
            w.WriteTo(o);
        }
        using var g = PdfFile.Open(P("b.pdf"));
        Assert.Equal(2, g.Revisions.Count);
        Assert.Equal(original.Length, g.Revisions[0].EndOffset);
        Assert.Equal(g.Length, g.Revisions[1].EndOffset);
        Assert.Equal("Sample (with parens)", ((PdfStringObj)((PdfDictObj)g.GetObject(3, 0)!).Get("Title")!).ToText());
        Assert.Equal("New", ((PdfStringObj)((PdfDictObj)g.GetObject(3)!).Get("Title")!).ToText());
        Assert.Equal(PdfXrefEntryType.InUse, g.GetEntry(3, 1)!.Value.Type);
        Assert.True(g.GetEntry(3, 1)!.Value.Offset >= original.Length);
        var (exit, o2, e2) = PdfTestKit.Run("qpdf", "--check", P("b.pdf"));
        Assert.True(exit == 0, o2 + e2);
    }

    /// <summary>
    /// ClassicPdf(5) with its page tree rebuilt as root [A, page 3, B], A = [page 1, page 2] turned 90 degrees and
    /// with its own MediaBox, B = [page 4, a kid that is not a dictionary, page 5]: inheritance, nesting and a skipped kid.
    /// </summary>
    private string NestedPageTree()
    {
        File.WriteAllBytes(P("flat.pdf"), PdfTestKit.ClassicPdf(5));
        using (var f = PdfFile.Open(P("flat.pdf")))
        {
            var w = new PdfIncrementalWriter(f);
            var root = new PdfRefObj(2, 0);
            var a = w.Reserve();
            var b = w.Reserve();
            PdfRefObj Page(int n) => new(4 + 2 * (n - 1), 0);
            w.Set(a, new PdfDictObj().Set("Type", new PdfNameObj("Pages")).Set("Parent", root).Set("Count", new PdfNumObj(2))
                .Set("Rotate", new PdfNumObj(90)).Set("MediaBox", new PdfArrayObj([new PdfNumObj(0), new PdfNumObj(0), new PdfNumObj(300), new PdfNumObj(400)]))
                .Set("Kids", new PdfArrayObj([Page(1), Page(2)])));
            w.Set(b, new PdfDictObj().Set("Type", new PdfNameObj("Pages")).Set("Parent", root).Set("Count", new PdfNumObj(2))
                .Set("Kids", new PdfArrayObj([Page(4), new PdfNumObj(7), Page(5)])));
            var rootDict = ((PdfDictObj)f.GetObject(2)!).Clone();
            rootDict.Set("Kids", new PdfArrayObj([a, Page(3), b]));
            w.Set(root, rootDict);
            foreach (var (n, parent) in new[] { (1, a), (2, a), (3, root), (4, b), (5, b) })
                w.Set(Page(n), ((PdfDictObj)f.GetObject(Page(n).Number)!).Clone().Set("Parent", parent));
            using var o = File.Create(P("nested.pdf"));
            w.WriteTo(o);
        }
        return P("nested.pdf");
    }

    [Fact]
    public void The_first_pages_are_the_start_of_the_whole_walk_in_a_nested_tree()
    {
        using var f = PdfFile.Open(NestedPageTree());
        var all = f.GetPages();
        Assert.Equal([4, 6, 8, 10, 12], all.Select(p => p.Reference.Number));
        Assert.Equal([90, 90, 0, 0, 0], all.Select(p => p.Rotate));
        Assert.Equal([0, 0, 300, 400], all[1].MediaBox);
        Assert.Equal([0, 0, 595, 842], all[2].MediaBox);
        for (var k = 0; k <= 7; k++)
        {
            var first = f.GetFirstPages(k);
            Assert.Equal(Math.Min(k, all.Count), first.Count);
            for (var i = 0; i < first.Count; i++)
            {
                Assert.Equal(all[i].Number, first[i].Number);
                Assert.Equal(all[i].Reference.Number, first[i].Reference.Number);
                Assert.Equal(all[i].MediaBox, first[i].MediaBox);
                Assert.Equal(all[i].CropBox, first[i].CropBox);
                Assert.Equal(all[i].Rotate, first[i].Rotate);
            }
        }
    }

    [Fact]
    public void The_first_pages_do_not_read_the_tree_beyond_them()
    {
        // Object 12 (page 5) is made a loop back to the root: the whole walk refuses the tree, the first four pages do not reach it.
        File.WriteAllBytes(P("flat.pdf"), PdfTestKit.ClassicPdf(5));
        using (var f = PdfFile.Open(P("flat.pdf")))
        {
            var w = new PdfIncrementalWriter(f);
            var root = ((PdfDictObj)f.GetObject(2)!).Clone();
            root.Set("Kids", new PdfArrayObj([new PdfRefObj(4, 0), new PdfRefObj(6, 0), new PdfRefObj(8, 0), new PdfRefObj(10, 0), new PdfRefObj(2, 0)]));
            w.Set(new PdfRefObj(2, 0), root);
            using var o = File.Create(P("loop.pdf"));
            w.WriteTo(o);
        }
        using var g = PdfFile.Open(P("loop.pdf"));
        Assert.Throws<PdfFormatException>(() => g.GetPages());
        Assert.Equal([4, 6, 8, 10], g.GetFirstPages(4).Select(p => p.Reference.Number));
        Assert.Throws<PdfFormatException>(() => g.GetFirstPages(5));
    }

    [Fact]
    public void Object_streams_and_xref_streams_with_predictors_are_read()
    {
        File.WriteAllBytes(P("a.pdf"), PdfTestKit.ClassicPdf(5));
        PdfTestKit.RunOk("qpdf", "--object-streams=generate", "--compress-streams=y", P("a.pdf"), P("b.pdf"));
        using var f = PdfFile.Open(P("b.pdf"));
        Assert.Equal(PdfXrefKind.Stream, f.LatestRevision.Kind);
        Assert.Contains(f.LatestRevision.Entries.Values, e => e.Type == PdfXrefEntryType.Compressed);
        var pages = f.GetPages();
        Assert.Equal(5, pages.Count);
        Assert.Equal([0, 0, 595, 842], pages[4].MediaBox);
        var content = (PdfStreamObj)f.Resolve(pages[0].Dictionary.Get("Contents"))!;
        Assert.StartsWith("0.2 0.4 0.8 rg", Encoding.ASCII.GetString(f.DecodeStream(content)));
        var info = (PdfDictObj)f.Resolve(f.Trailer.Get("Info"))!;
        Assert.Equal("Sample (with parens)", ((PdfStringObj)info.Get("Title")!).ToText());
    }

    [Fact]
    public void Linearized_file_is_one_revision()
    {
        PdfTestKit.MutoolPdf(P("a.pdf"), 3);
        PdfTestKit.RunOk("qpdf", "--linearize", P("a.pdf"), P("b.pdf"));
        using var f = PdfFile.Open(P("b.pdf"));
        Assert.True(f.IsLinearized);
        Assert.Single(f.Revisions);
        Assert.Equal(f.Length, f.LatestRevision.EndOffset);
        Assert.Equal(3, f.GetPages().Count);
        Assert.True(f.StartXref < f.Length / 2, "a linearized file's startxref points to the first-page section");
    }

    [Fact]
    public void Hybrid_file_finds_compressed_objects_through_XRefStm()
    {
        File.WriteAllBytes(P("h.pdf"), PdfTestKit.HybridPdf());

        using var f = PdfFile.Open(P("h.pdf"));
        Assert.True(f.LatestRevision.IsHybrid);
        Assert.Equal(PdfXrefKind.Table, f.LatestRevision.Kind);
        Assert.Equal("Hybrid", ((PdfStringObj)((PdfDictObj)f.Resolve(f.Trailer.Get("Info"))!).Get("Title")!).ToText());
        Assert.Single(f.GetPages());
    }

    [Fact]
    public void Encrypted_file_raises_the_encrypted_exception()
    {
        File.WriteAllBytes(P("a.pdf"), PdfTestKit.ClassicPdf(1));
        PdfTestKit.RunOk("qpdf", "--encrypt", "u", "o", "256", "--", P("a.pdf"), P("e.pdf"));
        var ex = Assert.Throws<PdfEncryptedException>(() => PdfFile.Open(P("e.pdf")));
        Assert.Contains("encrypted", ex.Message);
    }

    [Fact]
    public void A_prev_chain_that_loops_is_reported_not_followed_forever()
    {
        var pdf = Encoding.Latin1.GetString(PdfTestKit.ClassicPdf(1));
        var xrefAt = pdf.LastIndexOf("xref\n0 ", StringComparison.Ordinal);
        pdf = pdf.Replace("/Root 1 0 R", $"/Root 1 0 R /Prev {xrefAt}");
        File.WriteAllBytes(P("loop.pdf"), Encoding.Latin1.GetBytes(pdf));
        var ex = Assert.Throws<PdfFormatException>(() => PdfFile.Open(P("loop.pdf")));
        Assert.Contains("loops", ex.Message);
    }

    [Fact]
    public void Wrong_stream_length_falls_back_to_the_endstream_keyword()
    {
        var pdf = Encoding.Latin1.GetString(PdfTestKit.ClassicPdf(1));
        pdf = pdf.Replace("<< /Length 35 >>", "<< /Length 9999 >>");
        File.WriteAllBytes(P("len.pdf"), Encoding.Latin1.GetBytes(pdf));
        using var f = PdfFile.Open(P("len.pdf"));
        var content = (PdfStreamObj)f.Resolve(f.GetPages()[0].Dictionary.Get("Contents"))!;
        Assert.Equal("0.2 0.4 0.8 rg 72 700 300 40 re f", Encoding.ASCII.GetString(f.ReadRawStreamData(content)));
    }

    [Fact]
    public async Task Damaged_and_truncated_files_only_ever_raise_format_errors()
    {
        File.WriteAllBytes(P("a.pdf"), PdfTestKit.ClassicPdf(3));
        PdfTestKit.RunOk("qpdf", "--object-streams=generate", P("a.pdf"), P("b.pdf"));
        var good = File.ReadAllBytes(P("b.pdf"));
        var rnd = new Random(1234);
        var rejected = 0;
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])good.Clone();
            if (i % 3 == 0) bytes = bytes[..rnd.Next(0, bytes.Length)];
            else for (var k = 0; k < 1 + i % 7; k++) bytes[rnd.Next(bytes.Length)] = (byte)rnd.Next(256);
            var run = Task.Run(() =>
            {
                try
                {
                    using var f = PdfFile.Open(new MemoryStream(bytes));
                    foreach (var page in f.GetPages())
                        if (f.Resolve(page.Dictionary.Get("Contents")) is PdfStreamObj s) f.DecodeStream(s);
                    for (var n = 0; n <= Math.Min(f.MaxObjectNumber, 50); n++) f.GetObject(n);
                    return 0;
                }
                catch (PdfFormatException) { return 1; }
            });
            // WaitAsync throws TimeoutException, failing the test, if a damaged file makes the reader hang.
            rejected += await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.True(rejected > 50, $"only {rejected} damaged files were rejected");
    }

    [Fact]
    public void Garbage_and_empty_input_are_format_errors()
    {
        Assert.Throws<PdfFormatException>(() => PdfFile.Open(new MemoryStream([])));
        Assert.Throws<PdfFormatException>(() => PdfFile.Open(new MemoryStream(Encoding.ASCII.GetBytes(new string('x', 5000)))));
        Assert.Throws<PdfFormatException>(() => PdfFile.Open(new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.7\nstartxref\n99999\n%%EOF\n"))));
    }
}

public sealed class PdfHostileInputTests
{
    [Fact]
    public async Task A_dictionary_with_200000_keys_is_read_in_linear_time()
    {
        var sb = new StringBuilder("<<");
        for (var i = 0; i < 200_000; i++) sb.Append("/K").Append(i).Append(' ').Append(i);
        sb.Append(" /K5 7>>");
        // A quadratic parser needs minutes here; the bound fails the test instead of hanging the run.
        var d = await Task.Run(() => (PdfDictObj)new PdfLexer(new MemoryStream(Encoding.ASCII.GetBytes(sb.ToString()))).ReadObject())
            .WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(200_000, d.Count);
        Assert.Equal(7L, ((PdfNumObj)d.Get("K5")!).LongValue);
        Assert.Equal(199_999L, ((PdfNumObj)d.Get("K199999")!).LongValue);
        d.Set("K0", null);
        Assert.Null(d.Get("K0"));
        Assert.Equal(7L, ((PdfNumObj)d.Get("K5")!).LongValue);
    }
}
