using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
using SealPortal.Resources;

namespace SealPortal.Features.Assessment;

/// <summary>
/// Findings with an issue that periodic audits recorded about uses of the department's seals (the seals the
/// registry assigns to the department) that took place in the period, whether the audit is still open or closed.
/// </summary>
public sealed class AuditFindingsFact(IStringLocalizer<SharedResource> localizer) : IAssessmentFact
{
    public const int PerItem = 25;

    public string Key => "audit-findings";

    public string Name => "Audit findings";

    public string Counts => "Issues that periodic audits found in uses of the department's seals that took place in the period.";

    public string Rule => "100 − 25 per finding, not below 0.";

    public int Weight => 20;

    private static IQueryable<Finding> Findings(SealPortalDbContext db, AssessmentWindow w)
    {
        var from = w.From.UtcDateTime;
        var until = w.Until.UtcDateTime;
        return db.SealAuditItems.Where(i => i.Finding == SealAuditFinding.Issue)
            .Join(db.LedgerEntries, i => i.LedgerEntryId, e => e.Id, (i, e) => new { i, e })
            .Where(x => x.e.ExecutedAt >= from && x.e.ExecutedAt < until)
            .Join(db.Seals, x => x.e.SealId, s => s.Id, (x, s) => new Finding
            {
                DepartmentId = s.DepartmentId,
                AuditId = x.i.SealAuditId,
                Sequence = x.e.Sequence,
                RequestNumber = x.e.RequestNumber,
                SealName = x.e.SealName,
                ExecutorName = x.e.ExecutorName,
                ExecutedAt = x.e.ExecutedAt,
                Note = x.i.Note,
            });
    }

    public async Task<IReadOnlyDictionary<int, FactMeasure>> MeasureAsync(SealPortalDbContext db, AssessmentWindow window,
        IReadOnlyCollection<int> departmentIds, CancellationToken ct)
    {
        var counts = await Findings(db, window).Where(f => departmentIds.Contains(f.DepartmentId))
            .GroupBy(f => f.DepartmentId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return AssessmentScore.PerDepartment(departmentIds, counts, n => new FactMeasure(n, null, AssessmentScore.Deduct(n, PerItem)));
    }

    public async Task<IReadOnlyList<FactItem>> ItemsAsync(SealPortalDbContext db, AssessmentWindow window, int departmentId, CancellationToken ct)
    {
        var rows = await Findings(db, window).Where(f => f.DepartmentId == departmentId)
            .OrderBy(f => f.ExecutedAt).ThenBy(f => f.Sequence).ToListAsync(ct);
        return rows.Select(f => new FactItem(
            string.Format(localizer["Audit {0}, ledger entry {1}"], f.AuditId, f.Sequence),
            $"/audits/{f.AuditId}",
            f.ExecutorName,
            string.Join(" · ", new[] { f.SealName, f.RequestNumber, f.Note }.Where(s => !string.IsNullOrWhiteSpace(s))),
            null,
            new DateTimeOffset(DateTime.SpecifyKind(f.ExecutedAt, DateTimeKind.Utc)))).ToList();
    }

    private sealed class Finding
    {
        public int DepartmentId { get; init; }
        public int AuditId { get; init; }
        public long Sequence { get; init; }
        public string? RequestNumber { get; init; }
        public string SealName { get; init; } = "";
        public string ExecutorName { get; init; } = "";
        public DateTime ExecutedAt { get; init; }
        public string? Note { get; init; }
    }
}
