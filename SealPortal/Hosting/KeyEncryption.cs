using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace SealPortal.Hosting;

/// <summary>
/// Encrypts the data-protection keys at rest (they protect the sign-in cookies and the seal
/// certificates' passwords) with the RSA certificate named by "DataProtection:CertificatePath" and
/// "DataProtection:CertificatePassword" (a PKCS#12 file). It is required: the keys are stored in the
/// database (see SharedKeyRing), and never as plain XML.
/// </summary>
/// <remarks>
/// ASP.NET Core's own certificate decryptor finds the certificate in the user's certificate store
/// or in options only its builder extension (which needs the certificate while services are being
/// registered, before a test host's settings exist) can fill. This pair reads it from configuration
/// when the key ring is first built: AES-256-GCM over the key's XML, the AES key wrapped with
/// RSA-OAEP-SHA256.
/// </remarks>
public static class KeyEncryption
{
    public const string Section = "DataProtection";

    public static IServiceCollection AddKeyEncryption(this IServiceCollection services)
    {
        services.AddSingleton<KeyCertificate>();
        // Never a plain key: without a certificate the key ring cannot be written at all (the start-up
        // check in DatabaseInitializer says so first, in words).
        services.AddOptions<KeyManagementOptions>().Configure<KeyCertificate>((o, key) =>
            o.XmlEncryptor = new CertificateKeyEncryptor(key.Required));
        return services;
    }

    public sealed class KeyCertificate(IConfiguration configuration, IHostEnvironment environment)
    {
        private readonly Lazy<X509Certificate2?> certificate = new(() =>
        {
            var path = configuration[$"{Section}:CertificatePath"];
            return string.IsNullOrWhiteSpace(path)
                ? null
                : X509CertificateLoader.LoadPkcs12FromFile(Path.GetFullPath(path, environment.ContentRootPath), configuration[$"{Section}:CertificatePassword"]);
        });

        public X509Certificate2? Certificate => certificate.Value;

        public X509Certificate2 Required => Certificate ?? throw new InvalidOperationException(MissingMessage);

        public const string MissingMessage =
            "DataProtection:CertificatePath is not set. The data-protection keys (sign-in cookies, forms, the seal " +
            "certificates' passwords) are kept in the database encrypted with that certificate: set it to a PKCS#12 file " +
            "with an RSA key (and DataProtection:CertificatePassword). Development uses certs-sample/sample-dataprotection.pfx.";

        /// <summary>Encrypts one key element as the key manager would (for keys imported from files).</summary>
        public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new CertificateKeyEncryptor(Required).Encrypt(plaintextElement);
    }

    private sealed class CertificateKeyEncryptor(X509Certificate2 certificate) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
            var key = RandomNumberGenerator.GetBytes(32);
            var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
            var tag = new byte[AesGcm.TagByteSizes.MaxSize];
            var cipher = new byte[plain.Length];
            using (var aes = new AesGcm(key, tag.Length))
                aes.Encrypt(nonce, plain, cipher, tag);
            using var rsa = certificate.GetRSAPublicKey()
                ?? throw new InvalidOperationException("DataProtection:CertificatePath must name a certificate with an RSA key.");
            var element = new XElement("encryptedKey",
                new XAttribute("thumbprint", certificate.Thumbprint),
                new XElement("wrappedKey", Convert.ToBase64String(rsa.Encrypt(key, RSAEncryptionPadding.OaepSHA256))),
                new XElement("nonce", Convert.ToBase64String(nonce)),
                new XElement("tag", Convert.ToBase64String(tag)),
                new XElement("data", Convert.ToBase64String(cipher)));
            return new EncryptedXmlInfo(element, typeof(CertificateKeyDecryptor));
        }
    }

    /// <summary>Made by the key manager from the type name recorded next to each encrypted key.</summary>
    public sealed class CertificateKeyDecryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            var certificate = services.GetRequiredService<KeyCertificate>().Certificate
                ?? throw new InvalidOperationException("The data-protection keys are encrypted, but DataProtection:CertificatePath is not set.");
            if (!string.Equals((string?)encryptedElement.Attribute("thumbprint"), certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"A data-protection key is encrypted for certificate {(string?)encryptedElement.Attribute("thumbprint")}, not the configured {certificate.Thumbprint}.");
            using var rsa = certificate.GetRSAPrivateKey()
                ?? throw new InvalidOperationException("DataProtection:CertificatePath must hold the certificate's private key.");
            byte[] Part(string name) => Convert.FromBase64String((string?)encryptedElement.Element(name) ?? "");
            var key = rsa.Decrypt(Part("wrappedKey"), RSAEncryptionPadding.OaepSHA256);
            var cipher = Part("data");
            var tag = Part("tag");
            var plain = new byte[cipher.Length];
            using (var aes = new AesGcm(key, tag.Length))
                aes.Decrypt(Part("nonce"), cipher, tag, plain);
            return XElement.Parse(Encoding.UTF8.GetString(plain));
        }
    }
}
