using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Cases;

/// <summary>Reads of violation cases for other areas (the department assessment), over a context the caller holds.</summary>
public static class ViolationCases
{
    /// <summary>
    /// The violation cases that count against their department for [<paramref name="fromUtc"/>, <paramref name="toUtc"/>):
    /// opened in that span, leaving out those closed as "no violation" (open cases count: the suspicion stands).
    /// </summary>
    public static IQueryable<ViolationCase> Counted(SealPortalDbContext db, DateTimeOffset fromUtc, DateTimeOffset toUtc)
    {
        var from = fromUtc.UtcDateTime;
        var to = toUtc.UtcDateTime;
        return db.ViolationCases.AsNoTracking().Where(c => c.OpenedAt >= from && c.OpenedAt < to
            && (c.Outcome == null || c.Outcome != ViolationOutcome.NoViolation));
    }

    /// <summary>How many <see cref="Counted"/> cases name each of <paramref name="departmentIds"/> (one grouped query; none found: no entry).</summary>
    public static Task<Dictionary<int, int>> CountByDepartmentAsync(SealPortalDbContext db, IReadOnlyCollection<int> departmentIds,
        DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken ct = default) =>
        Counted(db, fromUtc, toUtc).Where(c => departmentIds.Contains(c.DepartmentId))
            .GroupBy(c => c.DepartmentId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);

    /// <summary>How many <see cref="Counted"/> cases name <paramref name="departmentId"/>.</summary>
    public static Task<int> CountForDepartmentAsync(SealPortalDbContext db, int departmentId, DateTimeOffset fromUtc, DateTimeOffset toUtc,
        CancellationToken ct = default) =>
        Counted(db, fromUtc, toUtc).CountAsync(c => c.DepartmentId == departmentId, ct);
}
