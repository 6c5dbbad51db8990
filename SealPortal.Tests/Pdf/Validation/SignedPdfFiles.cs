using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>
/// Signed PDFs made once per test run by tools that are not ours: qpdf writes the unsigned
/// base, mutool and poppler's pdfsig sign it with the sample certificates in certs-sample/.
/// A verifier that agrees with them on these files and disagrees on the tampered variants
/// is checked against independent implementations, not against itself.
/// </summary>
public sealed class SignedPdfFiles : IDisposable
{
    public const string Password = "sample";

    public string Dir { get; }
    public string CertsDir { get; }
    public string NssDb { get; }
    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }

    /// <summary>One page, two empty signature fields "SealA" and "SealB", no signature.</summary>
    public string Unsigned { get; }
    /// <summary>mutool, RSA, field SealA.</summary>
    public string MutoolRsa { get; }
    /// <summary>mutool, ECDSA P-256, field SealA.</summary>
    public string MutoolEcdsa { get; }
    /// <summary>pdfsig, RSA, a new field "PopplerSeal" on a file without fields.</summary>
    public string PdfsigRsa { get; }
    /// <summary>mutool ECDSA on SealA, then mutool RSA on SealB in a second revision.</summary>
    public string TwoSeals { get; }
    /// <summary>mutool ECDSA on SealA, then pdfsig RSA on a new field in a second revision.</summary>
    public string MixedTools { get; }
    public string Expired { get; }
    public string Untrusted { get; }

    public SignedPdfFiles()
    {
        Dir = Directory.CreateTempSubdirectory("sealportal-verify-").FullName;
        CertsDir = PdfTestKit.CertsDir;
        Root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(CertsDir, "sample-root-ca.crt"));
        Intermediate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(CertsDir, "sample-intermediate-ca.crt"));

        NssDb = Path.Combine(Dir, "nss");
        Directory.CreateDirectory(NssDb);
        ExternalTool.Check("certutil", ["-N", "--empty-password", "-d", "sql:" + NssDb]);
        ExternalTool.Check("certutil", ["-A", "-d", "sql:" + NssDb, "-n", "sample-root", "-t", "CT,C,C", "-i", Path.Combine(CertsDir, "sample-root-ca.crt")]);
        ExternalTool.Check("pk12util", ["-i", Pfx("rsa"), "-d", "sql:" + NssDb, "-W", Password, "-K", ""]);

        Unsigned = MakeBase("base-fields.pdf", withFields: true);
        var plain = MakeBase("base-plain.pdf", withFields: false);

        MutoolRsa = MutoolSign(Unsigned, "SealA", "rsa", "mutool-rsa.pdf");
        MutoolEcdsa = MutoolSign(Unsigned, "SealA", "ecdsa", "mutool-ecdsa.pdf");
        Expired = MutoolSign(Unsigned, "SealA", "expired", "mutool-expired.pdf");
        Untrusted = MutoolSign(Unsigned, "SealA", "untrusted", "mutool-untrusted.pdf");
        TwoSeals = MutoolSign(MutoolEcdsa, "SealB", "rsa", "mutool-two-seals.pdf");
        PdfsigRsa = PdfsigSign(plain, "PopplerSeal", "pdfsig-rsa.pdf");
        MixedTools = PdfsigSign(MutoolEcdsa, "PopplerSeal", "mixed-tools.pdf");
    }

    public string Pfx(string kind) => Path.Combine(CertsDir, $"sample-seal-{kind}.pfx");

    public string PathIn(string name) => Path.Combine(Dir, name);

    /// <summary>Writes bytes to a new file in the fixture folder and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        var p = PathIn(name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    /// <summary>What pdfsig says about each signature: true for "Signature is Valid.".</summary>
    public IReadOnlyList<bool> PdfsigVerdicts(string pdf)
    {
        var r = ExternalTool.Run("pdfsig", ["-nssdir", "sql:" + NssDb, pdf]);
        return Regex.Matches(r.StdOut, @"Signature Validation: (.*)")
            .Select(m => m.Groups[1].Value.Trim() == "Signature is Valid.").ToList();
    }

    /// <summary>Everything pdfsig prints about the file's signatures (NSS db trusting the sample root).</summary>
    public string PdfsigOutput(string pdf) => ExternalTool.Run("pdfsig", ["-nssdir", "sql:" + NssDb, pdf]).StdOut;

    /// <summary>pdfsig's "Signature Validation" per signed field name: true for "Signature is Valid.".</summary>
    public IReadOnlyDictionary<string, bool> PdfsigVerdictsByField(string pdf)
    {
        var r = ExternalTool.Run("pdfsig", ["-nssdir", "sql:" + NssDb, pdf]);
        return Regex.Matches(r.StdOut, @"Signature Field Name: (.*)\n(?:(?!Signature #).*\n)*?\s*- Signature Validation: (.*)")
            .ToDictionary(m => m.Groups[1].Value.Trim(), m => m.Groups[2].Value.Trim() == "Signature is Valid.");
    }

    private string MakeBase(string name, bool withFields)
    {
        // Hand-written objects without offsets; qpdf rebuilds the cross-reference table, so the
        // base file's structure comes from qpdf, not from our own writer.
        var content = "BT /F1 24 Tf 72 720 Td (SealPortal verifier test page) Tj ET";
        var sb = new StringBuilder("%PDF-1.7\n");
        if (withFields)
        {
            sb.Append("1 0 obj<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R 7 0 R]/SigFlags 3>>>>endobj\n");
            sb.Append("3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[6 0 R 7 0 R]>>endobj\n");
            sb.Append("6 0 obj<</FT/Sig/T(SealA)/Type/Annot/Subtype/Widget/Rect[0 0 0 0]/F 132/P 3 0 R>>endobj\n");
            sb.Append("7 0 obj<</FT/Sig/T(SealB)/Type/Annot/Subtype/Widget/Rect[0 0 0 0]/F 132/P 3 0 R>>endobj\n");
        }
        else
        {
            sb.Append("1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n");
            sb.Append("3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n");
        }
        sb.Append("2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n");
        sb.Append($"4 0 obj<</Length {content.Length}>>stream\n{content}\nendstream endobj\n");
        sb.Append("5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n");
        sb.Append("trailer<</Root 1 0 R>>\n%%EOF\n");
        var raw = Write("raw-" + name, Encoding.Latin1.GetBytes(sb.ToString()));
        var output = PathIn(name);
        // qpdf exits 3 for "succeeded with warnings": the missing xref it had to rebuild.
        ExternalTool.Check("qpdf", ["--object-streams=disable", raw, output], 3);
        return output;
    }

    private string MutoolSign(string input, string field, string kind, string name)
    {
        var objectNumber = FindFieldObject(input, field);
        var output = PathIn(name);
        // mutool 1.21 now and then writes an ECDSA signature that does not decode (pdfsig then
        // reports "Unknown Validation Failure" too); such a file is the tool's slip, not a
        // fixture, so it is made again until poppler accepts the new signature.
        for (var attempt = 1; ; attempt++)
        {
            File.Delete(output);
            ExternalTool.Check("mutool", ["sign", "-s", Pfx(kind), "-P", Password, "-o", output, input, objectNumber.ToString()]);
            if (PdfsigVerdicts(output) is [.., true]) return output;
            if (attempt == 8)
                throw new InvalidOperationException($"mutool made no signature of {name} that pdfsig accepts");
        }
    }

    private string PdfsigSign(string input, string field, string name)
    {
        var output = PathIn(name);
        ExternalTool.Check("pdfsig", ["-add-signature", "-nssdir", "sql:" + NssDb, "-nick", "sample-seal-rsa", "-new-signature-field-name", field, input, output]);
        return output;
    }

    /// <summary>The object number of the field dictionary whose /T is <paramref name="field"/> (qpdf writes one object per line group).</summary>
    private static int FindFieldObject(string pdf, string field)
    {
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(pdf));
        var matches = Regex.Matches(text, @"(\d+) 0 obj\s*<<(?:(?!endobj).)*?/T \(" + Regex.Escape(field) + @"\)", RegexOptions.Singleline);
        if (matches.Count == 0)
            matches = Regex.Matches(text, @"(\d+) 0 obj\s*<<(?:(?!endobj).)*?/T\(" + Regex.Escape(field) + @"\)", RegexOptions.Singleline);
        if (matches.Count == 0)
            throw new InvalidOperationException($"no field {field} in {pdf}");
        return int.Parse(matches[^1].Groups[1].Value);
    }

    public void Dispose()
    {
        // Set SEALPORTAL_KEEP_TEST_FILES=1 to inspect the generated files after a failure.
        if (Environment.GetEnvironmentVariable("SEALPORTAL_KEEP_TEST_FILES") == "1") return;
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class SignedPdfCollection : ICollectionFixture<SignedPdfFiles>
{
    public const string Name = "Signed PDFs made by independent tools";
}
