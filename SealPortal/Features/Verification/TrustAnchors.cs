using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Validation;

namespace SealPortal.Features.Verification;

/// <summary>
/// The certificates a signer's chain must end in, read once from <c>Signing:TrustedRootsPath</c>:
/// one or more paths separated by ';', each a certificate file (PEM, possibly several
/// certificates, or DER) or a folder whose *.crt, *.cer and *.pem files are all read. Relative
/// paths start at the content root, like the other <c>Signing:*</c> paths.
/// </summary>
public sealed class TrustAnchors
{
    public const string ConfigKey = "Signing:TrustedRootsPath";

    private static readonly string[] CertificateExtensions = [".crt", ".cer", ".pem"];

    public IReadOnlyList<X509Certificate2> Certificates { get; }

    /// <summary>Files or folders that could not be read; the page says trust was not fully checked.</summary>
    public IReadOnlyList<string> Problems { get; }

    public TrustAnchors(IConfiguration configuration, IHostEnvironment environment, ILogger<TrustAnchors> logger)
    {
        var certificates = new List<X509Certificate2>();
        var problems = new List<string>();
        var setting = configuration[ConfigKey];
        foreach (var entry in (setting ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var path = Path.GetFullPath(entry, environment.ContentRootPath);
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path)
                    .Where(f => CertificateExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                    problems.Add($"{path}: the folder holds no .crt, .cer or .pem file");
                foreach (var f in files)
                    Load(f, certificates, problems);
            }
            else
            {
                Load(path, certificates, problems);
            }
        }
        Certificates = certificates;
        Problems = problems;
        foreach (var p in problems)
            logger.LogError("Trust anchor not loaded: {Problem}", p);
        logger.LogInformation("Verification trusts {Count} certificate(s): {Subjects}", certificates.Count,
            string.Join("; ", certificates.Select(c => c.Subject)));
    }

    private static void Load(string file, List<X509Certificate2> into, List<string> problems)
    {
        try
        {
            into.AddRange(CertificateFile.Load(file));
        }
        catch (CertificateFileException ex)
        {
            problems.Add($"{file}: {ex.Message}");
        }
    }
}
