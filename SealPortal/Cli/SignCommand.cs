using System.CommandLine;
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
    /// <summary>What the command line asked for, before it is checked.</summary>
    private sealed record Request(string Input, string Output, string CertPath, string Password, string? ImagePath, string? Page,
        string? Rect, string? Reason, string? Location, string? Tsa, bool CrossPage, bool Pss, string? Certify,
        string? Level, string? Ocsp, IReadOnlyList<string> Crls);

    public static Command Create()
    {
        var input = Required("--in", "IN.pdf", "the PDF to seal");
        var output = Required("--out", "OUT.pdf", "where the sealed PDF is written (may be IN.pdf itself)");
        var cert = Required("--cert", "SEAL.pfx", "the seal's PKCS#12 file (certificate and private key)");
        var password = Required("--password", "PW", "the PKCS#12 file's password");
        var image = Optional("--image", "SEAL.png", "PNG seal image (alpha is kept); without it a red vector seal with the certificate's name");
        var page = Optional("--page", "N", "page that receives the seal, 1-based (default 1)");
        var rect = Optional("--rect", "x,y,w,h",
            "seal rectangle in points, from the bottom-left corner of the page as displayed (default 110x110, 36 pt from the bottom-right corner)");
        var reason = Optional("--reason", "TEXT", "the signature's /Reason");
        var location = Optional("--location", "TEXT", "the signature's /Location");
        var tsa = Optional("--tsa", "URL", "RFC 3161 time-stamp authority URL (PAdES B-T)");
        var crossPage = new Option<bool>("--cross-page")
        {
            Description = "骑缝章: one vertical slice of the seal on the right edge of every page (--rect then gives the whole seal's width/height and its y; default centred vertically)",
        };
        var pss = new Option<bool>("--pss") { Description = "RSA keys sign with RSASSA-PSS instead of PKCS#1 v1.5" };
        var certify = Optional("--certify", "1|2|3",
            "certify the document (first signature only): 1 no changes afterwards, 2 form filling and signing, 3 also annotations");
        var level = Optional("--level", "B-B|B-T|B-LT|B-LTA",
            "PAdES level (default B-T with --tsa, else B-B); B-LT and B-LTA need --tsa and revocation data from --ocsp and/or --crl");
        var ocsp = Optional("--ocsp", "URL", "OCSP responder asked about every certificate (without it: the one each certificate names)");
        var crl = new Option<string[]>("--crl") { HelpName = "FILE", Description = "CRL file(s), asked after OCSP", AllowMultipleArgumentsPerToken = false };
        var command = new Command("sign", "Apply a visible PAdES seal to a PDF as an incremental update.")
        {
            input, output, cert, password, image, page, rect, reason, location, tsa, crossPage, pss, certify, level, ocsp, crl,
        };
        command.SetAction((p, ct) => RunAsync(new Request(p.GetRequiredValue(input), p.GetRequiredValue(output), p.GetRequiredValue(cert),
            p.GetRequiredValue(password), p.GetValue(image), p.GetValue(page), p.GetValue(rect), p.GetValue(reason), p.GetValue(location),
            p.GetValue(tsa), p.GetValue(crossPage), p.GetValue(pss), p.GetValue(certify), p.GetValue(level), p.GetValue(ocsp), p.GetValue(crl) ?? []), ct));
        return command;
    }

    private static Option<string> Required(string name, string helpName, string description) =>
        new(name) { Required = true, HelpName = helpName, Description = description };

    private static Option<string?> Optional(string name, string helpName, string description) =>
        new(name) { HelpName = helpName, Description = description };

    private static async Task<int> RunAsync(Request a, CancellationToken ct)
    {
        var (input, output, certPath, password) = (a.Input, a.Output, a.CertPath, a.Password);
        var page = 1;
        if (a.Page is { } p && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
            throw new CliUsageException($"--page must be a positive whole number, not '{p}'");
        int? certify = null;
        if (a.Certify is { } c)
            certify = c is "1" or "2" or "3" ? c[0] - '0' : throw new CliUsageException($"--certify must be 1, 2 or 3, not '{c}'");
        PdfSealRect? rect = null;
        if (a.Rect is { } r) rect = ParseRect(r);
        Uri? tsaUrl = null;
        if (a.Tsa is { } t && (!Uri.TryCreate(t, UriKind.Absolute, out tsaUrl) || tsaUrl.Scheme is not ("http" or "https")))
            throw new CliUsageException($"--tsa must be an http(s) URL, not '{t}'");
        var level = tsaUrl is null ? PadesLevel.BB : PadesLevel.BT;
        if (a.Level is { } l && !PadesLevels.TryParse(l, out level))
            throw new CliUsageException($"--level must be B-B, B-T, B-LT or B-LTA, not '{l}'");
        if (level >= PadesLevel.BT && tsaUrl is null)
            throw new CliUsageException($"--level {level.Name()} needs a time-stamp authority (--tsa URL)");
        Uri? ocspUrl = null;
        if (a.Ocsp is { } o && (!Uri.TryCreate(o, UriKind.Absolute, out ocspUrl) || ocspUrl.Scheme is not ("http" or "https")))
            throw new CliUsageException($"--ocsp must be an http(s) URL, not '{o}'");
        if (!File.Exists(input)) throw new CliUsageException($"input file '{input}' does not exist");
        var outDir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outDir is null || !Directory.Exists(outDir)) throw new CliUsageException($"the output folder '{outDir}' does not exist");
        if (Directory.Exists(output)) throw new CliUsageException($"--out '{output}' is a folder; give a file name");

        try
        {
            SealBitmap? image = null;
            if (a.ImagePath is { } imagePath)
            {
                byte[] png;
                try { png = await File.ReadAllBytesAsync(imagePath, ct); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new SealImageException($"cannot read the seal image '{imagePath}': {e.Message}");
                }
                image = SealPng.Decode(png);
            }
            using var identity = SigningIdentity.LoadPkcs12(certPath, password, TimeProvider.System);
            if (a.Pss)
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
                Reason = a.Reason,
                Location = a.Location,
                SignerName = identity.Certificate.GetNameInfo(X509NameType.SimpleName, false),
                SealImage = image,
                CrossPage = a.CrossPage,
                Certify = certify,
            };
            var result = await signer.SignFileAsync(input, output, await PdfSignatureContent.FromCadesAsync(identity, level >= PadesLevel.BT ? tsa : null, ct), options, ct);
            if (level >= PadesLevel.BLT)
            {
                List<IRevocationSource> sources = [new HttpOcspClient(http!, ocspUrl)];
                if (a.Crls.Count > 0) sources.Add(new CrlFileSource(a.Crls));
                await LongTermValidation.AddValidationDataAsync(output, sources, [result.FieldName], ct);
                if (level == PadesLevel.BLTA)
                    await LongTermValidation.AddDocumentTimestampAsync(output, tsa!, ct);
            }
            Console.WriteLine($"signed {output} ({level.Name()}): field {result.FieldName}, {result.WidgetCount} widget(s), {new FileInfo(output).Length} bytes");
            return 0;
        }
        catch (Exception e) when (e is PdfFormatException or PdfSigningException or SealImageException
                                      or SigningIdentityException or TimestampException or RevocationException)
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
