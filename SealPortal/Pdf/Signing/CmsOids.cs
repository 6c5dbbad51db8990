using System.Security.Cryptography;

namespace SealPortal.Pdf.Signing;

/// <summary>Object identifiers used by the CMS, ESS, PAdES and RFC 3161 structures we read and write.</summary>
internal static class CmsOids
{
    public const string Data = "1.2.840.113549.1.7.1";
    public const string SignedData = "1.2.840.113549.1.7.2";
    public const string TstInfo = "1.2.840.113549.1.9.16.1.4";

    public const string ContentTypeAttr = "1.2.840.113549.1.9.3";
    public const string MessageDigestAttr = "1.2.840.113549.1.9.4";
    public const string SigningTimeAttr = "1.2.840.113549.1.9.5";
    public const string SigningCertificateAttr = "1.2.840.113549.1.9.16.2.12";
    public const string SigningCertificateV2Attr = "1.2.840.113549.1.9.16.2.47";
    public const string SignatureTimeStampTokenAttr = "1.2.840.113549.1.9.16.2.14";

    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";

    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string Mgf1 = "1.2.840.113549.1.1.8";

    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";

    public const string KpTimeStamping = "1.3.6.1.5.5.7.3.8";

    public static HashAlgorithmName? DigestFromOid(string oid) => oid switch
    {
        Sha1 => HashAlgorithmName.SHA1,
        Sha256 => HashAlgorithmName.SHA256,
        Sha384 => HashAlgorithmName.SHA384,
        Sha512 => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static int DigestLength(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => 20,
        "SHA256" => 32,
        "SHA384" => 48,
        "SHA512" => 64,
        _ => 0,
    };
}
