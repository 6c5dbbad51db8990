using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Cli;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Requests;
using SealPortal.Features.Sealing;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Sealing;

/// <summary>A portal that seals at B-LTA with a loopback TSA and the sample CRLs (no OCSP).</summary>
public sealed class ArchivingPortal : SealingPortal
{
    private readonly SigningIdentity _tsaIdentity = SamplePki.Load("tsa");
    private readonly TimestampServer _tsa;

    public ArchivingPortal() =>
        _tsa = TimestampServer.StartAsync(new TimestampAuthority(_tsaIdentity, TimeProvider.System), 0).GetAwaiter().GetResult();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Signing:TsaUrl"] = _tsa.Url.ToString(),
        ["Signing:Level"] = "B-LTA",
        ["Signing:UseCertificateOcsp"] = "false",
        ["Signing:CrlFiles:0"] = SamplePki.Path_("sample-intermediate-ca.crl"),
        ["Signing:CrlFiles:1"] = SamplePki.Path_("sample-root-ca.crl"),
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _tsa.DisposeAsync();
        _tsaIdentity.Dispose();
    }
}

public sealed class ArchiveTimestampRenewalTests(ArchivingPortal portal) : IClassFixture<ArchivingPortal>
{
    [Fact]
    public async Task Sealing_at_B_LTA_and_renewing_before_expiry_adds_a_document_time_stamp_and_repoints_the_document()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [rsa], [PdfTestKit.ClassicPdf(1)],
            (_, docs) => [new SealPlacementInput(rsa, docs[0], 1, 300, 500, 100, 100, false)]);
        await SealRequestKit.ApproveAllAsync(portal, id);
        var document = Assert.Single((await SealRequestKit.LoadAsync(portal, id)).Documents);
        var archive = portal.Services.GetRequiredService<ArchiveStore>();
        var sealedSha = document.SealedSha256!;
        var first = Verify(archive, sealedSha);
        Assert.Equal(Verdict.Valid, first.Verdict);
        Assert.Equal("B-LTA", Assert.Single(first.Signatures, s => s.Kind == SignatureKind.Signature).Level);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var renewal = scope.ServiceProvider.GetRequiredService<ArchiveTimestampRenewal>();
            // Nothing is due while the time-stamp's chain is far from expiry.
            Assert.Equal(0, (await renewal.RenewDueAsync(TimeSpan.Zero)).Renewed);
            // With a margin past the TSA certificate's expiry, every B-LTA document is due.
            var outcome = await renewal.RenewDueAsync(TimeSpan.FromDays(365 * 30));
            Assert.True(outcome.Renewed >= 1, $"{outcome}");
            Assert.Equal(0, outcome.Failed);
        }

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            var renewedSha = (await db.SealRequests.Where(r => r.Id == id).SelectMany(r => r.Documents).SingleAsync()).SealedSha256!;
            Assert.NotEqual(sealedSha, renewedSha);
            Assert.True(archive.Exists(sealedSha), "the earlier file stays in the archive");
            var renewed = Verify(archive, renewedSha);
            Assert.Equal(Verdict.Valid, renewed.Verdict);
            Assert.Equal(2, renewed.Signatures.Count(s => s.Kind == SignatureKind.DocumentTimestamp));
            Assert.Equal("B-LTA", Assert.Single(renewed.Signatures, s => s.Kind == SignatureKind.Signature).Level);
        }
    }

    private static VerificationReport Verify(ArchiveStore archive, string sha)
    {
        using var stream = archive.OpenRead(sha);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return PdfSignatureVerifier.Verify(copy, new VerifyOptions { TrustAnchors = [SamplePki.Root()], Now = DateTimeOffset.UtcNow });
    }
}
