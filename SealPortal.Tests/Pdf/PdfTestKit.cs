using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace SealPortal.Tests.Pdf;

/// <summary>Shared helpers for the PDF engine tests: repo paths, external tools, input producers.</summary>
public static class PdfTestKit
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string CertsDir => Path.Combine(RepoRoot, "certs-sample");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SealPortal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SealPortal.sln not found above " + AppContext.BaseDirectory);
    }

    public static string NewTempDir(string prefix)
    {
        var d = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    public static (int Exit, string Out, string Err) Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in 60 s");
        }
        return (p.ExitCode, so.Result, se.Result);
    }

    public static void RunOk(string exe, params string[] args)
    {
        var (exit, o, e) = Run(exe, args);
        // qpdf exits 3 for "succeeded with warnings", which is fine for producing inputs.
        Assert.True(exit == 0 || exe == "qpdf" && exit == 3, $"{exe} {string.Join(' ', args)} -> {exit}\n{o}\n{e}");
    }

    /// <summary>
    /// A classic-xref PDF written byte by byte: <paramref name="pages"/> pages with a little
    /// content, a header version of choice, optionally an AcroForm with a text field.
    /// </summary>
    public static byte[] ClassicPdf(int pages, string version = "1.7", bool withAcroForm = false, int rotate = 0)
    {
        var objs = new List<string>();
        var kids = string.Join(" ", Enumerable.Range(0, pages).Select(i => $"{4 + 2 * i} 0 R"));
        var firstFree = 4 + 2 * pages;
        objs.Add(withAcroForm
            ? $"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{firstFree} 0 R] /DA (/Helv 0 Tf 0 g) >> >>"
            : "<< /Type /Catalog /Pages 2 0 R >>");
        objs.Add($"<< /Type /Pages /Kids [{kids}] /Count {pages} /MediaBox [0 0 595 842] >>");
        objs.Add("<< /Producer (SealPortal tests) /Title (Sample \\(with parens\\)) >>");
        for (var i = 0; i < pages; i++)
        {
            var annots = withAcroForm && i == 0 ? $" /Annots [{firstFree} 0 R]" : "";
            objs.Add($"<< /Type /Page /Parent 2 0 R /Contents {5 + 2 * i} 0 R{annots}{(rotate != 0 ? $" /Rotate {rotate}" : "")} >>");
            var content = $"0.2 0.4 0.8 rg 72 {700 - i % 10 * 20} 300 40 re f";
            objs.Add($"<< /Length {content.Length} >>\nstream\n{content}\nendstream");
        }
        if (withAcroForm)
            objs.Add("<< /FT /Tx /T (Name) /V (Alice) /Type /Annot /Subtype /Widget /Rect [72 600 272 620] /P 4 0 R /F 4 >>");
        var sb = new StringBuilder();
        sb.Append($"%PDF-{version}\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        foreach (var (o, i) in objs.Select((o, i) => (o, i)))
        {
            offsets.Add(Encoding.Latin1.GetByteCount(sb.ToString()));
            sb.Append($"{i + 1} 0 obj\n{o}\nendobj\n");
        }
        var xref = Encoding.Latin1.GetByteCount(sb.ToString());
        sb.Append($"xref\n0 {objs.Count + 1}\n0000000000 65535 f \n");
        foreach (var off in offsets) sb.Append($"{off:D10} 00000 n \n");
        sb.Append($"trailer\n<< /Size {objs.Count + 1} /Root 1 0 R /Info 3 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    /// <summary>
    /// A hybrid-reference file (PDF 1.5): a classic table for readers of old, and an /XRefStm
    /// stream that alone knows object 4 (the /Info), stored in an object stream.
    /// </summary>
    public static byte[] HybridPdf()
    {
        var sb = new MemoryStream();
        void W(string s) => sb.Write(Encoding.Latin1.GetBytes(s));
        var off = new long[8];
        W("%PDF-1.5\n");
        off[1] = sb.Position; W("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        off[2] = sb.Position; W("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        off[3] = sb.Position; W("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n");
        var objstmBody = "4 0 << /Title (Hybrid) >>";
        off[5] = sb.Position; W($"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length {objstmBody.Length} >>\nstream\n{objstmBody}\nendstream\nendobj\n");
        off[6] = sb.Position;
        var xs = new byte[] { 2, 0, 5, 0, 1, (byte)(off[5] >> 8), (byte)off[5], 0 };
        W($"6 0 obj\n<< /Type /XRef /Size 7 /W [1 2 1] /Index [4 2] /Length {xs.Length} >>\nstream\n");
        sb.Write(xs);
        W("\nendstream\nendobj\n");
        var xref = sb.Position;
        W("xref\n0 4\n0000000000 65535 f \n");
        for (var i = 1; i <= 3; i++) W($"{off[i]:D10} 00000 n \n");
        W($"5 2\n{off[5]:D10} 00000 n \n{off[6]:D10} 00000 n \n");
        W($"trailer\n<< /Size 7 /Root 1 0 R /Info 4 0 R /XRefStm {off[6]} >>\nstartxref\n{xref}\n%%EOF\n");
        return sb.ToArray();
    }

    /// <summary>
    /// A few pages written by PDFsharp, the producer many .NET shops use. The test project pins
    /// 6.2.4, the last MIT release; the portal itself does not reference PDFsharp.
    /// </summary>
    public static void PdfSharpPdf(string path, int pages)
    {
        using var doc = new PdfSharp.Pdf.PdfDocument();
        doc.Info.Title = "PDFsharp input";
        for (var i = 0; i < pages; i++)
        {
            var page = doc.AddPage();
            using var g = PdfSharp.Drawing.XGraphics.FromPdfPage(page);
            g.DrawRectangle(PdfSharp.Drawing.XBrushes.SteelBlue, 72, 100 + i * 20, 200, 80);
            g.DrawLine(PdfSharp.Drawing.XPens.DarkRed, 72, 300, 400, 300 + i * 10);
        }
        doc.Save(path);
    }

    /// <summary>
    /// A few pages made by MuPDF's `mutool create` (another producer: its own xref layout, a
    /// font resource, mixed page sizes).
    /// </summary>
    public static void MutoolPdf(string path, int pages)
    {
        var dir = Path.GetDirectoryName(path)!;
        var files = new List<string>();
        for (var i = 0; i < pages; i++)
        {
            var f = Path.Combine(dir, $"mutool-page-{i}.txt");
            var box = i % 2 == 0 ? "0 0 595 842" : "0 0 842 595";
            File.WriteAllText(f, $"%%MediaBox {box}\n%%Font F1 Helvetica\n0 0.3 0.8 rg 72 {300 + i * 20} 200 80 re f\nBT /F1 24 Tf 72 500 Td (Page {i + 1}) Tj ET\n");
            files.Add(f);
        }
        RunOk("mutool", ["create", "-o", path, .. files]);
    }

    /// <summary>Encodes a PNG (color type 2/6/0/4/3 at 8 bits) cycling through all five row filters.</summary>
    public static byte[] Png(int width, int height, int colorType, Func<int, int, byte[]> pixel, byte[]? palette = null, byte[]? trns = null)
    {
        var channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new ArgumentException() };
        var rowLen = width * channels;
        var raw = new byte[height * (rowLen + 1)];
        var prev = new byte[rowLen];
        for (var y = 0; y < height; y++)
        {
            var cur = new byte[rowLen];
            for (var x = 0; x < width; x++) pixel(x, y).CopyTo(cur, x * channels);
            var filter = y % 5;
            raw[y * (rowLen + 1)] = (byte)filter;
            for (var i = 0; i < rowLen; i++)
            {
                int a = i >= channels ? cur[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
                var pred = filter switch
                {
                    0 => 0, 1 => a, 2 => b, 3 => (a + b) >> 1,
                    _ => Math.Abs(b - c) <= Math.Abs(a - c) && Math.Abs(b - c) <= Math.Abs(a + b - 2 * c) ? a : Math.Abs(a - c) <= Math.Abs(a + b - 2 * c) ? b : c,
                };
                raw[y * (rowLen + 1) + 1 + i] = (byte)(cur[i] - pred);
            }
            prev = cur;
        }
        var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = (byte)colorType;
        Chunk(ms, "IHDR", ihdr);
        if (palette is not null) Chunk(ms, "PLTE", palette);
        if (trns is not null) Chunk(ms, "tRNS", trns);
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Fastest, true)) zs.Write(raw);
        Chunk(ms, "IDAT", z.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var td = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(td);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc32(td));
        s.Write(len);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}

/// <summary>
/// One NSS database for the whole test run: the sample root trusted for signing, the
/// intermediate known (pdfsig 22.12 otherwise reports "Unknown issue" for the second signature
/// made with the same chain), and the RSA seal's key for `pdfsig -add-signature`.
/// </summary>
public sealed class NssDbFixture : IDisposable
{
    public NssDbFixture()
    {
        Dir = PdfTestKit.NewTempDir("nssdb");
        var db = "sql:" + Dir;
        PdfTestKit.RunOk("certutil", "-N", "--empty-password", "-d", db);
        PdfTestKit.RunOk("certutil", "-A", "-d", db, "-n", "sample-root", "-t", "CT,C,C", "-i", Path.Combine(PdfTestKit.CertsDir, "sample-root-ca.crt"));
        PdfTestKit.RunOk("certutil", "-A", "-d", db, "-n", "sample-intermediate", "-t", ",,", "-i", Path.Combine(PdfTestKit.CertsDir, "sample-intermediate-ca.crt"));
        PdfTestKit.RunOk("pk12util", "-i", Path.Combine(PdfTestKit.CertsDir, "sample-seal-rsa.pfx"), "-d", db, "-W", "sample", "-K", "");
    }

    public string Dir { get; }
    public string Db => "sql:" + Dir;

    /// <summary>pdfsig's report; asserts every signature is valid and trusted and returns their count.</summary>
    public int AssertAllSignaturesValid(string pdf)
    {
        var (_, o, e) = PdfTestKit.Run("pdfsig", "-nssdir", Db, pdf);
        var count = o.Split('\n').Count(l => l.StartsWith("Signature #", StringComparison.Ordinal));
        var valid = o.Split('\n').Count(l => l.Contains("Signature Validation: Signature is Valid.", StringComparison.Ordinal));
        var trusted = o.Split('\n').Count(l => l.Contains("Certificate Validation: Certificate is Trusted.", StringComparison.Ordinal));
        Assert.True(count > 0, $"pdfsig found no signature in {pdf}\n{o}\n{e}");
        Assert.True(count == valid && count == trusted, $"pdfsig on {pdf}:\n{o}\n{e}");
        return count;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
