using Hangfire;
using Hangfire.Server;
using SealPortal.Features.Audits;
using SealPortal.Features.Ledger;
using SealPortal.Features.Notifications;
using SealPortal.Features.Requests;
using SealPortal.Features.Retention;
using SealPortal.Features.Sealing;
using SealPortal.Features.Seals;

namespace SealPortal.Jobs;

// The portal's jobs. Each is a thin shell over one feature service, made in a DI scope of its own by the
// job server; the services are idempotent, so a job that runs twice (a retry, a recovery after a crash)
// does no harm. A recurring job never runs beside itself (a distributed lock in the job storage, so also
// not across portals); one that fails is not retried, because its next schedule does the same work.

[OneAtATime(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class OutboxJob(OutboxSender sender)
{
    public Task RunAsync(CancellationToken ct) => sender.SendDueAsync(ct);
}

[OneAtATime(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class DeadlineJob(DeadlineNotifications deadlines)
{
    public Task RunAsync(CancellationToken ct) => deadlines.RunAsync(ct);
}

[OneAtATime(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class CertificateExpiryJob(CertificateExpiryWarnings warnings)
{
    public Task RunAsync(CancellationToken ct) => warnings.RunAsync(ct);
}

/// <summary>
/// The scheduled walk (no run id) and "Run check now" are one method, so they share one lock and never
/// overlap; see <see cref="IntegrityMonitor.RunOnceAsync"/>.
/// </summary>
[OneAtATime(timeoutInSeconds: 3600)]
[AutomaticRetry(Attempts = 0)]
public sealed class IntegrityCheckJob(IntegrityMonitor monitor)
{
    public Task RunAsync(string triggeredBy, long? lastSeenRunId, CancellationToken ct) =>
        monitor.RunOnceAsync(triggeredBy, lastSeenRunId, ct);
}

/// <summary>
/// Time-stamps the ledger's and the audit trail's heads (issue 12, part 4). Without a configured
/// time-stamp authority there is nothing to anchor with: the run says so in the log and ends; an
/// authority that does not answer fails the run (visible on the jobs dashboard), and the next
/// schedule tries again.
/// </summary>
[OneAtATime(timeoutInSeconds: 300)]
[AutomaticRetry(Attempts = 0)]
public sealed class ChainAnchorJob(ChainAnchoring anchoring, ILogger<ChainAnchorJob> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        if (anchoring.TimestampClient() is null)
        {
            logger.LogWarning("The ledger and audit trail are not anchored: no time-stamp authority is configured (Signing:TsaUrl)");
            return;
        }
        await anchoring.AnchorAsync(IntegrityMonitor.Scheduled, ct);
    }
}

/// <summary>Adds a new document time-stamp to B-LTA documents whose last one's chain expires soon (see <see cref="ArchiveTimestampRenewal"/>).</summary>
[OneAtATime(timeoutInSeconds: 3600)]
[AutomaticRetry(Attempts = 0)]
public sealed class ArchiveTimestampRenewalJob(ArchiveTimestampRenewal renewal)
{
    public Task RunAsync(CancellationToken ct) => renewal.RenewDueAsync(null, ct);
}

[OneAtATime(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class AuditScheduleJob(AuditScheduleReminders reminders)
{
    public Task RunAsync(CancellationToken ct) => reminders.RunAsync(ct);
}

[OneAtATime(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class RetentionJob(TempFolders temp)
{
    public Task RunAsync(CancellationToken ct) => temp.SweepAsync(ct);
}

/// <summary>
/// Seals one approved request. A transient failure (time-stamp authority down, archive disk busy) is
/// thrown back to Hangfire, which tries again after 10 s, 1 min, 5 min, 15 min and 30 min; the last
/// attempt records "sealing failed" with the reason instead. The job's cancellation token is the job
/// server's shutdown, never a browser's request: an interrupted run is resumed at the next start.
/// </summary>
[AutomaticRetry(Attempts = Retries, DelaysInSeconds = [FirstRetryDelaySeconds, 60, 300, 900, 1800], OnAttemptsExceeded = AttemptsExceededAction.Delete)]
public sealed class SealingJob(RequestSealing sealing)
{
    public const int Retries = 5;

    public const int FirstRetryDelaySeconds = 10;

    /// <summary>
    /// After a first attempt made elsewhere (<see cref="SealingBatchJob"/>) failed: the request's own job, due
    /// after the first delay and counted as the first retry, so the request gets the same attempts and delays
    /// as if its own job had failed once.
    /// </summary>
    public static string RetryAfterFirstAttempt(IBackgroundJobClient client, int sealRequestId)
    {
        var job = Hangfire.Common.Job.FromExpression<SealingJob>(j => j.RunAsync(sealRequestId, null, null, null, CancellationToken.None), JobQueues.Sealing);
        var due = new Hangfire.States.ScheduledState(TimeSpan.FromSeconds(FirstRetryDelaySeconds));
        return client is IBackgroundJobClientV2 v2
            ? v2.Create(job, due, new Dictionary<string, object> { [RetryCountParameter] = 1 })
            : client.Create(job, due);
    }

    /// <summary>The job parameter in which Hangfire's <see cref="AutomaticRetryAttribute"/> counts retries.</summary>
    public const string RetryCountParameter = "RetryCount";

    public async Task RunAsync(int sealRequestId, string? executorUserId, string? executorName, PerformContext? context, CancellationToken ct)
    {
        var attempt = context?.GetJobParameter<int>(RetryCountParameter) ?? Retries;
        var executor = executorUserId is null ? ((string, string)?)null : (executorUserId, executorName ?? executorUserId);
        await sealing.RunAsync(sealRequestId, executor, lastAttempt: attempt >= Retries, ct);
    }
}

/// <summary>
/// Seals the requests <see cref="SealingBatcher"/> gathered, one after the other, each exactly as its own
/// <see cref="SealingJob"/> would on its first attempt: its own transaction, ledger entries and audit lines, and a
/// failure that is not worth retrying recorded as "sealing failed" on that request alone. A failure worth retrying
/// (time-stamp authority down, a database hiccup) becomes the request's own job, due after the first retry delay
/// (<see cref="SealingJob.RetryAfterFirstAttempt"/>), and the batch goes on. The batch itself is never retried:
/// an interrupted one (the job server stopping) is queued again by Hangfire, and requests it had already sealed
/// are then found done and left alone.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class SealingBatchJob(IServiceScopeFactory scopes, IBackgroundJobClient client, ILogger<SealingBatchJob> logger)
{
    public async Task RunAsync(int[] sealRequestIds, CancellationToken ct)
    {
        foreach (var id in sealRequestIds)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                // A scope per request: nothing one request's sealing tracked or failed on reaches the next.
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RequestSealing>().RunAsync(id, executor: null, lastAttempt: false, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // RequestSealing has already said why for its own (transient) failures.
                if (ex is not SealingException)
                    logger.LogWarning(ex, "Seal request {Id}: sealing failed; it is tried again as a job of its own", id);
                try
                {
                    SealingJob.RetryAfterFirstAttempt(client, id);
                }
                catch (Exception queueing)
                {
                    // Still approved and unsealed in the database: the next start queues it again.
                    logger.LogError(queueing, "Seal request {Id}: its retry could not be queued; it waits for the portal's next start", id);
                }
            }
        }
    }
}
