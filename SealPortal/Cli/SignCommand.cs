using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Features.Seals.Imaging;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;

namespace SealPortal.Cli;

/// <summary>
/// <c>sign</c>: applies a visible PAdES seal to a PDF as an incremental update.
/// Exit 0 on success, 2 with one line on stderr for anything the user can fix.
/// </summary>
public static class SignCommand
{
    public const string Usage =
        "usage: sign --in IN.pdf --out OUT.pdf --cert SEAL.pfx --password PW [--image SEAL.png] [--page N]\n" +
        "            [--rect x,y,w,h] [--reason TEXT] [--location TEXT] [--tsa URL] [--cross-page] [--pss]\n" +
        "  --page      page that receives the seal, 1-based (default 1)\n" +
        "  --rect      seal rectangle in points, from the bottom-left corner of the page as displayed\n" +
        "              (default 110x110, 36 pt from the bottom-right corner of the page)\n" +
        "  --image     PNG seal image (alpha is kept); without it a red vector seal with the certificate's name\n" +
        "  --cross-page  骑缝章: one vertical slice of the seal on the right edge of every page\n" +
        "              (--rect then gives the whole seal's width/height and its y; default centred vertically)\n" +
        "  --tsa       RFC 3161 time-stamp authority URL (PAdES B-T)\n" +
        "  --pss       RSA keys sign with RSASSA-PSS instead of PKCS#1 v1.5";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var a = CliArgs.Parse(args, new HashSet<string> { "cross-page", "pss" });
        var input = a.Require("in");
        var output = a.Require("out");
        var certPath = a.Require("cert");
        var password = a.Require("password");
        var page = 1;
        if (a.Get("page") is { } p && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
            throw new CliUsageException($"--page must be a positive whole number, not '{p}'");
        PdfSealRect? rect = null;
        if (a.Get("rect") is { } r) rect = ParseRect(r);
        Uri? tsaUrl = null;
        if (a.Get("tsa") is { } t && (!Uri.TryCreate(t, UriKind.Absolute, out tsaUrl) || tsaUrl.Scheme is not ("http" or "https")))
            throw new CliUsageException($"--tsa must be an http(s) URL, not '{t}'");
        if (!File.Exists(input)) throw new CliUsageException($"input file '{input}' does not exist");
        var outDir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outDir is null || !Directory.Exists(outDir)) throw new CliUsageException($"the output folder '{outDir}' does not exist");
        if (Directory.Exists(output)) throw new CliUsageException($"--out '{output}' is a folder; give a file name");

        try
        {
            SealBitmap? image = null;
            if (a.Get("image") is { } imagePath)
            {
                byte[] png;
                try { png = await File.ReadAllBytesAsync(imagePath); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new SealImageException($"cannot read the seal image '{imagePath}': {e.Message}");
                }
                image = SealPng.Decode(png);
            }
            using var identity = SigningIdentity.LoadPkcs12(certPath, password, TimeProvider.System);
            if (a.Flag("pss"))
            {
                if (identity.KeyAlgorithm != "RSA")
                    throw new CliUsageException($"--pss needs an RSA key; this certificate has an {identity.KeyAlgorithm} key");
                identity.RsaPadding = System.Security.Cryptography.RSASignaturePadding.Pss;
            }
            using var http = tsaUrl is null ? null : new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var tsa = tsaUrl is null ? null : new HttpTimestampClient(http!, tsaUrl);
            var signer = new PdfSigner(TimeProvider.System);
            var options = new PdfSignOptions
            {
                Page = page,
                Rect = rect,
                Reason = a.Get("reason"),
                Location = a.Get("location"),
                SignerName = identity.Certificate.GetNameInfo(X509NameType.SimpleName, false),
                SealImage = image,
                CrossPage = a.Flag("cross-page"),
            };
            var result = await signer.SignFileAsync(input, output, PdfSignatureContent.FromCades(identity, tsa), options);
            Console.WriteLine($"signed {output}: field {result.FieldName}, {result.WidgetCount} widget(s), {result.OutputLength} bytes");
            return 0;
        }
        catch (Exception e) when (e is PdfFormatException or PdfSigningException or SealImageException
                                      or SigningIdentityException or TimestampException)
        {
            throw new CliUsageException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot read '{input}' or write '{output}': {e.Message}");
        }
    }

    private static PdfSealRect ParseRect(string s)
    {
        var parts = s.Split(',');
        var v = new double[4];
        if (parts.Length != 4 || parts.Select((x, i) => double.TryParse(x.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out v[i])).Any(ok => !ok)
            || v[2] <= 0 || v[3] <= 0 || v.Any(d => !double.IsFinite(d)))
            throw new CliUsageException($"--rect must be x,y,w,h in points with positive w and h, not '{s}'");
        return new PdfSealRect(v[0], v[1], v[2], v[3]);
    }
}
