using Hangfire;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Ledger;
using SealPortal.Features.Requests;

namespace SealPortal.Features.Dashboard;

public sealed record DashboardSummary(
    string DisplayName, string? Department, IReadOnlyList<string> Roles,
    int ActiveSeals, int ElectronicSeals, int InactiveSeals, int Departments, int Users,
    IReadOnlyList<SealsOfDepartment> SealsByDepartment);

public sealed record SealsOfDepartment(string Department, int Physical, int Electronic);

/// <summary>An approver's work: what waits, what is overdue, and the item to open next.</summary>
public sealed record ApproverWork(int Waiting, int Overdue, int? NextRequestId, string? NextNumber, string? NextPurpose);

/// <summary>A physical seal of an approved request that its keeper has not yet recorded as stamped.</summary>
public sealed record SealToExecute(int RequestId, string Number, string Purpose, string SealName, DateTimeOffset? ApprovedAt);

/// <summary>An auditor's view: the last integrity check and the audits still open.</summary>
public sealed record AuditorWork(IntegrityCheckRun? Integrity, int OpenAudits);

/// <summary>
/// The dashboard of one user: the company's seals for everyone, and a section per role they hold.
/// A section is null when the user does not have its role.
/// </summary>
public sealed record RoleDashboard(
    DashboardSummary Summary,
    IReadOnlyDictionary<SealRequestStatus, int>? MyRequests,
    ApproverWork? Approver,
    IReadOnlyList<SealToExecute>? Keeper,
    AuditorWork? Auditor);

/// <summary>Reads for the dashboard; each call uses contexts of its own, as an open circuit needs.</summary>
public sealed class DashboardService(IDbContextFactory<SealPortalDbContext> contexts, IServiceScopeFactory scopes, RequestQueries requests)
{
    /// <summary>Roles with an inbox: those that approve.</summary>
    public static readonly IReadOnlyList<string> ApproverRoles = [Roles.DepartmentHead, Roles.Reviewer, Roles.Executive, Roles.SealKeeper, Roles.Admin];

    /// <summary>
    /// The whole dashboard on one context (the approver's part reads on the inbox's own): the user, the company's
    /// counts and seals, and each section the user's roles ask for.
    /// </summary>
    public async Task<RoleDashboard> ForAsync(string userId, string userName, IReadOnlyList<string> roles, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var summary = await SummaryAsync(db, userName, roles, ct);
        var mine = roles.Any(RequestRules.ApplyingRoles.Contains) ? await MyRequestsAsync(db, userId, ct) : null;
        var approver = roles.Any(ApproverRoles.Contains) ? await ApproverAsync(userId, ct) : null;
        var keeper = roles.Contains(Roles.SealKeeper) ? await SealsToExecuteAsync(db, userId, ct) : null;
        var auditor = roles.Any(IntegrityMonitor.AlertRoles.Contains) ? await AuditorAsync(db, ct) : null;
        return new RoleDashboard(summary, mine, approver, keeper, auditor);
    }

    private static async Task<DashboardSummary> SummaryAsync(SealPortalDbContext db, string userName, IReadOnlyList<string> roles, CancellationToken ct)
    {
        // The user with the company's two counts in one query; the counts alone only if the user is gone. The counts'
        // conditions name the user's row (always true) only so that EF Core sends them as subqueries: uncorrelated, it
        // runs each as a query of its own first.
        var me = await db.Users.AsNoTracking().Where(u => u.UserName == userName)
            .Select(u => new
            {
                u.DisplayName, Department = u.Department!.Name,
                Departments = db.Departments.Count(d => u.Id != ""), Users = db.Users.Count(x => u.Id != ""),
            })
            .FirstOrDefaultAsync(ct);
        var seals = await db.Seals.AsNoTracking().Select(s => new { s.Status, s.Kind, Department = s.Department!.Name }).ToListAsync(ct);
        return new DashboardSummary(
            me?.DisplayName ?? userName,
            me?.Department,
            roles,
            seals.Count(s => s.Status == SealStatus.Active),
            seals.Count(s => s.Status == SealStatus.Active && s.Kind == SealKind.Electronic),
            seals.Count(s => s.Status != SealStatus.Active),
            me?.Departments ?? await db.Departments.CountAsync(ct),
            me?.Users ?? await db.Users.CountAsync(ct),
            seals.Where(s => s.Status == SealStatus.Active)
                .GroupBy(s => s.Department)
                .Select(g => new SealsOfDepartment(g.Key, g.Count(s => s.Kind == SealKind.Physical), g.Count(s => s.Kind == SealKind.Electronic)))
                .OrderByDescending(d => d.Physical + d.Electronic).ThenBy(d => d.Department, StringComparer.Ordinal)
                .ToList());
    }

    /// <summary>The user's own requests counted by status; statuses with none are absent.</summary>
    private static async Task<IReadOnlyDictionary<SealRequestStatus, int>> MyRequestsAsync(SealPortalDbContext db, string userId, CancellationToken ct)
    {
        var counts = await db.SealRequests.AsNoTracking().Where(r => r.ApplicantUserId == userId)
            .GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return counts.ToDictionary(c => c.Key, c => c.Count);
    }

    private async Task<ApproverWork> ApproverAsync(string userId, CancellationToken ct = default)
    {
        var (waiting, overdue, next) = await requests.WaitingSummaryAsync(userId, ct);
        return new ApproverWork(waiting, overdue, next?.Id, next?.Number, next?.Purpose);
    }

    /// <summary>Physical seals kept by <paramref name="userId"/> on approved requests, not yet recorded as stamped; oldest request first.</summary>
    private static async Task<IReadOnlyList<SealToExecute>> SealsToExecuteAsync(SealPortalDbContext db, string userId, CancellationToken ct) =>
        await db.SealRequestSeals.AsNoTracking()
            .Where(s => s.Seal!.Kind == SealKind.Physical && s.Seal.CustodianUserId == userId)
            .Join(db.SealRequests.Where(r => r.Status == SealRequestStatus.Approved || r.Status == SealRequestStatus.SealingFailed),
                s => s.SealRequestId, r => r.Id, (s, r) => new { s, r })
            .Where(x => !db.PhysicalStampings.Any(p => p.SealRequestId == x.r.Id && p.SealId == x.s.SealId))
            .OrderBy(x => x.r.Id)
            .Select(x => new SealToExecute(x.r.Id, x.r.Number, x.r.Purpose, x.s.Seal!.Name, x.r.ApprovedAt))
            .Take(20)
            .ToListAsync(ct);

    /// <summary>
    /// "Run check now", recorded under <paramref name="actor"/>. With a job server running the check is queued
    /// (one at a time; clicks that arrive while one runs are answered by it) and this waits for the answer up to
    /// <paramref name="wait"/>; without one it runs here. Null when no answer came in time. Not tied to the page's lifetime.
    /// </summary>
    public async Task<IntegrityCheckRun?> RunIntegrityCheckAsync(string actor, TimeSpan wait)
    {
        await using var scope = scopes.CreateAsyncScope();
        var monitor = scope.ServiceProvider.GetRequiredService<IntegrityMonitor>();
        var lastSeen = (await monitor.LatestAsync(CancellationToken.None))?.Id ?? 0;
        var jobs = scope.ServiceProvider.GetRequiredService<SealPortal.Jobs.JobScheduler>();
        if (!jobs.Running)
            return await monitor.RunOnceAsync(actor, lastSeen, CancellationToken.None);
        scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>().Enqueue<SealPortal.Jobs.IntegrityCheckJob>(
            SealPortal.Jobs.JobQueues.Integrity, j => j.RunAsync(actor, lastSeen, CancellationToken.None));
        var until = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            await using var db = await contexts.CreateDbContextAsync();
            if (await db.IntegrityCheckRuns.AsNoTracking().Where(r => r.Id > lastSeen).OrderByDescending(r => r.Id).FirstOrDefaultAsync() is { } run)
                return run;
        }
        return null;
    }

    private static async Task<AuditorWork> AuditorAsync(SealPortalDbContext db, CancellationToken ct)
    {
        var latest = await db.IntegrityCheckRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        var open = await db.SealAudits.CountAsync(a => a.Status != SealAuditStatus.Closed, ct);
        return new AuditorWork(latest, open);
    }
}

public static class DashboardServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DashboardService>();
        builder.Services.AddScoped<AnalyticsService>();
        return builder;
    }
}
