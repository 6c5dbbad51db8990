using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Signing;

/// <summary>The committed sample certificates in certs-sample/, found from the test's output folder.</summary>
public static class SamplePki
{
    public const string Password = "sample";

    public static readonly string RepoRoot = FindRepoRoot();

    public static string CertsDir => Path.Combine(RepoRoot, "certs-sample");

    public static string Path_(string file) => Path.Combine(CertsDir, file);

    public static SigningIdentity Load(string name) => SigningIdentity.LoadPkcs12(Path_($"sample-{name}.pfx"), Password);

    public static SigningIdentity Load(string name, DateTimeOffset now) => SigningIdentity.LoadPkcs12(Path_($"sample-{name}.pfx"), Password, now);

    public static X509Certificate2 Root() => X509CertificateLoader.LoadCertificateFromFile(Path_("sample-root-ca.crt"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SealPortal.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("SealPortal.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a tool (openssl, pdfsig, ...) and returns its exit code and combined output.</summary>
    public static (int Code, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
