using Microsoft.EntityFrameworkCore;
using Quartz;
using SealPortal.Data;

namespace SealPortal.Jobs;

/// <summary>"Jobs" in configuration.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>False runs no scheduler (tests call the feature services directly).</summary>
    public bool Enabled { get; set; } = true;

    public int OutboxSeconds { get; set; } = 60;

    public int DeadlineMinutes { get; set; } = 5;

    public int CertificateExpiryHours { get; set; } = 12;

    public int IntegrityCheckHours { get; set; } = 24;

    public int AuditScheduleHours { get; set; } = 24;
}

/// <summary>
/// Runs the Quartz scheduler with its job store in the portal's own database (tables made by our
/// migrations), so schedules and their last and next fire times survive a restart. On PostgreSQL
/// the scheduler is clustered: several portal instances share the jobs and each firing runs once.
/// SQLite allows one process only, which is what an SQLite portal is anyway.
/// Built when the host starts rather than when services are composed, because the database
/// provider and connection are configuration a test host (or the operator) may set late.
/// </summary>
public sealed class JobScheduler(IServiceProvider services, IConfiguration configuration, TimeProvider clock,
    ILogger<JobScheduler> logger) : IHostedService, IAsyncDisposable
{
    public const string SchedulerName = "SealPortal";

    /// <summary>Every job: its type, its key and how often it fires.</summary>
    public static IReadOnlyList<(Type Job, string Name, Func<JobsOptions, TimeSpan> Every)> Schedule { get; } =
    [
        (typeof(OutboxJob), "outbox", o => TimeSpan.FromSeconds(o.OutboxSeconds)),
        (typeof(DeadlineJob), "deadlines", o => TimeSpan.FromMinutes(o.DeadlineMinutes)),
        (typeof(CertificateExpiryJob), "certificate-expiry", o => TimeSpan.FromHours(o.CertificateExpiryHours)),
        (typeof(IntegrityCheckJob), "integrity-check", o => TimeSpan.FromHours(o.IntegrityCheckHours)),
        (typeof(AuditScheduleJob), "audit-schedule", o => TimeSpan.FromHours(o.AuditScheduleHours)),
    ];

    private ISchedulerFactory? _factory;
    private IScheduler? _scheduler;

    public IScheduler? Scheduler => _scheduler;

    public async Task StartAsync(CancellationToken ct)
    {
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        if (!options.Enabled)
        {
            logger.LogInformation("Background jobs are off (Jobs:Enabled = false)");
            return;
        }
        var provider = DataServiceExtensions.Provider(configuration);
        var connectionString = DataServiceExtensions.ConnectionString(services);

        var loggers = services.GetRequiredService<ILoggerFactory>();
        _factory = QuartzSchedulerBuilder.Create(q =>
        {
            q.UseTimeProvider(clock);
            q.Services.AddSingleton(loggers);
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                if (provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(connectionString);
                    store.UseClustering();
                }
                else
                {
                    store.UseSqlite(connectionString);
                }
            });
        }).Build();
        _scheduler = await _factory.GetScheduler(ct);
        _scheduler.Context[PortalJob.ServicesKey] = services;

        foreach (var (type, name, every) in Schedule)
            await EnsureScheduledAsync(_scheduler, type, name, every(options), ct);

        await _scheduler.Start(ct);
        logger.LogInformation("Background jobs started ({Provider} job store{Clustered})", provider,
            provider == DatabaseProvider.Postgres ? ", clustered" : "");
    }

    /// <summary>
    /// Stores the job and its trigger only when they are missing, so a restart keeps the stored next
    /// fire time; a changed interval replaces the trigger from now on.
    /// </summary>
    private async Task EnsureScheduledAsync(IScheduler scheduler, Type type, string name, TimeSpan every, CancellationToken ct)
    {
        var job = JobBuilder.Create().OfType(type).WithIdentity(name, SchedulerName).StoreDurably().RequestRecovery().Build();
        var triggerKey = new TriggerKey(name, SchedulerName);
        var existing = await scheduler.GetTrigger(triggerKey, ct);
        if (existing is ISimpleTrigger simple && simple.RepeatInterval == every)
            return;
        var trigger = TriggerBuilder.Create().WithIdentity(triggerKey).ForJob(job)
            .StartAt(clock.GetUtcNow() + every)
            .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever()
                // After downtime a job runs once at start, not once per missed interval, and not never.
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
        logger.LogInformation("Scheduled job {Job} every {Every}", name, every);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_scheduler is { } s)
        {
            await s.Shutdown(waitForJobsToComplete: true, ct);
            _scheduler = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_scheduler is { } s)
            await s.Shutdown(false);
        if (_factory is IAsyncDisposable d)
            await d.DisposeAsync();
        else if (_factory is IDisposable d2)
            d2.Dispose();
    }
}

public static class JobServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SealPortal.Features.Requests.DeadlineNotifications>();
        builder.Services.AddScoped<SealPortal.Features.Seals.CertificateExpiryWarnings>();
        builder.Services.AddScoped<SealPortal.Features.Ledger.IntegrityMonitor>();
        builder.Services.AddScoped<SealPortal.Features.Audits.AuditScheduleReminders>();
        builder.Services.AddSingleton<JobScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        return builder;
    }
}
