namespace SealPortal.Workflow;

/// <summary>
/// An approver's decision on the current node. <see cref="BasedOnVersion"/> is the <see cref="WorkflowState.Version"/>
/// the approver's page showed; <see cref="OnBehalfOfUserId"/> is needed only when the actor is deputy for several
/// pending approvers of the node.
/// </summary>
public sealed record DecisionCommand(string ActorUserId, DecisionKind Kind, string? Comment, long BasedOnVersion)
{
    public string? OnBehalfOfUserId { get; init; }
}

/// <summary>A right of a user to decide on the current node: for themselves (<see cref="OnBehalfOfUserId"/> null) or as deputy.</summary>
public sealed record DecisionRight(string NodeId, string? OnBehalfOfUserId);

/// <summary>
/// The approval workflow engine: pure functions from (state, command, now) to a <see cref="WorkflowResult"/>.
/// It keeps nothing between calls, reads people only through <see cref="IApproverDirectory"/> and time only
/// from the <c>now</c> it is given, so the caller decides about storage, clocks and notifications.
/// </summary>
public sealed class WorkflowEngine
{
    private readonly IApproverDirectory _directory;
    private readonly WorkingCalendar _calendar;

    public WorkflowEngine(IApproverDirectory directory, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(calendar);
        var problems = calendar.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(calendar));
        }
        _directory = directory;
        _calendar = calendar;
    }

    /// <summary>Submits a request with the template the catalog's rules choose.</summary>
    public WorkflowResult Start(SealRequestFacts facts, WorkflowCatalog catalog, DateTimeOffset now)
    {
        var template = catalog.Select(facts);
        return template is null
            ? WorkflowResult.Refused(null, RefusalCode.NoTemplate,
                $"The workflow rules chose template '{catalog.SelectKey(facts)}', which does not exist.")
            : Start(facts, template, now);
    }

    /// <summary>Submits a request: snapshots the template and enters its first applicable node.</summary>
    public WorkflowResult Start(SealRequestFacts facts, WorkflowTemplate template, DateTimeOffset now)
    {
        if (FactsProblem(facts) is { } problem)
        {
            return WorkflowResult.Refused(null, RefusalCode.InvalidCommand, problem);
        }
        var templateProblems = template.Validate();
        if (templateProblems.Count > 0)
        {
            return WorkflowResult.Refused(null, RefusalCode.InvalidTemplate,
                $"Template '{template.Key}' version {template.Version} is invalid: {string.Join(" ", templateProblems)}");
        }
        var state = new WorkflowState
        {
            RequestId = facts.RequestId,
            Version = 0,
            DecisionBaseVersion = 0,
            Facts = facts,
            Template = template,
            Status = RequestStatus.InApproval,
            Round = 1,
            SubmittedAt = now,
        };
        var events = new List<WorkflowEvent> { new RequestSubmitted(facts.RequestId, now, 1, template.Key, template.Version) };
        return EnterFirstNode(state, now, events, refusalState: null);
    }

    /// <summary>Records an approval, rejection or return by an approver (or their active deputy) of the current node.</summary>
    public WorkflowResult Decide(WorkflowState state, DecisionCommand command, DateTimeOffset now)
    {
        var actor = command.ActorUserId;
        if (string.IsNullOrWhiteSpace(actor))
        {
            return WorkflowResult.Refused(state, RefusalCode.InvalidCommand, "A decision needs the deciding user.");
        }
        if (!Enum.IsDefined(command.Kind))
        {
            return WorkflowResult.Refused(state, RefusalCode.InvalidCommand, $"Unknown decision '{(int)command.Kind}'.");
        }

        // The same form posted twice carries the same version: the first post decided, the second is a no-op.
        var duplicate = state.Decisions.LastOrDefault(d =>
            d.ActorUserId == actor && d.BasedOnVersion == command.BasedOnVersion
            && (command.OnBehalfOfUserId is null || command.OnBehalfOfUserId == d.OnBehalfOfUserId));
        if (duplicate is not null)
        {
            return AlreadyDecided(state, duplicate);
        }
        if (state.Status != RequestStatus.InApproval || state.Current is null)
        {
            return WorkflowResult.Refused(state, RefusalCode.NotInApproval,
                $"The request is {state.Status.ToString().ToLowerInvariant()}; no decision can be made on it.");
        }
        if (actor == state.Facts.ApplicantUserId)
        {
            return WorkflowResult.Refused(state, RefusalCode.OwnRequest, "Nobody can decide on their own request.");
        }

        var current = state.Current;
        var node = state.Template.Nodes[current.NodeIndex];
        var (right, rightRefusal) = FindRight(state, actor, command.OnBehalfOfUserId, now);
        if (right is null)
        {
            var earlier = state.Decisions.LastOrDefault(d => d.Round == state.Round && d.NodeId == current.NodeId && d.ActorUserId == actor);
            if (earlier is not null)
            {
                return AlreadyDecided(state, earlier);
            }
        }
        if (command.BasedOnVersion < state.DecisionBaseVersion || command.BasedOnVersion > state.Version)
        {
            return WorkflowResult.Refused(state, RefusalCode.StaleVersion,
                "This request changed meanwhile. Reload it and decide again.");
        }
        if (right is null)
        {
            return WorkflowResult.Refused(state, rightRefusal!.Code, rightRefusal.Message);
        }
        var comment = string.IsNullOrWhiteSpace(command.Comment) ? null : command.Comment.Trim();
        if (command.Kind != DecisionKind.Approve && comment is null)
        {
            return WorkflowResult.Refused(state, RefusalCode.CommentRequired,
                command.Kind == DecisionKind.Reject ? "A rejection needs a comment." : "A return for revision needs a comment.");
        }

        var events = new List<WorkflowEvent>();
        var slotIndex = IndexOfPending(current, right.Value.Assignee);
        var decision = new DecisionRecord(state.Round, current.NodeId, actor, right.Value.OnBehalfOf, command.Kind, comment, now,
            command.BasedOnVersion);
        events.Add(new DecisionRecorded(state.RequestId, now, current.NodeId, actor, right.Value.OnBehalfOf, command.Kind, comment));
        var slots = current.Slots.ToList();
        slots[slotIndex] = slots[slotIndex] with
        {
            Status = command.Kind switch
            {
                DecisionKind.Approve => SlotStatus.Approved,
                DecisionKind.Reject => SlotStatus.Rejected,
                _ => SlotStatus.Returned,
            },
        };
        var decided = state with { Decisions = [.. state.Decisions, decision] };

        if (command.Kind == DecisionKind.Approve
            && node.Mode == ApprovalMode.Countersign
            && slots.Any(s => s.Status == SlotStatus.Pending))
        {
            return Commit(decided with { Current = current with { Slots = slots } }, events, decisive: true);
        }

        slots = CancelPending(state, current, slots, now, events);
        decided = decided with { Current = current with { Slots = slots } };

        switch (command.Kind)
        {
            case DecisionKind.Approve:
            {
                events.Add(new NodeCompleted(state.RequestId, now, node.Id, node.Name));
                var (next, refusal) = EnterNext(CloseVisit(decided, NodeVisitOutcome.Approved, now), current.NodeIndex, now, events);
                if (next is null)
                {
                    return WorkflowResult.Refused(state, refusal!.Code, $"The approval was not recorded: {refusal.Message}");
                }
                return Commit(next, events, decisive: true);
            }
            case DecisionKind.Reject:
                events.Add(new RequestRejected(state.RequestId, now, node.Id, actor, comment!));
                return Commit(CloseVisit(decided, NodeVisitOutcome.Rejected, now) with
                {
                    Status = RequestStatus.Rejected,
                    Current = null,
                    ClosedAt = now,
                }, events, decisive: true);
            default:
                events.Add(new RequestReturned(state.RequestId, now, node.Id, actor, comment!));
                return Commit(CloseVisit(decided, NodeVisitOutcome.Returned, now) with
                {
                    Status = RequestStatus.Returned,
                    Current = null,
                }, events, decisive: true);
        }
    }

    /// <summary>The applicant takes the request back: while it is returned, or in approval before anyone decided in this round.</summary>
    public WorkflowResult Withdraw(WorkflowState state, string actorUserId, long basedOnVersion, DateTimeOffset now)
    {
        if (actorUserId != state.Facts.ApplicantUserId)
        {
            return WorkflowResult.Refused(state, RefusalCode.NotApplicant, "Only the applicant can withdraw a request.");
        }
        if (state.Status == RequestStatus.Withdrawn)
        {
            return WorkflowResult.Unchanged(state, NoticeCode.AlreadyWithdrawn, "You already withdrew this request.");
        }
        if (state.Status is not (RequestStatus.InApproval or RequestStatus.Returned))
        {
            return WorkflowResult.Refused(state, RefusalCode.NotInApproval,
                $"The request is {state.Status.ToString().ToLowerInvariant()} and can no longer be withdrawn.");
        }
        if (basedOnVersion < state.DecisionBaseVersion || basedOnVersion > state.Version)
        {
            return WorkflowResult.Refused(state, RefusalCode.StaleVersion, "This request changed meanwhile. Reload it and try again.");
        }
        if (state.Status == RequestStatus.InApproval && state.Decisions.Any(d => d.Round == state.Round))
        {
            return WorkflowResult.Refused(state, RefusalCode.AlreadyInDecision,
                "An approver has already decided on this request; it can no longer be withdrawn.");
        }

        var events = new List<WorkflowEvent>();
        var withdrawn = state;
        if (state.Current is { } current)
        {
            var slots = CancelPending(state, current, current.Slots.ToList(), now, events);
            withdrawn = CloseVisit(state with { Current = current with { Slots = slots } }, NodeVisitOutcome.Withdrawn, now);
        }
        events.Add(new RequestWithdrawn(state.RequestId, now));
        return Commit(withdrawn with { Status = RequestStatus.Withdrawn, Current = null, ClosedAt = now }, events, decisive: true);
    }

    /// <summary>
    /// The applicant sends a returned request again, optionally with revised facts (amount, document type, seals).
    /// The flow restarts at the first applicable node of the same template snapshot; decisions and visits are kept.
    /// </summary>
    public WorkflowResult Resubmit(WorkflowState state, string actorUserId, long basedOnVersion, SealRequestFacts? revisedFacts,
        DateTimeOffset now)
    {
        if (actorUserId != state.Facts.ApplicantUserId)
        {
            return WorkflowResult.Refused(state, RefusalCode.NotApplicant, "Only the applicant can resubmit a request.");
        }
        if (state.ResubmittedFromVersion == basedOnVersion)
        {
            return WorkflowResult.Unchanged(state, NoticeCode.AlreadyResubmitted, "You already resubmitted this request.");
        }
        if (state.Status != RequestStatus.Returned)
        {
            return WorkflowResult.Refused(state, RefusalCode.NotReturned, "Only a request returned for revision can be resubmitted.");
        }
        if (basedOnVersion < state.DecisionBaseVersion || basedOnVersion > state.Version)
        {
            return WorkflowResult.Refused(state, RefusalCode.StaleVersion, "This request changed meanwhile. Reload it and try again.");
        }
        var facts = revisedFacts ?? state.Facts;
        if (facts.RequestId != state.RequestId || facts.ApplicantUserId != state.Facts.ApplicantUserId)
        {
            return WorkflowResult.Refused(state, RefusalCode.InvalidCommand, "Revised facts must keep the request and its applicant.");
        }
        if (FactsProblem(facts) is { } problem)
        {
            return WorkflowResult.Refused(state, RefusalCode.InvalidCommand, problem);
        }
        var round = state.Round + 1;
        var restarted = state with
        {
            Facts = facts,
            Round = round,
            Status = RequestStatus.InApproval,
            Current = null,
            ResubmittedFromVersion = basedOnVersion,
        };
        var events = new List<WorkflowEvent> { new RequestResubmitted(state.RequestId, now, round) };
        return EnterFirstNode(restarted, now, events, refusalState: state);
    }

    /// <summary>
    /// Deadline processing for one request: the reminder when it falls due, then at the deadline the node's overdue
    /// action (notice, escalation or automatic transfer). Each is produced once per deadline: the state records what
    /// was sent, so calling Tick again at the same or a later moment does not repeat it.
    /// </summary>
    public WorkflowResult Tick(WorkflowState state, DateTimeOffset now)
    {
        if (state.Status != RequestStatus.InApproval || state.Current is not { DueAt: { } due } current)
        {
            return WorkflowResult.Unchanged(state, NoticeCode.NothingDue, "Nothing is due.");
        }
        var node = state.Template.Nodes[current.NodeIndex];
        var events = new List<WorkflowEvent>();
        var changed = false;
        var decisive = false;
        var pending = current.PendingApprovers.ToList();

        if (!current.ReminderSent && current.RemindAt is { } remindAt && now >= remindAt)
        {
            // A reminder that is only noticed after the deadline is pointless next to the overdue handling below.
            if (now < due)
            {
                events.Add(new ReminderDue(state.RequestId, now, node.Id, pending, due));
            }
            current = current with { ReminderSent = true };
            changed = true;
        }

        if (now >= due && !current.OverdueHandled)
        {
            var action = current.Transfers > 0 || node.Deadline is null ? OverdueAction.RemindOnly() : node.Deadline.AfterDeadline;
            current = current with { OverdueHandled = true, ReminderSent = true };
            changed = true;
            switch (action.Kind)
            {
                case OverdueActionKind.Escalate:
                {
                    var targets = Resolve(action.Target!, state.Facts);
                    if (targets.Count == 0)
                    {
                        events.Add(new WorkflowProblem(state.RequestId, now, node.Id,
                            $"Escalation target {action.Target} of node '{node.Name}' resolves to nobody."));
                        events.Add(new DeadlineMissed(state.RequestId, now, node.Id, pending, due));
                    }
                    else
                    {
                        events.Add(new EscalationRaised(state.RequestId, now, node.Id, pending, targets, due));
                    }
                    break;
                }
                case OverdueActionKind.TransferToDeputy:
                case OverdueActionKind.TransferToTarget:
                {
                    var transferred = Transfer(state, node, current, action, now, events);
                    if (transferred is null)
                    {
                        events.Add(new DeadlineMissed(state.RequestId, now, node.Id, pending, due));
                    }
                    else
                    {
                        current = transferred;
                        decisive = true;
                    }
                    break;
                }
                default:
                    events.Add(new DeadlineMissed(state.RequestId, now, node.Id, pending, due));
                    break;
            }
        }

        return changed
            ? Commit(state with { Current = current }, events, decisive)
            : WorkflowResult.Unchanged(state, NoticeCode.NothingDue, "Nothing is due.");
    }

    /// <summary>What <paramref name="userId"/> may decide on now: for themselves and/or as deputy (for the inbox).</summary>
    public IReadOnlyList<DecisionRight> RightsOf(WorkflowState state, string userId, DateTimeOffset now)
    {
        if (state.Status != RequestStatus.InApproval || state.Current is not { } current || userId == state.Facts.ApplicantUserId)
        {
            return [];
        }
        var rights = new List<DecisionRight>();
        foreach (var assignee in current.PendingApprovers)
        {
            if (assignee == userId)
            {
                rights.Add(new DecisionRight(current.NodeId, null));
            }
            else if (HasActiveDelegation(assignee, userId, now))
            {
                rights.Add(new DecisionRight(current.NodeId, assignee));
            }
        }
        return rights;
    }

    private WorkflowResult EnterFirstNode(WorkflowState state, DateTimeOffset now, List<WorkflowEvent> events, WorkflowState? refusalState)
    {
        var applicable = state.Template.Nodes.Where(n => Applies(n, state.Facts)).ToList();
        if (applicable.Count == 0)
        {
            return WorkflowResult.Refused(refusalState, RefusalCode.NoApplicableNode,
                $"No step of template '{state.Template.Name}' applies to this request, so nobody would approve it.");
        }
        // Checking every applicable node now surfaces a configuration error at submission instead of halfway through.
        foreach (var node in applicable)
        {
            if (ResolveNode(node, state.Facts).Count == 0)
            {
                return WorkflowResult.Refused(refusalState, RefusalCode.NoApprovers, NoApproversMessage(node));
            }
        }
        var (entered, refusal) = EnterNext(state, -1, now, events);
        return entered is null
            ? WorkflowResult.Refused(refusalState, refusal!.Code, refusal.Message)
            : Commit(entered, events, decisive: true);
    }

    private (WorkflowState? State, Refusal? Refusal) EnterNext(WorkflowState state, int afterIndex, DateTimeOffset now,
        List<WorkflowEvent> events)
    {
        var nodes = state.Template.Nodes;
        for (var i = afterIndex + 1; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (!Applies(node, state.Facts))
            {
                events.Add(new NodeSkipped(state.RequestId, now, node.Id, node.Name, node.AppliesWhen!.ToString()));
                continue;
            }
            var approvers = ResolveNode(node, state.Facts);
            if (approvers.Count == 0)
            {
                return (null, new Refusal(RefusalCode.NoApprovers, NoApproversMessage(node)));
            }
            var (due, remindAt) = Deadline(state, node, now);
            var active = new ActiveNode
            {
                NodeIndex = i,
                NodeId = node.Id,
                EnteredAt = now,
                Slots = approvers.Select(a => new ApprovalSlot(a, SlotStatus.Pending)).ToList(),
                DueAt = due,
                RemindAt = remindAt,
            };
            events.Add(new NodeEntered(state.RequestId, now, node.Id, node.Name, node.Mode, approvers, due));
            return (state with
            {
                Current = active,
                Visits = [.. state.Visits, new NodeVisit(state.Round, node.Id, node.Name, now, null, null)],
            }, null);
        }
        events.Add(new RequestApproved(state.RequestId, now));
        return (state with { Status = RequestStatus.Approved, Current = null, ClosedAt = now }, null);
    }

    private (DateTimeOffset? Due, DateTimeOffset? RemindAt) Deadline(WorkflowState state, WorkflowNode node, DateTimeOffset from)
    {
        if (node.Deadline is not { } deadline)
        {
            return (null, null);
        }
        var due = _calendar.Add(from, deadline.For(state.Facts.Urgent));
        return (due, (node.Reminder ?? state.Template.Reminder).RemindAt(from, due, _calendar));
    }

    private ActiveNode? Transfer(WorkflowState state, WorkflowNode node, ActiveNode current, OverdueAction action, DateTimeOffset now,
        List<WorkflowEvent> events)
    {
        var applicant = state.Facts.ApplicantUserId;
        var pending = current.PendingApprovers.ToList();
        var moves = new List<(string From, string To)>();
        if (action.Kind == OverdueActionKind.TransferToDeputy)
        {
            foreach (var user in pending)
            {
                var deputy = _directory.DelegationsFrom(user).FirstOrDefault(d => d.IsActiveAt(now))?.DeputyUserId
                             ?? _directory.StandingDeputyOf(user);
                if (deputy is not null && deputy != applicant && deputy != user)
                {
                    moves.Add((user, deputy));
                }
                else
                {
                    events.Add(new WorkflowProblem(state.RequestId, now, node.Id, $"{user} has no deputy to take over node '{node.Name}'."));
                }
            }
        }
        else
        {
            var targets = Resolve(action.Target!, state.Facts);
            if (targets.Count == 0)
            {
                events.Add(new WorkflowProblem(state.RequestId, now, node.Id,
                    $"Transfer target {action.Target} of node '{node.Name}' resolves to nobody."));
            }
            foreach (var user in pending.Where(u => !targets.Contains(u)))
            {
                moves.AddRange(targets.Select(t => (user, t)));
            }
        }
        if (moves.Count == 0)
        {
            return null;
        }

        var slots = current.Slots.ToList();
        foreach (var from in moves.Select(m => m.From).Distinct())
        {
            var i = IndexOfPending(current, from);
            slots[i] = slots[i] with { Status = SlotStatus.Transferred };
        }
        foreach (var (from, to) in moves)
        {
            if (!slots.Any(s => s.AssigneeUserId == to && s.Status == SlotStatus.Pending))
            {
                slots.Add(new ApprovalSlot(to, SlotStatus.Pending, from));
            }
        }
        var (due, remindAt) = Deadline(state, node, now);
        foreach (var (from, to) in moves)
        {
            events.Add(new ApprovalTransferred(state.RequestId, now, node.Id, from, to, due!.Value));
        }
        return current with
        {
            Slots = slots,
            DueAt = due,
            RemindAt = remindAt,
            ReminderSent = false,
            OverdueHandled = false,
            Transfers = current.Transfers + 1,
        };
    }

    private ((string Assignee, string? OnBehalfOf)? Right, Refusal? Refusal) FindRight(WorkflowState state, string actor,
        string? onBehalfOf, DateTimeOffset now)
    {
        var current = state.Current!;
        var nodeName = state.Template.Nodes[current.NodeIndex].Name;
        var pending = current.PendingApprovers.ToList();
        if (onBehalfOf is not null && onBehalfOf != actor)
        {
            if (!pending.Contains(onBehalfOf))
            {
                return (null, new Refusal(RefusalCode.NotAnApprover, $"{onBehalfOf} has no pending approval in step '{nodeName}'."));
            }
            return HasActiveDelegation(onBehalfOf, actor, now)
                ? ((onBehalfOf, onBehalfOf), null)
                : (null, new Refusal(RefusalCode.NotAnApprover, $"You hold no delegation from {onBehalfOf} in effect now."));
        }
        if (pending.Contains(actor))
        {
            return ((actor, null), null);
        }
        var delegators = pending.Where(p => HasActiveDelegation(p, actor, now)).ToList();
        return delegators.Count switch
        {
            1 => ((delegators[0], delegators[0]), null),
            > 1 => (null, new Refusal(RefusalCode.AmbiguousDelegation,
                $"You are deputy for {string.Join(", ", delegators)} in step '{nodeName}'; say on whose behalf you decide.")),
            _ => (null, new Refusal(RefusalCode.NotAnApprover,
                $"You are not an approver of the current step '{nodeName}' and hold no delegation from one.")),
        };
    }

    private bool HasActiveDelegation(string delegator, string deputy, DateTimeOffset now) =>
        _directory.DelegationsFrom(delegator).Any(d => d.DeputyUserId == deputy && d.IsActiveAt(now));

    private static int IndexOfPending(ActiveNode node, string assignee)
    {
        for (var i = 0; i < node.Slots.Count; i++)
        {
            if (node.Slots[i].AssigneeUserId == assignee && node.Slots[i].Status == SlotStatus.Pending)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"{assignee} has no pending approval.");
    }

    private static List<ApprovalSlot> CancelPending(WorkflowState state, ActiveNode current, List<ApprovalSlot> slots, DateTimeOffset now,
        List<WorkflowEvent> events)
    {
        var cancelled = slots.Where(s => s.Status == SlotStatus.Pending).Select(s => s.AssigneeUserId).ToList();
        if (cancelled.Count == 0)
        {
            return slots;
        }
        events.Add(new PendingApprovalsCancelled(state.RequestId, now, current.NodeId, cancelled));
        return slots.Select(s => s.Status == SlotStatus.Pending ? s with { Status = SlotStatus.Cancelled } : s).ToList();
    }

    private static WorkflowState CloseVisit(WorkflowState state, NodeVisitOutcome outcome, DateTimeOffset now)
    {
        var visits = state.Visits.ToList();
        var last = visits.Count - 1;
        if (last >= 0 && visits[last].LeftAt is null)
        {
            visits[last] = visits[last] with { LeftAt = now, Outcome = outcome };
        }
        return state with { Visits = visits };
    }

    private static WorkflowResult Commit(WorkflowState state, List<WorkflowEvent> events, bool decisive)
    {
        var version = state.Version + 1;
        return WorkflowResult.Applied(state with
        {
            Version = version,
            DecisionBaseVersion = decisive ? version : state.DecisionBaseVersion,
        }, events);
    }

    private static WorkflowResult AlreadyDecided(WorkflowState state, DecisionRecord earlier)
    {
        var verb = earlier.Kind switch
        {
            DecisionKind.Approve => "approved",
            DecisionKind.Reject => "rejected",
            _ => "returned",
        };
        return WorkflowResult.Unchanged(state, NoticeCode.AlreadyDecided, $"You already {verb} this.");
    }

    private static bool Applies(WorkflowNode node, SealRequestFacts facts) => node.AppliesWhen?.Matches(facts) ?? true;

    private IReadOnlyList<string> ResolveNode(WorkflowNode node, SealRequestFacts facts)
    {
        var approvers = Resolve(node.Approvers, facts);
        return approvers.Count == 0 && node.FallbackApprovers is not null ? Resolve(node.FallbackApprovers, facts) : approvers;
    }

    /// <summary>Resolves a spec to distinct user ids, never including the applicant.</summary>
    private IReadOnlyList<string> Resolve(ApproverSpec spec, SealRequestFacts facts)
    {
        IEnumerable<string> users = spec.Source switch
        {
            ApproverSource.DepartmentRole => _directory.UsersInRole(spec.Role!, facts.DepartmentId, spec.Specialty),
            ApproverSource.CompanyRole => _directory.UsersInRole(spec.Role!, null, spec.Specialty),
            ApproverSource.SealCustodians => facts.Seals.SelectMany(s => _directory.CustodiansOf(s.SealId)),
            _ => spec.UserIds ?? [],
        };
        return users.Where(u => !string.IsNullOrWhiteSpace(u) && u != facts.ApplicantUserId).Distinct().ToList();
    }

    private static string NoApproversMessage(WorkflowNode node)
    {
        var fallback = node.FallbackApprovers is null ? "" : $" nor to {node.FallbackApprovers}";
        return $"Step '{node.Name}' has no approver: it resolves to nobody other than the applicant ({node.Approvers}{fallback}). "
               + "An administrator must assign the role or fix the template.";
    }

    private static string? FactsProblem(SealRequestFacts facts)
    {
        if (string.IsNullOrWhiteSpace(facts.RequestId)) return "The request needs an id.";
        if (string.IsNullOrWhiteSpace(facts.ApplicantUserId)) return "The request needs an applicant.";
        if (string.IsNullOrWhiteSpace(facts.DepartmentId)) return "The request needs the applicant's department.";
        if (facts.Seals is null || facts.Seals.Count == 0) return "The request needs at least one seal.";
        if (facts.DocumentType is null) return "The request needs a document type.";
        if (facts.Amount is < 0) return "The amount cannot be negative.";
        return null;
    }
}
