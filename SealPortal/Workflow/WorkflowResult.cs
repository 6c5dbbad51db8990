namespace SealPortal.Workflow;

public enum WorkflowOutcome
{
    /// <summary>The command took effect: store <see cref="WorkflowResult.State"/> and handle <see cref="WorkflowResult.Events"/>.</summary>
    Applied,
    /// <summary>Nothing to do (e.g. a second click); <see cref="WorkflowResult.Notice"/> says why. Nothing to store.</summary>
    Unchanged,
    /// <summary>The command was refused; <see cref="WorkflowResult.Refusal"/> says why. Nothing to store.</summary>
    Refused,
}

/// <summary>Machine-readable reasons for a refusal; the UI localizes by code.</summary>
public enum RefusalCode
{
    /// <summary>The request changed since the page the command came from was shown.</summary>
    StaleVersion,
    /// <summary>The request is not waiting for approvals (approved, rejected, returned or withdrawn).</summary>
    NotInApproval,
    /// <summary>The actor is neither an approver of the current node nor an active deputy of one.</summary>
    NotAnApprover,
    /// <summary>Nobody decides on their own request, also not as a deputy.</summary>
    OwnRequest,
    /// <summary>Reject and return need a comment.</summary>
    CommentRequired,
    /// <summary>The actor is deputy for several pending approvers of the node and must say for whom.</summary>
    AmbiguousDelegation,
    /// <summary>Only the applicant may withdraw or resubmit.</summary>
    NotApplicant,
    /// <summary>Withdrawal is possible only before the first decision of the current round.</summary>
    AlreadyInDecision,
    /// <summary>Resubmission is possible only after a return for revision.</summary>
    NotReturned,
    /// <summary>A node that applies resolves to no approver other than the applicant: a configuration error.</summary>
    NoApprovers,
    /// <summary>No node of the template applies to this request, so nobody would approve it.</summary>
    NoApplicableNode,
    /// <summary>The rules chose a template key that the catalog does not hold.</summary>
    NoTemplate,
    /// <summary>The template fails validation.</summary>
    InvalidTemplate,
    /// <summary>The command or facts are malformed (e.g. missing applicant, resubmitted facts for another request).</summary>
    InvalidCommand,
}

public sealed record Refusal(RefusalCode Code, string Message);

public enum NoticeCode
{
    /// <summary>The actor already decided this node (double click); the first decision stands.</summary>
    AlreadyDecided,
    AlreadyWithdrawn,
    AlreadyResubmitted,
    /// <summary>Tick found no reminder or deadline due.</summary>
    NothingDue,
}

public sealed record Notice(NoticeCode Code, string Message);

/// <summary>What a workflow command produced: the new state and events, a notice, or a refusal.</summary>
public sealed record WorkflowResult
{
    public required WorkflowOutcome Outcome { get; init; }
    /// <summary>The new state when applied, the unchanged state otherwise; null only when <see cref="WorkflowEngine.Start(SealRequestFacts, WorkflowTemplate, DateTimeOffset)"/> is refused.</summary>
    public WorkflowState? State { get; init; }
    public IReadOnlyList<WorkflowEvent> Events { get; init; } = [];
    public Refusal? Refusal { get; init; }
    public Notice? Notice { get; init; }

    internal static WorkflowResult Applied(WorkflowState state, IReadOnlyList<WorkflowEvent> events) =>
        new() { Outcome = WorkflowOutcome.Applied, State = state, Events = events };

    internal static WorkflowResult Unchanged(WorkflowState state, NoticeCode code, string message) =>
        new() { Outcome = WorkflowOutcome.Unchanged, State = state, Notice = new Notice(code, message) };

    internal static WorkflowResult Refused(WorkflowState? state, RefusalCode code, string message) =>
        new() { Outcome = WorkflowOutcome.Refused, State = state, Refusal = new Refusal(code, message) };
}
