using System.CommandLine;
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
    public static Command Create(TimeProvider time)
    {
        var file = new Argument<string>("IN.pdf") { Description = "the signed PDF" };
        var trust = new Option<string[]>("--trust")
        {
            HelpName = "CA.crt",
            Description = "a trusted root or intermediate certificate (PEM or DER; repeat for more); without it trust is not checked",
        };
        var json = new Option<bool>("--json") { Description = "the report as JSON instead of text" };
        var command = new Command("verify", "Check every signature of a PDF offline (exit 0 valid, 1 not valid or not trusted, 2 unreadable).")
        {
            file, trust, json,
        };
        command.SetAction(p => Run(p.GetRequiredValue(file), p.GetValue(trust) ?? [], p.GetValue(json),
            p.InvocationConfiguration.Output, p.InvocationConfiguration.Error, time));
        return command;
    }

    public static int Run(string path, IReadOnlyList<string> trustFiles, bool json, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var anchors = trustFiles.SelectMany(LoadAnchors).ToList();

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

        stdout.Write(json ? VerificationReportFormat.ToJson(report) + Environment.NewLine : VerificationReportFormat.ToText(report));
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
