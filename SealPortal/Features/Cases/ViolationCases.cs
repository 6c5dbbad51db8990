using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Cases;

/// <summary>Reads of violation cases for other areas (the department assessment), over a context the caller holds.</summary>
public static class ViolationCases
{
    /// <summary>
    /// How many violation cases naming <paramref name="departmentId"/> were opened in [<paramref name="fromUtc"/>,
    /// <paramref name="toUtc"/>), leaving out those closed as "no violation" (open cases count: the suspicion stands).
    /// </summary>
    public static Task<int> CountForDepartmentAsync(SealPortalDbContext db, int departmentId, DateTimeOffset fromUtc, DateTimeOffset toUtc,
        CancellationToken ct = default)
    {
        var from = fromUtc.UtcDateTime;
        var to = toUtc.UtcDateTime;
        return db.ViolationCases.AsNoTracking().CountAsync(c => c.DepartmentId == departmentId && c.OpenedAt >= from && c.OpenedAt < to
            && (c.Outcome == null || c.Outcome != ViolationOutcome.NoViolation), ct);
    }
}
