using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SealPortal.Pdf.Validation;

/// <summary>What the verifier trusts and when it verifies.</summary>
/// <param name="TrustAnchors">Root certificates a signer's chain must end in (no system store is consulted).</param>
/// <param name="Now">The verifier's current time, used when the signature carries no better time.</param>
/// <param name="ClaimedSigningTime">The time the signer claims outside the CMS (the PDF /M entry); used when there is no valid time-stamp and no signing-time attribute.</param>
public sealed record CmsTrustOptions(IReadOnlyList<X509Certificate2> TrustAnchors, DateTimeOffset Now, DateTimeOffset? ClaimedSigningTime = null);

/// <summary>Which time the certificate chain was checked at.</summary>
public enum VerificationTimeSource
{
    /// <summary>The time in a valid, trusted signature time-stamp.</summary>
    Timestamp,
    /// <summary>The signer's own claim (signing-time attribute or the PDF /M entry): not proof.</summary>
    ClaimedSigningTime,
    /// <summary>No time was available, so the chain was checked at the verifier's current time.</summary>
    Now,
}

/// <summary>The result of checking a signature time-stamp token (RFC 3161) inside a CMS signature.</summary>
public sealed record CmsTimestampVerification
{
    /// <summary>The token's own CMS signature verifies with the TSA certificate.</summary>
    public bool SignatureValid { get; init; }
    /// <summary>The token's message imprint equals the hash of the signer's signature value.</summary>
    public bool ImprintValid { get; init; }
    /// <summary>The TSA certificate chains to a trust anchor and is allowed to time-stamp.</summary>
    public bool ChainTrusted { get; init; }
    public DateTimeOffset? Time { get; init; }
    public string? TsaSubject { get; init; }
    public X509Certificate2? TsaCertificate { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];

    public bool IsValid => SignatureValid && ImprintValid && ChainTrusted;
}

/// <summary>Everything a PDF signature report needs from one CMS signature.</summary>
public sealed record CmsVerification
{
    /// <summary>False when the bytes are not a CMS SignedData we can read; then all checks are false.</summary>
    public bool Decoded { get; init; }
    public string? SignerSubject { get; init; }
    public X509Certificate2? SignerCertificate { get; init; }
    /// <summary>All certificates carried in the CMS.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; init; } = [];
    public HashAlgorithmName? DigestAlgorithm { get; init; }
    /// <summary>For example "RSA PKCS#1 v1.5 with SHA256", "RSA-PSS with SHA256", "ECDSA with SHA256".</summary>
    public string? SignatureAlgorithm { get; init; }
    public bool HasSignedAttributes { get; init; }
    /// <summary>The signed bytes are unchanged: message-digest attribute equals the computed digest (or, without signed attributes, the signature verifies over the computed digest).</summary>
    public bool DigestValid { get; init; }
    /// <summary>The signature value verifies with the signer certificate's public key.</summary>
    public bool SignatureValid { get; init; }
    /// <summary>The signing-time attribute if present, else <see cref="CmsTrustOptions.ClaimedSigningTime"/>.</summary>
    public DateTimeOffset? ClaimedSigningTime { get; init; }
    /// <summary>Null when the signature carries no time-stamp.</summary>
    public CmsTimestampVerification? Timestamp { get; init; }
    /// <summary>The signer's certificate chains to one of the trust anchors (validity dates aside).</summary>
    public bool ChainTrusted { get; init; }
    /// <summary>The chain as built, signer first; empty when it could not be built.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; init; } = [];
    public DateTimeOffset VerificationTime { get; init; }
    public VerificationTimeSource VerificationTimeSource { get; init; }
    /// <summary>The signer's key usage allows digitalSignature or nonRepudiation (or is unrestricted).</summary>
    public bool KeyUsageOk { get; init; }
    /// <summary>The signer's certificate and its issuers were within their validity at <see cref="VerificationTime"/>.</summary>
    public bool ValidAtSigningTime { get; init; }
    /// <summary>Plain-language findings, empty when everything is fine.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public bool IsValid => Decoded && DigestValid && SignatureValid && ChainTrusted && KeyUsageOk && ValidAtSigningTime
        && (Timestamp is null || Timestamp.IsValid);
}
