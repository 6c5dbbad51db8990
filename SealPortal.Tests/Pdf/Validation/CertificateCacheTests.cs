using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Validation;
using Xunit;

namespace SealPortal.Tests.Pdf.Validation;

public class CertificateCacheTests
{
    private static (X509Certificate2 Ca, RSA CaKey) NewCa(string name)
    {
        var key = RSA.Create(2048);
        var req = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        return (req.CreateSelfSigned(now.AddDays(-1), now.AddYears(1)), key);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return req.Create(ca, now.AddDays(-1), now.AddMonths(6), RandomNumberGenerator.GetBytes(12)); // ca carries its key
    }

    [Fact]
    public void Each_load_is_the_callers_own_certificate_and_disposing_it_leaves_the_others_usable()
    {
        var (ca, caKey) = NewCa("Cache Test CA");
        using var _ = ca;
        using var __ = caKey;
        using var leaf = Issue(ca, "Cache Test Leaf");

        var first = CertificateCache.Load(leaf.RawData);
        var second = CertificateCache.Load(leaf.RawData);
        Assert.NotSame(first, second);
        Assert.Equal(leaf.RawData, first.RawData);
        first.Dispose();
        first.Dispose();

        // The copy still has its subject, thumbprint and key after the other copy was disposed.
        Assert.Equal("CN=Cache Test Leaf", second.Subject);
        Assert.Equal(leaf.Thumbprint, second.Thumbprint);
        using (var key = second.GetRSAPublicKey())
            Assert.Equal(2048, key!.KeySize);
        second.Dispose();

        using var third = CertificateCache.Load(leaf.RawData);
        Assert.Equal(leaf.Thumbprint, third.Thumbprint);
        Assert.Throws<CryptographicException>(() => CertificateCache.Load([0x30, 0x03, 0x02, 0x01, 0x01]));
    }

    [Fact]
    public void A_remembered_check_answers_only_for_the_same_signed_bytes_and_the_same_issuer()
    {
        var (ca, caKey) = NewCa("Memo CA");
        var (twin, twinKey) = NewCa("Memo CA"); // same name, other key
        using var _ = ca;
        using var __ = caKey;
        using var ___ = twin;
        using var ____ = twinKey;
        using var leaf = Issue(ca, "Memo Leaf");

        var calls = 0;
        bool Counted(byte[] der, X509Certificate2 issuer)
        {
            calls++;
            return X509Signatures.Verify(der, issuer);
        }

        Assert.True(CertificateCache.Verified(leaf.RawData, ca, Counted));
        Assert.Equal(1, calls);
        Assert.True(CertificateCache.Verified((byte[])leaf.RawData.Clone(), ca, Counted));
        Assert.Equal(1, calls); // same bytes, same issuer: remembered

        // Another issuer with the same name is a new question, and its answer is no.
        Assert.False(CertificateCache.Verified(leaf.RawData, twin, Counted));
        Assert.Equal(2, calls);

        // One changed byte in the signature is a new question too, whatever was remembered.
        var forged = (byte[])leaf.RawData.Clone();
        forged[^5] ^= 0x01;
        Assert.False(CertificateCache.Verified(forged, ca, Counted));
        Assert.Equal(3, calls);
        Assert.False(X509Signatures.Verify(forged, ca));
        Assert.True(X509Signatures.Verify(leaf.RawData, ca));
        Assert.False(X509Signatures.Verify(leaf.RawData, twin));
    }
}
