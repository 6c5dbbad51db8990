using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// A seal's signing key: the certificate with its private key (RSA or ECDSA) and the issuing
/// certificates that go into every signature so a verifier can build the chain.
/// </summary>
public sealed class SigningIdentity : IDisposable
{
    private readonly bool _ownsCertificates;
    private readonly bool _isEcdsa;
    private RSASignaturePadding _rsaPadding = RSASignaturePadding.Pkcs1;
    // Private-key objects kept between signatures, one per signature in progress. Getting the key
    // from the certificate for every signature cost more than the RSA-3072 operation itself
    // (a new key object whose first use also sets up OpenSSL's per-key state). A pool rather
    // than one shared object, so concurrent signatures never share an instance.
    private readonly ConcurrentBag<AsymmetricAlgorithm> _keys = [];
    private volatile bool _disposed;

    private SigningIdentity(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, bool ownsCertificates)
    {
        Certificate = certificate;
        Chain = chain;
        _ownsCertificates = ownsCertificates;
        _isEcdsa = certificate.GetKeyAlgorithm() == CmsOids.EcPublicKey;
    }

    /// <summary>The signer's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Issuer certificates, nearest first; the signer's own certificate is not included.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>
    /// Padding for RSA keys: PKCS#1 v1.5 (default, what most PDF readers expect) or PSS.
    /// Settable after loading because the padding is a signing policy, not part of the key file.
    /// </summary>
    public RSASignaturePadding RsaPadding
    {
        get => _rsaPadding;
        set
        {
            if (value != RSASignaturePadding.Pkcs1 && value != RSASignaturePadding.Pss)
                throw new ArgumentException("only PKCS#1 v1.5 and PSS padding are supported", nameof(value));
            _rsaPadding = value;
        }
    }

    private CmsWriter.IdentityParts? _cmsParts;

    /// <summary>The CMS pieces that depend only on the certificates, encoded on first use.</summary>
    internal CmsWriter.IdentityParts CmsParts => _cmsParts ??= new CmsWriter.IdentityParts(Certificate, Chain);

    /// <summary>"RSA" or "ECDSA".</summary>
    public string KeyAlgorithm => _isEcdsa ? "ECDSA" : "RSA";

    public static SigningIdentity LoadPkcs12(string path, string password) =>
        LoadPkcs12(path, password, TimeProvider.System);

    public static SigningIdentity LoadPkcs12(string path, string password, TimeProvider time) =>
        LoadPkcs12(path, password, time.GetUtcNow());

    /// <summary>
    /// Loads a PKCS#12 (.pfx) file and checks that it can sign at <paramref name="now"/>.
    /// Every problem a user can cause becomes a <see cref="SigningIdentityException"/> whose
    /// message can be shown as is.
    /// </summary>
    public static SigningIdentity LoadPkcs12(string path, string password, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SigningIdentityException($"The certificate file '{path}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SigningIdentityException($"The certificate file '{path}' cannot be read: {ex.Message}", ex);
        }

        // Decoding the outer structure first separates "not a .pfx at all" from "wrong password",
        // which X509CertificateLoader reports with the same exception.
        Pkcs12Info info;
        try
        {
            info = Pkcs12Info.Decode(bytes, out var consumed);
            if (consumed != bytes.Length)
                throw new CryptographicException("trailing data");
        }
        catch (CryptographicException ex)
        {
            throw new SigningIdentityException($"'{name}' is not a PKCS#12 (.pfx/.p12) certificate file.", ex);
        }
        if (info.IntegrityMode == Pkcs12IntegrityMode.Password && !info.VerifyMac(password))
            throw new SigningIdentityException($"The password for '{name}' is wrong.");

        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            // .NET cannot load some key types (Ed25519, ...) at all; say which key it is rather than echo the loader.
            if (FindCertificateKeyAlgorithm(info, password) is { } unsupported)
                throw new SigningIdentityException($"'{name}': the key type ({unsupported}) is not supported; use an RSA or ECDSA key.", ex);
            throw new SigningIdentityException($"'{name}' cannot be opened: {ex.Message}", ex);
        }

        var leaf = all.FirstOrDefault(c => c.HasPrivateKey && !IsCa(c)) ?? all.FirstOrDefault(c => c.HasPrivateKey);
        if (leaf is null)
        {
            DisposeAll(all);
            throw new SigningIdentityException($"'{name}' contains no private key, so it cannot be used to sign.");
        }

        var chain = OrderChain(leaf, all.Where(c => !ReferenceEquals(c, leaf)).ToList());
        foreach (var c in all)
        {
            if (!ReferenceEquals(c, leaf) && !chain.Contains(c))
                c.Dispose();
        }

        try
        {
            CheckKey(leaf, name);
            CheckValidity(leaf, now);
        }
        catch
        {
            leaf.Dispose();
            DisposeAll(chain);
            throw;
        }
        return new SigningIdentity(leaf, chain, ownsCertificates: true);
    }

    /// <summary>
    /// Wraps a certificate that already has its private key (for example from a certificate store
    /// or an HSM-backed key). The caller keeps ownership of the certificates; validity dates are
    /// not checked here because the caller chose the certificate.
    /// </summary>
    public static SigningIdentity FromCertificate(X509Certificate2 certWithKey, IEnumerable<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(certWithKey);
        ArgumentNullException.ThrowIfNull(chain);
        if (!certWithKey.HasPrivateKey)
            throw new SigningIdentityException($"The certificate '{certWithKey.Subject}' has no private key, so it cannot be used to sign.");
        CheckKey(certWithKey, certWithKey.Subject);
        var issuers = chain.Where(c => !c.RawDataMemory.Span.SequenceEqual(certWithKey.RawDataMemory.Span)).ToList();
        return new SigningIdentity(certWithKey, OrderChain(certWithKey, issuers), ownsCertificates: false);
    }

    /// <summary>Throws a <see cref="SigningIdentityException"/> when the certificate is outside its validity period.</summary>
    public void EnsureValidAt(DateTimeOffset now) => CheckValidity(Certificate, now);

    public void Dispose()
    {
        _disposed = true;
        while (_keys.TryTake(out var key))
            key.Dispose();
        if (!_ownsCertificates)
            return;
        Certificate.Dispose();
        DisposeAll(Chain);
    }

    /// <summary>The key algorithm of the first certificate in the file when it is neither RSA nor EC, else null.</summary>
    private static string? FindCertificateKeyAlgorithm(Pkcs12Info info, string password)
    {
        try
        {
            foreach (var safe in info.AuthenticatedSafe)
            {
                if (safe.ConfidentialityMode == Pkcs12ConfidentialityMode.Password)
                    safe.Decrypt(password);
                foreach (var bag in safe.GetBags().OfType<Pkcs12CertBag>())
                {
                    if (!bag.IsX509Certificate)
                        continue;
                    using var cert = bag.GetCertificate();
                    var oid = cert.GetKeyAlgorithm();
                    if (oid is CmsOids.RsaEncryption or CmsOids.EcPublicKey)
                        return null;
                    return new Oid(oid).FriendlyName ?? oid;
                }
            }
        }
        catch (CryptographicException)
        {
            // An unreadable bag only means we cannot say more than the loader already did.
        }
        return null;
    }

    private static void CheckKey(X509Certificate2 cert, string name)
    {
        switch (cert.GetKeyAlgorithm())
        {
            case CmsOids.RsaEncryption:
                using (var rsa = cert.GetRSAPrivateKey())
                {
                    if (rsa is null)
                        throw new SigningIdentityException($"'{name}': the RSA private key cannot be used.");
                    if (rsa.KeySize < 2048)
                        throw new SigningIdentityException($"'{name}': an RSA key of {rsa.KeySize} bits is too weak; at least 2048 bits are required.");
                }
                break;
            case CmsOids.EcPublicKey:
                using (var ec = cert.GetECDsaPrivateKey())
                {
                    if (ec is null)
                        throw new SigningIdentityException($"'{name}': the ECDSA private key cannot be used.");
                }
                break;
            default:
                throw new SigningIdentityException(
                    $"'{name}': the key type ({cert.PublicKey.Oid.FriendlyName ?? cert.GetKeyAlgorithm()}) is not supported; use an RSA or ECDSA key.");
        }
    }

    private static void CheckValidity(X509Certificate2 cert, DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (now < notBefore)
            throw new SigningIdentityException(
                $"The certificate '{cert.GetNameInfo(X509NameType.SimpleName, false)}' is not valid yet: it becomes valid on {notBefore:yyyy-MM-dd HH:mm} UTC.");
        if (now > notAfter)
            throw new SigningIdentityException(
                $"The certificate '{cert.GetNameInfo(X509NameType.SimpleName, false)}' expired on {notAfter:yyyy-MM-dd HH:mm} UTC.");
    }

    private static bool IsCa(X509Certificate2 cert) =>
        cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority == true;

    /// <summary>Walks issuer names from the leaf upwards so the chain is nearest first; certificates that do not belong are dropped.</summary>
    private static List<X509Certificate2> OrderChain(X509Certificate2 leaf, List<X509Certificate2> candidates)
    {
        var ordered = new List<X509Certificate2>();
        var current = leaf;
        while (current.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) is false)
        {
            var issuer = candidates.FirstOrDefault(c =>
                !ordered.Contains(c) && c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData));
            if (issuer is null)
                break;
            ordered.Add(issuer);
            current = issuer;
        }
        return ordered;
    }

    private static void DisposeAll(IEnumerable<X509Certificate2> certs)
    {
        foreach (var c in certs)
            c.Dispose();
    }

    /// <summary>Signs <paramref name="data"/> with SHA-256 and returns the signature in the form CMS stores it.</summary>
    internal byte[] SignSha256(ReadOnlySpan<byte> data)
    {
        if (!_keys.TryTake(out var key))
            key = _isEcdsa ? Certificate.GetECDsaPrivateKey()! : Certificate.GetRSAPrivateKey()!;
        try
        {
            return key is ECDsa ec
                ? ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                : ((RSA)key).SignData(data, HashAlgorithmName.SHA256, RsaPadding);
        }
        finally
        {
            // After Dispose the key is not kept (nor any another signature put back meanwhile).
            if (_disposed) key.Dispose();
            else _keys.Add(key);
            if (_disposed)
                while (_keys.TryTake(out var k)) k.Dispose();
        }
    }

    /// <summary>Upper bound of the signature length in bytes.</summary>
    internal int MaxSignatureLength()
    {
        if (KeyAlgorithm == "ECDSA")
        {
            using var ec = Certificate.GetECDsaPublicKey()!;
            var field = (ec.KeySize + 7) / 8;
            return ec.GetMaxSignatureSize(DSASignatureFormat.Rfc3279DerSequence) is var max and > 0 ? max : 2 * field + 9;
        }
        using var rsa = Certificate.GetRSAPublicKey()!;
        return (rsa.KeySize + 7) / 8;
    }
}

/// <summary>A signing key that cannot be used; the message is written for the person who configured it.</summary>
public sealed class SigningIdentityException : Exception
{
    public SigningIdentityException(string message) : base(message) { }
    public SigningIdentityException(string message, Exception inner) : base(message, inner) { }
}
