using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Workflow;

namespace SealPortal.Features.Dashboard;

public sealed record CountRow(string Label, int Count);

public sealed record WeekRow(DateOnly WeekStart, int Count);

public sealed record NodeTimeRow(string NodeName, int Visits, double MedianHours, double P90Hours);

public sealed record OverdueRow(int RequestId, string Number, string NodeName, DateTimeOffset DueAt, double HoursOverdue);

public sealed record UnusualRow(string Kind, string Subject, string Detail, DateTimeOffset? At);

public sealed record AnalyticsReport(
    int Total,
    IReadOnlyList<CountRow> BySeal,
    IReadOnlyList<CountRow> ByDepartment,
    IReadOnlyList<CountRow> ByStatus,
    IReadOnlyList<WeekRow> ByWeek,
    IReadOnlyList<NodeTimeRow> NodeTimes,
    IReadOnlyList<OverdueRow> Overdue,
    int Decided,
    int Passed,
    IReadOnlyList<UnusualRow> Unusual)
{
    /// <summary>Approved (and later sealed) requests among those with a final decision; null when none was decided.</summary>
    public double? PassRate => Decided == 0 ? null : (double)Passed / Decided;
}

/// <summary>
/// Monitoring figures over seal requests (数据分析与监控). Time per node is calendar time from entering a node to
/// leaving it, read from each request's workflow state; unusual use is a submission outside working time or a
/// department's week well above its usual weekly rate. Weeks are the company's (Monday 00:00 in its time zone),
/// and working time is judged by the working calendar, which is in the company's time zone too.
/// </summary>
public sealed class AnalyticsService(IDbContextFactory<SealPortalDbContext> contexts, WorkingCalendar calendar, TimeProvider clock, CompanyTime time)
{
    public const int Weeks = 12;

    public async Task<AnalyticsReport> BuildAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // A context of its own per report: the page lives in a long-lived circuit.
        await using var db = await contexts.CreateDbContextAsync(ct);
        var requests = await db.SealRequests.AsNoTracking()
            .Select(r => new { r.Id, r.Number, r.DepartmentId, r.Status, r.CreatedAt, r.SubmittedAt, r.WorkflowStateJson })
            .ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var sealUses = await db.SealRequestSeals.AsNoTracking()
            .Join(db.Seals, u => u.SealId, s => s.Id, (u, s) => new { u.SealRequestId, s.Name }).ToListAsync(ct);

        var bySeal = sealUses.GroupBy(u => u.Name).Select(g => new CountRow(g.Key, g.Select(u => u.SealRequestId).Distinct().Count()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        var byDepartment = requests.GroupBy(r => departments.GetValueOrDefault(r.DepartmentId, "?"))
            .Select(g => new CountRow(g.Key, g.Count())).OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        var byStatus = requests.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => new CountRow(g.Key.ToString(), g.Count())).ToList();

        var thisWeek = AnalyticsStatistics.WeekStart(time.Day(now));
        var firstWeek = thisWeek.AddDays(-7 * (Weeks - 1));
        var submitted = requests.Where(r => r.SubmittedAt is not null).ToList();
        var weekStarts = Enumerable.Range(0, Weeks).Select(i => firstWeek.AddDays(7 * i)).ToList();
        // Submissions per week of the window, oldest first: one pass over the rows, then a look-up per week.
        List<int> WeeklyCounts<T>(IEnumerable<T> rows, Func<T, DateTimeOffset> at)
        {
            var counts = rows.CountBy(r => AnalyticsStatistics.WeekStart(time.Day(at(r)))).ToDictionary();
            return weekStarts.Select(w => counts.GetValueOrDefault(w)).ToList();
        }
        var byWeek = weekStarts.Zip(WeeklyCounts(submitted, r => r.SubmittedAt!.Value), (w, n) => new WeekRow(w, n)).ToList();

        var visits = new List<NodeVisit>();
        var overdue = new List<OverdueRow>();
        foreach (var r in requests.Where(r => r.WorkflowStateJson is not null))
        {
            WorkflowState state;
            try
            {
                state = RequestWorkflowStore.Deserialize(r.WorkflowStateJson!);
            }
            catch (JsonException)
            {
                // One unreadable state must not take the whole dashboard down; it simply does not count.
                continue;
            }
            visits.AddRange(state.Visits.Where(v => v.LeftAt is not null));
            if (r.Status == SealRequestStatus.InApproval && state.Current is { DueAt: { } due } current && due < now)
            {
                var name = state.Template.Nodes.ElementAtOrDefault(current.NodeIndex)?.Name ?? current.NodeId;
                overdue.Add(new OverdueRow(r.Id, r.Number, name, due, (now - due).TotalHours));
            }
        }
        var nodeTimes = visits.GroupBy(v => v.NodeName)
            .Select(g =>
            {
                var hours = g.Select(v => (v.LeftAt!.Value - v.EnteredAt).TotalHours).ToList();
                return new NodeTimeRow(g.Key, hours.Count, AnalyticsStatistics.Median(hours)!.Value, AnalyticsStatistics.Percentile(hours, 90)!.Value);
            })
            .OrderByDescending(n => n.Visits).ToList();

        var passedStatuses = new[] { SealRequestStatus.Approved, SealRequestStatus.SealingFailed, SealRequestStatus.Completed };
        var passed = requests.Count(r => passedStatuses.Contains(r.Status));
        var decided = passed + requests.Count(r => r.Status == SealRequestStatus.Rejected);

        var unusual = new List<UnusualRow>();
        foreach (var r in submitted.Where(r => AnalyticsStatistics.IsOffHours(r.SubmittedAt!.Value, calendar)).OrderByDescending(r => r.SubmittedAt))
            unusual.Add(new UnusualRow("OffHours", r.Number, departments.GetValueOrDefault(r.DepartmentId, "?"), r.SubmittedAt));
        foreach (var department in submitted.GroupBy(r => r.DepartmentId))
        {
            var weeks = WeeklyCounts(department, r => r.SubmittedAt!.Value);
            for (var i = AnalyticsStatistics.BurstMinimumHistory; i < weeks.Count; i++)
            {
                if (AnalyticsStatistics.IsBurst(weeks.Take(i).ToList(), weeks[i], out var usual))
                    unusual.Add(new UnusualRow("Burst", departments.GetValueOrDefault(department.Key, "?"),
                        $"{weeks[i]} / {usual:0.#}", time.StartOf(weekStarts[i])));
            }
        }

        return new AnalyticsReport(requests.Count, bySeal, byDepartment, byStatus, byWeek, nodeTimes,
            overdue.OrderByDescending(o => o.HoursOverdue).ToList(), decided, passed, unusual);
    }
}
