using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Validation;

public class CmsSignatureVerifierTests
{
    private static readonly byte[] Content = "bytes covered by the PDF ByteRange"u8.ToArray();
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static CmsTrustOptions Trust(DateTimeOffset? claimed = null) => new([SamplePki.Root()], Now, claimed);

    private static Func<HashAlgorithmName, byte[]> DigestOf(byte[] content) => alg => CryptographicOperations.HashData(alg, content);

    private static async Task<byte[]> Sign(string key, bool pss = false, DateTimeOffset? loadAt = null)
    {
        using var id = loadAt is { } t ? SamplePki.Load(key, t) : SamplePki.Load(key);
        if (pss)
            id.RsaPadding = RSASignaturePadding.Pss;
        return await CadesSignatureBuilder.BuildAsync(SHA256.HashData(Content), id, null, CancellationToken.None);
    }

    [Theory]
    [InlineData("seal-rsa", false, "RSA PKCS#1 v1.5 with SHA256")]
    [InlineData("seal-rsa", true, "RSA-PSS with SHA256")]
    [InlineData("seal-ecdsa", false, "ECDSA with SHA256")]
    public async Task Own_signatures_verify_completely(string key, bool pss, string algorithm)
    {
        var cms = await Sign(key, pss);
        var padded = cms.Concat(new byte[500]).ToArray(); // as read from a zero-padded /Contents

        var r = CmsSignatureVerifier.Verify(padded, DigestOf(Content), Trust());

        Assert.True(r.IsValid, string.Join("; ", r.Problems));
        Assert.Empty(r.Problems);
        Assert.True(r.Decoded && r.DigestValid && r.SignatureValid && r.ChainTrusted && r.KeyUsageOk && r.ValidAtSigningTime);
        Assert.Equal(algorithm, r.SignatureAlgorithm);
        Assert.Equal(HashAlgorithmName.SHA256, r.DigestAlgorithm);
        Assert.Contains("SAMPLE Company Seal", r.SignerSubject);
        Assert.Equal(3, r.Certificates.Count);
        Assert.Equal(3, r.Chain.Count);
        Assert.Null(r.Timestamp);
        Assert.Null(r.ClaimedSigningTime);
        Assert.Equal(VerificationTimeSource.Now, r.VerificationTimeSource);
    }

    [Fact]
    public async Task Changed_document_is_caught()
    {
        var cms = await Sign("seal-rsa");
        var r = CmsSignatureVerifier.Verify(cms, DigestOf("other bytes"u8.ToArray()), Trust());
        Assert.False(r.DigestValid);
        Assert.True(r.SignatureValid); // the signed attributes themselves are intact
        Assert.False(r.IsValid);
        Assert.Contains(r.Problems, p => p.Contains("changed after it was signed"));
    }

    [Theory]
    [InlineData("seal-rsa")]
    [InlineData("seal-ecdsa")]
    public async Task Corrupted_signature_value_is_caught(string key)
    {
        var cms = await Sign(key);
        // The signature value is the last field of a B-B SignerInfo.
        cms[^5] ^= 0x01;
        var r = CmsSignatureVerifier.Verify(cms, DigestOf(Content), Trust());
        Assert.True(r.DigestValid);
        Assert.False(r.SignatureValid);
        Assert.False(r.IsValid);
        Assert.Contains(r.Problems, p => p.Contains("corrupted or forged"));
    }

    [Fact]
    public async Task Self_signed_signer_is_not_trusted()
    {
        var cms = await Sign("seal-untrusted");
        var r = CmsSignatureVerifier.Verify(cms, DigestOf(Content), Trust());
        Assert.True(r.SignatureValid && r.DigestValid);
        Assert.False(r.ChainTrusted);
        Assert.False(r.IsValid);
        Assert.Contains(r.Problems, p => p.Contains("does not chain to a trusted root"));
    }

    [Fact]
    public async Task Without_trust_anchors_nothing_is_trusted()
    {
        var cms = await Sign("seal-rsa");
        var r = CmsSignatureVerifier.Verify(cms, DigestOf(Content), new CmsTrustOptions([], Now));
        Assert.False(r.ChainTrusted);
        Assert.Contains(r.Problems, p => p.Contains("no trusted root"));
    }

    [Fact]
    public async Task Expired_certificate_fails_at_now_and_passes_at_a_claimed_time_inside_its_validity()
    {
        var cms = await Sign("seal-expired", loadAt: new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero));

        var now = CmsSignatureVerifier.Verify(cms, DigestOf(Content), Trust());
        Assert.True(now.ChainTrusted);
        Assert.False(now.ValidAtSigningTime);
        Assert.False(now.IsValid);
        Assert.Contains(now.Problems, p => p.Contains("was not valid at") && p.Contains("2020-01-01"));

        var claimedIn2020 = CmsSignatureVerifier.Verify(cms, DigestOf(Content), Trust(new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.True(claimedIn2020.ValidAtSigningTime);
        Assert.Equal(VerificationTimeSource.ClaimedSigningTime, claimedIn2020.VerificationTimeSource);
        Assert.True(claimedIn2020.IsValid, string.Join("; ", claimedIn2020.Problems));
    }

    [Fact]
    public async Task Signer_whose_key_usage_forbids_signing_is_flagged()
    {
        using var ca = X509CertificateLoader.LoadPkcs12FromFile(SamplePki.Path_("sample-intermediate-ca.pfx"), SamplePki.Password);
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=SAMPLE encryption-only", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, critical: true));
        using var caKey = ca.GetRSAPrivateKey()!;
        using var issued = req.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            Now.AddDays(-1), Now.AddDays(30), [0x51, 0x02, 0x03, 0x04]);
        using var withKey = issued.CopyWithPrivateKey(key);
        using var intermediate = SamplePki.Load("seal-rsa");
        using var id = SigningIdentity.FromCertificate(withKey, intermediate.Chain);

        var cms = await CadesSignatureBuilder.BuildAsync(SHA256.HashData(Content), id, null, CancellationToken.None);
        var r = CmsSignatureVerifier.Verify(cms, DigestOf(Content), Trust());

        Assert.True(r.SignatureValid && r.DigestValid && r.ChainTrusted);
        Assert.False(r.KeyUsageOk);
        Assert.False(r.IsValid);
        Assert.Contains(r.Problems, p => p.Contains("key usage"));
    }

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "empty", [] },
        { "zeros", new byte[64] },
        { "text", "not a signature at all"u8.ToArray() },
        { "random", RandomNumberGenerator.GetBytes(300) },
        { "wrong content type", [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0, 0x00] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_gives_a_result_not_an_exception(string label, byte[] bytes)
    {
        var r = CmsSignatureVerifier.Verify(bytes, DigestOf(Content), Trust());
        Assert.False(r.Decoded, label);
        Assert.False(r.SignatureValid);
        Assert.False(r.IsValid);
        Assert.StartsWith("the signature container cannot be decoded: ", Assert.Single(r.Problems));
    }

    [Fact]
    public async Task Every_truncation_and_many_bit_flips_of_a_real_signature_are_handled_without_exceptions()
    {
        var cms = await Sign("seal-ecdsa");
        for (var len = 0; len < cms.Length; len += 7)
        {
            var r = CmsSignatureVerifier.Verify(cms.AsSpan(0, len), DigestOf(Content), Trust());
            Assert.False(r.IsValid, $"truncated to {len}");
        }
        var rng = new Random(1234);
        for (var i = 0; i < 300; i++)
        {
            var copy = (byte[])cms.Clone();
            copy[rng.Next(copy.Length)] ^= (byte)(1 << rng.Next(8));
            CmsSignatureVerifier.Verify(copy, DigestOf(Content), Trust());
        }
    }

    [Fact]
    public async Task Unreadable_signed_bytes_are_a_problem_but_a_broken_callback_is_the_callers_exception()
    {
        var cms = await Sign("seal-rsa");
        var r = CmsSignatureVerifier.Verify(cms, _ => throw new IOException("disk gone"), Trust());
        Assert.True(r.Decoded);
        Assert.False(r.DigestValid);
        Assert.False(r.IsValid);
        Assert.Contains(r.Problems, p => p.Contains("cannot be read: disk gone"));

        Assert.Throws<InvalidOperationException>(() => CmsSignatureVerifier.Verify(cms, _ => throw new InvalidOperationException("bug"), Trust()));
    }
}
