namespace SealPortal.Workflow;

/// <summary>Where a request stands in its approval.</summary>
public enum RequestStatus
{
    InApproval,
    /// <summary>Every applicable node approved; the portal may seal.</summary>
    Approved,
    Rejected,
    /// <summary>Back with the applicant for revision; <see cref="WorkflowEngine.Resubmit"/> restarts at the first node.</summary>
    Returned,
    Withdrawn,
}

public enum DecisionKind
{
    Approve,
    Reject,
    /// <summary>Return for revision to the applicant.</summary>
    Return,
}

/// <summary>State of one approver's part in the current node.</summary>
public enum SlotStatus
{
    Pending,
    Approved,
    Rejected,
    Returned,
    /// <summary>No longer needed: another approver decided (any-sign, reject, return) or the applicant withdrew.</summary>
    Cancelled,
    /// <summary>Handed to someone else after the deadline passed.</summary>
    Transferred,
}

/// <summary>One approver's part in the current node. <see cref="TransferredFromUserId"/> is set when the part came by automatic transfer.</summary>
public sealed record ApprovalSlot(string AssigneeUserId, SlotStatus Status, string? TransferredFromUserId = null);

/// <summary>
/// The node a request is waiting on. The deadline bookkeeping (<see cref="ReminderSent"/>, <see cref="OverdueHandled"/>)
/// is what makes <see cref="WorkflowEngine.Tick"/> idempotent.
/// </summary>
public sealed record ActiveNode
{
    public required int NodeIndex { get; init; }
    public required string NodeId { get; init; }
    public required DateTimeOffset EnteredAt { get; init; }
    public required IReadOnlyList<ApprovalSlot> Slots { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? RemindAt { get; init; }
    public bool ReminderSent { get; init; }
    public bool OverdueHandled { get; init; }
    /// <summary>How many automatic transfers this visit had; after one, a missed deadline only notifies, so transfers cannot ping-pong.</summary>
    public int Transfers { get; init; }

    public IEnumerable<string> PendingApprovers =>
        Slots.Where(s => s.Status == SlotStatus.Pending).Select(s => s.AssigneeUserId);
}

/// <summary>A decision as recorded, kept for the whole life of the request (also across return and resubmission).</summary>
public sealed record DecisionRecord(
    int Round,
    string NodeId,
    string ActorUserId,
    string? OnBehalfOfUserId,
    DecisionKind Kind,
    string? Comment,
    DateTimeOffset At,
    long BasedOnVersion);

public enum NodeVisitOutcome
{
    Approved,
    Rejected,
    Returned,
    Withdrawn,
}

/// <summary>A stay of the request at one node; the source of time-per-node figures.</summary>
public sealed record NodeVisit(int Round, string NodeId, string NodeName, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, NodeVisitOutcome? Outcome);

/// <summary>
/// The whole approval state of one request, a plain serializable record the portal stores (e.g. as JSON
/// beside the request row). <see cref="Template"/> is the snapshot taken at submission, so editing the
/// template later does not change a running request.
/// </summary>
public sealed record WorkflowState
{
    public required string RequestId { get; init; }

    /// <summary>Increases with every change; the persistence layer maps it to its optimistic-concurrency token.</summary>
    public required long Version { get; init; }

    /// <summary>
    /// The <see cref="Version"/> of the last change that matters to someone deciding (a decision, a transfer, a status
    /// change). Commands based on an older version are refused as stale; reminders and escalation notices raise
    /// <see cref="Version"/> but not this, so an approver whose page is older than a reminder can still decide.
    /// </summary>
    public required long DecisionBaseVersion { get; init; }

    public required SealRequestFacts Facts { get; init; }
    public required WorkflowTemplate Template { get; init; }
    public required RequestStatus Status { get; init; }

    /// <summary>1 for the first submission, +1 per resubmission after a return.</summary>
    public required int Round { get; init; }

    public ActiveNode? Current { get; init; }

    /// <summary>The version the latest resubmission was based on, so that a second click on "resubmit" is recognised.</summary>
    public long? ResubmittedFromVersion { get; init; }

    public IReadOnlyList<DecisionRecord> Decisions { get; init; } = [];
    public IReadOnlyList<NodeVisit> Visits { get; init; } = [];
    public required DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
}
