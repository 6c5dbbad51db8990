using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>What happened to a request, for its timeline.</summary>
public enum TimelineKind
{
    Created,
    Submitted,
    NodeReached,
    Decided,
    Withdrawn,
    Approved,
    Sealed,
    Stamped,
    SealingFailed,
    Completed,
    Downloaded,
}

/// <summary>
/// One line of a request's timeline. <see cref="Title"/> is a resource key with <see cref="Args"/>;
/// <see cref="Actor"/>, <see cref="Comment"/> and <see cref="Detail"/> are shown as they are.
/// </summary>
public sealed record TimelineEntry(DateTimeOffset At, TimelineKind Kind, string Title, object[] Args, string? Actor = null,
    string? Comment = null, string? Detail = null, DecisionKind? Decision = null);

/// <summary>A step of the request's approval flow and where the request stands with it.</summary>
public enum StepState
{
    Done,
    Current,
    Upcoming,
    Skipped,
}

/// <summary>One node of the template the request runs on, in the template's order.</summary>
public sealed record FlowStep(string Name, StepState State);

public sealed record RequestHistory(IReadOnlyList<FlowStep> Steps, IReadOnlyList<TimelineEntry> Entries);

/// <summary>The request's own facts its timeline starts from.</summary>
internal sealed record TimelineFacts(string Number, DateTimeOffset CreatedAt, DateTimeOffset? ApprovedAt, DateTimeOffset? CompletedAt,
    string Applicant, WorkflowState? State);

/// <summary>
/// The history of one request, from the data that records it: the workflow state (every node reached,
/// every decision with its comment), the seal ledger (each seal applied or stamped), the physical
/// stampings, and the audit trail's sealing failures and downloads. One context per call; it reads
/// the columns it shows, never a document or seal image.
/// </summary>
public sealed class RequestTimelines(IDbContextFactory<SealPortalDbContext> contexts)
{
    private static readonly AuditAction[] AuditedHere = [AuditAction.SealingFailed, AuditAction.RequestWithdrawn];

    /// <summary>
    /// Downloads shown one by one: the latest this many. A much-downloaded request (a contract everyone fetches) would
    /// otherwise read and draw every download on each view; the earlier ones are one line that says how many, and the
    /// audit trail keeps each of them.
    /// </summary>
    public const int DownloadsShown = 20;

    /// <summary>Null when there is no such request. The caller decides whether the reader may see it.</summary>
    public async Task<RequestHistory?> ForAsync(int requestId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var r = await db.SealRequests.AsNoTracking().Where(x => x.Id == requestId)
            .Select(x => new
            {
                x.Number, x.CreatedAt, x.ApprovedAt, x.CompletedAt, x.Status, x.WorkflowStateJson,
                Applicant = x.Applicant!.DisplayName,
            })
            .SingleOrDefaultAsync(ct);
        if (r is null)
            return null;
        var state = r.WorkflowStateJson is null ? null : RequestWorkflowStore.Deserialize(r.WorkflowStateJson);

        var userIds = state is null ? [] : state.Decisions.SelectMany(d => new[] { d.ActorUserId, d.OnBehalfOfUserId })
            .OfType<string>().Distinct().ToList();
        var names = userIds.Count == 0 ? new Dictionary<string, string>()
            : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName })
                .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return await BuildAsync(db, requestId, new TimelineFacts(r.Number, r.CreatedAt, r.ApprovedAt, r.CompletedAt, r.Applicant, state), names, ct);
    }

    /// <summary>
    /// The history from the request's own facts and its deciders' names as a caller already read them (the request
    /// page reads them for its details): only the ledger and the audit trail are read here, on the caller's context.
    /// </summary>
    internal static async Task<RequestHistory> BuildAsync(SealPortalDbContext db, int requestId, TimelineFacts r,
        IReadOnlyDictionary<string, string> names, CancellationToken ct)
    {
        var state = r.State;
        string Name(string id) => names.TryGetValue(id, out var n) ? n : id;

        var entries = new List<TimelineEntry> { new(r.CreatedAt, TimelineKind.Created, "Created by {0}", [r.Applicant]) };
        if (state is not null)
        {
            entries.Add(new(state.Visits.FirstOrDefault()?.EnteredAt ?? state.SubmittedAt, TimelineKind.Submitted, "Submitted for approval", []));
            foreach (var visit in state.Visits)
            {
                entries.Add(visit.Round > 1 && visit == state.Visits.First(v => v.Round == visit.Round)
                    ? new(visit.EnteredAt, TimelineKind.Submitted, "Resubmitted (round {0}); waits at {1}", [visit.Round, visit.NodeName])
                    : new(visit.EnteredAt, TimelineKind.NodeReached, "Reached {0}", [visit.NodeName]));
                if (visit.Outcome == NodeVisitOutcome.Withdrawn && visit.LeftAt is { } left)
                    entries.Add(new(left, TimelineKind.Withdrawn, "Withdrawn by the applicant", []));
            }
            foreach (var d in state.Decisions)
            {
                var node = state.Template.Nodes.FirstOrDefault(n => n.Id == d.NodeId)?.Name ?? d.NodeId;
                var actor = d.OnBehalfOfUserId is null ? Name(d.ActorUserId) : $"{Name(d.ActorUserId)} ({Name(d.OnBehalfOfUserId)})";
                entries.Add(new(d.At, TimelineKind.Decided, d.Kind switch
                {
                    DecisionKind.Approve => "Approved at {0}",
                    DecisionKind.Reject => "Rejected at {0}",
                    _ => "Returned for revision at {0}",
                }, [node], actor, d.Comment, d.OnBehalfOfUserId is null ? null : Name(d.OnBehalfOfUserId), d.Kind));
            }
        }
        if (r.ApprovedAt is { } approved)
            entries.Add(new(approved, TimelineKind.Approved, "Approval complete", []));

        var ledger = await db.LedgerEntries.AsNoTracking().Where(e => e.SealRequestId == requestId)
            .Select(e => new { e.ExecutedAt, e.SealName, e.Kind, e.ExecutorName, e.DocumentName, e.Copies })
            .ToListAsync(ct);
        foreach (var e in ledger)
        {
            var at = new DateTimeOffset(DateTime.SpecifyKind(e.ExecutedAt, DateTimeKind.Utc));
            entries.Add(e.Kind == SealKind.Electronic
                ? new(at, TimelineKind.Sealed, "{0} applied to {1}", [e.SealName, e.DocumentName], e.ExecutorName)
                : new(at, TimelineKind.Stamped, "{0} stamped on {1} copies", [e.SealName, e.Copies], e.ExecutorName));
        }

        // Failures, withdrawals and the latest downloads in one read: the downloads are the newest first, one more than
        // shown, so the count of earlier ones is asked for only when there are earlier ones.
        string[] subjects = [r.Number, $"request {r.Number}"];
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => AuditedHere.Contains(e.Action) && e.Subject != null && subjects.Contains(e.Subject))
            .Select(e => new AuditLine { Sequence = e.Sequence, At = e.At, Action = e.Action, Actor = e.Actor, Detail = e.Detail })
            .Concat(db.AuditEvents.AsNoTracking()
                .Where(e => e.Action == AuditAction.DocumentDownloaded && e.Subject != null && subjects.Contains(e.Subject))
                .OrderByDescending(e => e.Sequence).Take(DownloadsShown + 1)
                .Select(e => new AuditLine { Sequence = e.Sequence, At = e.At, Action = e.Action, Actor = e.Actor, Detail = e.Detail }))
            .ToListAsync(ct);
        var latest = events.Where(e => e.Action == AuditAction.DocumentDownloaded).OrderByDescending(e => e.Sequence).ToList();
        foreach (var e in latest.Take(DownloadsShown))
            entries.Add(new(new DateTimeOffset(DateTime.SpecifyKind(e.At, DateTimeKind.Utc)), TimelineKind.Downloaded, "Downloaded {0}", [e.Detail ?? ""], e.Actor));
        if (latest.Count > DownloadsShown)
        {
            // The earliest of the earlier downloads and how many there are, in one query.
            var oldest = latest[DownloadsShown].Sequence;
            var before = db.AuditEvents.AsNoTracking()
                .Where(e => e.Action == AuditAction.DocumentDownloaded && e.Subject != null && subjects.Contains(e.Subject) && e.Sequence <= oldest);
            var earlier = await before.OrderBy(e => e.Sequence).Select(e => new { e.At, Count = before.Count() }).FirstAsync(ct);
            entries.Add(new(new DateTimeOffset(DateTime.SpecifyKind(earlier.At, DateTimeKind.Utc)), TimelineKind.Downloaded,
                "Downloaded {0} more times before (each is in the audit trail)", [earlier.Count]));
        }
        foreach (var e in events.Where(e => e.Action != AuditAction.DocumentDownloaded))
        {
            var at = new DateTimeOffset(DateTime.SpecifyKind(e.At, DateTimeKind.Utc));
            switch (e.Action)
            {
                case AuditAction.SealingFailed:
                    entries.Add(new(at, TimelineKind.SealingFailed, "Sealing failed", [], null, null, e.Detail));
                    break;
                // A draft's withdrawal leaves no workflow visit; the audit trail has it.
                case AuditAction.RequestWithdrawn when state is null:
                    entries.Add(new(at, TimelineKind.Withdrawn, "Withdrawn by the applicant", [], e.Actor));
                    break;
            }
        }
        if (r.CompletedAt is { } completed)
            entries.Add(new(completed, TimelineKind.Completed, "Completed", []));

        return new(Steps(state), entries.OrderBy(e => e.At).ThenBy(e => e.Kind).ToList());
    }

    /// <summary>An audit line the timeline shows; a class with settable members so that both halves of the union project alike.</summary>
    private sealed class AuditLine
    {
        public long Sequence { get; init; }
        public DateTime At { get; init; }
        public AuditAction Action { get; init; }
        public string? Actor { get; init; }
        public string? Detail { get; init; }
    }

    /// <summary>The template's nodes: approved in the current round, the one waiting, and those still to come (or that do not apply).</summary>
    private static IReadOnlyList<FlowStep> Steps(WorkflowState? state)
    {
        if (state is null)
            return [];
        var steps = new List<FlowStep>();
        for (var i = 0; i < state.Template.Nodes.Count; i++)
        {
            var node = state.Template.Nodes[i];
            var visit = state.Visits.LastOrDefault(v => v.Round == state.Round && v.NodeId == node.Id);
            StepState s;
            if (state.Current is { } current && current.NodeIndex == i && state.Status == RequestStatus.InApproval)
                s = StepState.Current;
            else if (visit?.Outcome == NodeVisitOutcome.Approved)
                s = StepState.Done;
            else if (!(node.AppliesWhen?.Matches(state.Facts) ?? true))
                s = StepState.Skipped;
            else
                s = StepState.Upcoming;
            steps.Add(new(node.Name, s));
        }
        return steps;
    }
}
