using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Ledger;
using SealPortal.Features.Sealing;
using SealPortal.Jobs;
using SealPortal.Pdf.Signing;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Sealing;

/// <summary>
/// Approved requests sealed by one job for several (<see cref="SealingBatchJob"/>), as <see cref="SealingBatcher"/>
/// gathers them: each request still on its own, its failures its own, its retries its own job.
/// </summary>
public class SealingBatchTests
{
    private sealed class TsaSealingPortal(Uri tsa) : SealingPortal
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
        {
            ["Signing:TsaUrl"] = tsa.ToString(),
        };
    }

    [Fact]
    public async Task A_batch_seals_each_request_on_its_own_records_a_hopeless_one_and_hands_a_transient_failure_to_a_job_of_its_own()
    {
        using var tsaIdentity = SamplePki.Load("tsa");
        await using var tsa = await ControllableTsa.StartAsync(new TimestampAuthority(tsaIdentity, TimeProvider.System), answer: int.MaxValue);
        await using var portal = new TsaSealingPortal(tsa.Url);
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);

        // Three approved requests waiting for sealing (each its own document, so each its own original in the archive).
        tsa.Down = true;
        var ids = new List<int>();
        for (var pages = 1; pages <= 3; pages++)
        {
            var id = await SealRequestKit.SubmitAsync(portal, [rsa], [PdfTestKit.ClassicPdf(pages)]);
            await SealRequestKit.ApproveAllAsync(portal, id);
            ids.Add(id);
        }
        await BackToApprovedAsync(portal, ids);

        // Time-stamp authority down: nothing is sealed or recorded as failed, and each request gets its own job,
        // due after the first retry delay and counted as the first retry (the batch made the first attempt).
        var storage = portal.Services.GetRequiredService<JobStorage>();
        var scheduledBefore = storage.GetMonitoringApi().ScheduledCount();
        await RunBatchAsync(portal, [.. ids]);
        foreach (var id in ids)
        {
            var waiting = await SealRequestKit.LoadAsync(portal, id);
            Assert.Equal(SealRequestStatus.Approved, waiting.Status);
            Assert.Null(waiting.SealingError);
            Assert.Empty(await SealRequestKit.LedgerAsync(portal, id));
        }
        Assert.Equal(scheduledBefore + ids.Count, storage.GetMonitoringApi().ScheduledCount());
        var retries = storage.GetMonitoringApi().ScheduledJobs(0, 100)
            .Where(j => j.Value.Job?.Type == typeof(SealingJob)).ToList();
        Assert.Equal(ids.Order(), retries.Select(j => (int)j.Value.Job.Args[0]).Order());
        using (var connection = storage.GetConnection())
        {
            foreach (var retry in retries)
            {
                Assert.Equal(JobQueues.Sealing, retry.Value.Job.Queue);
                Assert.Equal("1", connection.GetJobParameter(retry.Key, SealingJob.RetryCountParameter));
                var delay = retry.Value.EnqueueAt - Assert.NotNull(retry.Value.ScheduledAt);
                Assert.InRange(delay.TotalSeconds, SealingJob.FirstRetryDelaySeconds - 1, SealingJob.FirstRetryDelaySeconds + 1);
            }
        }
        Assert.Empty(portal.ScratchFiles());

        // Up again, with the second request's original gone from the archive: the first and third are sealed, each
        // in its own save with its own ledger entry; the second alone is recorded as failed, with the reason. A
        // request named twice (a duplicate queueing) is found done the second time and left alone.
        tsa.Down = false;
        var second = await SealRequestKit.LoadAsync(portal, ids[1]);
        File.Delete(portal.Services.GetRequiredService<ArchiveStore>().PathOf(Assert.Single(second.Documents).OriginalSha256));
        var scheduled = storage.GetMonitoringApi().ScheduledCount();
        await RunBatchAsync(portal, [ids[0], ids[1], ids[2], ids[0]]);

        foreach (var id in new[] { ids[0], ids[2] })
        {
            var done = await SealRequestKit.LoadAsync(portal, id);
            Assert.Equal(SealRequestStatus.Completed, done.Status);
            Assert.NotNull(Assert.Single(done.Documents).SealedSha256);
            Assert.Single(await SealRequestKit.LedgerAsync(portal, id));
            Assert.Single(await SealRequestKit.AuditAsync(portal, done.Number), e => e.Action == AuditAction.SealApplied);
        }
        var failed = await SealRequestKit.LoadAsync(portal, ids[1]);
        Assert.Equal(SealRequestStatus.SealingFailed, failed.Status);
        Assert.False(string.IsNullOrWhiteSpace(failed.SealingError));
        Assert.Empty(await SealRequestKit.LedgerAsync(portal, ids[1]));
        // A failure not worth retrying gets no job.
        Assert.Equal(scheduled, storage.GetMonitoringApi().ScheduledCount());
        Assert.Empty(portal.ScratchFiles());

        await using var scope = portal.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<IntegrityCheck>().VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task The_batcher_writes_every_request_once_in_jobs_of_at_most_the_batch_size_and_takes_none_after_the_flush()
    {
        var client = new RecordingJobClient();
        var batcher = new SealingBatcher(client, NullLogger<SealingBatcher>.Instance);
        var ids = Enumerable.Range(1, 3 * SealingBatcher.MaxBatch + 5).ToList();
        foreach (var id in ids)
            Assert.True(batcher.Add(id));
        await batcher.FlushAsync();

        Assert.All(client.Created, c =>
        {
            Assert.Equal(typeof(SealingBatchJob), c.Job.Type);
            Assert.Equal(JobQueues.Sealing, c.Job.Queue);
            Assert.IsType<EnqueuedState>(c.State);
        });
        var batches = client.Created.Select(c => Assert.IsType<int[]>(c.Job.Args[0])).ToList();
        Assert.All(batches, b => Assert.InRange(b.Length, 1, SealingBatcher.MaxBatch));
        Assert.Equal(ids, batches.SelectMany(b => b).Order());
        Assert.True(batches.Count >= ids.Count / SealingBatcher.MaxBatch);

        // Once the job server stops, a request is left to the next start (its committed status says it waits).
        Assert.False(batcher.Add(999));
        Assert.DoesNotContain(batches, b => b.Contains(999));
    }

    /// <summary>Records the jobs it is asked to create instead of writing them anywhere.</summary>
    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<(Job Job, IState State)> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            lock (Created)
            {
                Created.Add((job, state));
                return Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => throw new NotSupportedException();
    }

    private static async Task RunBatchAsync(SealingPortal portal, int[] ids)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SealingBatchJob>().RunAsync(ids, CancellationToken.None);
    }

    /// <summary>As if the portal had stopped right after committing the last approvals (sealing in the caller failed).</summary>
    private static async Task BackToApprovedAsync(SealingPortal portal, IReadOnlyList<int> ids)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        Assert.All(await db.SealRequests.Where(r => ids.Contains(r.Id)).Select(r => r.Status).ToListAsync(),
            s => Assert.Equal(SealRequestStatus.SealingFailed, s));
        await db.SealRequests.Where(r => ids.Contains(r.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, SealRequestStatus.Approved).SetProperty(r => r.SealingError, (string?)null));
    }
}
