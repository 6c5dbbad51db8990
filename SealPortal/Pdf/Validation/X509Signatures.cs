using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Signing;

namespace SealPortal.Pdf.Validation;

/// <summary>Signature checks of X.509 structures without BouncyCastle key objects.</summary>
public static class X509Signatures
{
    /// <summary>
    /// Whether <paramref name="issuer"/>'s key verifies a certificate, CRL or BasicOCSPResponse: all
    /// three are SEQUENCE { to-be-signed, algorithm, BIT STRING signature }. Done with the
    /// platform's RSA/ECDSA (about 0.1 ms): BouncyCastle validates an RSA modulus each time it makes
    /// a public key (about 100 ms for RSA-3072), which alone broke the 5 ms budget of B-LT.
    /// The outcome is remembered per (signed bytes, issuer) by <see cref="CertificateCache"/>: the same
    /// certificates and OCSP responses are checked in every seal and every verification.
    /// </summary>
    public static bool Verify(byte[] signedDer, X509Certificate2 issuer) => CertificateCache.Verified(signedDer, issuer, VerifyOnce);

    private static bool VerifyOnce(byte[] signedDer, X509Certificate2 issuer)
    {
        try
        {
            var outer = new System.Formats.Asn1.AsnReader(signedDer, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
            var tbs = outer.ReadEncodedValue().ToArray();
            var algorithm = outer.ReadSequence().ReadObjectIdentifier();
            var signature = outer.ReadBitString(out _);
            switch (algorithm)
            {
                case CmsOids.Sha256WithRsa or CmsOids.Sha384WithRsa or CmsOids.Sha512WithRsa:
                {
                    using var rsa = issuer.GetRSAPublicKey();
                    return rsa is not null && rsa.VerifyData(tbs, signature, HashOf(algorithm), RSASignaturePadding.Pkcs1);
                }
                case CmsOids.EcdsaWithSha256 or CmsOids.EcdsaWithSha384 or CmsOids.EcdsaWithSha512:
                {
                    using var ec = issuer.GetECDsaPublicKey();
                    return ec is not null && ec.VerifyData(tbs, signature, HashOf(algorithm), DSASignatureFormat.Rfc3279DerSequence);
                }
                default:
                    // Rarer algorithms (RSA-PSS, SHA-1): BouncyCastle knows them all.
                    new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(signedDer).Verify(OcspProtocol.ToBouncyCastle(issuer).GetPublicKey());
                    return true;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static HashAlgorithmName HashOf(string signatureOid) => signatureOid switch
    {
        CmsOids.Sha384WithRsa or CmsOids.EcdsaWithSha384 => HashAlgorithmName.SHA384,
        CmsOids.Sha512WithRsa or CmsOids.EcdsaWithSha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

}
