using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Sealing;
using SealPortal.Jobs;
using SealPortal.Pdf.Signing;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Sealing;

/// <summary>Sealing as a job of the real Hangfire server, with a time-stamp authority the test can take down.</summary>
public class SealingJobTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private sealed class JobsSealingPortal(Uri tsa) : SealingPortal
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
        {
            ["Jobs:Enabled"] = "true",
            ["Signing:TsaUrl"] = tsa.ToString(),
        };
    }

    [Fact]
    public void A_sealing_job_is_retried_with_growing_delays_and_then_given_up_by_the_job_itself()
    {
        var retry = Assert.Single(typeof(SealingJob).GetCustomAttributes(typeof(AutomaticRetryAttribute), false).Cast<AutomaticRetryAttribute>());
        Assert.Equal(SealingJob.Retries, retry.Attempts);
        Assert.Equal(retry.Attempts, retry.DelaysInSeconds.Length);
        Assert.True(retry.DelaysInSeconds.Zip(retry.DelaysInSeconds.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public async Task The_job_server_seals_an_approved_request_and_a_time_stamp_outage_is_retried_then_reported()
    {
        using var tsaIdentity = SamplePki.Load("tsa");
        await using var tsa = await ControllableTsa.StartAsync(new TimestampAuthority(tsaIdentity, TimeProvider.System), answer: int.MaxValue);
        await using var portal = new JobsSealingPortal(tsa.Url);
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var ecdsa = await portal.SealIdAsync(SealingPortal.EcdsaSeal);

        // Up: the approval queues the job and the server seals both documents with both seals.
        var sealedId = await SealRequestKit.SubmitAsync(portal, [rsa, ecdsa], [PdfTestKit.ClassicPdf(1), PdfTestKit.ClassicPdf(2)]);
        await SealRequestKit.ApproveAllAsync(portal, sealedId);
        var done = await WaitForAsync(portal, sealedId, s => s == SealRequestStatus.Completed);
        Assert.All(done.Documents, d => Assert.NotNull(d.SealedSha256));
        Assert.Equal(4, (await SealRequestKit.LedgerAsync(portal, sealedId)).Count);

        // The sealed files reach the archive just after the commit that completes the request: wait for them
        // before taking the archive's inventory.
        var store = portal.Services.GetRequiredService<ArchiveStore>();
        var publishedBy = DateTime.UtcNow + Patience;
        while (!done.Documents.All(d => store.Exists(d.SealedSha256!)) || done.DecisionRecordSha256 is { } record && !store.Exists(record) || ArchiveFiles(portal).Any(f => Path.GetFileName(f).StartsWith(".incoming")))
        {
            Assert.True(DateTime.UtcNow < publishedBy, "the sealed files did not reach the archive");
            await Task.Delay(50);
        }

        // Down: the first attempt fails, Hangfire schedules the next one, and the request just waits.
        tsa.Down = true;
        var archived = ArchiveFiles(portal);
        var waitingId = await SealRequestKit.SubmitAsync(portal, [rsa], [PdfTestKit.ClassicPdf(1)]);
        await SealRequestKit.ApproveAllAsync(portal, waitingId);
        var storage = portal.Services.GetRequiredService<JobStorage>();
        var until = DateTime.UtcNow + Patience;
        while (storage.GetMonitoringApi().ScheduledCount() == 0)
        {
            Assert.True(DateTime.UtcNow < until, "the failed sealing was not scheduled for a retry");
            await Task.Delay(100);
        }
        var waiting = await SealRequestKit.LoadAsync(portal, waitingId);
        Assert.Equal(SealRequestStatus.Approved, waiting.Status);
        Assert.Null(waiting.SealingError);
        Assert.Empty(portal.ScratchFiles());
        // Nothing new in the archive but the request's original (which may already be there: same bytes).
        var original = portal.Services.GetRequiredService<ArchiveStore>().PathOf(Assert.Single(waiting.Documents).OriginalSha256);
        Assert.Equal(archived.Append(original).Distinct().Order(), ArchiveFiles(portal).Order());

        // The last attempt records the failure with its reason.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<RequestSealing>().RunAsync(waitingId, null, lastAttempt: true, CancellationToken.None);
            Assert.Equal(422, result.StatusCode);
        }
        var failed = await SealRequestKit.LoadAsync(portal, waitingId);
        Assert.Equal(SealRequestStatus.SealingFailed, failed.Status);
        Assert.Contains("503", failed.SealingError);
        Assert.Empty(portal.ScratchFiles());

        // An attempt before the last one throws, so Hangfire tries again, and records nothing.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var sealing = scope.ServiceProvider.GetRequiredService<RequestSealing>();
            var error = await Assert.ThrowsAsync<SealingException>(() => sealing.RunAsync(waitingId, null, lastAttempt: false, CancellationToken.None));
            Assert.True(error.Transient);
        }
        Assert.Empty(portal.ScratchFiles());
    }

    private static List<string> ArchiveFiles(SealingPortal portal)
    {
        var root = portal.Services.GetRequiredService<ArchiveStore>().Root;
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToList() : [];
    }

    private static async Task<SealRequest> WaitForAsync(SealingPortal portal, int id, Func<SealRequestStatus, bool> done)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var request = await SealRequestKit.LoadAsync(portal, id);
            if (done(request.Status))
                return request;
            Assert.True(DateTime.UtcNow < until, $"request {id} is still {request.Status}");
            await Task.Delay(200);
        }
    }
}
