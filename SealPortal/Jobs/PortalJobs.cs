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

[DisableConcurrentExecution(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class OutboxJob(OutboxSender sender)
{
    public Task RunAsync(CancellationToken ct) => sender.SendDueAsync(ct);
}

[DisableConcurrentExecution(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class DeadlineJob(DeadlineNotifications deadlines)
{
    public Task RunAsync(CancellationToken ct) => deadlines.RunAsync(ct);
}

[DisableConcurrentExecution(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class CertificateExpiryJob(CertificateExpiryWarnings warnings)
{
    public Task RunAsync(CancellationToken ct) => warnings.RunAsync(ct);
}

/// <summary>
/// The scheduled walk (no run id) and "Run check now" are one method, so they share one lock and never
/// overlap; see <see cref="IntegrityMonitor.RunOnceAsync"/>.
/// </summary>
[DisableConcurrentExecution(timeoutInSeconds: 3600)]
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
[DisableConcurrentExecution(timeoutInSeconds: 300)]
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
[DisableConcurrentExecution(timeoutInSeconds: 3600)]
[AutomaticRetry(Attempts = 0)]
public sealed class ArchiveTimestampRenewalJob(ArchiveTimestampRenewal renewal)
{
    public Task RunAsync(CancellationToken ct) => renewal.RenewDueAsync(null, ct);
}

[DisableConcurrentExecution(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class AuditScheduleJob(AuditScheduleReminders reminders)
{
    public Task RunAsync(CancellationToken ct) => reminders.RunAsync(ct);
}

[DisableConcurrentExecution(timeoutInSeconds: 60)]
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
[AutomaticRetry(Attempts = Retries, DelaysInSeconds = [10, 60, 300, 900, 1800], OnAttemptsExceeded = AttemptsExceededAction.Delete)]
public sealed class SealingJob(RequestSealing sealing)
{
    public const int Retries = 5;

    public async Task RunAsync(int sealRequestId, string? executorUserId, string? executorName, PerformContext? context, CancellationToken ct)
    {
        var attempt = context?.GetJobParameter<int>("RetryCount") ?? Retries;
        var executor = executorUserId is null ? ((string, string)?)null : (executorUserId, executorName ?? executorUserId);
        await sealing.RunAsync(sealRequestId, executor, lastAttempt: attempt >= Retries, ct);
    }
}
