using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using SealPortal.Data;
using SealPortal.Features.Retention;
using SealPortal.Features.Sealing;

namespace SealPortal.Jobs;

/// <summary>"Jobs" in configuration.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>False runs no job server (tests call the feature services directly, and sealing runs in the caller).</summary>
    public bool Enabled { get; set; } = true;

    // Cron expressions (five fields, or six with seconds first), in UTC.
    public string OutboxCron { get; set; } = "* * * * *";

    public string DeadlineCron { get; set; } = "*/5 * * * *";

    public string CertificateExpiryCron { get; set; } = "0 */12 * * *";

    public string IntegrityCheckCron { get; set; } = "0 2 * * *";

    public string AuditScheduleCron { get; set; } = "0 1 * * *";

    public string RetentionCron { get; set; } = "30 2 * * *";

    /// <summary>Time-stamping the ledger's and audit trail's heads: hourly, so at most an hour of entries is unanchored.</summary>
    public string ChainAnchorCron { get; set; } = "15 * * * *";

    /// <summary>Renewing archive time-stamps (B-LTA) that expire within the renewal margin.</summary>
    public string ArchiveRenewalCron { get; set; } = "0 3 * * *";

    /// <summary>Reminding a training session's audience the day before (hourly, so a session planned late is still announced).</summary>
    public string TrainingReminderCron { get; set; } = "5 * * * *";

    /// <summary>Warning keepers and administrators of keeper training that lapses soon or has lapsed.</summary>
    public string KeeperTrainingCron { get; set; } = "0 4 * * *";

    /// <summary>Workers of this portal's job server; sealing is CPU work, so more than twice the cores only waits.</summary>
    public int WorkerCount { get; set; } = Math.Clamp(Environment.ProcessorCount * 2, 2, 16);
}

/// <summary>The queues, in the order a worker looks at them: sealing first, because someone waits for it.</summary>
public static class JobQueues
{
    public const string Sealing = "sealing";
    public const string Workflow = "workflow";
    public const string Mail = "mail";
    public const string Integrity = "integrity";
    public const string Maintenance = "maintenance";

    public static readonly string[] All = [Sealing, Workflow, Mail, Integrity, Maintenance, "default"];
}

/// <summary>One recurring job: its id in Hangfire, its queue, its schedule setting and what it calls.</summary>
public sealed record RecurringJobDefinition(string Id, string Queue, Func<JobsOptions, string> Cron, Job Job);

/// <summary>
/// Runs Hangfire's job server over the storage the database provider implies (<see cref="PortalJobStorage"/>),
/// so queued work, schedules and their history survive a restart, and keeps the recurring jobs' schedules
/// in step with configuration. At start it also queues again every sealing a stopped portal left
/// unfinished. Built when the host starts rather than when services are composed, because the provider
/// and connection are configuration a test host (or the operator) may set late.
/// </summary>
public sealed class JobScheduler(IServiceProvider services, IConfiguration configuration, ILogger<JobScheduler> logger)
    : IHostedService, IDisposable
{
    /// <summary>Every recurring job; each is a thin shell in <see cref="PortalJobs"/>.</summary>
    public static IReadOnlyList<RecurringJobDefinition> Recurring { get; } =
    [
        new("outbox", JobQueues.Mail, o => o.OutboxCron, Job.FromExpression<OutboxJob>(j => j.RunAsync(CancellationToken.None), JobQueues.Mail)),
        new("deadlines", JobQueues.Workflow, o => o.DeadlineCron, Job.FromExpression<DeadlineJob>(j => j.RunAsync(CancellationToken.None), JobQueues.Workflow)),
        new("certificate-expiry", JobQueues.Maintenance, o => o.CertificateExpiryCron,
            Job.FromExpression<CertificateExpiryJob>(j => j.RunAsync(CancellationToken.None), JobQueues.Maintenance)),
        new("integrity-check", JobQueues.Integrity, o => o.IntegrityCheckCron,
            Job.FromExpression<IntegrityCheckJob>(j => j.RunAsync(Features.Ledger.IntegrityMonitor.Scheduled, null, CancellationToken.None), JobQueues.Integrity)),
        new("audit-schedule", JobQueues.Maintenance, o => o.AuditScheduleCron,
            Job.FromExpression<AuditScheduleJob>(j => j.RunAsync(CancellationToken.None), JobQueues.Maintenance)),
        new("retention", JobQueues.Maintenance, o => o.RetentionCron, Job.FromExpression<RetentionJob>(j => j.RunAsync(CancellationToken.None), JobQueues.Maintenance)),
        new("chain-anchor", JobQueues.Integrity, o => o.ChainAnchorCron,
            Job.FromExpression<ChainAnchorJob>(j => j.RunAsync(CancellationToken.None), JobQueues.Integrity)),
        new("archive-timestamp-renewal", JobQueues.Maintenance, o => o.ArchiveRenewalCron,
            Job.FromExpression<ArchiveTimestampRenewalJob>(j => j.RunAsync(CancellationToken.None), JobQueues.Maintenance)),
        new("training-reminders", JobQueues.Maintenance, o => o.TrainingReminderCron,
            Job.FromExpression<TrainingReminderJob>(j => j.RunAsync(CancellationToken.None), JobQueues.Maintenance)),
        new("keeper-training-lapse", JobQueues.Maintenance, o => o.KeeperTrainingCron,
            Job.FromExpression<KeeperTrainingLapseJob>(j => j.RunAsync(CancellationToken.None), JobQueues.Maintenance)),
    ];

    private BackgroundJobServer? _server;

    /// <summary>True while this portal runs a job server, so work can be queued instead of done in the caller.</summary>
    public bool Running => _server is not null;

    public static JobsOptions Options(IConfiguration configuration) =>
        configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();

    public async Task StartAsync(CancellationToken ct)
    {
        var options = Options(configuration);
        if (!options.Enabled)
        {
            logger.LogInformation("Background jobs are off (Jobs:Enabled = false)");
            return;
        }
        var storage = services.GetRequiredService<JobStorage>();
        var manager = services.GetRequiredService<IRecurringJobManager>();
        foreach (var job in Recurring)
            manager.AddOrUpdate(job.Id, job.Job, job.Cron(options), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

        _server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            Queues = JobQueues.All,
            WorkerCount = Math.Max(1, options.WorkerCount),
            // The global activator belongs to whichever host set it last; each portal brings its own.
            Activator = new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()),
            SchedulePollingInterval = TimeSpan.FromSeconds(1),
        }, storage);
        logger.LogInformation("Background jobs started ({Storage}, {Workers} workers)", storage.GetType().Name, options.WorkerCount);

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SealingQueue>().ResumeAsync(ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_server is not { } server)
            return;
        // The batches gathered so far become jobs first, so a graceful stop leaves every queued request queued.
        await services.GetRequiredService<SealingBatcher>().FlushAsync();
        server.SendStop();
        await server.WaitForShutdownAsync(ct);
        server.Dispose();
        _server = null;
    }

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
    }
}

/// <summary>
/// Hangfire's storage follows Database:Provider: its own SQLite file beside the portal's (one writer per
/// file is what SQLite does best), a "hangfire" schema in the portal's PostgreSQL database, or a
/// "HangFire" schema in its SQL Server database.
/// </summary>
public static class PortalJobStorage
{
    private static readonly Lazy<bool> Configured = new(() =>
    {
        // Serializer settings are process-wide in Hangfire; every portal in the process wants the same ones.
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        return true;
    });

    public static JobStorage Create(IServiceProvider services)
    {
        _ = Configured.Value;
        var configuration = services.GetRequiredService<IConfiguration>();
        var connectionString = DataServiceExtensions.ConnectionString(services);
        return DataServiceExtensions.Provider(configuration).ToString() switch
        {
            "Postgres" => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, PostgresOptions), PostgresOptions),
            "SqlServer" => new SqlServerStorage(connectionString, new SqlServerStorageOptions
            {
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = TimeSpan.FromSeconds(1),
            }),
            _ => new SQLiteStorage(new SQLiteDbConnectionFactory(() => SqliteConnection(SqliteFile(connectionString))),
                new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) }),
        };
    }

    private static readonly PostgreSqlStorageOptions PostgresOptions = new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
    };

    /// <summary>
    /// Write-ahead logging with normal syncs: every job changes state three times, and a full sync of a
    /// rollback journal each time made queueing alone cost 50 ms a job. A crash of the machine may lose
    /// the last state changes; the portal's own database says what still needs doing (see SealingQueue).
    /// </summary>
    private static SQLite.SQLiteConnection SqliteConnection(string path)
    {
        var connection = new SQLite.SQLiteConnection(path,
            SQLite.SQLiteOpenFlags.ReadWrite | SQLite.SQLiteOpenFlags.Create | SQLite.SQLiteOpenFlags.NoMutex, storeDateTimeAsTicks: true)
        {
            BusyTimeout = TimeSpan.FromSeconds(10),
        };
        connection.ExecuteScalar<string>("PRAGMA journal_mode=WAL");
        connection.Execute("PRAGMA synchronous=NORMAL");
        return connection;
    }

    /// <summary>"…/sealportal.db" keeps its jobs in "…/sealportal-jobs.db".</summary>
    public static string SqliteFile(string portalConnectionString)
    {
        var portal = new SqliteConnectionStringBuilder(portalConnectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(portal))!;
        return Path.Combine(folder, Path.GetFileNameWithoutExtension(portal) + "-jobs.db");
    }
}

public static class JobServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<SealPortal.Features.Requests.DeadlineNotifications>();
        services.AddScoped<SealPortal.Features.Seals.CertificateExpiryWarnings>();
        services.AddScoped<SealPortal.Features.Ledger.IntegrityMonitor>();
        services.AddScoped<SealPortal.Features.Audits.AuditScheduleReminders>();
        services.AddScoped<TempFolders>();

        services.AddSingleton(PortalJobStorage.Create);
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>()));
        services.AddSingleton<IRecurringJobManager>(sp => new RecurringJobManager(sp.GetRequiredService<JobStorage>()));
        services.AddTransient<OutboxJob>();
        services.AddTransient<DeadlineJob>();
        services.AddTransient<CertificateExpiryJob>();
        services.AddTransient<IntegrityCheckJob>();
        services.AddTransient<AuditScheduleJob>();
        services.AddTransient<RetentionJob>();
        services.AddTransient<ChainAnchorJob>();
        services.AddTransient<ArchiveTimestampRenewalJob>();
        services.AddTransient<TrainingReminderJob>();
        services.AddTransient<KeeperTrainingLapseJob>();
        services.AddTransient<SealingJob>();
        services.AddTransient<SealingBatchJob>();
        services.AddSingleton<SealingBatcher>();

        services.AddSingleton<JobScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        return builder;
    }
}
