using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Sealing;
using SealPortal.Features.Seals;
using SealPortal.Pdf.Incremental;
using SealPortal.Cli;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Sealing;

public class DocumentSealerTests(SealingPortal portal) : IClassFixture<SealingPortal>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("document-sealer-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Two_seals_RSA_and_ECDSA_are_successive_revisions_that_pdfsig_qpdf_and_our_verifier_accept()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var ecdsa = await portal.SealIdAsync(SealingPortal.EcdsaSeal);
        var original = PdfTestKit.ClassicPdf(2);

        await using var scope = portal.Services.CreateAsyncScope();
        using var sealedDoc = await Sealer(scope).SealAsync(new MemoryStream(original),
        [
            new SealApplication(rsa, 1, new PdfSealRect(400, 80, 120, 120), false, "26-00001 合同", "上海"),
            new SealApplication(ecdsa, 2, null, false, "26-00001 合同"),
        ]);

        Assert.Equal([rsa, ecdsa], sealedDoc.Seals.Select(s => s.SealId));
        Assert.All(sealedDoc.Seals, s => Assert.False(s.Timestamped));
        var bytes = await File.ReadAllBytesAsync(sealedDoc.Path);
        Assert.Equal(sealedDoc.Length, bytes.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), sealedDoc.Sha256);
        Assert.Equal(original, bytes[..original.Length]);
        // The stored seal image (a 96-pixel ring), not the engine's default vector seal, is what was drawn.
        Assert.Contains("/Width 96", System.Text.Encoding.Latin1.GetString(bytes));
        using (var pdf = PdfFile.Open(new MemoryStream(bytes), leaveOpen: false))
            Assert.Equal(3, pdf.Revisions.Count);

        var file = Path.Combine(_dir.FullName, "sealed.pdf");
        await File.WriteAllBytesAsync(file, bytes);
        var (_, pdfsig) = SamplePki.Run("pdfsig", file);
        Assert.Equal(2, CountOf(pdfsig, "Signature is Valid."));
        Assert.DoesNotContain("Digest Mismatch", pdfsig);
        var (qpdfExit, qpdf) = SamplePki.Run("qpdf", "--check", file);
        Assert.True(qpdfExit == 0, qpdf);
        Assert.Contains("No syntax or stream encoding errors", qpdf);

        var report = PdfSignatureVerifier.Verify(new MemoryStream(bytes), new VerifyOptions { TrustAnchors = [SamplePki.Root()], Now = portal.Clock.GetUtcNow() });
        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Equal(2, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.Equal(SignatureStatus.Valid, s.Status));
        Assert.Contains(report.Signatures, s => s.SignerSubject!.Contains("ECDSA", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(portal.ScratchFiles(), f => f != sealedDoc.Path && !sealedDoc.Path.StartsWith(f));

        sealedDoc.Dispose();
        Assert.Empty(portal.ScratchFiles());
    }

    [Fact]
    public async Task With_a_time_stamp_authority_every_seal_carries_a_valid_time_stamp()
    {
        using var tsaIdentity = SamplePki.Load("tsa");
        await using var tsa = await TimestampServer.StartAsync(new TimestampAuthority(tsaIdentity, TimeProvider.System), 0);
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var ecdsa = await portal.SealIdAsync(SealingPortal.EcdsaSeal);

        await using var scope = portal.Services.CreateAsyncScope();
        using var sealedDoc = await Sealer(scope, tsa.Url.ToString()).SealAsync(new MemoryStream(PdfTestKit.ClassicPdf(1)),
            [new SealApplication(rsa, 1, null, false), new SealApplication(ecdsa, 1, null, CrossPage: true)]);

        Assert.All(sealedDoc.Seals, s => Assert.True(s.Timestamped));
        await using var read = sealedDoc.OpenRead();
        var report = PdfSignatureVerifier.Verify(read, new VerifyOptions { TrustAnchors = [SamplePki.Root()], Now = portal.Clock.GetUtcNow() });
        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Equal(2, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.True(s.Timestamp is { Present: true, Valid: true }, $"{s.FieldName}: {string.Join("; ", s.Problems)}"));
    }

    [Fact]
    public async Task When_the_time_stamp_authority_is_down_sealing_fails_and_leaves_nothing()
    {
        using var tsaIdentity = SamplePki.Load("tsa");
        var tsa = await TimestampServer.StartAsync(new TimestampAuthority(tsaIdentity, TimeProvider.System), 0);
        var url = tsa.Url.ToString();
        await tsa.DisposeAsync();
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);

        await using var scope = portal.Services.CreateAsyncScope();
        var error = await Assert.ThrowsAsync<SealingException>(() => Sealer(scope, url).SealAsync(new MemoryStream(PdfTestKit.ClassicPdf(1)),
            [new SealApplication(rsa, 1, null, false)]));

        Assert.Equal(rsa, error.SealId);
        Assert.Contains("time-stamp authority", error.Message);
        Assert.Contains(SealingPortal.RsaSeal, error.Message);
        Assert.Empty(portal.ScratchFiles());
    }

    [Fact]
    public async Task A_seal_whose_certificate_has_expired_is_refused_with_the_reason_before_anything_is_signed()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var ecdsa = await portal.SealIdAsync(SealingPortal.EcdsaSeal);
        await using var scope = portal.Services.CreateAsyncScope();
        var notAfter = (await scope.ServiceProvider.GetRequiredService<SealRegistry>().GetAsync(ecdsa))!.Certificate!.NotAfter;
        portal.Clock.SetUtcNow(notAfter.AddDays(1));
        try
        {
            var error = await Assert.ThrowsAsync<SealingException>(() => Sealer(scope).SealAsync(new MemoryStream(PdfTestKit.ClassicPdf(1)),
                [new SealApplication(rsa, 1, null, false), new SealApplication(ecdsa, 1, null, false)]));
            Assert.True(error.SealId is { } id && (id == rsa || id == ecdsa));
            Assert.Contains("expired on", error.Message);
            Assert.Empty(portal.ScratchFiles());
        }
        finally
        {
            portal.Clock.Reset();
        }
    }

    [Fact]
    public async Task A_seal_that_is_not_active_or_is_physical_is_refused_with_the_reason()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        await using var scope = portal.Services.CreateAsyncScope();
        var sealer = Sealer(scope);

        var error = await Assert.ThrowsAsync<SealingException>(() => sealer.SealAsync(new MemoryStream(PdfTestKit.ClassicPdf(1)),
            [new SealApplication(physical, 1, null, false)]));
        Assert.Equal("The seal 公司公章 is a physical seal and cannot be applied electronically.", error.Message);

        var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
        Assert.True((await registry.ChangeStatusAsync(rsa, SealStatus.Lost, "遗失", "admin")).Succeeded);
        try
        {
            error = await Assert.ThrowsAsync<SealingException>(() => sealer.SealAsync(new MemoryStream(PdfTestKit.ClassicPdf(1)),
                [new SealApplication(rsa, 1, null, false)]));
            Assert.Contains("cannot be used", error.Message);
        }
        finally
        {
            Assert.True((await registry.ChangeStatusAsync(rsa, SealStatus.Active, "找回", "admin")).Succeeded);
        }
        Assert.Empty(portal.ScratchFiles());
    }

    [Fact]
    public async Task A_page_outside_the_document_fails_and_leaves_nothing()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        await using var scope = portal.Services.CreateAsyncScope();
        var error = await Assert.ThrowsAsync<SealingException>(() => Sealer(scope).SealAsync(new MemoryStream(PdfTestKit.ClassicPdf(2)),
            [new SealApplication(rsa, 1, null, false), new SealApplication(rsa, 5, null, false)]));
        Assert.Contains(SealingPortal.RsaSeal, error.Message);
        Assert.Empty(portal.ScratchFiles());
    }

    [Fact]
    public async Task A_seal_is_unlocked_once_for_many_runs_and_again_after_a_new_certificate_or_image_is_bound()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        await using var scope = portal.Services.CreateAsyncScope();
        var cache = scope.ServiceProvider.GetRequiredService<SealMaterialCache>();
        var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
        var rsaThumbprint = (await registry.GetAsync(rsa))!.Certificate!.Thumbprint;

        async Task<AppliedSeal> SealOnceAsync()
        {
            using var sealedDoc = await Sealer(scope).SealAsync(new MemoryStream(PdfTestKit.ClassicPdf(1)), [new SealApplication(rsa, 1, null, false)]);
            return sealedDoc.Seals.Single();
        }

        await SealOnceAsync();
        var loads = cache.Loads;
        for (var i = 0; i < 3; i++)
            Assert.Equal(rsaThumbprint, (await SealOnceAsync()).CertificateThumbprint);
        Assert.Equal(loads, cache.Loads);

        // Another certificate bound to the seal signs the very next document.
        Assert.True((await registry.BindCertificateFileAsync(rsa, SamplePki.Path_("sample-seal-ecdsa.pfx"), SamplePki.Password, "admin")).Succeeded);
        try
        {
            var ecdsaThumbprint = (await registry.GetAsync(rsa))!.Certificate!.Thumbprint;
            Assert.NotEqual(rsaThumbprint, ecdsaThumbprint);
            Assert.Equal(ecdsaThumbprint, (await SealOnceAsync()).CertificateThumbprint);
            Assert.Equal(loads + 1, cache.Loads);
        }
        finally
        {
            Assert.True((await registry.BindCertificateFileAsync(rsa, SamplePki.Path_("sample-seal-rsa.pfx"), SamplePki.Password, "admin")).Succeeded);
        }
        Assert.Equal(rsaThumbprint, (await SealOnceAsync()).CertificateThumbprint);
        Assert.Equal(loads + 2, cache.Loads);

        // So does a new image: the drawn image is the new one (48 pixels wide), not the cached ring.
        var small = SealPortal.Features.Seals.Imaging.SealPng.EncodeRgba(48, 48, Enumerable.Repeat((byte)0xC0, 48 * 48 * 4).ToArray());
        Assert.True((await registry.SetImageAsync(rsa, small, "admin")).Succeeded);
        try
        {
            using var sealedDoc = await Sealer(scope).SealAsync(new MemoryStream(PdfTestKit.ClassicPdf(1)), [new SealApplication(rsa, 1, null, false)]);
            Assert.Contains("/Width 48", System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(sealedDoc.Path)));
            Assert.Equal(loads + 3, cache.Loads);
        }
        finally
        {
            Assert.True((await registry.SetImageAsync(rsa, SealingPortal.RingPng(), "admin")).Succeeded);
        }
        Assert.Empty(portal.ScratchFiles());
    }

    private static DocumentSealer Sealer(AsyncServiceScope scope, string? tsaUrl = null) =>
        ActivatorUtilities.CreateInstance<DocumentSealer>(scope.ServiceProvider, Options.Create(new SigningOptions { TsaUrl = tsaUrl, TsaTimeoutSeconds = 10 }));

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
            n++;
        return n;
    }
}
