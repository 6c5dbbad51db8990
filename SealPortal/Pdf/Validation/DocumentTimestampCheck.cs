using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Signing;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// An ETSI.RFC3161 document timestamp: /Contents is a time-stamp token whose message imprint
/// is the digest of the byte range. It names a TSA, not a signer, so its "signer" is the TSA
/// and its time is proven by the TSA rather than claimed.
/// </summary>
internal static class DocumentTimestampCheck
{
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
        var alg = CmsOids.DigestFromOid(info.HashAlgorithmId.Value ?? "");
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
            .Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == CmsOids.KpTimeStamping));
        if (tsa is not null)
        {
            validThen = time >= tsa.NotBefore.ToUniversalTime() && time <= tsa.NotAfter.ToUniversalTime();
            if (!validThen) problems.Add("the time-stamp authority's certificate was not valid at the time it stamped");
            if (!ekuOk) problems.Add("the time-stamp authority's certificate is not allowed to time-stamp (no timeStamping EKU)");
            if (options.TrustAnchors.Count > 0)
            {
                // The chain's own wording is not shown: the one line below says it for a document timestamp.
                var (chainOk, chainTimeValid, _) = CmsSignatureVerifier.CheckChain(
                    tsa, token.AsSignedCms().Certificates, options.TrustAnchors, time, null, "time-stamp authority's", []);
                trusted = chainOk && chainTimeValid;
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
            Timestamp = new TimestampReport
            {
                Present = true,
                Valid = imprintOk && signatureOk && validThen && ekuOk,
                Trusted = options.TrustAnchors.Count == 0 ? null : trusted,
                Time = time,
                Authority = tsa?.Subject,
            },
            Problems = problems,
        };
    }
}
