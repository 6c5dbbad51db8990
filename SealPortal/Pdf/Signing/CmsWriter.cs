using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// Writes CMS SignedData (RFC 5652) with one SHA-256 signer from a digest alone, so neither the
/// PDF signer nor the TSA ever needs the signed content in memory. SignedCms.ComputeSignature
/// cannot do that: it wants the content itself.
/// </summary>
internal static class CmsWriter
{
    /// <summary>Encodes the signed attributes for <paramref name="contentDigest"/> and signs them.</summary>
    /// <param name="eContentType">id-data for a PDF signature, id-ct-TSTInfo for a time-stamp token.</param>
    /// <param name="contentDigest">SHA-256 of the content; goes into the message-digest attribute.</param>
    /// <param name="sign">False writes a zero-filled signature of maximum length, for size estimates.</param>
    public static (byte[] SignedAttributes, byte[] Signature) Sign(string eContentType, ReadOnlySpan<byte> contentDigest, SigningIdentity identity, bool sign = true)
    {
        var signedAttrs = EncodeSignedAttributes(eContentType, contentDigest, identity.CmsParts.SigningCertificateV2);
        var signature = sign ? identity.SignSha256(signedAttrs) : new byte[identity.MaxSignatureLength()];
        return (signedAttrs, signature);
    }

    /// <summary>Writes ContentInfo(SignedData) around an already computed signature.</summary>
    /// <param name="eContent">Encapsulated content (TSTInfo), or null for a detached signature.</param>
    /// <param name="includeCertificates">Whether the signer's certificate and chain go into the certificates field.</param>
    /// <param name="unsigned">DER of each unsigned attribute, if any.</param>
    public static byte[] Assemble(
        string eContentType,
        byte[]? eContent,
        SigningIdentity identity,
        bool includeCertificates,
        byte[] signedAttrs,
        byte[] signature,
        IReadOnlyList<byte[]> unsigned)
    {
        var parts = identity.CmsParts;
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(CmsOids.SignedData);
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (w.PushSequence())
            {
                // RFC 5652 5.1: version 3 when the encapsulated content is not id-data, else 1.
                w.WriteInteger(eContentType == CmsOids.Data ? 1 : 3);
                using (w.PushSetOf())
                    WriteSha256AlgorithmId(w);
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier(eContentType);
                    if (eContent is not null)
                    {
                        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                            w.WriteOctetString(eContent);
                    }
                }
                if (includeCertificates)
                    w.WriteEncodedValue(parts.Certificates);
                using (w.PushSetOf())
                using (w.PushSequence())
                {
                    w.WriteInteger(1);
                    w.WriteEncodedValue(parts.IssuerAndSerial);
                    WriteSha256AlgorithmId(w);
                    // Stored as [0] IMPLICIT: the same contents the signature covers, with the SET tag replaced.
                    var attrsReader = new AsnReader(signedAttrs, AsnEncodingRules.DER);
                    var attrsContents = attrsReader.PeekContentBytes();
                    w.WriteEncodedValue(Retag(0xA0, attrsContents.Span));
                    WriteSignatureAlgorithm(w, identity);
                    w.WriteOctetString(signature);
                    if (unsigned.Count > 0)
                    {
                        using (w.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 1)))
                        {
                            foreach (var attr in unsigned)
                                w.WriteEncodedValue(attr);
                        }
                    }
                }
            }
        }
        return w.Encode();
    }

    /// <summary>
    /// The signed attributes as a DER SET OF (tag 0x31), which is what the signature covers
    /// (RFC 5652 5.4). No signing-time attribute: PAdES baseline (ETSI EN 319 142-1) forbids it,
    /// the claimed time lives in the signature dictionary's /M entry.
    /// </summary>
    private static byte[] EncodeSignedAttributes(string eContentType, ReadOnlySpan<byte> digest, byte[] signingCertificateV2)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSetOf())
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(CmsOids.ContentTypeAttr);
                using (w.PushSetOf())
                    w.WriteObjectIdentifier(eContentType);
            }
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(CmsOids.MessageDigestAttr);
                using (w.PushSetOf())
                    w.WriteOctetString(digest);
            }
            w.WriteEncodedValue(signingCertificateV2);
        }
        return w.Encode();
    }

    /// <summary>
    /// The parts of a SignedData that depend only on the signer's certificate and chain, encoded
    /// once per identity instead of for every signature (the certificates were copied out of
    /// their X509Certificate2 and the signing-certificate-v2 hash recomputed each time).
    /// </summary>
    internal sealed class IdentityParts
    {
        public IdentityParts(X509Certificate2 cert, IReadOnlyList<X509Certificate2> chain)
        {
            var w = new AsnWriter(AsnEncodingRules.DER);
            using (w.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                w.WriteEncodedValue(cert.RawDataMemory.Span);
                foreach (var c in chain)
                    w.WriteEncodedValue(c.RawDataMemory.Span);
            }
            Certificates = w.Encode();

            w = new AsnWriter(AsnEncodingRules.DER);
            WriteIssuerAndSerial(w, cert);
            IssuerAndSerial = w.Encode();

            w = new AsnWriter(AsnEncodingRules.DER);
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(CmsOids.SigningCertificateV2Attr);
                using (w.PushSetOf())
                    WriteSigningCertificateV2(w, cert);
            }
            SigningCertificateV2 = w.Encode();
        }

        /// <summary>certificates [0] IMPLICIT SET OF: the signer's certificate and its chain.</summary>
        public byte[] Certificates { get; }
        /// <summary>The SignerIdentifier (issuerAndSerialNumber).</summary>
        public byte[] IssuerAndSerial { get; }
        /// <summary>The signing-certificate-v2 signed attribute (SEQUENCE { OID, SET { value } }).</summary>
        public byte[] SigningCertificateV2 { get; }
    }

    /// <summary>
    /// ESS signing-certificate-v2 (RFC 5035): binds the signer's certificate into the signature so
    /// it cannot be swapped for another certificate with the same key.
    /// </summary>
    internal static void WriteSigningCertificateV2(AsnWriter w, X509Certificate2 cert)
    {
        using (w.PushSequence())
        using (w.PushSequence())
        using (w.PushSequence())
        {
            // hashAlgorithm is omitted: SHA-256 is its DEFAULT and DER forbids encoding defaults.
            w.WriteOctetString(SHA256.HashData(cert.RawData));
            using (w.PushSequence())
            {
                using (w.PushSequence())
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4)))
                    w.WriteEncodedValue(cert.IssuerName.RawData);
                w.WriteInteger(cert.SerialNumberBytes.Span);
            }
        }
    }

    internal static void WriteIssuerAndSerial(AsnWriter w, X509Certificate2 cert)
    {
        using (w.PushSequence())
        {
            w.WriteEncodedValue(cert.IssuerName.RawData);
            // SerialNumberBytes is the INTEGER's two's-complement content, so it is written as is.
            w.WriteInteger(cert.SerialNumberBytes.Span);
        }
    }

    internal static void WriteSha256AlgorithmId(AsnWriter w)
    {
        // RFC 5754 3: the parameters of SHA-2 digest algorithms are absent.
        using (w.PushSequence())
            w.WriteObjectIdentifier(CmsOids.Sha256);
    }

    private static void WriteSignatureAlgorithm(AsnWriter w, SigningIdentity identity)
    {
        using (w.PushSequence())
        {
            if (identity.KeyAlgorithm == "ECDSA")
            {
                w.WriteObjectIdentifier(CmsOids.EcdsaWithSha256);
            }
            else if (identity.RsaPadding == RSASignaturePadding.Pss)
            {
                // RSASSA-PSS-params (RFC 4055 3.1): SHA-256, MGF1 with SHA-256, salt = hash length;
                // trailerField 1 is the DEFAULT and therefore omitted.
                w.WriteObjectIdentifier(CmsOids.RsaPss);
                using (w.PushSequence())
                {
                    using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                        WriteSha256AlgorithmId(w);
                    using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier(CmsOids.Mgf1);
                        WriteSha256AlgorithmId(w);
                    }
                    using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
                        w.WriteInteger(32);
                }
            }
            else
            {
                w.WriteObjectIdentifier(CmsOids.Sha256WithRsa);
                w.WriteNull();
            }
        }
    }

    /// <summary>Encodes a TLV with the given single-byte tag and the given contents.</summary>
    private static byte[] Retag(byte tag, ReadOnlySpan<byte> contents)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        w.WriteOctetString(contents);
        var encoded = w.Encode();
        encoded[0] = tag;
        return encoded;
    }

    /// <summary>An Attribute (SEQUENCE { OID, SET OF value }) with one already-encoded value.</summary>
    internal static byte[] Attribute(string oid, ReadOnlySpan<byte> encodedValue)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            using (w.PushSetOf())
                w.WriteEncodedValue(encodedValue);
        }
        return w.Encode();
    }
}
