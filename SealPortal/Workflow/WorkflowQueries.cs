namespace SealPortal.Workflow;

/// <summary>Time a request spent at one node in one round; <see cref="Finished"/> is false for the node it still waits on.</summary>
public sealed record NodeTime(int Round, string NodeId, string NodeName, TimeSpan Duration, bool Finished, NodeVisitOutcome? Outcome);

/// <summary>Count, median and 90th percentile of the time spent at one node across requests.</summary>
public sealed record NodeTimeSummary(string NodeId, int Count, TimeSpan Median, TimeSpan P90);

/// <summary>Read-only questions about a state, for inboxes, overdue lists and the dashboard.</summary>
public static class WorkflowQueries
{
    /// <summary>True when the request waits on a node whose deadline has come (the same moment <see cref="WorkflowEngine.Tick"/> acts).</summary>
    public static bool IsOverdue(WorkflowState state, DateTimeOffset now) =>
        state.Status == RequestStatus.InApproval && state.Current?.DueAt is { } due && now >= due;

    public static IReadOnlyList<string> PendingApprovers(WorkflowState state) =>
        state.Status == RequestStatus.InApproval && state.Current is { } current ? current.PendingApprovers.ToList() : [];

    /// <summary>Wall-clock time per node visit, the open visit counted up to <paramref name="now"/>.</summary>
    public static IReadOnlyList<NodeTime> TimeSpentPerNode(WorkflowState state, DateTimeOffset now) =>
        state.Visits
            .Select(v => new NodeTime(v.Round, v.NodeId, v.NodeName, (v.LeftAt ?? now) - v.EnteredAt, v.LeftAt is not null, v.Outcome))
            .ToList();

    /// <summary>
    /// Median and p90 per node id over finished visits, by the nearest-rank method (a value that actually
    /// occurred, no interpolation), ordered by node id.
    /// </summary>
    public static IReadOnlyList<NodeTimeSummary> Summarize(IEnumerable<NodeTime> times) =>
        times.Where(t => t.Finished)
            .GroupBy(t => t.NodeId)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var sorted = g.Select(t => t.Duration).Order().ToList();
                return new NodeTimeSummary(g.Key, sorted.Count, NearestRank(sorted, 50), NearestRank(sorted, 90));
            })
            .ToList();

    private static TimeSpan NearestRank(List<TimeSpan> sorted, int percent)
    {
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
