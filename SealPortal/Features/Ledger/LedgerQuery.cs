using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>
/// The ledger filters of the page and the exports. <see cref="From"/> and <see cref="To"/> are
/// inclusive calendar days of the execution time, in UTC.
/// </summary>
public sealed record LedgerFilter(int? SealId = null, int? DepartmentId = null, string? Person = null,
    DateOnly? From = null, DateOnly? To = null, SealKind? Kind = null)
{
    public string Describe() => string.Join(", ", new[]
    {
        SealId is { } s ? $"seal={s}" : null,
        DepartmentId is { } d ? $"department={d}" : null,
        Person is { } p ? $"person={p}" : null,
        From is { } f ? $"from={f:yyyy-MM-dd}" : null,
        To is { } t ? $"to={t:yyyy-MM-dd}" : null,
        Kind is { } k ? $"kind={k}" : null,
    }.Where(x => x is not null));
}

/// <summary>One ledger entry as the page and the exports show it.</summary>
public sealed record LedgerRow(
    long Id, long Sequence, string? RequestNumber, int SealId, string SealName, SealKind Kind,
    string ApplicantName, string DepartmentName, DateTime? AppliedAt, string ApproversJson, DateTime? ApprovedAt,
    string ExecutorName, DateTime ExecutedAt, string DocumentName, string DocumentSha256, int Copies, string Hash)
{
    public IReadOnlyList<LedgerApproval> Approvers => LedgerApprovals.FromJson(ApproversJson);
}

public sealed record LedgerPage(IReadOnlyList<LedgerRow> Rows, long? NextBefore);

/// <summary>
/// Reads the ledger for a user. Auditors and administrators see every entry; a seal keeper sees
/// only the entries of seals they are custodian of, and that restriction is part of the query, so
/// the page, the exports and any future reader get it alike. Everyone else sees nothing.
/// Paging is by keyset (entries with a sequence below the last one shown), newest first, so
/// page 10,000 costs what page 1 costs.
/// </summary>
public sealed class LedgerQuery(SealPortalDbContext db)
{
    public const int PageSize = 50;

    public static bool CanRead(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.SealKeeper);

    public async Task<LedgerPage> PageAsync(ClaimsPrincipal user, LedgerFilter filter, long? before, int size = PageSize, CancellationToken ct = default)
    {
        var q = Filtered(user, filter);
        if (before is { } b)
            q = q.Where(e => e.Sequence < b);
        var rows = await Project(q.OrderByDescending(e => e.Sequence).Take(size + 1)).ToListAsync(ct);
        long? next = rows.Count > size ? rows[size - 1].Sequence : null;
        return new LedgerPage(rows.Take(size).ToList(), next);
    }

    /// <summary>Every matching entry, newest first, read as a stream for the exports.</summary>
    public IAsyncEnumerable<LedgerRow> StreamAsync(ClaimsPrincipal user, LedgerFilter filter) =>
        Project(Filtered(user, filter).OrderByDescending(e => e.Sequence)).AsAsyncEnumerable();

    /// <summary>The seals the user may filter by: all for readers of the whole ledger, their own for a keeper.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> SealsAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var seals = db.Seals.AsNoTracking();
        if (!SeesAll(user))
        {
            var me = user.FindFirstValue(ClaimTypes.NameIdentifier);
            seals = seals.Where(s => s.CustodianUserId != null && s.CustodianUserId == me);
        }
        return (await seals.OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct)).Select(s => (s.Id, s.Name)).ToList();
    }

    public async Task<IReadOnlyList<(int Id, string Name)>> DepartmentsAsync(CancellationToken ct = default) =>
        (await db.Departments.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(ct)).Select(d => (d.Id, d.Name)).ToList();

    public async Task<IReadOnlyList<(string Id, string Name)>> PeopleAsync(CancellationToken ct = default) =>
        (await db.Users.AsNoTracking().OrderBy(u => u.UserName).Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct))
        .Select(u => (u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? u.Id : u.DisplayName)).ToList();

    private static bool SeesAll(ClaimsPrincipal user) => user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin);

    private IQueryable<LedgerEntry> Filtered(ClaimsPrincipal user, LedgerFilter f)
    {
        var q = db.LedgerEntries.AsNoTracking();
        if (!SeesAll(user))
        {
            if (!user.IsInRole(Roles.SealKeeper))
                return q.Where(e => false);
            var me = user.FindFirstValue(ClaimTypes.NameIdentifier);
            var mine = db.Seals.Where(s => s.CustodianUserId != null && s.CustodianUserId == me).Select(s => s.Id);
            q = q.Where(e => mine.Contains(e.SealId));
        }
        if (f.SealId is { } seal)
            q = q.Where(e => e.SealId == seal);
        if (f.DepartmentId is { } dept)
            q = q.Where(e => e.DepartmentId == dept);
        if (f.Kind is { } kind)
            q = q.Where(e => e.Kind == kind);
        if (f.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(e => e.ExecutedAt >= start);
        }
        if (f.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(e => e.ExecutedAt < end);
        }
        if (!string.IsNullOrWhiteSpace(f.Person))
        {
            var person = f.Person.Trim();
            // Approvers are matched inside the stored JSON; the entry's own user columns are indexed.
            var inApprovers = $"\"userId\":\"{person}\"";
            q = q.Where(e => e.ApplicantUserId == person || e.ExecutorUserId == person || e.ApproversJson.Contains(inApprovers));
        }
        return q;
    }

    private static IQueryable<LedgerRow> Project(IQueryable<LedgerEntry> q) =>
        q.Select(e => new LedgerRow(e.Id, e.Sequence, e.RequestNumber, e.SealId, e.SealName, e.Kind, e.ApplicantName, e.DepartmentName,
            e.AppliedAt, e.ApproversJson, e.ApprovedAt, e.ExecutorName, e.ExecutedAt, e.DocumentName, e.DocumentSha256, e.Copies, e.Hash));
}
