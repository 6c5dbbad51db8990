using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// An ETSI.RFC3161 document timestamp: /Contents is a time-stamp token whose message imprint
/// is the digest of the byte range. It names a TSA, not a signer, so its "signer" is the TSA
/// and its time is proven by the TSA rather than claimed.
/// </summary>
internal static class DocumentTimestampCheck
{
    private const string TimeStampingEku = "1.3.6.1.5.5.7.3.8";

    public static CmsOutcome Verify(byte[] der, Func<HashAlgorithmName, byte[]> digestOf, VerifyOptions options)
    {
        try
        {
            return VerifyToken(der, digestOf, options);
        }
        catch (CryptographicException ex)
        {
            // Certificates inside a damaged token decode lazily and can throw on first use.
            return CmsOutcome.Unreadable("the document timestamp is damaged: " + ex.Message);
        }
    }

    private static CmsOutcome VerifyToken(byte[] der, Func<HashAlgorithmName, byte[]> digestOf, VerifyOptions options)
    {
        if (!Rfc3161TimestampToken.TryDecode(der, out var token, out _) || token is null)
            return CmsOutcome.Unreadable("the document timestamp is not a readable RFC 3161 time-stamp token");

        var problems = new List<string>();
        var info = token.TokenInfo;
        var alg = HashName(info.HashAlgorithmId.Value);
        if (alg is null)
            return CmsOutcome.Unreadable($"the document timestamp uses an unknown digest algorithm {info.HashAlgorithmId.Value}");

        var digest = digestOf(alg.Value);
        var imprintOk = info.GetMessageHash().Span.SequenceEqual(digest);
        if (!imprintOk) problems.Add("the document timestamp's message imprint does not match the signed bytes");

        // Checked against the token's own imprint, so a tampered document (imprint mismatch, above)
        // and a forged token (bad TSA signature, here) are reported apart.
        X509Certificate2? tsa = null;
        var signatureOk = false;
        try
        {
            signatureOk = token.VerifySignatureForHash(info.GetMessageHash().Span, alg.Value, out tsa, null);
        }
        catch (CryptographicException ex)
        {
            problems.Add("the time-stamp token's signature cannot be checked: " + ex.Message);
        }
        if (!signatureOk) problems.Add("the time-stamp authority's signature on the document timestamp is not valid");

        var time = info.Timestamp;
        var (trusted, validThen) = (false, false);
        var ekuOk = tsa is not null && tsa.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TimeStampingEku));
        if (tsa is not null)
        {
            validThen = time >= tsa.NotBefore.ToUniversalTime() && time <= tsa.NotAfter.ToUniversalTime();
            if (!validThen) problems.Add("the time-stamp authority's certificate was not valid at the time it stamped");
            if (!ekuOk) problems.Add("the time-stamp authority's certificate is not allowed to time-stamp (no timeStamping EKU)");
            if (options.TrustAnchors.Count > 0)
            {
                trusted = ChainsTo(tsa, token, options.TrustAnchors, time);
                if (!trusted) problems.Add("the time-stamp authority's certificate does not chain to any of the given trust anchors");
            }
        }

        return new CmsOutcome
        {
            Decoded = true,
            SignerSubject = tsa?.Subject,
            SignerIssuer = tsa?.Issuer,
            SignerSerial = tsa?.SerialNumber,
            NotBefore = tsa is null ? null : new DateTimeOffset(tsa.NotBefore.ToUniversalTime()),
            NotAfter = tsa is null ? null : new DateTimeOffset(tsa.NotAfter.ToUniversalTime()),
            SigningTime = time,
            DigestValid = imprintOk,
            SignatureValid = signatureOk,
            ChainTrusted = trusted,
            ValidAtSigningTime = validThen,
            KeyUsageOk = ekuOk,
            Timestamp = new TimestampReport { Present = true, Valid = imprintOk && signatureOk && validThen && ekuOk && (trusted || options.TrustAnchors.Count == 0), Time = time, Authority = tsa?.Subject },
            Problems = problems,
        };
    }

    private static bool ChainsTo(X509Certificate2 leaf, Rfc3161TimestampToken token, IReadOnlyList<X509Certificate2> anchors, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        var signed = token.AsSignedCms();
        chain.ChainPolicy.ExtraStore.AddRange(signed.Certificates);
        return chain.Build(leaf);
    }

    private static HashAlgorithmName? HashName(string? oid) => oid switch
    {
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
        _ => null,
    };
}
