using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Signing;

/// <summary>The committed sample certificates in certs-sample/, found from the test's output folder.</summary>
public static class SamplePki
{
    public const string Password = "sample";

    public static string RepoRoot => PdfTestKit.RepoRoot;

    public static string CertsDir => PdfTestKit.CertsDir;

    public static string Path_(string file) => Path.Combine(CertsDir, file);

    public static SigningIdentity Load(string name) => SigningIdentity.LoadPkcs12(Path_($"sample-{name}.pfx"), Password);

    public static SigningIdentity Load(string name, DateTimeOffset now) => SigningIdentity.LoadPkcs12(Path_($"sample-{name}.pfx"), Password, now);

    public static X509Certificate2 Root() => X509CertificateLoader.LoadCertificateFromFile(Path_("sample-root-ca.crt"));

    /// <summary>Runs a tool (openssl, pdfsig, ...) and returns its exit code and combined output.</summary>
    public static (int Code, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 120 s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
