using System.Security.Cryptography;
using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Signing;

public class SigningIdentityTests
{
    [Fact]
    public void Loads_the_seal_with_its_issuers_nearest_first()
    {
        using var id = SamplePki.Load("seal-rsa");
        Assert.True(id.Certificate.HasPrivateKey);
        Assert.Contains("SAMPLE Company Seal (RSA)", id.Certificate.Subject);
        Assert.Equal(2, id.Chain.Count);
        Assert.Contains("Intermediate", id.Chain[0].Subject);
        Assert.Contains("Root", id.Chain[1].Subject);
        Assert.Equal(RSASignaturePadding.Pkcs1, id.RsaPadding);
        Assert.Equal("RSA", id.KeyAlgorithm);
    }

    [Fact]
    public void Missing_file_is_named_in_the_message()
    {
        var ex = Assert.Throws<SigningIdentityException>(() => SigningIdentity.LoadPkcs12("/nonexistent/seal.pfx", "x"));
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void Wrong_password_says_so()
    {
        var ex = Assert.Throws<SigningIdentityException>(() => SigningIdentity.LoadPkcs12(SamplePki.Path_("sample-seal-ecdsa.pfx"), "wrong"));
        Assert.Contains("password", ex.Message);
        Assert.Contains("wrong", ex.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_pfx_says_so()
    {
        var ex = Assert.Throws<SigningIdentityException>(() => SigningIdentity.LoadPkcs12(SamplePki.Path_("sample-root-ca.crt"), "sample"));
        Assert.Contains("not a PKCS#12", ex.Message);
    }

    [Fact]
    public void Expired_certificate_is_refused_now_but_accepted_at_a_time_inside_its_validity()
    {
        var ex = Assert.Throws<SigningIdentityException>(() => SamplePki.Load("seal-expired"));
        Assert.Contains("expired on 2021-01-01", ex.Message);
        using var then = SamplePki.Load("seal-expired", new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(2, then.Chain.Count);
    }

    [Fact]
    public void Certificate_not_yet_valid_is_refused()
    {
        var ex = Assert.Throws<SigningIdentityException>(() => SamplePki.Load("seal-rsa", new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Contains("not valid yet", ex.Message);
    }

    [Fact]
    public void A_pfx_without_private_key_is_refused()
    {
        using var cert = SamplePki.Root();
        var pfx = cert.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "pw");
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, pfx);
            var ex = Assert.Throws<SigningIdentityException>(() => SigningIdentity.LoadPkcs12(path, "pw"));
            Assert.Contains("no private key", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromCertificate_keeps_the_callers_certificates_and_can_check_validity_on_demand()
    {
        using var loaded = SamplePki.Load("seal-ecdsa");
        using (var wrapped = SigningIdentity.FromCertificate(loaded.Certificate, loaded.Chain.Reverse()))
        {
            Assert.Contains("Intermediate", wrapped.Chain[0].Subject); // re-ordered nearest first
            wrapped.EnsureValidAt(DateTimeOffset.UtcNow);
            var ex = Assert.Throws<SigningIdentityException>(() => wrapped.EnsureValidAt(new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.Contains("expired", ex.Message);
        }
        // Disposing the wrapper must not dispose certificates it does not own.
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.NotEmpty(loaded.Certificate.RawData);
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("dsa")]
    public void Keys_other_than_RSA_and_ECDSA_are_refused_with_a_clear_message(string algorithm)
    {
        var dir = Directory.CreateTempSubdirectory("pfx-");
        try
        {
            string F(string n) => Path.Combine(dir.FullName, n);
            if (algorithm == "dsa")
            {
                Assert.Equal(0, SamplePki.Run("openssl", "genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024", "-out", F("p.pem")).Code);
                Assert.Equal(0, SamplePki.Run("openssl", "genpkey", "-paramfile", F("p.pem"), "-out", F("k.pem")).Code);
            }
            else
            {
                Assert.Equal(0, SamplePki.Run("openssl", "genpkey", "-algorithm", "ed25519", "-out", F("k.pem")).Code);
            }
            Assert.Equal(0, SamplePki.Run("openssl", "req", "-x509", "-key", F("k.pem"), "-subj", "/CN=SAMPLE other key", "-days", "30", "-out", F("c.pem")).Code);
            Assert.Equal(0, SamplePki.Run("openssl", "pkcs12", "-export", "-inkey", F("k.pem"), "-in", F("c.pem"), "-passout", "pass:pw", "-out", F("k.pfx")).Code);

            var ex = Assert.Throws<SigningIdentityException>(() => SigningIdentity.LoadPkcs12(F("k.pfx"), "pw"));
            Assert.Contains("not supported; use an RSA or ECDSA key", ex.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
