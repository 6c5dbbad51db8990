using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SealPortal.Data;

public static class DataServiceExtensions
{
    public const string ConnectionStringName = "SealPortal";

    /// <summary>
    /// Registers <see cref="SealPortalDbContext"/> for the provider named by "Database:Provider".
    /// Configuration is read when the first context is made, not here, so that a test host can
    /// still change it after Program.cs has composed the services.
    /// </summary>
    public static WebApplicationBuilder AddSealPortalData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SealPortalOptions>()
            .BindConfiguration(SealPortalOptions.Section)
            .PostConfigure<IHostEnvironment>((o, env) =>
            {
                o.DataFolder = Path.GetFullPath(Path.Combine(env.ContentRootPath, o.DataFolder));
                o.ArchiveFolder = string.IsNullOrWhiteSpace(o.ArchiveFolder)
                    ? Path.Combine(o.DataFolder, "archive")
                    : Path.GetFullPath(Path.Combine(env.ContentRootPath, o.ArchiveFolder));
                if (string.IsNullOrWhiteSpace(o.InstanceName))
                    o.InstanceName = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(o.DataFolder)))[..12];
            });

        // A factory per provider (which also registers the context itself as scoped): static pages and
        // jobs take the scoped context, interactive pages and their services one context per operation.
        // Single queries, said explicitly: the request page loads documents and seals together, and EF Core
        // warns on every such query (on the console, at start and per request) while the choice is left implicit.
        // Interceptors registered as IInterceptor by an area (the live events) join every context.
        services.AddDbContextFactory<SqliteSealPortalDbContext>((sp, o) => o.UseSqlite(ConnectionString(sp), x => x.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery))
            .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
        services.AddDbContextFactory<PostgresSealPortalDbContext>((sp, o) => o.UseNpgsql(ConnectionString(sp), x => x.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery))
            .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
        services.AddDbContextFactory<SqlServerSealPortalDbContext>((sp, o) => o.UseSqlServer(ConnectionString(sp), x => x.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery))
            .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
        services.AddSingleton<IDbContextFactory<SealPortalDbContext>, SealPortalDbContextFactory>();
        services.AddScoped<SealPortalDbContext>(sp => Provider(sp.GetRequiredService<IConfiguration>()) switch
        {
            DatabaseProvider.Postgres => sp.GetRequiredService<PostgresSealPortalDbContext>(),
            DatabaseProvider.SqlServer => sp.GetRequiredService<SqlServerSealPortalDbContext>(),
            _ => sp.GetRequiredService<SqliteSealPortalDbContext>(),
        });

        services.AddScoped<DatabaseInitializer>();
        services.AddSingleton(new PortalServiceCollection(services));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static DatabaseProvider Provider(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value))
            return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var p) && Enum.IsDefined(p)
            ? p
            : throw new InvalidOperationException($"Database:Provider must be \"Sqlite\", \"Postgres\" or \"SqlServer\", not \"{value}\".");
    }

    /// <summary>The configured connection string, or the default SQLite file in the data folder.</summary>
    internal static string ConnectionString(IServiceProvider sp)
    {
        var configuration = sp.GetRequiredService<IConfiguration>();
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
            return Provider(configuration) == DatabaseProvider.Postgres ? WithPostgresDefaults(configured) : configured;
        if (Provider(configuration) is var provider and not DatabaseProvider.Sqlite)
            throw new InvalidOperationException($"Database:Provider is {provider}, so ConnectionStrings:SealPortal must be set.");
        var folder = sp.GetRequiredService<IOptions<SealPortalOptions>>().Value.DataFolder;
        SealPortal.Hosting.PrivateFiles.CreateFolder(folder);
        return $"Data Source={Path.Combine(folder, "sealportal.db")}";
    }

    /// <summary>
    /// Npgsql settings the portal wants, unless the connection string sets them itself. The portal (EF Core and
    /// Hangfire alike) opens a pooled connection for a statement or two and closes it again, tens of times per
    /// sealed request, and runs the same few statements over and over:
    /// <list type="bullet">
    /// <item>Max Auto Prepare: a statement used a few times on a connection is prepared there, so the server stops
    /// parsing and planning it on every call (most of the server's CPU per sealed request went there);</item>
    /// <item>No Reset On Close: a connection goes back to the pool without resetting its session, which the server
    /// otherwise did (DISCARD ALL, or its parts when statements are prepared) before every reuse. Nothing in the
    /// portal leaves session state on a pooled connection: its session advisory lock (<see cref="InitializationLock"/>)
    /// and LISTEN (live events) use unpooled connections of their own, SET is only ever SET LOCAL, and Hangfire's
    /// locks are rows.</item>
    /// </list>
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("maxautoprepare"))
            builder.MaxAutoPrepare = 100;
        if (!keys.Contains("autoprepareminusages"))
            builder.AutoPrepareMinUsages = 2;
        if (!keys.Contains("noresetonclose"))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>Creates or migrates the schema and seeds the demo company on first start.</summary>
    public static async Task PrepareSealPortalDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().RunAsync(app.Lifetime.ApplicationStopping);
    }
}

/// <summary>Contexts of the configured provider, for code that must not hold one for long (circuits).</summary>
internal sealed class SealPortalDbContextFactory(IServiceProvider services, IConfiguration configuration) : IDbContextFactory<SealPortalDbContext>
{
    public SealPortalDbContext CreateDbContext() => DataServiceExtensions.Provider(configuration) switch
    {
        DatabaseProvider.Postgres => services.GetRequiredService<IDbContextFactory<PostgresSealPortalDbContext>>().CreateDbContext(),
        DatabaseProvider.SqlServer => services.GetRequiredService<IDbContextFactory<SqlServerSealPortalDbContext>>().CreateDbContext(),
        _ => services.GetRequiredService<IDbContextFactory<SqliteSealPortalDbContext>>().CreateDbContext(),
    };
}

/// <summary>/health is healthy only while the database answers.</summary>
internal sealed class DatabaseHealthCheck(SealPortalDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("database unreachable");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("database unreachable", ex);
        }
    }
}
