using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Signing;

public class CadesSignatureBuilderTests
{
    public static TheoryData<string, bool> Keys => new()
    {
        { "seal-rsa", false },
        { "seal-rsa", true },
        { "seal-ecdsa", false },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Openssl_verifies_the_detached_signature_over_the_content_whose_digest_was_signed(string key, bool pss)
    {
        using var id = SamplePki.Load(key);
        if (pss)
            id.RsaPadding = RSASignaturePadding.Pss;
        var dir = Directory.CreateTempSubdirectory("cades-");
        try
        {
            var content = "stand-in for the PDF bytes covered by /ByteRange\n"u8.ToArray();
            var contentPath = Path.Combine(dir.FullName, "content.bin");
            var cmsPath = Path.Combine(dir.FullName, "sig.der");
            await File.WriteAllBytesAsync(contentPath, content);
            var cms = await CadesSignatureBuilder.BuildAsync(SHA256.HashData(content), id, null, CancellationToken.None);
            await File.WriteAllBytesAsync(cmsPath, cms);

            var (code, output) = SamplePki.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cmsPath,
                "-content", contentPath, "-CAfile", SamplePki.Path_("sample-root-ca.crt"), "-purpose", "any", "-out", "/dev/null");
            Assert.True(code == 0, output);
            Assert.Contains("Verification successful", output);

            // The same CMS must fail for other content: proves openssl really checked the digest.
            await File.WriteAllBytesAsync(contentPath, "tampered"u8.ToArray());
            (code, _) = SamplePki.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cmsPath,
                "-content", contentPath, "-CAfile", SamplePki.Path_("sample-root-ca.crt"), "-purpose", "any", "-out", "/dev/null");
            Assert.NotEqual(0, code);

            Assert.True(cms.Length <= CadesSignatureBuilder.EstimateMaxSize(id, null),
                $"{cms.Length} > estimate {CadesSignatureBuilder.EstimateMaxSize(id, null)}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Dotnet_SignedCms_accepts_the_structure_with_PAdES_attributes_and_the_whole_chain()
    {
        using var id = SamplePki.Load("seal-rsa");
        var content = "hello"u8.ToArray();
        var cms = await CadesSignatureBuilder.BuildAsync(SHA256.HashData(content), id, null, CancellationToken.None);

        var signed = new SignedCms(new ContentInfo(content), detached: true);
        signed.Decode(cms);
        signed.CheckSignature(verifySignatureOnly: true);
        Assert.Equal(3, signed.Certificates.Count);
        Assert.Single(signed.SignerInfos);
        var signer = signed.SignerInfos[0];
        Assert.Equal(id.Certificate.Thumbprint, signer.Certificate!.Thumbprint);
        var attrOids = signer.SignedAttributes.Cast<CryptographicAttributeObject>().Select(a => a.Oid.Value).ToHashSet();
        Assert.Contains("1.2.840.113549.1.9.3", attrOids);
        Assert.Contains("1.2.840.113549.1.9.4", attrOids);
        Assert.Contains("1.2.840.113549.1.9.16.2.47", attrOids);
        Assert.DoesNotContain("1.2.840.113549.1.9.5", attrOids); // PAdES baseline: no signing-time
        Assert.True(signer.UnsignedAttributes.Count == 0, "B-B has no unsigned attributes");
    }

    [Fact]
    public async Task Wrong_length_digest_is_refused()
    {
        using var id = SamplePki.Load("seal-ecdsa");
        await Assert.ThrowsAsync<ArgumentException>(() => CadesSignatureBuilder.BuildAsync(new byte[20], id, null, CancellationToken.None));
    }
}
