using System.Security.Cryptography;
using SealPortal.Pdf.Validation;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>CMS made by OpenSSL, so the verifier is not only checked against our own builder.</summary>
public sealed class CmsFromOtherToolsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cms-openssl-");
    private readonly byte[] _content = "the signed PDF byte ranges, signed by openssl"u8.ToArray();

    public void Dispose() => _dir.Delete(recursive: true);

    private byte[] OpensslSign(string key, string md, params string[] extra)
    {
        string F(string n) => Path.Combine(_dir.FullName, n);
        var pfx = SamplePki.Path_($"sample-{key}.pfx");
        Check(SamplePki.Run("openssl", "pkcs12", "-in", pfx, "-passin", "pass:sample", "-nodes", "-nocerts", "-out", F("key.pem")));
        Check(SamplePki.Run("openssl", "pkcs12", "-in", pfx, "-passin", "pass:sample", "-clcerts", "-nokeys", "-out", F("cert.pem")));
        File.WriteAllBytes(F("content.bin"), _content);
        Check(SamplePki.Run("openssl", ["cms", "-sign", "-binary", "-in", F("content.bin"), "-signer", F("cert.pem"), "-inkey", F("key.pem"),
            "-certfile", SamplePki.Path_("sample-chain.crt"), "-md", md, "-outform", "DER", "-out", F("sig.der"), .. extra]));
        return File.ReadAllBytes(F("sig.der"));
    }

    private static void Check((int Code, string Output) run) => Assert.True(run.Code == 0, run.Output);

    [Theory]
    [InlineData("seal-rsa", "sha256", "")]
    [InlineData("seal-rsa", "sha384", "")]
    [InlineData("seal-rsa", "sha512", "")]
    [InlineData("seal-rsa", "sha256", "-noattr")]
    [InlineData("seal-rsa", "sha256", "pss")]
    [InlineData("seal-rsa", "sha256", "-keyid")]
    [InlineData("seal-ecdsa", "sha256", "")]
    [InlineData("seal-ecdsa", "sha384", "")]
    [InlineData("seal-ecdsa", "sha256", "-noattr")]
    public void Openssl_signatures_verify_and_a_changed_document_does_not(string key, string md, string option)
    {
        string[] extra = option switch
        {
            "" => [],
            "pss" => ["-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:digest"],
            _ => [option],
        };
        var cms = OpensslSign(key, md, extra);
        var trust = new CmsTrustOptions([SamplePki.Root()], DateTimeOffset.UtcNow);

        var r = CmsSignatureVerifier.Verify(cms, alg => CryptographicOperations.HashData(alg, _content), trust);
        Assert.True(r.IsValid, string.Join("; ", r.Problems));
        Assert.Equal(md.ToUpperInvariant(), r.DigestAlgorithm?.Name);
        Assert.Equal(option != "-noattr", r.HasSignedAttributes);
        if (option != "-noattr")
        {
            // OpenSSL adds a signing-time attribute; it must be read as the claimed time.
            Assert.NotNull(r.ClaimedSigningTime);
            Assert.True(Math.Abs((r.ClaimedSigningTime!.Value - DateTimeOffset.UtcNow).TotalMinutes) < 10);
            Assert.Equal(VerificationTimeSource.ClaimedSigningTime, r.VerificationTimeSource);
        }

        var tampered = CmsSignatureVerifier.Verify(cms, alg => CryptographicOperations.HashData(alg, "changed"u8), trust);
        Assert.False(tampered.DigestValid);
        Assert.False(tampered.IsValid);
        Assert.Contains(tampered.Problems, p => p.Contains("changed after it was signed"));
    }

    [Fact]
    public void Sha1_signatures_verify_but_are_flagged()
    {
        var cms = OpensslSign("seal-rsa", "sha1");
        var r = CmsSignatureVerifier.Verify(cms, alg => CryptographicOperations.HashData(alg, _content), new CmsTrustOptions([SamplePki.Root()], DateTimeOffset.UtcNow));
        Assert.True(r.DigestValid && r.SignatureValid && r.ChainTrusted, string.Join("; ", r.Problems));
        Assert.Contains(r.Problems, p => p.Contains("SHA-1"));
    }

    [Fact]
    public void Pss_with_a_salt_length_dotnet_cannot_check_is_reported_not_thrown()
    {
        var cms = OpensslSign("seal-rsa", "sha256", "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:max");
        var r = CmsSignatureVerifier.Verify(cms, alg => CryptographicOperations.HashData(alg, _content), new CmsTrustOptions([SamplePki.Root()], DateTimeOffset.UtcNow));
        Assert.True(r.Decoded);
        Assert.True(r.DigestValid);
        Assert.False(r.SignatureValid);
        Assert.Contains(r.Problems, p => p.Contains("RSA-PSS parameters") && p.Contains("not supported"));
        Assert.DoesNotContain(r.Problems, p => p.Contains("forged"));
    }
}
