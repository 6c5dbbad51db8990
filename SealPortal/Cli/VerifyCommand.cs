using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Validation;

namespace SealPortal.Cli;

/// <summary>
/// <c>verify IN.pdf [--trust CA.crt ...] [--json]</c>: checks every signature of a PDF offline.
/// Exit codes: 0 every signature valid (trusted when --trust was given), 1 any signature not
/// valid / not trusted / modified after signing, or no signature at all, 2 the file or an
/// option cannot be read. The rule is printed with the report.
/// </summary>
public static class VerifyCommand
{
    public const string Usage = "usage: verify IN.pdf [--trust CA.crt ...] [--json]";

    public static Task<int> RunAsync(string[] args) => Task.FromResult(Run(args, Console.Out, Console.Error, TimeProvider.System));

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var a = CliArgs.Parse(args, new HashSet<string> { "json" });
        if (a.Positional.Count != 1)
            throw new CliUsageException(Usage);
        var path = FromCaller(a.Positional[0]);
        var anchors = a.GetAll("trust").Select(FromCaller).SelectMany(LoadAnchors).ToList();

        FileStream pdf;
        try
        {
            pdf = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"verify: cannot open {path}: {ex.Message}");
            return 2;
        }

        VerificationReport report;
        using (pdf)
            report = PdfSignatureVerifier.Verify(pdf, new VerifyOptions { TrustAnchors = anchors, Now = time.GetUtcNow() });

        stdout.Write(a.Flag("json") ? VerificationReportFormat.ToJson(report) + Environment.NewLine : VerificationReportFormat.ToText(report));
        if (report.Error is not null)
            stderr.WriteLine($"verify: {path}: {report.Error}");
        return ExitCode(report.Verdict);
    }

    /// <summary>
    /// `dotnet run --project SealPortal` starts a web project in its project folder, so a relative
    /// path the user typed would miss; the shell's $PWD still names the folder they typed it in.
    /// Used only when the path does not exist as given.
    /// </summary>
    private static string FromCaller(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path)) return path;
        var shellDir = Environment.GetEnvironmentVariable("PWD");
        if (string.IsNullOrEmpty(shellDir)) return path;
        var candidate = Path.Combine(shellDir, path);
        return File.Exists(candidate) ? candidate : path;
    }

    public static int ExitCode(Verdict verdict) => verdict switch
    {
        Verdict.Valid or Verdict.ValidTrustNotChecked => 0,
        Verdict.Unreadable => 2,
        _ => 1,
    };

    /// <summary>A trust anchor file: PEM (every certificate in it becomes an anchor, as with a CA bundle) or one DER certificate.</summary>
    private static IEnumerable<X509Certificate2> LoadAnchors(string file)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var all = new X509Certificate2Collection();
                all.ImportFromPem(text);
                if (all.Count == 0)
                    throw new CliUsageException($"--trust {file}: no certificate in the file");
                return [.. all];
            }
            return [X509CertificateLoader.LoadCertificate(bytes)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new CliUsageException($"--trust {file}: not a readable certificate ({ex.Message})");
        }
    }
}
