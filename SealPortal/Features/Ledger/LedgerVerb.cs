using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using SealPortal.Cli;
using SealPortal.Data;
using SealPortal.Features.Account;
using SealPortal.Resources;

namespace SealPortal.Features.Ledger;

/// <summary>
/// <c>ledger verify [--Key value ...]</c>: checks the ledger and audit-trail chains of the portal's
/// database (same configuration as the portal; extra options are configuration overrides such as
/// <c>--Database:Provider Postgres --ConnectionStrings:SealPortal "..."</c>). Exit 0 intact, 1 broken
/// (the first broken entry of each chain is named), 2 for usage errors or an unusable database.
/// <c>ledger bench ...</c>: see <see cref="LedgerBench"/>.
/// </summary>
public static class LedgerVerb
{
    public static Command Create()
    {
        var verify = new Command("verify",
            "Check the ledger and audit-trail chains of the portal's database (exit 0 intact, 1 broken, 2 unusable database). " +
            "Further --Key value pairs override the portal's configuration, e.g. --Database:Provider Postgres --ConnectionStrings:SealPortal \"...\".")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        verify.SetAction(p => VerifyAsync([.. p.UnmatchedTokens]));
        var anchor = new Command("anchor",
            "Time-stamp the heads of the ledger and the audit trail now with the configured time-stamp authority (Signing:TsaUrl); " +
            "exit 0 anchored (or already anchored), 2 no authority configured, authority unreachable or unusable database. " +
            "Further --Key value pairs override the portal's configuration.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        anchor.SetAction(p => AnchorAsync([.. p.UnmatchedTokens]));
        return new Command("ledger", "The seal-use ledger: verify its chains, anchor them, or measure it.") { verify, anchor, LedgerBench.Create() };
    }

    private static async Task<int> AnchorAsync(string[] args)
    {
        await using var app = await OpenAsync(args);
        await using var scope = app.Services.CreateAsyncScope();
        IReadOnlyList<AnchorOutcome> outcomes;
        try
        {
            outcomes = await scope.ServiceProvider.GetRequiredService<ChainAnchoring>().AnchorAsync("cli", CancellationToken.None);
        }
        catch (AnchoringException ex)
        {
            throw new CliUsageException(ex.Message);
        }
        foreach (var o in outcomes)
        {
            Console.Out.WriteLine(o.Skipped is not null
                ? $"{o.Chain}: not anchored: {o.Skipped}"
                : $"{o.Chain}: entry {o.Sequence} time-stamped at {o.TimestampedAt:u}");
        }
        return 0;
    }

    private static async Task<WebApplication> OpenAsync(string[] args)
    {
        // Only "--Key value" configuration overrides are accepted, so a typo cannot pass silently.
        if (args.Length % 2 != 0 || args.Where((_, i) => i % 2 == 0).Any(a => !a.StartsWith("--", StringComparison.Ordinal)))
            throw new CliUsageException($"expected only --Key value configuration pairs, not '{string.Join(' ', args)}'");
        var app = BuildHost(args);
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            if (!await db.Database.CanConnectAsync())
                throw new CliUsageException("cannot open the portal's database; check Database:Provider and ConnectionStrings:SealPortal");
            if ((await db.Database.GetPendingMigrationsAsync()).Any())
                throw new CliUsageException("the database schema is older than this version of the portal; start the portal once to update it");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            await app.DisposeAsync();
            throw new CliUsageException($"cannot open the portal's database: {ex.Message}");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private static async Task<int> VerifyAsync(string[] args)
    {
        await using var app = await OpenAsync(args);
        await using var scope = app.Services.CreateAsyncScope();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var report = await scope.ServiceProvider.GetRequiredService<IntegrityCheck>().VerifyAsync();
        foreach (var chain in report.Chains)
        {
            if (chain.Intact)
            {
                var anchored = chain.AnchoredThrough is { } through
                    ? $"; time-stamped through entry {through} at {chain.AnchoredAt:u} ({chain.Anchors} anchor{(chain.Anchors == 1 ? "" : "s")} checked)"
                    : "; not anchored yet (ledger anchor)";
                Console.Out.WriteLine($"{chain.Chain}: intact, {chain.EntriesChecked} entries{anchored}");
                if (chain.AnchorWarning is not null)
                    Console.Out.WriteLine($"{chain.Chain}: warning: {chain.AnchorWarning}");
            }
            else
                Console.Out.WriteLine($"{chain.Chain}: BROKEN at entry {chain.BrokenSequence} (id {chain.BrokenId}): {chain.Problem}");
        }
        Console.Out.WriteLine($"checked in {started.Elapsed.TotalSeconds:0.00} s");
        return report.Intact ? 0 : 1;
    }

    /// <summary>
    /// The portal's data services over the portal's configuration. The content root is the project
    /// folder (or the published app's folder), as for the portal, so a relative data folder points at
    /// the same SQLite file whichever directory the command was typed in.
    /// </summary>
    internal static WebApplication BuildHost(string[] args, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? more = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot() });
        if (overrides is not null)
            builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error);
        builder.AddSealPortalData();
        builder.AddSealPortalIdentity();
        builder.AddSealPortalLocalization();
        builder.Services.AddLedgerServices();
        builder.Services.AddSingleton(TimeProvider.System);
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    internal static string ContentRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SealPortal.csproj")))
                return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}
