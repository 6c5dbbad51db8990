using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Requests;

namespace SealPortal.Features.Audits;

/// <summary>
/// Periodic audits as the interactive pages use them. Reads open a context of their own; every change runs
/// in a scope of its own after checking the user as the database has them now: auditors change audits,
/// administrators only read them, and a circuit whose session ended does nothing.
/// </summary>
public sealed class AuditCommands(IServiceScopeFactory scopes, IDbContextFactory<SealPortalDbContext> contexts)
{
    /// <summary>Columns the audit list sorts by; anything else sorts newest first.</summary>
    public static readonly IReadOnlyList<string> Sortable = ["Id", "Period", "Status", "Opened"];

    public static bool MayRead(ClaimsPrincipal? user) => user is not null && (user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin));

    public static bool MayChange(ClaimsPrincipal? user) => user is not null && user.IsInRole(Roles.Auditor);

    /// <summary>One page of audits, newest first unless sorted otherwise; empty for a user who may not read audits.</summary>
    public async Task<ListPage<AuditRow>> PageAsync(ClaimsPrincipal? user, ListQuery q, SealAuditStatus? status = null, CancellationToken ct = default)
    {
        if (!MayRead(user))
            return new([], 0);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.SealAudits.AsNoTracking();
        if (status is { } s)
            query = query.Where(a => a.Status == s);
        var total = await query.CountAsync(ct);
        query = (q.SortBy, q.Descending) switch
        {
            ("Id", false) or ("Opened", false) => query.OrderBy(a => a.Id),
            ("Period", false) => query.OrderBy(a => a.PeriodFrom).ThenBy(a => a.Id),
            ("Period", true) => query.OrderByDescending(a => a.PeriodFrom).ThenByDescending(a => a.Id),
            ("Status", false) => query.OrderByDeclared(a => a.Status, descending: false).ThenByDescending(a => a.Id),
            ("Status", true) => query.OrderByDeclared(a => a.Status, descending: true).ThenByDescending(a => a.Id),
            _ => query.OrderByDescending(a => a.Id),
        };
        var rows = await query.Skip(q.Skip).Take(q.Take)
            .Select(a => new AuditRow(a.Id, a.PeriodFrom, a.PeriodTo, a.Status, a.OpenedBy, a.OpenedAt, a.SampleSize,
                a.Items.Count(i => i.Finding != SealAuditFinding.NotChecked),
                a.Items.Count(i => i.Finding == SealAuditFinding.Issue),
                a.ClosedAt))
            .ToListAsync(ct);
        return new(rows, total);
    }

    /// <summary>The audit for a user who may read audits; null when there is no such audit or the user may not read it.</summary>
    public async Task<AuditDetail?> GetAsync(ClaimsPrincipal? user, int id)
    {
        if (!MayRead(user))
            return null;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealAuditService>().GetAsync(id);
    }

    public Task<AuditResult> OpenAsync(ClaimsPrincipal? user, DateOnly? from, DateOnly? to, string? sampleRule) =>
        RunAsync(user, (audits, actor) => audits.OpenAsync(from, to, sampleRule, actor));

    public Task<AuditResult> RecordFindingAsync(ClaimsPrincipal? user, int auditId, long itemId, SealAuditFinding? finding, string? note) =>
        RunAsync(user, (audits, actor) => audits.RecordFindingAsync(auditId, itemId, finding, note, actor));

    public Task<AuditResult> CloseAsync(ClaimsPrincipal? user, int auditId, string? conclusion) =>
        RunAsync(user, (audits, actor) => audits.CloseAsync(auditId, conclusion, actor));

    private async Task<AuditResult> RunAsync(ClaimsPrincipal? user, Func<SealAuditService, string, Task<AuditResult>> change)
    {
        if (user is null)
            return AuditResult.Fail(StatusCodes.Status401Unauthorized, SealPortal.Components.Interactive.CircuitUser.SessionEnded);
        if (!MayChange(user))
            return AuditResult.Fail(StatusCodes.Status403Forbidden, "Only auditors may open or change audits.");
        await using var scope = scopes.CreateAsyncScope();
        // No HttpContext in a circuit: the audit trail learns the auditor from here.
        using var acting = AuditTrail.AuditTrail.ActingAs(user);
        return await change(scope.ServiceProvider.GetRequiredService<SealAuditService>(), user.Identity!.Name!);
    }
}
