using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// Builds the CMS that goes into a PDF signature's /Contents for SubFilter ETSI.CAdES.detached:
/// PAdES baseline B-B, or B-T when a time-stamp authority is given.
/// </summary>
public static class CadesSignatureBuilder
{
    /// <param name="contentDigest">SHA-256 of the bytes covered by the PDF /ByteRange.</param>
    /// <param name="tsa">When given, the signature value is time-stamped (unsigned attribute id-aa-signatureTimeStampToken).</param>
    /// <returns>DER ContentInfo(SignedData), detached (no encapsulated content).</returns>
    /// <exception cref="TimestampException">The time-stamp could not be obtained.</exception>
    public static async Task<byte[]> BuildAsync(ReadOnlyMemory<byte> contentDigest, SigningIdentity identity, ITimestampClient? tsa, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (contentDigest.Length != 32)
            throw new ArgumentException("the content digest must be a SHA-256 value (32 bytes)", nameof(contentDigest));

        var (signedAttrs, signature) = CmsWriter.Sign(CmsOids.Data, contentDigest.Span, identity);
        IReadOnlyList<byte[]> unsigned = [];
        if (tsa is not null)
        {
            // ETSI EN 319 122-1 5.3: the signature time-stamp covers the SignerInfo's signature value.
            var imprint = SHA256.HashData(signature);
            var token = await tsa.RequestTokenAsync(imprint, ct);
            // Any ITimestampClient may be plugged in, so the token is checked here rather than trusted.
            if (!Rfc3161TimestampToken.TryDecode(token, out var decoded, out _) || decoded is null
                || !decoded.TokenInfo.GetMessageHash().Span.SequenceEqual(imprint))
                throw new TimestampException("The time-stamp authority returned a time-stamp that does not cover this signature.");
            unsigned = [CmsWriter.Attribute(CmsOids.SignatureTimeStampTokenAttr, token)];
        }
        return CmsWriter.Assemble(CmsOids.Data, eContent: null, identity, includeCertificates: true, signedAttrs, signature, unsigned);
    }

    /// <summary>
    /// A safe upper bound of the DER length <see cref="BuildAsync"/> returns, for sizing the
    /// /Contents placeholder (twice this many hex digits).
    /// </summary>
    /// <param name="sampleTimestampToken">A token from the TSA that will stamp (null: no time-stamp).</param>
    public static int EstimateMaxSize(SigningIdentity identity, byte[]? sampleTimestampToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        // The layout is fixed apart from the signature value and the token, so a dry run with a
        // maximum-length zero signature and the sample token gives the size to within the bytes
        // that vary between two tokens of one TSA (serial, nonce, time fraction, DER lengths).
        var (attrs, zeroSignature) = CmsWriter.Sign(CmsOids.Data, new byte[32], identity, sign: false);
        IReadOnlyList<byte[]> unsigned = sampleTimestampToken is null ? [] : [CmsWriter.Attribute(CmsOids.SignatureTimeStampTokenAttr, sampleTimestampToken)];
        var dry = CmsWriter.Assemble(CmsOids.Data, null, identity, includeCertificates: true, attrs, zeroSignature, unsigned);
        return dry.Length + 16 + (sampleTimestampToken is null ? 0 : TimestampTokenSize.Variation);
    }
}
