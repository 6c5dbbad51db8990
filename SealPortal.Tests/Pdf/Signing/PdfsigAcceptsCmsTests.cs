using System.Security.Cryptography;
using System.Text;
using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Signing;

/// <summary>
/// Puts our CMS into a minimal hand-made signed PDF and asks poppler's pdfsig (NSS) whether the
/// signature is valid and the certificate trusted: an independent check of the CMS as a PDF
/// reader sees it, kept apart from the real incremental writer on purpose.
/// </summary>
public sealed class PdfsigAcceptsCmsTests : IDisposable
{
    private const int PlaceholderBytes = 24 * 1024;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("pdfsig-cms-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string F(string name) => Path.Combine(_dir.FullName, name);

    [Theory]
    [InlineData("seal-rsa", false)]
    [InlineData("seal-ecdsa", true)]
    public async Task Pdfsig_says_valid_and_trusted_and_notices_a_changed_byte(string key, bool withTimestamp)
    {
        using var seal = SamplePki.Load(key);
        using var tsaIdentity = SamplePki.Load("tsa");
        await using var tsaServer = withTimestamp ? await TimestampServer.StartAsync(new TimestampAuthority(tsaIdentity, TimeProvider.System), 0) : null;
        using var http = new HttpClient();
        var tsa = tsaServer is null ? null : new HttpTimestampClient(http, tsaServer.Url);

        var (pdf, byteRange) = MinimalPdfWithPlaceholder();
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            sha.AppendData(pdf, byteRange[0], byteRange[1]);
            sha.AppendData(pdf, byteRange[2], byteRange[3]);
            var cms = await CadesSignatureBuilder.BuildAsync(sha.GetHashAndReset(), seal, tsa, CancellationToken.None);
            Assert.True(cms.Length <= PlaceholderBytes);
            Encoding.ASCII.GetBytes(Convert.ToHexString(cms)).CopyTo(pdf, byteRange[1] + 1);
        }
        File.WriteAllBytes(F("signed.pdf"), pdf);

        var nss = NssDbTrustingSampleRoot();
        var (_, output) = SamplePki.Run("pdfsig", "-nssdir", nss, F("signed.pdf"));
        Assert.Contains("Signature is Valid", output);
        Assert.Contains("Certificate is Trusted", output);
        Assert.Contains("ETSI.CAdES.detached", output);

        // Change one byte inside the signed range (the page's MediaBox): pdfsig must notice.
        var text = Encoding.ASCII.GetString(pdf);
        pdf[text.IndexOf("842", StringComparison.Ordinal)] = (byte)'9';
        File.WriteAllBytes(F("changed.pdf"), pdf);
        (_, output) = SamplePki.Run("pdfsig", "-nssdir", nss, F("changed.pdf"));
        Assert.DoesNotContain("Signature is Valid", output);
    }

    private string NssDbTrustingSampleRoot()
    {
        var db = "sql:" + F("nssdb");
        Directory.CreateDirectory(F("nssdb"));
        var r = SamplePki.Run("certutil", "-N", "--empty-password", "-d", db);
        Assert.True(r.Code == 0, r.Output);
        r = SamplePki.Run("certutil", "-A", "-d", db, "-n", "sample-root", "-t", "CT,C,C", "-i", SamplePki.Path_("sample-root-ca.crt"));
        Assert.True(r.Code == 0, r.Output);
        return db;
    }

    /// <summary>One page, one signature field whose /Contents is a zero placeholder; returns the file and its /ByteRange.</summary>
    private static (byte[] Pdf, int[] ByteRange) MinimalPdfWithPlaceholder()
    {
        var objects = new[]
        {
            "<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[4 0 R]/SigFlags 3>>>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>",
            "<</Type/Annot/Subtype/Widget/FT/Sig/T(SealSample)/Rect[0 0 0 0]/F 132/P 3 0 R/V 5 0 R>>",
            "<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M(D:20261123120000Z)" +
            "/ByteRange[0 0000000000 0000000000 0000000000]/Contents<" + new string('0', PlaceholderBytes * 2) + ">>>",
        };
        var sb = new StringBuilder("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(sb.ToString()));
            sb.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = Encoding.Latin1.GetByteCount(sb.ToString());
        sb.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets)
            sb.Append($"{o:D10} 00000 n \n");
        sb.Append($"trailer\n<</Size {objects.Length + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n");
        var pdf = Encoding.Latin1.GetBytes(sb.ToString());

        var text = Encoding.Latin1.GetString(pdf);
        var lt = text.IndexOf("/Contents<", StringComparison.Ordinal) + "/Contents".Length;
        var gt = text.IndexOf('>', lt) + 1;
        int[] range = [0, lt, gt, pdf.Length - gt];
        var brText = $"{range[0]} {range[1],10} {range[2],10} {range[3],10}";
        var brAt = text.IndexOf("/ByteRange[", StringComparison.Ordinal) + "/ByteRange[".Length;
        Encoding.ASCII.GetBytes(brText).CopyTo(pdf, brAt);
        return (pdf, range);
    }
}
