using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Signing;

namespace SealPortal.Pdf.Validation;

/// <summary>What <see cref="TimestampTokenCheck.Check"/> found about one RFC 3161 token.</summary>
/// <param name="Valid">Decodable, signed by the certificate it names, for exactly the expected imprint.</param>
/// <param name="Trusted">The authority's chain ends in a given root and was valid at the token's time; null when no roots were given.</param>
/// <param name="Time">The token's genTime, when it could be read.</param>
/// <param name="Authority">The authority certificate's subject, when found.</param>
public sealed record TimestampTokenResult(bool Valid, bool? Trusted, DateTimeOffset? Time, string? Authority, IReadOnlyList<string> Problems);

/// <summary>
/// Checks a stand-alone RFC 3161 time-stamp token against the SHA-256 imprint it should carry: the
/// token decodes, its imprint is that digest, its signature verifies with the authority certificate
/// it carries, and (when roots are given) that certificate chains to one of them, for time-stamping,
/// at the token's time. Used for the anchors of the ledger's chains, whose imprint is a chain head.
/// </summary>
public static class TimestampTokenCheck
{
    public static TimestampTokenResult Check(ReadOnlySpan<byte> tokenDer, ReadOnlySpan<byte> expectedSha256, IReadOnlyList<X509Certificate2> trustAnchors)
    {
        var problems = new List<string>();
        if (!Rfc3161TimestampToken.TryDecode(tokenDer.ToArray(), out var token, out _) || token is null)
            return new TimestampTokenResult(false, null, null, null, ["the time-stamp token cannot be decoded"]);
        var info = token.TokenInfo;
        var time = info.Timestamp;
        var imprintOk = info.HashAlgorithmId.Value == CmsOids.Sha256 && info.GetMessageHash().Span.SequenceEqual(expectedSha256);
        if (!imprintOk)
            problems.Add("the time-stamp was made for different data (its message imprint is not the expected SHA-256)");

        X509Certificate2? tsa = null;
        var signatureOk = false;
        try
        {
            // Against the token's own imprint, so a forged token and a mismatched one are told apart.
            signatureOk = info.HashAlgorithmId.Value == CmsOids.Sha256
                && token.VerifySignatureForHash(info.GetMessageHash().Span, HashAlgorithmName.SHA256, out tsa, null);
        }
        catch (CryptographicException ex)
        {
            problems.Add("the time-stamp's signature cannot be checked: " + ex.Message);
        }
        if (!signatureOk)
            problems.Add("the time-stamp authority's signature on the token is not valid");

        bool? trusted = null;
        if (trustAnchors.Count > 0)
        {
            if (tsa is null)
            {
                trusted = false;
                problems.Add("the time-stamp authority's certificate is not in the token, so it cannot be trusted");
            }
            else
            {
                var chainProblems = new List<string>();
                var (chainTrusted, timeValid, _) = CmsSignatureVerifier.CheckChain(tsa, token.AsSignedCms().Certificates.Cast<X509Certificate2>(),
                    trustAnchors, time, CmsOids.KpTimeStamping, "time-stamp authority's", chainProblems);
                trusted = chainTrusted && timeValid;
                problems.AddRange(chainProblems);
            }
        }
        return new TimestampTokenResult(imprintOk && signatureOk, trusted, time, tsa?.Subject, problems);
    }
}
