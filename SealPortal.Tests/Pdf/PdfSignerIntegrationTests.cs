using System.Text;
using SealPortal.Cli;
using SealPortal.Features.Seals.Imaging;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;
using SealPortal.Tests.Infrastructure;
using System.Security.Cryptography.X509Certificates;

namespace SealPortal.Tests.Pdf;

/// <summary>
/// Seals PDFs from several producers and checks the results with independent tools:
/// qpdf --check and poppler's pdfsig against an NSS database that trusts the sample root.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ConsoleCaptureCollection.Name)]
public sealed class PdfSignerIntegrationTests : IClassFixture<NssDbFixture>, IDisposable
{
    private static readonly Lazy<SigningIdentity> Rsa = new(() => SigningIdentity.LoadPkcs12(Path.Combine(PdfTestKit.CertsDir, "sample-seal-rsa.pfx"), "sample"));
    private static readonly Lazy<SigningIdentity> Ecdsa = new(() => SigningIdentity.LoadPkcs12(Path.Combine(PdfTestKit.CertsDir, "sample-seal-ecdsa.pfx"), "sample"));

    private readonly NssDbFixture _nss;
    private readonly string _dir = PdfTestKit.NewTempDir("pdfsign");

    public PdfSignerIntegrationTests(NssDbFixture nss) => _nss = nss;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private string MakeInput(string producer)
    {
        var path = P($"in-{producer}.pdf");
        switch (producer)
        {
            case "mutool":
                PdfTestKit.MutoolPdf(path, 3);
                break;
            case "pdfsharp":
                PdfTestKit.PdfSharpPdf(path, 3);
                break;
            case "qpdf-objstm":
                PdfTestKit.MutoolPdf(P("base.pdf"), 2);
                PdfTestKit.RunOk("qpdf", "--object-streams=generate", P("base.pdf"), path);
                break;
            case "qpdf-linearized":
                PdfTestKit.MutoolPdf(P("base.pdf"), 4);
                PdfTestKit.RunOk("qpdf", "--linearize", P("base.pdf"), path);
                break;
            case "classic-1.3":
                File.WriteAllBytes(path, PdfTestKit.ClassicPdf(2, "1.3"));
                break;
            case "pdf-2.0":
                File.WriteAllBytes(P("base.pdf"), PdfTestKit.ClassicPdf(2, "2.0"));
                PdfTestKit.RunOk("qpdf", "--object-streams=generate", P("base.pdf"), path);
                break;
            case "hybrid":
                File.WriteAllBytes(path, PdfTestKit.HybridPdf());
                break;
            case "acroform":
                File.WriteAllBytes(path, PdfTestKit.ClassicPdf(1, "1.7", withAcroForm: true));
                break;
            case "prior-update":
            {
                // An earlier incremental update in an xref-stream file: our writer's xref-stream path.
                PdfTestKit.MutoolPdf(P("base.pdf"), 2);
                PdfTestKit.RunOk("qpdf", "--object-streams=generate", P("base.pdf"), P("base-os.pdf"));
                using var f = PdfFile.Open(P("base-os.pdf"));
                var w = new PdfIncrementalWriter(f);
                var info = new PdfDictObj().Set("Title", PdfStringObj.FromText("Updated 标题"));
                var infoRef = f.Trailer.Get("Info") as PdfRefObj ?? w.Reserve();
                w.Set(infoRef, info);
                using var o = File.Create(path);
                w.WriteTo(o);
                break;
            }
            case "pdfsig-signed":
                File.WriteAllBytes(P("base.pdf"), PdfTestKit.ClassicPdf(2));
                PdfTestKit.RunOk("pdfsig", "-add-signature", "-nssdir", _nss.Db, "-nick", "sample-seal-rsa", P("base.pdf"), path);
                break;
            default: throw new ArgumentException(producer);
        }
        return path;
    }

    private static async Task<PdfSignResult> Seal(string input, string output, SigningIdentity id, PdfSignOptions? options = null)
    {
        var signer = new PdfSigner(TimeProvider.System);
        return await signer.SignFileAsync(input, output, await PdfSignatureContent.FromCadesAsync(id, null),
            options ?? new PdfSignOptions { Reason = "approved", Location = "Shanghai", SignerName = "SAMPLE Seal" });
    }

    private static void AssertStartsWith(string input, string output)
    {
        var a = File.ReadAllBytes(input);
        var b = File.ReadAllBytes(output);
        Assert.True(b.Length > a.Length, "output is not longer than input");
        Assert.True(b.AsSpan(0, a.Length).SequenceEqual(a), "output does not begin with the input's bytes");
    }

    /// <summary>The project's own verifier (pdf-verify) must agree with pdfsig.</summary>
    private static void AssertOurVerifierSaysValid(string pdf)
    {
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(PdfTestKit.CertsDir, "sample-root-ca.crt"));
        using var fs = File.OpenRead(pdf);
        var report = PdfSignatureVerifier.Verify(fs, new VerifyOptions { TrustAnchors = [root], Now = DateTimeOffset.UtcNow });
        Assert.True(report.Verdict == Verdict.Valid, $"{report.Verdict}: {report.Summary} {report.Error}");
    }

    private static void AssertQpdfCheck(string pdf)
    {
        var (exit, o, e) = PdfTestKit.Run("qpdf", "--check", pdf);
        Assert.True(exit == 0, $"qpdf --check {pdf} -> {exit}\n{o}\n{e}");
    }

    /// <summary>
    /// qpdf --check on a sealed file: clean, or warning about exactly what it already warned about
    /// in the input (some producers, e.g. PDFsharp, write streams qpdf warns about); our update
    /// must add no warning and no error of its own.
    /// </summary>
    private static void AssertQpdfCheckAddsNothing(string input, string output)
    {
        var (inExit, inOut, inErr) = PdfTestKit.Run("qpdf", "--check", input);
        if (inExit == 0)
        {
            AssertQpdfCheck(output);
            return;
        }
        Assert.True(inExit == 3, $"the input itself fails qpdf --check ({inExit}): {inErr}");
        var (exit, o, e) = PdfTestKit.Run("qpdf", "--check", output);
        Assert.True(exit is 0 or 3, $"qpdf --check {output} -> {exit}\n{o}\n{e}");
        Assert.Equal(Warnings(inOut + inErr, input), Warnings(o + e, output));
    }

    private static List<string> Warnings(string qpdfOutput, string file) =>
        qpdfOutput.Split('\n').Where(l => l.StartsWith("WARNING", StringComparison.Ordinal))
            .Select(l => l.Replace(file, "FILE", StringComparison.Ordinal)).ToList();

    [Theory]
    [InlineData("mutool", 0)]
    [InlineData("pdfsharp", 0)]
    [InlineData("qpdf-objstm", 0)]
    [InlineData("qpdf-linearized", 0)]
    [InlineData("classic-1.3", 0)]
    [InlineData("pdf-2.0", 0)]
    [InlineData("acroform", 0)]
    [InlineData("hybrid", 0)]
    [InlineData("prior-update", 0)]
    [InlineData("pdfsig-signed", 1)]
    public async Task Two_seals_on_any_producer_keep_input_bytes_and_all_signatures_valid(string producer, int priorSignatures)
    {
        var input = MakeInput(producer);
        var once = P("once.pdf");
        var twice = P("twice.pdf");

        var r1 = await Seal(input, once, Rsa.Value);
        AssertStartsWith(input, once);
        AssertQpdfCheckAddsNothing(input, once);
        Assert.Equal(priorSignatures + 1, _nss.AssertAllSignaturesValid(once));
        Assert.Equal($"Seal{1}", r1.FieldName);

        var r2 = await Seal(once, twice, Ecdsa.Value);
        AssertStartsWith(once, twice);
        AssertQpdfCheckAddsNothing(input, twice);
        Assert.Equal(priorSignatures + 2, _nss.AssertAllSignaturesValid(twice));
        AssertOurVerifierSaysValid(twice);
        Assert.Equal("Seal2", r2.FieldName);

        using var f = PdfFile.Open(twice);
        Assert.Equal(r2.OutputLength, f.Length);
        Assert.Equal(f.Length, f.LatestRevision.EndOffset);
        var sealRevision = f.Revisions.Single(r => r.EndOffset == new FileInfo(once).Length);
        Assert.Equal(0, f.Revisions.Count(r => r.EndOffset > f.Length));
        Assert.True(sealRevision.Index < f.LatestRevision.Index);
        var acro = f.Resolve(f.Catalog.Get("AcroForm")) as PdfDictObj;
        Assert.Equal(3L, (f.Resolve(acro!.Get("SigFlags")) as PdfNumObj)!.LongValue);
        if (producer == "acroform")
        {
            var names = ((PdfArrayObj)f.Resolve(acro.Get("Fields"))!).Items
                .Select(x => ((PdfStringObj)((PdfDictObj)f.Resolve(x)!).Get("T")!).ToText()).ToList();
            Assert.Equal(["Name", "Seal1", "Seal2"], names);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(270)]
    public async Task Seal_sits_upright_at_the_bottom_right_of_the_page_as_displayed(int rotate)
    {
        // An image whose top half is red and whose bottom-left quarter is blue shows any turn or flip.
        var png = PdfTestKit.Png(20, 20, 6, (x, y) => y < 10 ? [220, 0, 0, 255] : x < 10 ? [0, 0, 220, 255] : [0, 0, 0, 0]);
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1, rotate: rotate));
        await Seal(P("in.pdf"), P("out.pdf"), Rsa.Value, new PdfSignOptions { SealImage = SealPng.Decode(png) });
        PdfTestKit.RunOk("pdftoppm", "-r", "40", "-png", "-singlefile", P("out.pdf"), P("page"));
        var img = SealPng.Decode(File.ReadAllBytes(P("page.png")));
        (int X0, int Y0, int X1, int Y1) Box(Func<byte, byte, byte, bool> match)
        {
            int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
            for (var y = 0; y < img.Height; y++)
                for (var x = 0; x < img.Width; x++)
                {
                    var i = (y * img.Width + x) * 3;
                    if (!match(img.Rgb[i], img.Rgb[i + 1], img.Rgb[i + 2])) continue;
                    x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
                }
            return (x0, y0, x1, y1);
        }
        var red = Box((r, g, b) => r > 180 && g < 60 && b < 60);
        var blue = Box((r, g, b) => b > 180 && r < 60 && g < 60);
        Assert.True(red.X1 >= 0 && blue.X1 >= 0, "seal not rendered");
        var page = $"red {red}, blue {blue} on a {img.Width}x{img.Height} page";
        Assert.True(red.X0 > img.Width / 2 && blue.Y0 > img.Height / 2, "not at the bottom right: " + page);
        Assert.True(blue.Y0 >= red.Y1 - 1, "blue half is not below the red half: " + page);
        Assert.True(blue.X1 <= (red.X0 + red.X1) / 2 + 1, "blue quarter is not on the left: " + page);
    }

    [Fact]
    public async Task A_large_input_copied_in_chunks_keeps_its_bytes_and_the_seal_verifies()
    {
        // Over 1 MiB and not a whole number of chunks: the copy runs chunk by chunk with the
        // write of one chunk overlapping the hash of the next read, including a short last chunk.
        var input = P("large.pdf");
        BenchCommand.WriteSyntheticPdf(input, pages: 3, bytesPerPage: 1_100_003);
        Assert.True(new FileInfo(input).Length > 3 << 20);
        var output = P("large-signed.pdf");
        var r = await Seal(input, output, Rsa.Value);
        AssertStartsWith(input, output);
        Assert.Equal(new FileInfo(output).Length, r.OutputLength);
        Assert.Equal(1, _nss.AssertAllSignaturesValid(output));
        AssertOurVerifierSaysValid(output);
    }

    [Fact]
    public async Task A_large_input_read_from_a_stream_is_copied_chunk_by_chunk_and_the_seal_verifies()
    {
        // A reader over a stream has no file of its own to read beside the hash (that is the path-opened file's
        // way, above), so this is the other copy: each chunk's write beside the hash of the next.
        var input = P("large-stream.pdf");
        BenchCommand.WriteSyntheticPdf(input, pages: 3, bytesPerPage: 1_100_003);
        var output = P("large-stream-signed.pdf");
        using (var source = PdfFile.Open(new MemoryStream(File.ReadAllBytes(input), writable: false)))
        await using (var o = new FileStream(output, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            Assert.Null(source.FileHandle);
            await new PdfSigner(TimeProvider.System).SignAsync(source, o, await PdfSignatureContent.FromCadesAsync(Rsa.Value, null), new PdfSignOptions { SignerName = "SAMPLE Seal" });
        }
        AssertStartsWith(input, output);
        Assert.Equal(1, _nss.AssertAllSignaturesValid(output));
        AssertOurVerifierSaysValid(output);
        using var opened = PdfFile.Open(input);
        Assert.NotNull(opened.FileHandle);
    }

    [Fact]
    public async Task A_seal_says_where_its_time_went_and_the_phases_add_up()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        var content = await PdfSignatureContent.FromCadesAsync(Rsa.Value, null);
        var durable = await new PdfSigner(TimeProvider.System).SignFileAsync(P("in.pdf"), P("out.pdf"), content, new PdfSignOptions());
        var t = durable.Timings ?? throw new InvalidOperationException("no timings");
        Assert.True(t.Cms > 0 && t.Prepare > 0 && t.FileSync > 0 && t.Rename > 0, t.ToString());
        if (OperatingSystem.IsLinux()) Assert.True(t.FolderSync > 0, t.ToString());
        Assert.Equal(0, t.ValidationData);
        // The phases follow one another: together they are the whole call.
        Assert.Equal(t.Total, t.Prepare + t.CopyAndHash + t.Cms + t.Write + t.ValidationData + t.FileSync + t.Rename + t.FolderSync, 3);

        var quick = await new PdfSigner(TimeProvider.System) { FlushToDisk = false }.SignFileAsync(P("in.pdf"), P("out2.pdf"), content, new PdfSignOptions());
        Assert.Equal(0, quick.Timings!.FolderSync);
        Assert.True(quick.Timings.Total > 0);
        AssertOurVerifierSaysValid(P("out.pdf"));
    }

    [Fact]
    public async Task Input_and_output_may_be_the_same_file()
    {
        var original = PdfTestKit.ClassicPdf(1);
        File.WriteAllBytes(P("doc.pdf"), original);
        await Seal(P("doc.pdf"), P("doc.pdf"), Rsa.Value);
        Assert.True(File.ReadAllBytes(P("doc.pdf")).AsSpan(0, original.Length).SequenceEqual(original));
        _nss.AssertAllSignaturesValid(P("doc.pdf"));
        Assert.Equal(["doc.pdf"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_replaced_file_lives_on_unnamed_until_the_freeing_thread_closes_it()
    {
        Assert.Null(PdfSigner.OpenPrevious(P("missing.pdf")));
        var old = new byte[64 << 10];
        old[^1] = 42;
        File.WriteAllBytes(P("doc.pdf"), old);
        var held = PdfSigner.OpenPrevious(P("doc.pdf"));
        Assert.NotNull(held);
        File.WriteAllBytes(P("new.pdf"), [1, 2, 3]);
        File.Move(P("new.pdf"), P("doc.pdf"), overwrite: true);
        // The old version is still readable through the handle after the rename.
        var last = new byte[1];
        RandomAccess.Read(held, last, old.Length - 1);
        Assert.Equal(42, last[0]);
        Assert.Equal(3, new FileInfo(P("doc.pdf")).Length);

        ReplacedFiles.Free(held);
        ReplacedFiles.Drain();
        Assert.True(held.IsClosed);

        // A seal in place hands its input's old version to the same thread, which closes it.
        File.WriteAllBytes(P("doc.pdf"), PdfTestKit.ClassicPdf(1));
        await Seal(P("doc.pdf"), P("doc.pdf"), Rsa.Value);
        ReplacedFiles.Drain();
        _nss.AssertAllSignaturesValid(P("doc.pdf"));
        Assert.Equal(["doc.pdf"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Cross_page_seal_puts_one_widget_of_the_same_field_on_every_page()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(4));
        var png = PdfTestKit.Png(40, 40, 6, (x, y) => [200, 20, 20, (byte)((x + y) % 2 == 0 ? 255 : 0)]);
        var r = await Seal(P("in.pdf"), P("out.pdf"), Rsa.Value,
            new PdfSignOptions { CrossPage = true, SealImage = SealPng.Decode(png), Rect = new PdfSealRect(0, 300, 120, 120) });
        Assert.Equal(4, r.WidgetCount);
        AssertQpdfCheck(P("out.pdf"));
        _nss.AssertAllSignaturesValid(P("out.pdf"));
        AssertOurVerifierSaysValid(P("out.pdf"));

        using var f = PdfFile.Open(P("out.pdf"));
        var parents = new HashSet<int>();
        foreach (var page in f.GetPages())
        {
            var annots = (PdfArrayObj)f.Resolve(page.Dictionary.Get("Annots"))!;
            var widget = Assert.Single(annots.Items.Select(a => (PdfDictObj)f.Resolve(a)!), a => a.GetName("Subtype") == "Widget");
            parents.Add(((PdfRefObj)widget.Get("Parent")!).Number);
            var rect = ((PdfArrayObj)widget.Get("Rect")!).Items.Select(n => ((PdfNumObj)n).DoubleValue).ToArray();
            Assert.Equal(595, rect[2], 3);
            Assert.Equal(30, rect[2] - rect[0], 3);
            Assert.Equal(132L, ((PdfNumObj)widget.Get("F")!).LongValue);
        }
        Assert.Single(parents);
    }

    [Fact]
    public async Task Png_with_alpha_becomes_an_image_with_an_SMask()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        var png = PdfTestKit.Png(16, 8, 6, (x, y) => [(byte)(x * 16), (byte)(y * 32), 10, (byte)(x < 8 ? 255 : 80)]);
        await Seal(P("in.pdf"), P("out.pdf"), Rsa.Value, new PdfSignOptions { SealImage = SealPng.Decode(png) });
        AssertQpdfCheck(P("out.pdf"));
        _nss.AssertAllSignaturesValid(P("out.pdf"));

        using var f = PdfFile.Open(P("out.pdf"));
        var images = Enumerable.Range(1, f.MaxObjectNumber).Select(n => f.GetObject(n)).OfType<PdfStreamObj>()
            .Where(s => s.GetName("Subtype") == "Image").ToList();
        var rgb = Assert.Single(images, i => i.GetName("ColorSpace") == "DeviceRGB");
        var mask = (PdfStreamObj)f.Resolve(rgb.Get("SMask"))!;
        Assert.Equal(16 * 8 * 3, f.DecodeStream(rgb).Length);
        var alpha = f.DecodeStream(mask);
        Assert.Equal(255, alpha[0]);
        Assert.Equal(80, alpha[15]);
    }

    [Fact]
    public async Task Signing_failure_leaves_no_output_and_no_temporary_file()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        var signer = new PdfSigner(TimeProvider.System);
        var tooSmall = new PdfSignatureContent(64, (d, ct) => CadesSignatureBuilder.BuildAsync(d, Rsa.Value, null, ct));
        await Assert.ThrowsAsync<PdfSigningException>(() => signer.SignFileAsync(P("in.pdf"), P("out.pdf"), tooSmall, new PdfSignOptions()));
        Assert.Equal(["in.pdf"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Many_seals_at_once_with_one_identity_each_verify()
    {
        // The identity keeps its private-key objects between signatures, one per signature in
        // progress: seals running at the same time must never mix their signatures up.
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        var signer = new PdfSigner(TimeProvider.System);
        var content = await PdfSignatureContent.FromCadesAsync(Ecdsa.Value, null);
        var rsaContent = await PdfSignatureContent.FromCadesAsync(Rsa.Value, null);
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            signer.SignFileAsync(P("in.pdf"), P($"out-{i}.pdf"), i % 2 == 0 ? rsaContent : content,
                new PdfSignOptions { SignerName = $"Seal {i}", Reason = $"reason {i}" }))));
        Assert.Equal(12, results.Length);
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(1, _nss.AssertAllSignaturesValid(P($"out-{i}.pdf")));
            AssertOurVerifierSaysValid(P($"out-{i}.pdf"));
        }
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp").Concat(Directory.GetFiles(_dir, ".*")));
    }

    [Fact]
    public async Task A_rename_that_fails_leaves_no_temporary_file_and_the_old_output_untouched()
    {
        // The rename is the last step, after the fsync; its failure must reach the caller and clean
        // up. A folder where the output should be cannot be replaced by a file.
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        Directory.CreateDirectory(P("out.pdf"));
        File.WriteAllText(Path.Combine(P("out.pdf"), "keep.txt"), "kept");
        var error = await Record.ExceptionAsync(() => Seal(P("in.pdf"), P("out.pdf"), Rsa.Value));
        Assert.True(error is IOException or UnauthorizedAccessException, $"expected an I/O error, got {error}");
        Assert.Equal(["in.pdf"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(P("out.pdf"), "keep.txt")));
    }

    [Fact]
    public async Task A_document_certified_with_no_changes_allowed_is_refused()
    {
        File.WriteAllBytes(P("base.pdf"), PdfTestKit.ClassicPdf(1));
        using (var f = PdfFile.Open(P("base.pdf")))
        {
            var w = new PdfIncrementalWriter(f);
            var transform = new PdfDictObj().Set("Type", new PdfNameObj("SigRef")).Set("TransformMethod", new PdfNameObj("DocMDP"))
                .Set("TransformParams", new PdfDictObj().Set("P", new PdfNumObj(1)));
            var certSig = w.Add(new PdfDictObj().Set("Type", new PdfNameObj("Sig")).Set("Reference", new PdfArrayObj([transform])));
            var catalog = f.Catalog.Clone().Set("Perms", new PdfDictObj().Set("DocMDP", certSig));
            w.Set((PdfRefObj)f.Trailer.Get("Root")!, catalog);
            using var o = File.Create(P("in.pdf"));
            w.WriteTo(o);
        }
        var ex = await Assert.ThrowsAsync<PdfSigningException>(() => Seal(P("in.pdf"), P("out.pdf"), Rsa.Value));
        Assert.Contains("certified", ex.Message);
        Assert.False(File.Exists(P("out.pdf")));
    }

    // ------------------------------------------------------------------ CLI

    private static async Task<(int Exit, string Err)> Cli(params string[] args)
    {
        var (code, _, error) = await ConsoleCapture.RunAsync(["sign", .. args]);
        return (code, error);
    }

    private string[] SignArgs(string input, string output, string? password = "sample", params string[] extra)
        => ["--in", input, "--out", output, "--cert", Path.Combine(PdfTestKit.CertsDir, "sample-seal-rsa.pfx"), "--password", password!, .. extra];

    [Fact]
    public async Task Cli_certify_2_certifies_and_a_later_seal_keeps_the_certification_valid()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        var (exit, err) = await Cli(SignArgs(P("in.pdf"), P("certified.pdf"), "sample", "--certify", "2"));
        Assert.True(exit == 0, err);
        var (again, againErr) = await Cli(SignArgs(P("certified.pdf"), P("sealed.pdf")));
        Assert.True(again == 0, againErr);

        _nss.AssertAllSignaturesValid(P("sealed.pdf"));
        AssertOurVerifierSaysValid(P("sealed.pdf"));
        using (var f = PdfFile.Open(P("sealed.pdf")))
        {
            var perms = (PdfDictObj)f.Resolve(f.Catalog.Get("Perms"))!;
            var certification = (PdfDictObj)f.Resolve(perms.Get("DocMDP"))!;
            var transform = ((PdfArrayObj)f.Resolve(certification.Get("Reference"))!).Items.Select(i => f.Resolve(i)).OfType<PdfDictObj>().First();
            Assert.Equal(2, ((PdfNumObj)((PdfDictObj)transform.Get("TransformParams")!).Get("P")!).LongValue);
        }

        var (bad, badErr) = await Cli(SignArgs(P("in.pdf"), P("bad.pdf"), "sample", "--certify", "4"));
        Assert.Equal(2, bad);
        Assert.Contains("--certify must be 1, 2 or 3", badErr);
        var (twice, twiceErr) = await Cli(SignArgs(P("certified.pdf"), P("twice.pdf"), "sample", "--certify", "3"));
        Assert.Equal(2, twice);
        Assert.Contains("only the first signature", twiceErr);
        Assert.False(File.Exists(P("twice.pdf")));
    }

    [Fact]
    public async Task Cli_pss_signs_with_RSASSA_PSS_that_pdfsig_and_our_verifier_accept()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        var (exit, err) = await Cli(SignArgs(P("in.pdf"), P("out.pdf"), "sample", "--pss"));
        Assert.True(exit == 0, err);
        _nss.AssertAllSignaturesValid(P("out.pdf"));
        AssertOurVerifierSaysValid(P("out.pdf"));
        // The /Contents hex holds the CMS; id-RSASSA-PSS (1.2.840.113549.1.1.10) appears only when
        // the signer used PSS (the embedded CA certificates themselves are PKCS#1-signed).
        const string PssOid = "06092a864886f70d01010a";
        var (plainExit, plainErr) = await Cli(SignArgs(P("in.pdf"), P("plain.pdf")));
        Assert.True(plainExit == 0, plainErr);
        Assert.Contains(PssOid, System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(P("out.pdf"))), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(PssOid, System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(P("plain.pdf"))), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cli_pss_with_an_ECDSA_key_is_a_usage_error_and_writes_nothing()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        var (exit, err) = await Cli("--in", P("in.pdf"), "--out", P("out.pdf"), "--cert", Path.Combine(PdfTestKit.CertsDir, "sample-seal-ecdsa.pfx"), "--password", "sample", "--pss");
        Assert.Equal(2, exit);
        Assert.Contains("RSA", err);
        Assert.False(File.Exists(P("out.pdf")));
    }

    [Fact]
    public async Task Cli_signs_with_defaults_and_exits_0()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(2));
        var (exit, err) = await Cli(SignArgs(P("in.pdf"), P("out.pdf"), "sample", "--page", "2", "--reason", "合同 approval"));
        Assert.True(exit == 0, err);
        _nss.AssertAllSignaturesValid(P("out.pdf"));
        using var f = PdfFile.Open(P("out.pdf"));
        Assert.True(f.GetPages()[1].Dictionary.ContainsKey("Annots"));
        Assert.False(f.GetPages()[0].Dictionary.ContainsKey("Annots"));
    }

    [Fact]
    public async Task Cli_with_a_time_stamp_authority_makes_a_B_T_seal_pdfsig_accepts()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        using var tsaId = SigningIdentity.LoadPkcs12(Path.Combine(PdfTestKit.CertsDir, "sample-tsa.pfx"), "sample");
        await using var server = await TimestampServer.StartAsync(new TimestampAuthority(tsaId, TimeProvider.System), 0);
        var (exit, err) = await Cli(SignArgs(P("in.pdf"), P("out.pdf"), "sample", "--tsa", server.Url.ToString()));
        Assert.True(exit == 0, err);
        _nss.AssertAllSignaturesValid(P("out.pdf"));
        AssertOurVerifierSaysValid(P("out.pdf"));
    }

    [Fact]
    public async Task Cli_reports_an_unreachable_time_stamp_authority_with_exit_2()
    {
        File.WriteAllBytes(P("in.pdf"), PdfTestKit.ClassicPdf(1));
        // A loopback port that was free a moment ago: nothing listens there.
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var (exit, err) = await Cli(SignArgs(P("in.pdf"), P("out.pdf"), "sample", "--tsa", $"http://127.0.0.1:{port}/tsa"));
        Assert.Equal(2, exit);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(P("out.pdf")));
        Assert.Equal(["in.pdf"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("encrypted", "encrypted")]
    [InlineData("truncated", "truncated")]
    [InlineData("garbage", "not a PDF")]
    [InlineData("bad-png", "PNG")]
    [InlineData("page-out-of-range", "page 3 is out of range: the PDF has 2 pages")]
    [InlineData("wrong-password", "password")]
    [InlineData("expired-cert", "expired")]
    public async Task Cli_rejects_bad_input_with_exit_2_and_no_output(string kind, string messagePart)
    {
        var good = P("good.pdf");
        File.WriteAllBytes(good, PdfTestKit.ClassicPdf(2));
        var input = good;
        var extra = new List<string>();
        var password = "sample";
        var cert = Path.Combine(PdfTestKit.CertsDir, "sample-seal-rsa.pfx");
        switch (kind)
        {
            case "encrypted":
                input = P("enc.pdf");
                PdfTestKit.RunOk("qpdf", "--encrypt", "u", "o", "256", "--", good, input);
                break;
            case "truncated":
                input = P("trunc.pdf");
                var bytes = File.ReadAllBytes(good);
                File.WriteAllBytes(input, bytes[..(bytes.Length * 2 / 3)]);
                break;
            case "garbage":
                input = P("garbage.pdf");
                File.WriteAllBytes(input, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("this is not a pdf at all ", 200))));
                break;
            case "bad-png":
                File.WriteAllBytes(P("bad.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13, 1, 2, 3]);
                extra.AddRange(["--image", P("bad.png")]);
                break;
            case "page-out-of-range":
                extra.AddRange(["--page", "3"]);
                break;
            case "wrong-password":
                password = "nope";
                break;
            case "expired-cert":
                cert = Path.Combine(PdfTestKit.CertsDir, "sample-seal-expired.pfx");
                break;
        }
        var before = Directory.GetFiles(_dir).Order().ToArray();
        var (exit, err) = await Cli(["--in", input, "--out", P("out.pdf"), "--cert", cert, "--password", password, .. extra]);
        Assert.Equal(2, exit);
        Assert.Contains(messagePart, err, StringComparison.OrdinalIgnoreCase);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", err);
        Assert.False(File.Exists(P("out.pdf")));
        Assert.Equal(before, Directory.GetFiles(_dir).Order().ToArray());
    }
}

/// <summary>
/// The CLI tests swap Console.Error to read the verb's message; running them beside other
/// classes would mix in whatever those print, so this collection runs on its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCaptureCollection
{
    public const string Name = "PDF signer CLI (captures the console)";
}
