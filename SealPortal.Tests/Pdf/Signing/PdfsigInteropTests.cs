using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SealPortal.Cli;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;

namespace SealPortal.Tests.Pdf.Signing;

/// <summary>
/// Both directions with poppler's pdfsig (NSS): our CMS inside a minimal hand-made signed PDF must be
/// valid and trusted for pdfsig, and the CMS pdfsig makes must be valid for our verifier. The
/// hand-made PDF is kept apart from the real incremental writer on purpose, so this checks
/// only the CMS.
/// </summary>
public sealed class PdfsigInteropTests : IDisposable
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

    [Fact]
    public void Our_verifier_accepts_the_CMS_that_pdfsig_makes_with_NSS()
    {
        var nss = NssDbTrustingSampleRoot();
        var r = SamplePki.Run("pk12util", "-i", SamplePki.Path_("sample-seal-rsa.pfx"), "-d", nss, "-W", SamplePki.Password, "-K", "");
        Assert.True(r.Code == 0, r.Output);
        // pdfsig adds its own signature field to this plain one-page file.
        var blank = "%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
            "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R/Size 4>>\n%%EOF\n";
        File.WriteAllText(F("raw.pdf"), blank);
        r = SamplePki.Run("qpdf", F("raw.pdf"), F("blank.pdf"));
        Assert.True(r.Code is 0 or 3, r.Output); // 3: repaired the missing xref, as intended
        r = SamplePki.Run("pdfsig", "-add-signature", "-nssdir", nss, "-nick", "sample-seal-rsa", F("blank.pdf"), F("nss.pdf"));
        Assert.True(File.Exists(F("nss.pdf")), r.Output);

        var pdf = File.ReadAllBytes(F("nss.pdf"));
        var signed = Encoding.Latin1.GetString(pdf);
        // The signature pdfsig added is the last one in the file.
        var br = Regex.Matches(signed, @"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")[^1];
        var range = br.Groups.Values.Skip(1).Select(g => int.Parse(g.Value)).ToArray();
        var hex = signed.Substring(range[1] + 1, range[2] - range[1] - 2);
        var cms = Convert.FromHexString(hex);
        byte[] Digest(HashAlgorithmName alg)
        {
            using var h = IncrementalHash.CreateHash(alg);
            h.AppendData(pdf, range[0], range[1]);
            h.AppendData(pdf, range[2], range[3]);
            return h.GetHashAndReset();
        }

        var v = CmsSignatureVerifier.Verify(cms, Digest, new CmsTrustOptions([SamplePki.Root()], DateTimeOffset.UtcNow));
        Assert.True(v.IsValid, string.Join("; ", v.Problems));
        Assert.Equal(HashAlgorithmName.SHA256, v.DigestAlgorithm);
        Assert.True(v.HasSignedAttributes);
        Assert.Contains("SAMPLE Company Seal (RSA)", v.SignerSubject);

        var changed = CmsSignatureVerifier.Verify(cms, alg => CryptographicOperations.HashData(alg, "not the document"u8), new CmsTrustOptions([SamplePki.Root()], DateTimeOffset.UtcNow));
        Assert.False(changed.DigestValid);
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
