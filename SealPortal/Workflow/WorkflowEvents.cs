using System.Text.Json.Serialization;

namespace SealPortal.Workflow;

/// <summary>
/// Something that happened, for notifications and the audit trail. The caller persists the new state and
/// its events in one transaction (outbox), so a notification is sent exactly when the state change is stored.
/// Serialized through the base type, an event carries its type name in "$type", so one outbox or audit column holds all kinds.
/// </summary>
[JsonDerivedType(typeof(RequestSubmitted), nameof(RequestSubmitted))]
[JsonDerivedType(typeof(NodeSkipped), nameof(NodeSkipped))]
[JsonDerivedType(typeof(NodeEntered), nameof(NodeEntered))]
[JsonDerivedType(typeof(DecisionRecorded), nameof(DecisionRecorded))]
[JsonDerivedType(typeof(PendingApprovalsCancelled), nameof(PendingApprovalsCancelled))]
[JsonDerivedType(typeof(NodeCompleted), nameof(NodeCompleted))]
[JsonDerivedType(typeof(RequestApproved), nameof(RequestApproved))]
[JsonDerivedType(typeof(RequestRejected), nameof(RequestRejected))]
[JsonDerivedType(typeof(RequestReturned), nameof(RequestReturned))]
[JsonDerivedType(typeof(RequestWithdrawn), nameof(RequestWithdrawn))]
[JsonDerivedType(typeof(RequestResubmitted), nameof(RequestResubmitted))]
[JsonDerivedType(typeof(ReminderDue), nameof(ReminderDue))]
[JsonDerivedType(typeof(DeadlineMissed), nameof(DeadlineMissed))]
[JsonDerivedType(typeof(EscalationRaised), nameof(EscalationRaised))]
[JsonDerivedType(typeof(ApprovalTransferred), nameof(ApprovalTransferred))]
[JsonDerivedType(typeof(WorkflowProblem), nameof(WorkflowProblem))]
public abstract record WorkflowEvent(string RequestId, DateTimeOffset At);

public sealed record RequestSubmitted(string RequestId, DateTimeOffset At, int Round, string TemplateKey, int TemplateVersion)
    : WorkflowEvent(RequestId, At);

public sealed record NodeSkipped(string RequestId, DateTimeOffset At, string NodeId, string NodeName, string Condition)
    : WorkflowEvent(RequestId, At);

public sealed record NodeEntered(string RequestId, DateTimeOffset At, string NodeId, string NodeName, ApprovalMode Mode,
    IReadOnlyList<string> Approvers, DateTimeOffset? DueAt) : WorkflowEvent(RequestId, At);

public sealed record DecisionRecorded(string RequestId, DateTimeOffset At, string NodeId, string ActorUserId,
    string? OnBehalfOfUserId, DecisionKind Kind, string? Comment) : WorkflowEvent(RequestId, At);

/// <summary>Pending parts that are no longer needed (any-sign satisfied, reject, return, withdraw).</summary>
public sealed record PendingApprovalsCancelled(string RequestId, DateTimeOffset At, string NodeId, IReadOnlyList<string> Users)
    : WorkflowEvent(RequestId, At);

public sealed record NodeCompleted(string RequestId, DateTimeOffset At, string NodeId, string NodeName)
    : WorkflowEvent(RequestId, At);

/// <summary>The final approval: the portal may now seal.</summary>
public sealed record RequestApproved(string RequestId, DateTimeOffset At) : WorkflowEvent(RequestId, At);

public sealed record RequestRejected(string RequestId, DateTimeOffset At, string NodeId, string ByUserId, string Comment)
    : WorkflowEvent(RequestId, At);

public sealed record RequestReturned(string RequestId, DateTimeOffset At, string NodeId, string ByUserId, string Comment)
    : WorkflowEvent(RequestId, At);

public sealed record RequestWithdrawn(string RequestId, DateTimeOffset At) : WorkflowEvent(RequestId, At);

public sealed record RequestResubmitted(string RequestId, DateTimeOffset At, int Round) : WorkflowEvent(RequestId, At);

/// <summary>The deadline is near: remind <see cref="Users"/>.</summary>
public sealed record ReminderDue(string RequestId, DateTimeOffset At, string NodeId, IReadOnlyList<string> Users, DateTimeOffset DueAt)
    : WorkflowEvent(RequestId, At);

/// <summary>The deadline passed (remind-only nodes, and any node after its one automatic transfer).</summary>
public sealed record DeadlineMissed(string RequestId, DateTimeOffset At, string NodeId, IReadOnlyList<string> Users, DateTimeOffset DueAt)
    : WorkflowEvent(RequestId, At);

/// <summary>The deadline passed: tell <see cref="EscalatedTo"/> that <see cref="PendingUsers"/> have not decided.</summary>
public sealed record EscalationRaised(string RequestId, DateTimeOffset At, string NodeId, IReadOnlyList<string> PendingUsers,
    IReadOnlyList<string> EscalatedTo, DateTimeOffset DueAt) : WorkflowEvent(RequestId, At);

/// <summary>The deadline passed and a pending approval moved from <see cref="FromUserId"/> to <see cref="ToUserId"/>.</summary>
public sealed record ApprovalTransferred(string RequestId, DateTimeOffset At, string NodeId, string FromUserId, string ToUserId,
    DateTimeOffset NewDueAt) : WorkflowEvent(RequestId, At);

/// <summary>A configuration problem found while handling a deadline (e.g. the escalation role has nobody); for administrators.</summary>
public sealed record WorkflowProblem(string RequestId, DateTimeOffset At, string NodeId, string Message)
    : WorkflowEvent(RequestId, At);
