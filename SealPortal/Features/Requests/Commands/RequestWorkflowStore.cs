using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// What the workflow handlers (submit, decide, withdraw, resubmit, deadlines) share: loading a request for a
/// command, running the engine against the approver directory, and storing its new state with the request's
/// status in one save guarded by the request's concurrency token, so two decisions based on the same state
/// cannot both be stored.
/// </summary>
public sealed class RequestWorkflowStore(
    SealPortalDbContext db,
    ApproverDirectoryLoader directories,
    WorkingCalendar calendar,
    TimeProvider clock,
    ILogger<RequestWorkflowStore> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public SealPortalDbContext Db => db;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The request's stored workflow state (null for a draft); the one reader of that column, for sealing and analytics too.</summary>
    public static WorkflowState? State(SealRequest request) =>
        request.WorkflowStateJson is null ? null : Deserialize(request.WorkflowStateJson);

    public static WorkflowState Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkflowState>(json, Json) ?? throw new InvalidOperationException("Empty workflow state.");

    public static string Serialize(WorkflowState state) => JsonSerializer.Serialize(state, Json);

    /// <summary>An engine over a fresh snapshot of who approves what (roles, custodians, delegations).</summary>
    public async Task<WorkflowEngine> EngineAsync(CancellationToken ct) => new(await directories.LoadAsync(ct), calendar);

    /// <summary>The request with its documents and seal rows (not the seals themselves: no images or certificates), tracked.</summary>
    public Task<SealRequest?> LoadAsync(int requestId, CancellationToken ct) =>
        db.SealRequests.Include(r => r.Documents).Include(r => r.Seals)
            .SingleOrDefaultAsync(r => r.Id == requestId, ct);

    /// <summary>What the workflow rules look at: applicant, department, seal types, document type, amount, urgency.</summary>
    public async Task<SealRequestFacts> FactsAsync(SealRequest request, CancellationToken ct)
    {
        var sealIds = request.Seals.Select(s => s.SealId).Distinct().ToList();
        var types = await db.Seals.AsNoTracking().Where(s => sealIds.Contains(s.Id)).Select(s => new { s.Id, s.Type }).ToListAsync(ct);
        return new SealRequestFacts(
            request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            request.ApplicantUserId,
            request.DepartmentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            types.OrderBy(t => t.Id).Select(t => new RequestedSeal(t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Type.ToString())).ToList(),
            request.DocumentType,
            request.Amount,
            request.Urgent);
    }

    /// <summary>
    /// Stores the engine's new state with the request's status and its pending approvals, in one save guarded
    /// by the concurrency token.
    /// </summary>
    public async Task<CommandResult> StoreAsync(SealRequest request, WorkflowResult result, CancellationToken ct)
    {
        var state = result.State!;
        var before = State(request);
        request.WorkflowStateJson = Serialize(state);
        await ReplacePendingAsync(db, request.Id, request.Number, state, ct);
        RecordEndedParts(request, before, state, result.Events);
        RememberApprovers(request, state, result.Events);
        request.Status = state.Status switch
        {
            RequestStatus.InApproval => SealRequestStatus.InApproval,
            RequestStatus.Approved => SealRequestStatus.Approved,
            RequestStatus.Rejected => SealRequestStatus.Rejected,
            RequestStatus.Returned => SealRequestStatus.Returned,
            RequestStatus.Withdrawn => SealRequestStatus.Withdrawn,
            _ => request.Status,
        };
        if (state.Status == RequestStatus.Approved)
            request.ApprovedAt = state.ClosedAt ?? clock.GetUtcNow();
        request.ConcurrencyStamp = Guid.NewGuid();
        return await SaveAsync(request, ct);
    }

    /// <summary>Saves the pending changes; a concurrent change that won is a conflict, and nothing of this command is stored.</summary>
    public async Task<CommandResult> SaveAsync(SealRequest request, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return CommandResult.Ok(request.Id);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            logger.LogInformation("Seal request {Id}: a concurrent change won; this one was not stored", request.Id);
            return CommandResult.Conflict("Someone else decided on or changed this request meanwhile. Reload the page to see the current state.");
        }
    }

    /// <summary>
    /// Replaces the request's <see cref="PendingApproval"/> rows (tracked, so they go with the caller's save) by
    /// one per pending slot of the current step while the request is in approval, none otherwise.
    /// </summary>
    public static async Task ReplacePendingAsync(SealPortalDbContext db, int requestId, string number, WorkflowState state, CancellationToken ct)
    {
        var old = requestId == 0 ? [] : await db.PendingApprovals.Where(p => p.SealRequestId == requestId).ToListAsync(ct);
        var wanted = PendingOf(requestId, number, state);
        // Unchanged rows stay, so a deadline tick that only records a reminder rewrites nothing.
        var same = old.Count == wanted.Count && old.OrderBy(p => p.Slot).Zip(wanted).All(x =>
            x.First.Slot == x.Second.Slot && x.First.ApproverUserId == x.Second.ApproverUserId && x.First.NodeKey == x.Second.NodeKey
            && x.First.NodeId == x.Second.NodeId && x.First.NodeName == x.Second.NodeName && x.First.WorkflowVersion == x.Second.WorkflowVersion
            && x.First.Since == x.Second.Since && x.First.DueAt == x.Second.DueAt && x.First.DueOrder == x.Second.DueOrder
            && x.First.ApplicantUserId == x.Second.ApplicantUserId && x.First.DocumentType == x.Second.DocumentType && x.First.Urgent == x.Second.Urgent
            && x.First.RequestNumber == x.Second.RequestNumber);
        if (same)
            return;
        db.PendingApprovals.RemoveRange(old);
        db.PendingApprovals.AddRange(wanted);
    }

    /// <summary>The rows <paramref name="state"/> calls for (the request id is filled in by the save when 0), with the request's <paramref name="number"/>.</summary>
    public static List<PendingApproval> PendingOf(int requestId, string number, WorkflowState state)
    {
        if (state.Status != RequestStatus.InApproval || state.Current is not { } current)
            return [];
        var node = state.Template.Nodes[current.NodeIndex];
        var rows = new List<PendingApproval>();
        for (var i = 0; i < current.Slots.Count; i++)
        {
            var slot = current.Slots[i];
            if (slot.Status != SlotStatus.Pending)
                continue;
            rows.Add(new PendingApproval
            {
                SealRequestId = requestId,
                NodeId = Clip(node.Id, 200),
                NodeName = Clip(node.Name, 400),
                NodeKey = Clip($"{state.Template.Key}/{state.Template.Version}#{current.NodeIndex}", 200),
                Slot = i,
                ApproverUserId = slot.AssigneeUserId,
                WorkflowVersion = state.Version,
                Since = current.EnteredAt,
                DueAt = current.DueAt,
                SinceUnixMs = current.EnteredAt.ToUnixTimeMilliseconds(),
                DueUnixMs = current.DueAt?.ToUnixTimeMilliseconds(),
                DueOrder = current.DueAt?.ToUnixTimeMilliseconds() ?? long.MaxValue,
                ApplicantUserId = state.Facts.ApplicantUserId,
                DocumentType = Clip(state.Facts.DocumentType, 32),
                Urgent = state.Facts.Urgent,
                RequestNumber = Clip(number, 16),
            });
        }
        return rows;
    }

    /// <summary>
    /// Adds an <see cref="ApprovalDecision"/> (tracked, so it goes with the caller's save) for every decision this
    /// command added and every part it transferred after a missed deadline, with the deadline the step had before
    /// the command: that is the deadline the decision was made against.
    /// </summary>
    private void RecordEndedParts(SealRequest request, WorkflowState? before, WorkflowState state, IReadOnlyList<WorkflowEvent> events)
    {
        var known = before?.Decisions.Count ?? 0;
        var due = before?.Current?.DueAt;
        string NodeName(string nodeId) => state.Template.Nodes.FirstOrDefault(n => n.Id == nodeId)?.Name ?? nodeId;
        ApprovalDecision Row(string nodeId, string approver, string actor, ApprovalOutcome outcome, DateTimeOffset at) => new()
        {
            SealRequestId = request.Id,
            NodeId = Clip(nodeId, 200),
            NodeName = Clip(NodeName(nodeId), 400),
            ApproverUserId = approver,
            ActorUserId = actor,
            Outcome = outcome,
            DecidedAt = at,
            DecidedUnixMs = at.ToUnixTimeMilliseconds(),
            DueAt = before?.Current?.NodeId == nodeId ? due : null,
            DueUnixMs = before?.Current?.NodeId == nodeId ? due?.ToUnixTimeMilliseconds() : null,
        };
        foreach (var d in state.Decisions.Skip(known))
        {
            var outcome = d.Kind switch
            {
                DecisionKind.Approve => ApprovalOutcome.Approved,
                DecisionKind.Reject => ApprovalOutcome.Rejected,
                _ => ApprovalOutcome.Returned,
            };
            db.ApprovalDecisions.Add(Row(d.NodeId, d.OnBehalfOfUserId ?? d.ActorUserId, d.ActorUserId, outcome, d.At));
        }
        foreach (var t in events.OfType<ApprovalTransferred>())
            db.ApprovalDecisions.Add(Row(t.NodeId, t.FromUserId, t.FromUserId, ApprovalOutcome.Transferred, t.At));
    }

    private static string Clip(string text, int max) => text.Length > max ? text[..max] : text;

    /// <summary>Why the engine did not apply a command, as the result a person reads.</summary>
    public static CommandResult Refused(WorkflowResult result)
    {
        if (result.Notice is { } notice)
        {
            return notice.Code switch
            {
                NoticeCode.AlreadyDecided => CommandResult.Conflict("You already decided on this request; your first decision stands."),
                NoticeCode.AlreadyWithdrawn => CommandResult.Conflict("You already withdrew this request."),
                NoticeCode.AlreadyResubmitted => CommandResult.Conflict("You already resubmitted this request."),
                _ => CommandResult.Conflict("Nothing changed."),
            };
        }
        var refusal = result.Refusal!;
        return refusal.Code switch
        {
            RefusalCode.StaleVersion => CommandResult.Conflict("This request changed since you opened the page. Reload it and decide again."),
            RefusalCode.NotInApproval => CommandResult.Conflict("This request is not waiting for a decision."),
            RefusalCode.NotAnApprover => CommandResult.Forbidden("You are not an approver of the current step of this request."),
            RefusalCode.OwnRequest => CommandResult.Forbidden("Nobody can decide on their own request."),
            RefusalCode.CommentRequired => CommandResult.Invalid("A rejection or a return for revision needs a comment."),
            RefusalCode.AmbiguousDelegation => CommandResult.Invalid("You are deputy for several approvers of this step; choose for whom you decide."),
            RefusalCode.NotApplicant => CommandResult.Forbidden("Only the applicant may do this."),
            RefusalCode.AlreadyInDecision => CommandResult.Conflict("An approver has already decided on this request; it can no longer be withdrawn."),
            RefusalCode.NotReturned => CommandResult.Conflict("Only a request returned for revision can be resubmitted."),
            RefusalCode.NoApprovers or RefusalCode.NoApplicableNode or RefusalCode.NoTemplate or RefusalCode.InvalidTemplate =>
                CommandResult.Conflict("The approval flow cannot handle this request: {0} Ask an administrator.", refusal.Message),
            _ => CommandResult.Invalid("The request was refused: {0}", refusal.Message),
        };
    }

    private static void RememberApprovers(SealRequest request, WorkflowState state, IReadOnlyList<WorkflowEvent> events)
    {
        var known = request.ApproverUserIds.Split('|', StringSplitOptions.RemoveEmptyEntries).ToList();
        var seen = state.Current?.Slots.Select(s => s.AssigneeUserId) ?? [];
        seen = seen.Concat(events.OfType<NodeEntered>().SelectMany(e => e.Approvers))
            .Concat(events.OfType<ApprovalTransferred>().Select(e => e.ToUserId))
            .Concat(state.Decisions.Select(d => d.ActorUserId));
        foreach (var id in seen.Where(id => !known.Contains(id)))
            known.Add(id);
        request.ApproverUserIds = "|" + string.Concat(known.Select(id => id + "|"));
    }
}
