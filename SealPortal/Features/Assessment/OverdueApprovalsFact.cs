using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
using SealPortal.Resources;

namespace SealPortal.Features.Assessment;

/// <summary>
/// Approvals of the department's people whose deadline fell in the period and that were decided after it (or
/// transferred away because of it), or that are still pending now that it has passed. An approval belongs to the
/// approver the step asked (also when a deputy decided), in the department that approver is in now.
/// </summary>
public sealed class OverdueApprovalsFact(IStringLocalizer<SharedResource> localizer) : IAssessmentFact
{
    public const int PerItem = 10;

    public string Key => "overdue-approvals";

    public string Name => "Overdue approvals";

    public string Counts => "Approvals by the department's approvers whose deadline fell in the period and that were decided after it, transferred because of it, or are still pending past it.";

    public string Rule => "100 − 10 per overdue approval, not below 0.";

    public int Weight => 25;

    private static IQueryable<ApprovalDecision> Late(SealPortalDbContext db, AssessmentWindow w) =>
        db.ApprovalDecisions.Where(d => d.DueUnixMs != null && d.DueUnixMs >= w.FromUnixMs && d.DueUnixMs < w.UntilUnixMs
                                        && d.DecidedUnixMs > d.DueUnixMs);

    private static IQueryable<PendingApproval> Waiting(SealPortalDbContext db, AssessmentWindow w) =>
        db.PendingApprovals.Where(p => p.DueUnixMs != null && p.DueUnixMs >= w.FromUnixMs && p.DueUnixMs < w.UntilUnixMs
                                       && p.DueUnixMs < w.NowUnixMs);

    public async Task<IReadOnlyDictionary<int, FactMeasure>> MeasureAsync(SealPortalDbContext db, AssessmentWindow window,
        IReadOnlyCollection<int> departmentIds, CancellationToken ct)
    {
        var late = await Late(db, window)
            .Join(db.Users, d => d.ApproverUserId, u => u.Id, (d, u) => u.DepartmentId)
            .Where(dep => dep != null && departmentIds.Contains(dep.Value))
            .GroupBy(dep => dep!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var waiting = await Waiting(db, window)
            .Join(db.Users, p => p.ApproverUserId, u => u.Id, (p, u) => u.DepartmentId)
            .Where(dep => dep != null && departmentIds.Contains(dep.Value))
            .GroupBy(dep => dep!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var counts = departmentIds.ToDictionary(id => id, id => late.GetValueOrDefault(id) + waiting.GetValueOrDefault(id));
        return AssessmentScore.PerDepartment(departmentIds, counts, n => new FactMeasure(n, null, AssessmentScore.Deduct(n, PerItem)));
    }

    public async Task<IReadOnlyList<FactItem>> ItemsAsync(SealPortalDbContext db, AssessmentWindow window, int departmentId, CancellationToken ct)
    {
        var late = await Late(db, window)
            .Join(db.Users.Where(u => u.DepartmentId == departmentId), d => d.ApproverUserId, u => u.Id, (d, u) => new { d, u.UserName, u.DisplayName })
            .Join(db.SealRequests, x => x.d.SealRequestId, r => r.Id, (x, r) => new
            {
                r.Id, r.Number, x.UserName, x.DisplayName, x.d.NodeName, x.d.Outcome, x.d.ActorUserId, x.d.ApproverUserId, x.d.DueAt, x.d.DecidedAt, x.d.DueUnixMs,
            })
            .ToListAsync(ct);
        var waiting = await Waiting(db, window)
            .Join(db.Users.Where(u => u.DepartmentId == departmentId), p => p.ApproverUserId, u => u.Id, (p, u) => new { p, u.UserName, u.DisplayName })
            .Join(db.SealRequests, x => x.p.SealRequestId, r => r.Id, (x, r) => new
            {
                r.Id, r.Number, x.UserName, x.DisplayName, x.p.NodeName, x.p.DueAt, x.p.DueUnixMs,
            })
            .ToListAsync(ct);
        var items = late.Select(x => (x.DueUnixMs, Item: new FactItem(x.Number, $"/requests/{x.Id}", Person(x.UserName, x.DisplayName),
                string.Format(localizer[x.Outcome == ApprovalOutcome.Transferred ? "{0}: transferred after its deadline" : x.ActorUserId != x.ApproverUserId
                    ? "{0}: {1} late, by a deputy" : "{0}: {1} late"], x.NodeName, localizer.Enum(x.Outcome)),
                x.DueAt, x.DecidedAt)))
            .Concat(waiting.Select(x => (x.DueUnixMs, Item: new FactItem(x.Number, $"/requests/{x.Id}", Person(x.UserName, x.DisplayName),
                string.Format(localizer["{0}: still pending"], x.NodeName), x.DueAt, (DateTimeOffset?)null))));
        return items.OrderBy(x => x.DueUnixMs).ThenBy(x => x.Item.Reference, StringComparer.Ordinal).Select(x => x.Item).ToList();
    }

    internal static string Person(string? userName, string? displayName) =>
        string.IsNullOrEmpty(displayName) ? userName ?? "" : $"{displayName} ({userName})";
}
