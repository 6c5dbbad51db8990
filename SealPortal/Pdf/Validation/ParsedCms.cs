using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Signing;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// The parts of a CMS SignedData (RFC 5652) with its first SignerInfo that signature checking
/// needs. Read with BER rules because other signers (NSS, OpenSSL streaming) may use them.
/// </summary>
internal sealed class ParsedCms : IDisposable
{
    public List<X509Certificate2> Certificates { get; } = [];
    public X509Certificate2? SignerCertificate { get; private set; }
    public string EncapsulatedContentType { get; private set; } = "";
    public byte[]? EncapsulatedContent { get; private set; }
    public string DigestAlgorithmOid { get; private set; } = "";
    /// <summary>The signed attributes re-tagged as SET OF (0x31), exactly the bytes the signature covers.</summary>
    public byte[]? SignedAttributes { get; private set; }
    public byte[]? MessageDigest { get; private set; }
    public string? ContentType { get; private set; }
    public DateTimeOffset? SigningTime { get; private set; }
    public byte[]? SigningCertificateHash { get; private set; }
    public HashAlgorithmName SigningCertificateHashAlgorithm { get; private set; } = HashAlgorithmName.SHA256;
    public string SignatureAlgorithmOid { get; private set; } = "";
    public ReadOnlyMemory<byte>? SignatureAlgorithmParameters { get; private set; }
    public byte[] Signature { get; private set; } = [];
    public byte[]? TimestampToken { get; private set; }

    private bool _tokenDecoded;
    private Rfc3161TimestampToken? _token;
    private bool _tokenCmsRead;
    private ParsedCms? _tokenCms;
    private List<X509Certificate2>? _tokenCertificates;
    private X509Certificate2? _tokenSigner;

    /// <summary>
    /// The signature time-stamp token decoded, or null when absent or undecodable. Decoded once:
    /// the CMS check and the long-term check both read it (and its certificates).
    /// </summary>
    public Rfc3161TimestampToken? DecodedTimestampToken()
    {
        if (!_tokenDecoded)
        {
            _token = TimestampToken is { } der && Rfc3161TimestampToken.TryDecode(der, out var t, out _) ? t : null;
            _tokenDecoded = true;
        }
        return _token;
    }

    /// <summary>
    /// The time-stamp token read as the CMS SignedData it is (RFC 3161, 2.4.2), or null when absent or
    /// not readable so. Its certificates come from <see cref="CertificateCache"/>; decoding it as an
    /// <see cref="Rfc3161TimestampToken"/> costs several times more, mostly in loading certificates.
    /// </summary>
    public ParsedCms? TimestampCms()
    {
        if (!_tokenCmsRead)
        {
            _tokenCmsRead = true;
            _tokenCms = TimestampToken is { } der ? ParseToken(der) : null;
        }
        return _tokenCms;
    }

    /// <summary>A time-stamp token (or a document time-stamp's /Contents) read as CMS; null when it is not readable so.</summary>
    public static ParsedCms? ParseToken(ReadOnlySpan<byte> token)
    {
        try
        {
            return Parse(token);
        }
        catch (Exception ex) when (ex is ArgumentException or AsnContentException or CryptographicException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The certificates the time-stamp token carries (empty without a token), loaded once.</summary>
    public IReadOnlyList<X509Certificate2> TimestampTokenCertificates =>
        _tokenCertificates ??= TimestampCms() is { } direct ? direct.Certificates
            : DecodedTimestampToken() is { } t ? t.AsSignedCms().Certificates.Cast<X509Certificate2>().ToList() : [];

    /// <summary>The certificate of the token's first signer, when the token carries it.</summary>
    public X509Certificate2? TimestampSignerCertificate()
    {
        if (_tokenSigner is null && TimestampCms() is { SignerCertificate: { } direct })
            _tokenSigner = direct;
        if (_tokenSigner is null && DecodedTimestampToken() is { } t)
        {
            var signed = t.AsSignedCms();
            _tokenSigner = signed.SignerInfos.Count > 0 ? signed.SignerInfos[0].Certificate : null;
        }
        return _tokenSigner;
    }

    /// <summary>
    /// Frees the certificates loaded from the CMS and its time-stamp token. Left to the finalizer,
    /// their native handles cost the verifier more than loading them did.
    /// </summary>
    public void Dispose()
    {
        foreach (var c in Certificates) c.Dispose();
        foreach (var c in _tokenCertificates ?? []) c.Dispose();
        _tokenSigner?.Dispose();
        _tokenCms?.Dispose();
    }

    public static ParsedCms Parse(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            throw new ArgumentException("the signature is empty");
        // PDF /Contents is zero-padded after the DER value; only the first value counts.
        var outer = new AsnReader(input.ToArray(), AsnEncodingRules.BER);
        var contentInfo = new AsnReader(outer.ReadEncodedValue(), AsnEncodingRules.BER).ReadSequence();
        var type = contentInfo.ReadObjectIdentifier();
        if (type != CmsOids.SignedData)
            throw new ArgumentException($"it holds {type}, not CMS SignedData");
        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();

        var result = new ParsedCms();
        try
        {
            result.ReadSignedData(signedData);
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    private void ReadSignedData(AsnReader signedData)
    {
        var result = this;
        signedData.ReadInteger();
        signedData.ReadSetOf();
        var encap = signedData.ReadSequence();
        result.EncapsulatedContentType = encap.ReadObjectIdentifier();
        if (encap.HasData)
        {
            var explicitContent = encap.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            result.EncapsulatedContent = explicitContent.ReadOctetString();
        }

        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            var certs = signedData.ReadSetOf(skipSortOrderValidation: true, expectedTag: new Asn1Tag(TagClass.ContextSpecific, 0));
            while (certs.HasData)
            {
                var tag = certs.PeekTag();
                var encoded = certs.ReadEncodedValue();
                // Only plain X.509 certificates; attribute and other certificate formats are skipped.
                if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
                    result.Certificates.Add(CertificateCache.Load(encoded.Span));
            }
        }
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
            signedData.ReadEncodedValue();

        var signerInfos = signedData.ReadSetOf(skipSortOrderValidation: true);
        if (!signerInfos.HasData)
            throw new ArgumentException("it has no signer");
        result.ReadSignerInfo(signerInfos.ReadSequence());
    }

    private void ReadSignerInfo(AsnReader si)
    {
        si.ReadInteger();
        var sidTag = si.PeekTag();
        if (sidTag.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var ias = si.ReadSequence();
            var issuer = new X500DistinguishedName(ias.ReadEncodedValue().Span);
            var serial = ias.ReadIntegerBytes().ToArray();
            SignerCertificate = Certificates.FirstOrDefault(c => SameSerial(c, serial) && SameName(c.IssuerName, issuer));
        }
        else
        {
            var ski = si.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
            SignerCertificate = Certificates.FirstOrDefault(c =>
                c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.Span.SequenceEqual(ski) == true);
        }

        DigestAlgorithmOid = si.ReadSequence().ReadObjectIdentifier();

        var signedAttrsTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (si.PeekTag() == signedAttrsTag)
        {
            var encoded = si.ReadEncodedValue().ToArray();
            // RFC 5652 5.4: the signature covers the DER SET OF, i.e. the same bytes with tag 0x31.
            encoded[0] = 0x31;
            SignedAttributes = encoded;
            ReadSignedAttributes(new AsnReader(encoded, AsnEncodingRules.BER).ReadSetOf(skipSortOrderValidation: true));
        }

        var sigAlg = si.ReadSequence();
        SignatureAlgorithmOid = sigAlg.ReadObjectIdentifier();
        if (sigAlg.HasData)
        {
            var p = sigAlg.ReadEncodedValue();
            if (p.Length > 0 && p.Span[0] != 0x05)
                SignatureAlgorithmParameters = p;
        }
        Signature = si.ReadOctetString();

        if (si.HasData && si.PeekTag() == new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true))
        {
            var unsigned = si.ReadSetOf(skipSortOrderValidation: true, expectedTag: new Asn1Tag(TagClass.ContextSpecific, 1));
            while (unsigned.HasData)
            {
                var attr = unsigned.ReadSequence();
                var oid = attr.ReadObjectIdentifier();
                var values = attr.ReadSetOf(skipSortOrderValidation: true);
                if (oid == CmsOids.SignatureTimeStampTokenAttr && values.HasData && TimestampToken is null)
                    TimestampToken = values.ReadEncodedValue().ToArray();
            }
        }
    }

    private void ReadSignedAttributes(AsnReader set)
    {
        while (set.HasData)
        {
            var attr = set.ReadSequence();
            var oid = attr.ReadObjectIdentifier();
            var values = attr.ReadSetOf(skipSortOrderValidation: true);
            if (!values.HasData)
                continue;
            switch (oid)
            {
                case CmsOids.MessageDigestAttr:
                    MessageDigest = values.ReadOctetString();
                    break;
                case CmsOids.ContentTypeAttr:
                    ContentType = values.ReadObjectIdentifier();
                    break;
                case CmsOids.SigningTimeAttr:
                    SigningTime = values.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? values.ReadUtcTime() : values.ReadGeneralizedTime();
                    break;
                case CmsOids.SigningCertificateV2Attr:
                {
                    var essCertId = values.ReadSequence().ReadSequence().ReadSequence();
                    if (essCertId.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                    {
                        var alg = CmsOids.DigestFromOid(essCertId.ReadSequence().ReadObjectIdentifier());
                        if (alg is null)
                            break;
                        SigningCertificateHashAlgorithm = alg.Value;
                    }
                    SigningCertificateHash = essCertId.ReadOctetString();
                    break;
                }
                case CmsOids.SigningCertificateAttr:
                {
                    var essCertId = values.ReadSequence().ReadSequence().ReadSequence();
                    SigningCertificateHashAlgorithm = HashAlgorithmName.SHA1;
                    SigningCertificateHash = essCertId.ReadOctetString();
                    break;
                }
            }
        }
    }

    private static bool SameSerial(X509Certificate2 cert, byte[] serial) =>
        TrimSign(cert.SerialNumberBytes.Span).SequenceEqual(TrimSign(serial));

    private static ReadOnlySpan<byte> TrimSign(ReadOnlySpan<byte> b)
    {
        while (b.Length > 1 && b[0] == 0)
            b = b[1..];
        return b;
    }

    private static bool SameName(X500DistinguishedName a, X500DistinguishedName b) =>
        a.RawData.AsSpan().SequenceEqual(b.RawData) || a.Name == b.Name;
}
