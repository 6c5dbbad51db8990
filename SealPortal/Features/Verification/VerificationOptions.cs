namespace SealPortal.Features.Verification;

/// <summary>Settings of the verification page (section "Verification").</summary>
public sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>Largest PDF the page accepts; larger uploads are answered with 413 before they are read.</summary>
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>How long the download links of a shown report keep working (the report is not stored).</summary>
    public TimeSpan DownloadLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Ask OCSP responders (the one each certificate names) about certificates the document's
    /// own validation data (DSS) does not cover. Off by default: verification stays offline.
    /// </summary>
    public bool FetchRevocationOnline { get; set; }
}
