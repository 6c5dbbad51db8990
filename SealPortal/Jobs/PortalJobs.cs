using Quartz;
using SealPortal.Features.Audits;
using SealPortal.Features.Ledger;
using SealPortal.Features.Notifications;
using SealPortal.Features.Requests;
using SealPortal.Features.Seals;

namespace SealPortal.Jobs;

/// <summary>
/// The portal's recurring jobs. Each is a thin shell: it opens a DI scope of the portal and calls one
/// feature service, which is idempotent, so a job that fires twice (a retry, a recovery after a crash
/// on another cluster node) does no harm. None runs beside itself, also across a cluster.
/// </summary>
internal static class PortalJob
{
    /// <summary>The key under which <see cref="JobScheduler"/> puts the portal's services in the scheduler context.</summary>
    public const string ServicesKey = "SealPortal.Services";

    public static async ValueTask RunAsync<TService>(IJobExecutionContext context, Func<TService, CancellationToken, Task> run, CancellationToken ct)
        where TService : notnull
    {
        var services = (IServiceProvider)context.Scheduler.Context[ServicesKey]!;
        await using var scope = services.CreateAsyncScope();
        await run(scope.ServiceProvider.GetRequiredService<TService>(), ct);
    }
}

[DisallowConcurrentExecution]
public sealed class OutboxJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        PortalJob.RunAsync<OutboxSender>(context, (s, ct) => s.SendDueAsync(ct), cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class DeadlineJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        PortalJob.RunAsync<DeadlineNotifications>(context, (s, ct) => s.RunAsync(ct), cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class CertificateExpiryJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        PortalJob.RunAsync<CertificateExpiryWarnings>(context, (s, ct) => s.RunAsync(ct), cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class IntegrityCheckJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        PortalJob.RunAsync<IntegrityMonitor>(context, (s, ct) => s.RunAsync(IntegrityMonitor.Scheduled, ct), cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class AuditScheduleJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        PortalJob.RunAsync<AuditScheduleReminders>(context, (s, ct) => s.RunAsync(ct), cancellationToken);
}
