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
        var path = a.Positional[0];
        var anchors = a.GetAll("trust").SelectMany(LoadAnchors).ToList();

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


    public static int ExitCode(Verdict verdict) => verdict switch
    {
        Verdict.Valid or Verdict.ValidTrustNotChecked => 0,
        Verdict.Unreadable => 2,
        _ => 1,
    };

    private static IReadOnlyList<X509Certificate2> LoadAnchors(string file)
    {
        try
        {
            return CertificateFile.Load(file);
        }
        catch (CertificateFileException ex)
        {
            throw new CliUsageException($"--trust {file}: {ex.Message}");
        }
    }
}
