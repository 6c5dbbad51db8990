namespace SealPortal.Features.Sealing;

/// <summary>Settings under "Signing" in configuration that the sealing step reads.</summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    /// <summary>
    /// An RFC 3161 time-stamp authority (HTTP POST). When set, every seal is PAdES B-T and sealing
    /// fails rather than silently falling back to B-B when the authority cannot be reached.
    /// </summary>
    public string? TsaUrl { get; set; }

    /// <summary>How long one time-stamp request may take before sealing gives up.</summary>
    public int TsaTimeoutSeconds { get; set; } = 30;

    /// <summary>The /Location written into each seal's signature; empty leaves it out.</summary>
    public string? Location { get; set; }
}
