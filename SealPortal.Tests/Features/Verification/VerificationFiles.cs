using System.Text;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Validation;

namespace SealPortal.Tests.Features.Verification;

/// <summary>The portal with the sample root as its trust anchor and a small upload limit.</summary>
public sealed class VerificationPortal : SealPortalFactory
{
    public const long UploadLimit = 1024 * 1024;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Signing:TrustedRootsPath"] = Path.Combine(PdfTestKit.CertsDir, "sample-root-ca.crt"),
        ["Verification:MaxUploadBytes"] = UploadLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// A small PDF sealed by our <see cref="PdfSigner"/> with the sample RSA seal, and the variants an
/// auditor must tell apart: tampered inside the signed bytes, and changed by an appended revision.
/// </summary>
public static class VerificationFiles
{
    /// <summary>ClassicPdf(1) draws this rectangle in its page content (object 5).</summary>
    public const string PageContent = "0.2 0.4 0.8 rg 72 700 300 40 re f";

    private static readonly Lazy<Task<byte[]>> SealedOnce = new(SealAsync);

    public static Task<byte[]> SealedAsync() => SealedOnce.Value;

    private static async Task<byte[]> SealAsync()
    {
        using var identity = SigningIdentity.LoadPkcs12(Path.Combine(PdfTestKit.CertsDir, "sample-seal-rsa.pfx"), "sample", TimeProvider.System);
        using var source = PdfFile.Open(new MemoryStream(PdfTestKit.ClassicPdf(1)));
        using var output = new MemoryStream();
        await new PdfSigner(TimeProvider.System).SignAsync(source, output, await PdfSignatureContent.FromCadesAsync(identity, null),
            new PdfSignOptions { SignerName = "SAMPLE Company Seal (RSA)", Reason = "verification page test" });
        return output.ToArray();
    }

    /// <summary>One byte of the page content (inside the first signed range) changed: 300 becomes 400.</summary>
    public static byte[] Tampered(byte[] sealedPdf)
    {
        var copy = (byte[])sealedPdf.Clone();
        var at = Encoding.Latin1.GetString(copy).IndexOf(PageContent, StringComparison.Ordinal);
        Assert.True(at > 0);
        var digit = at + PageContent.IndexOf("300", StringComparison.Ordinal);
        Assert.Equal((byte)'3', copy[digit]);
        copy[digit] = (byte)'4';
        return copy;
    }

    /// <summary>A later revision replaces the page content with a different drawing.</summary>
    public static byte[] ChangedAfterSigning(byte[] sealedPdf)
    {
        const string content = "1 0 0 rg 72 500 300 40 re f";
        return AppendRevision.Append(sealedPdf, (5, $"<< /Length {content.Length} >>\nstream\n{content}\nendstream"));
    }
}
