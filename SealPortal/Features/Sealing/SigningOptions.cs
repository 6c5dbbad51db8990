using SealPortal.Pdf.Signing;

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

    /// <summary>
    /// PAdES level of sealed documents: "B-B", "B-T", "B-LT" or "B-LTA". Empty: B-LT when a
    /// time-stamp authority and a revocation source (OcspUrl, CrlFiles) are configured, B-T with
    /// a time-stamp authority alone, else B-B. B-T and above need TsaUrl.
    /// </summary>
    public string? Level { get; set; }

    /// <summary>An OCSP responder asked about every certificate of the seals' and the TSA's chains (e.g. the `ocsp` verb's URL).</summary>
    public string? OcspUrl { get; set; }

    /// <summary>
    /// Ask the OCSP responder each certificate names (Authority Information Access) when OcspUrl
    /// is empty. On by default; off for closed networks that have only CRL files.
    /// </summary>
    public bool UseCertificateOcsp { get; set; } = true;

    /// <summary>CRL files (DER or PEM), asked after OCSP; e.g. certs-sample/sample-intermediate-ca.crl.</summary>
    public string[] CrlFiles { get; set; } = [];

    /// <summary>True when some revocation source is configured, so B-LT can be the default.</summary>
    public bool HasRevocationSource => !string.IsNullOrWhiteSpace(OcspUrl) || CrlFiles.Length > 0;

    /// <summary>The configured level, or the default described at <see cref="Level"/>.</summary>
    public PadesLevel EffectiveLevel()
    {
        if (!string.IsNullOrWhiteSpace(Level))
            return PadesLevels.TryParse(Level, out var level) ? level
                : throw new InvalidOperationException($"Signing:Level must be B-B, B-T, B-LT or B-LTA, not '{Level}'");
        if (string.IsNullOrWhiteSpace(TsaUrl)) return PadesLevel.BB;
        return HasRevocationSource ? PadesLevel.BLT : PadesLevel.BT;
    }

    /// <summary>Null when the settings fit together, else what to fix.</summary>
    public string? Problem()
    {
        if (!string.IsNullOrWhiteSpace(Level) && !PadesLevels.TryParse(Level, out _))
            return $"Signing:Level must be B-B, B-T, B-LT or B-LTA, not '{Level}'";
        var level = EffectiveLevel();
        if (level >= PadesLevel.BT && string.IsNullOrWhiteSpace(TsaUrl))
            return $"Signing:Level {level.Name()} needs a time-stamp authority (Signing:TsaUrl)";
        if (level >= PadesLevel.BLT && !HasRevocationSource && !UseCertificateOcsp)
            return $"Signing:Level {level.Name()} needs revocation data: set Signing:OcspUrl or Signing:CrlFiles, or Signing:UseCertificateOcsp";
        return null;
    }
}
