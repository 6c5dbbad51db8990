using System.Text;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Signing;

/// <summary>
/// Issue 12 part 5, output that viewers and archives accept, checked with poppler (pdftoppm renders
/// the page, pdfsig checks the signature) and qpdf --check: PDF/A input is detected and the seal then
/// uses no font and, on PDF/A-1, no soft mask; /NeedAppearances true does not hide the seal; the
/// catalog declares the ESIC extension and every update gets a new second /ID element.
/// </summary>
public sealed class ViewerOutputTests : IDisposable
{
    private readonly string _dir = PdfTestKit.NewTempDir("viewer-output");

    public void Dispose() => Directory.Delete(_dir, true);

    private string F(string name) => Path.Combine(_dir, name);

    private const string Xmp1B =
        "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
        "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" pdfaid:part=\"1\" pdfaid:conformance=\"B\"/>" +
        "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";

    [Fact]
    public void The_PDF_A_claim_is_read_from_attributes_or_elements_under_any_prefix_and_only_from_its_namespace()
    {
        Assert.Equal(new PdfAIdentification(1, "B"), PdfAIdentification.Parse(Xmp1B));
        Assert.Equal(new PdfAIdentification(2, "U"), PdfAIdentification.Parse(
            "<rdf:Description xmlns:id=\"http://www.aiim.org/pdfa/ns/id/\"><id:part>2</id:part><id:conformance>u</id:conformance></rdf:Description>"));
        Assert.Null(PdfAIdentification.Parse("<rdf:Description xmlns:pdfaid=\"http://example.com/other/\" pdfaid:part=\"1\"/>"));
        Assert.Null(PdfAIdentification.Parse("<rdf:Description xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" pdfaid:part=\"9\"/>"));

        using var pdfa = PdfFile.Open(new MemoryStream(Pdf(metadata: Xmp1B)));
        Assert.Equal("PDF/A-1b", PdfAIdentification.Detect(pdfa)?.ToString());
        using var plain = PdfFile.Open(new MemoryStream(Pdf()));
        Assert.Null(PdfAIdentification.Detect(plain));
    }

    [Fact]
    public async Task On_PDF_A_1_the_seal_has_no_font_and_no_soft_mask_and_its_transparent_pixels_still_show_the_page()
    {
        var image = RoundSeal();
        var pdfa = await SealAsync(Pdf(metadata: Xmp1B), "pdfa.pdf", image, new PdfSealRect(200, 650, 100, 100));
        var vector = await SealAsync(Pdf(metadata: Xmp1B), "pdfa-vector.pdf", null, new PdfSealRect(200, 650, 100, 100));
        var plain = await SealAsync(Pdf(), "plain.pdf", image, new PdfSealRect(200, 650, 100, 100));
        var plainVector = await SealAsync(Pdf(), "plain-vector.pdf", null, new PdfSealRect(200, 650, 100, 100));

        // The update of a plain file keeps the soft mask and the (non-embedded) Helvetica; a PDF/A one has neither.
        Assert.Contains("/SMask", Update(plain));
        Assert.Contains("/Font", Update(plainVector));
        Assert.DoesNotContain("/SMask", Update(pdfa));
        Assert.Contains("/ImageMask true", Update(pdfa));
        Assert.DoesNotContain("/Font", Update(pdfa));
        Assert.DoesNotContain("/Font", Update(vector));

        foreach (var file in new[] { pdfa, vector, plain })
            CheckedByTools(file, signatures: 1);

        // Rendered: the seal's centre is its red, and a corner of its square, transparent in the
        // image (and green in its RGB), shows the blue bar of the page beneath.
        var page = Render(pdfa);
        Assert.True(IsRed(page.At(250, 700)), $"seal centre is {page.At(250, 700)}");
        Assert.True(IsBlue(page.At(203, 703)), $"masked corner is {page.At(203, 703)}");
        var plainPage = Render(plain);
        Assert.True(IsRed(plainPage.At(250, 700)));
        Assert.True(IsBlue(plainPage.At(203, 703)));
    }

    [Fact]
    public async Task NeedAppearances_true_does_not_hide_the_seal_in_poppler()
    {
        var sealedPath = await SealAsync(Pdf(needAppearances: true), "need.pdf", null, new PdfSealRect(100, 100, 150, 150));
        CheckedByTools(sealedPath, signatures: 1);
        Assert.True(RedPixels(Render(sealedPath), 100, 100, 150, 150) > 1000, "the seal is not drawn");

        // The same file with the flag put back to true in the seal's own update: poppler then draws
        // the signature field empty, which is what the check above would catch.
        var bytes = File.ReadAllBytes(sealedPath);
        var text = Encoding.Latin1.GetString(bytes);
        var at = text.LastIndexOf("/NeedAppearances false", StringComparison.Ordinal);
        Assert.True(at > 0, "the seal's update turns NeedAppearances off");
        Encoding.ASCII.GetBytes("/NeedAppearances true ").CopyTo(bytes, at);
        File.WriteAllBytes(F("need-flag-back.pdf"), bytes);
        Assert.Equal(0, RedPixels(Render(F("need-flag-back.pdf")), 100, 100, 150, 150));
    }

    [Fact]
    public async Task Each_update_declares_ESIC_once_and_changes_the_second_ID_element_keeping_the_first()
    {
        var once = await SealAsync(Pdf(), "once.pdf", null, null);
        var twice = await SealAsync(File.ReadAllBytes(once), "twice.pdf", null, new PdfSealRect(36, 36, 80, 80));
        CheckedByTools(twice, signatures: 2);

        using (var first = PdfFile.Open(File.OpenRead(once)))
        using (var second = PdfFile.Open(File.OpenRead(twice)))
        {
            foreach (var pdf in new[] { first, second })
            {
                var esic = (PdfDictObj)pdf.Resolve(((PdfDictObj)pdf.Resolve(pdf.Catalog.Get("Extensions"))!).Get("ESIC"))!;
                Assert.Equal("1.7", ((PdfNameObj)esic.Get("BaseVersion")!).Value);
                Assert.Equal(2, ((PdfNumObj)esic.Get("ExtensionLevel")!).LongValue);
            }
            var ids = new[] { OriginalId, Id(first), Id(second) };
            Assert.All(ids, id => Assert.Equal(OriginalId.First, id.First));
            Assert.Equal(3, ids.Select(id => id.Second).Distinct().Count());
        }
        // The second seal found the extension declared and left the catalog alone.
        Assert.Equal(1, Encoding.Latin1.GetString(File.ReadAllBytes(twice)).Split("/ESIC").Length - 1);
    }

    // ---- helpers ----

    private static readonly (string First, string Second) OriginalId = ("00112233445566778899AABBCCDDEEFF", "FFEEDDCCBBAA99887766554433221100");

    private static (string First, string Second) Id(PdfFile pdf)
    {
        var id = (PdfArrayObj)pdf.Trailer.Get("ID")!;
        return (Convert.ToHexString(((PdfStringObj)id.Items[0]).Bytes), Convert.ToHexString(((PdfStringObj)id.Items[1]).Bytes));
    }

    /// <summary>One A4 page with a blue bar (x 72–372, y 700–740), optionally XMP metadata and a form that asks for appearances.</summary>
    private static byte[] Pdf(string? metadata = null, bool needAppearances = false)
    {
        var objs = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R" + (metadata is null ? "" : " /Metadata 5 0 R") +
                (needAppearances ? " /AcroForm << /Fields [6 0 R] /NeedAppearances true /DA (/Helv 0 Tf 0 g) >>" : "") + " >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
            "<< /Type /Page /Parent 2 0 R /Contents 4 0 R" + (needAppearances ? " /Annots [6 0 R]" : "") + " >>",
            "<< /Length 31 >>\nstream\n0 0 1 rg 72 700 300 40 re f    \nendstream",
        };
        if (metadata is not null)
            objs.Add($"<< /Type /Metadata /Subtype /XML /Length {Encoding.UTF8.GetByteCount(metadata)} >>\nstream\n{metadata}\nendstream");
        if (needAppearances)
        {
            if (metadata is null) objs.Add("null");
            objs.Add("<< /FT /Tx /T (Name) /V (Alice) /Type /Annot /Subtype /Widget /Rect [72 600 272 620] /P 3 0 R /F 4 >>");
        }
        var sb = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        for (var i = 0; i < objs.Count; i++)
        {
            offsets.Add(Encoding.UTF8.GetByteCount(sb.ToString()));
            sb.Append($"{i + 1} 0 obj\n{objs[i]}\nendobj\n");
        }
        var xref = Encoding.UTF8.GetByteCount(sb.ToString());
        sb.Append($"xref\n0 {objs.Count + 1}\n0000000000 65535 f \n");
        foreach (var off in offsets) sb.Append($"{off:D10} 00000 n \n");
        sb.Append($"trailer\n<< /Size {objs.Count + 1} /Root 1 0 R /ID [<{OriginalId.First}> <{OriginalId.Second}>] >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>A red disc, opaque inside, transparent (and green, so a lost mask shows) outside.</summary>
    private static SealBitmap RoundSeal()
    {
        const int n = 100;
        var rgb = new byte[n * n * 3];
        var alpha = new byte[n * n];
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                var inside = (x - 49.5) * (x - 49.5) + (y - 49.5) * (y - 49.5) < 45 * 45;
                var i = y * n + x;
                (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = inside ? ((byte)220, (byte)20, (byte)20) : ((byte)0, (byte)200, (byte)0);
                alpha[i] = inside ? (byte)255 : (byte)0;
            }
        }
        return new SealBitmap(n, n, rgb, alpha);
    }

    private async Task<string> SealAsync(byte[] input, string name, SealBitmap? image, PdfSealRect? rect)
    {
        var inPath = F("in-" + name);
        File.WriteAllBytes(inPath, input);
        using var identity = SamplePki.Load("seal-rsa");
        await new PdfSigner(TimeProvider.System).SignFileAsync(inPath, F(name), await PdfSignatureContent.FromCadesAsync(identity, null),
            new PdfSignOptions { SignerName = "Viewer test", SealImage = image, Rect = rect });
        return F(name);
    }

    /// <summary>The bytes the last update added, as text (streams are compressed, but dictionaries are plain).</summary>
    private string Update(string path)
    {
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(path));
        var firstEof = text.IndexOf("%%EOF", StringComparison.Ordinal);
        return text[firstEof..];
    }

    private static void CheckedByTools(string path, int signatures)
    {
        var (qpdf, qOut, qErr) = PdfTestKit.Run("qpdf", "--check", path);
        Assert.True(qpdf == 0, $"qpdf --check {path}: {qpdf}\n{qOut}\n{qErr}");
        var (_, sOut, sErr) = PdfTestKit.Run("pdfsig", path);
        Assert.Equal(signatures, (sOut + sErr).Split("Signature is Valid").Length - 1);
    }

    private sealed record Raster(int Width, int Height, byte[] Rgb)
    {
        /// <summary>The pixel at a point of the page (72 dpi, so one pixel per point), y measured from the bottom.</summary>
        public (int R, int G, int B) At(int x, int y)
        {
            var row = Height - 1 - y;
            var i = (row * Width + x) * 3;
            return (Rgb[i], Rgb[i + 1], Rgb[i + 2]);
        }
    }

    private Raster Render(string pdf)
    {
        var prefix = F(Path.GetFileNameWithoutExtension(pdf) + "-render");
        var (code, o, e) = PdfTestKit.Run("pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-singlefile", pdf, prefix);
        Assert.True(code == 0, $"pdftoppm: {o}{e}");
        var ppm = File.ReadAllBytes(prefix + ".ppm");
        // P6 <w> <h> 255, whitespace-separated, then binary RGB.
        var fields = new List<string>();
        var pos = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)ppm[pos])) pos++;
            var start = pos;
            while (!char.IsWhiteSpace((char)ppm[pos])) pos++;
            fields.Add(Encoding.ASCII.GetString(ppm, start, pos - start));
        }
        pos++;
        Assert.Equal("P6", fields[0]);
        return new Raster(int.Parse(fields[1]), int.Parse(fields[2]), ppm[pos..]);
    }

    private static int RedPixels(Raster page, int x, int y, int w, int h)
    {
        var count = 0;
        for (var yy = y; yy < y + h; yy++)
            for (var xx = x; xx < x + w; xx++)
                if (IsRed(page.At(xx, yy))) count++;
        return count;
    }

    private static bool IsRed((int R, int G, int B) p) => p.R > 150 && p.G < 100 && p.B < 100;

    private static bool IsBlue((int R, int G, int B) p) => p.B > 150 && p.R < 100 && p.G < 100;
}
