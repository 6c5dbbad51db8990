namespace SealPortal.Features.Seals;

/// <summary>Settings under "Seals" in configuration.</summary>
public sealed class SealsOptions
{
    public const string Section = "Seals";

    /// <summary>The largest seal image an administrator may upload.</summary>
    public long MaxImageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>A TrueType CJK font for generated seal images; empty means the installed candidates.</summary>
    public string? FontPath { get; set; }

    /// <summary>The largest PKCS#12 file accepted; real ones are a few kilobytes.</summary>
    public long MaxCertificateBytes { get; set; } = 256 * 1024;
}
