using SealPortal.Workflow;
using static SealPortal.Tests.Workflow.WorkflowWorld;

namespace SealPortal.Tests.Workflow;

public class ApprovalFlowTests
{
    private readonly WorkflowEngine _engine = Engine();
    private DateTimeOffset _now = FridayMorning;

    private WorkflowState Step(WorkflowState state, string actor)
    {
        _now = _now.AddMinutes(10);
        return Applied(Approve(_engine, state, actor, _now));
    }

    [Fact]
    public void Start_enters_the_department_node_with_the_applicants_department_head_and_a_deadline()
    {
        var result = _engine.Start(Facts(), Standard(), FridayMorning);
        var state = Applied(result);
        Assert.Equal(RequestStatus.InApproval, state.Status);
        Assert.Equal("dept", CurrentNode(state));
        Assert.Equal([SalesHead], WorkflowQueries.PendingApprovers(state));
        var entered = Assert.IsType<NodeEntered>(result.Events[1]);
        Assert.Equal([SalesHead], entered.Approvers);
        Assert.Equal(FridayMorning.AddDays(3), entered.DueAt);
        Assert.IsType<RequestSubmitted>(result.Events[0]);
        Assert.Equal(1, state.Version);
    }

    [Fact]
    public void Small_contract_skips_finance_and_executive_and_ends_approved()
    {
        var state = Start(_engine, Facts(amount: 50_000m), Standard(), _now);
        state = Step(state, SalesHead);
        Assert.Equal("legal", CurrentNode(state));
        state = Step(state, Lawyer1);
        state = Step(state, Lawyer2);
        Assert.Equal("keeper", CurrentNode(state));
        Assert.Equal([ContractKeeper], WorkflowQueries.PendingApprovers(state));
        state = Step(state, ContractKeeper);
        var last = _engine.Decide(state, new DecisionCommand(Archivist, DecisionKind.Approve, "archived", state.Version), _now);
        state = Applied(last);
        Assert.Equal(RequestStatus.Approved, state.Status);
        Assert.Null(state.Current);
        Assert.IsType<RequestApproved>(last.Events[^1]);
        Assert.Equal(["dept", "legal", "keeper", "archive"], state.Visits.Select(v => v.NodeId));
    }

    [Fact]
    public void Skipped_nodes_are_announced_with_their_condition()
    {
        var state = Start(_engine, Facts(documentType: "Letter", amount: 200_000m), Standard(), _now);
        var result = Approve(_engine, state, SalesHead, _now);
        var skipped = result.Events.OfType<NodeSkipped>().ToList();
        Assert.Equal(["legal"], skipped.Select(s => s.NodeId));
        Assert.Contains("Contract", skipped[0].Condition);
        Assert.Equal("finance", CurrentNode(Applied(result)));
    }

    [Fact]
    public void Large_amount_passes_finance_and_executive()
    {
        var state = Start(_engine, Facts(documentType: "Letter", amount: 1_500_000m), Standard(), _now);
        state = Step(state, SalesHead);
        Assert.Equal("finance", CurrentNode(state));
        state = Step(state, FinanceReviewer);
        Assert.Equal("exec", CurrentNode(state));
        Assert.Equal([Executive1, Executive2], WorkflowQueries.PendingApprovers(state));
    }

    [Fact]
    public void Countersign_waits_for_every_approver()
    {
        var state = Step(Start(_engine, Facts(), Standard(), _now), SalesHead);
        var afterFirst = Approve(_engine, state, Lawyer2, _now);
        state = Applied(afterFirst);
        Assert.Equal("legal", CurrentNode(state));
        Assert.Equal([Lawyer1], WorkflowQueries.PendingApprovers(state));
        Assert.DoesNotContain(afterFirst.Events, e => e is NodeCompleted);
        var afterSecond = Approve(_engine, state, Lawyer1, _now);
        Assert.Contains(afterSecond.Events, e => e is NodeCompleted { NodeId: "legal" });
        Assert.Equal("keeper", CurrentNode(Applied(afterSecond)));
    }

    [Fact]
    public void Any_sign_needs_one_approval_and_cancels_the_others()
    {
        var state = Start(_engine, Facts(documentType: "Letter", amount: 1_500_000m), Standard(), _now);
        state = Step(Step(state, SalesHead), FinanceReviewer);
        var result = Approve(_engine, state, Executive2, _now);
        state = Applied(result);
        Assert.Equal("keeper", CurrentNode(state));
        var cancelled = Assert.Single(result.Events.OfType<PendingApprovalsCancelled>());
        Assert.Equal([Executive1], cancelled.Users);
        var late = Approve(_engine, state, Executive1, _now);
        Assert.Equal(RefusalCode.NotAnApprover, late.Refusal!.Code);
    }

    [Fact]
    public void Seal_keeper_node_asks_every_custodian_of_the_requested_seals()
    {
        var facts = Facts(documentType: "Letter") with
        {
            Seals = [new RequestedSeal("S-CONTRACT", "Contract"), new RequestedSeal("S-OFFICIAL", "Official")],
        };
        var state = Step(Start(_engine, facts, Standard(), _now), SalesHead);
        Assert.Equal("keeper", CurrentNode(state));
        Assert.Equal([ContractKeeper, OfficialKeeper], WorkflowQueries.PendingApprovers(state));
    }

    [Fact]
    public void Reject_ends_the_request_and_needs_a_comment()
    {
        var state = Start(_engine, Facts(), Standard(), _now);
        var noComment = _engine.Decide(state, new DecisionCommand(SalesHead, DecisionKind.Reject, "  ", state.Version), _now);
        Assert.Equal(RefusalCode.CommentRequired, noComment.Refusal!.Code);
        Assert.Same(state, noComment.State);

        var result = _engine.Decide(state, new DecisionCommand(SalesHead, DecisionKind.Reject, "wrong counterparty", state.Version), _now);
        state = Applied(result);
        Assert.Equal(RequestStatus.Rejected, state.Status);
        Assert.Equal(_now, state.ClosedAt);
        var rejected = Assert.IsType<RequestRejected>(result.Events[^1]);
        Assert.Equal(("wrong counterparty", SalesHead), (rejected.Comment, rejected.ByUserId));
        Assert.Equal(RefusalCode.NotInApproval, Approve(_engine, state, Lawyer1, _now).Refusal!.Code);
    }

    [Fact]
    public void Reject_in_a_countersign_node_by_one_approver_ends_it()
    {
        var state = Step(Start(_engine, Facts(), Standard(), _now), SalesHead);
        var result = _engine.Decide(state, new DecisionCommand(Lawyer1, DecisionKind.Reject, "clause 7", state.Version), _now);
        state = Applied(result);
        Assert.Equal(RequestStatus.Rejected, state.Status);
        Assert.Equal([Lawyer2], Assert.Single(result.Events.OfType<PendingApprovalsCancelled>()).Users);
    }

    [Fact]
    public void Return_and_resubmit_restart_at_the_first_node_with_history_kept()
    {
        var state = Step(Start(_engine, Facts(), Standard(), _now), SalesHead);
        var returnNoComment = _engine.Decide(state, new DecisionCommand(Lawyer1, DecisionKind.Return, null, state.Version), _now);
        Assert.Equal(RefusalCode.CommentRequired, returnNoComment.Refusal!.Code);

        var returned = _engine.Decide(state, new DecisionCommand(Lawyer1, DecisionKind.Return, "attach annex B", state.Version), _now);
        state = Applied(returned);
        Assert.Equal(RequestStatus.Returned, state.Status);
        Assert.Contains(returned.Events, e => e is RequestReturned { Comment: "attach annex B" });

        Assert.Equal(RefusalCode.NotApplicant, _engine.Resubmit(state, SalesHead, state.Version, null, _now).Refusal!.Code);
        var resubmitted = _engine.Resubmit(state, Applicant, state.Version, Facts(amount: 150_000m), _now.AddHours(1));
        state = Applied(resubmitted);
        Assert.Equal(RequestStatus.InApproval, state.Status);
        Assert.Equal(2, state.Round);
        Assert.Equal("dept", CurrentNode(state));
        Assert.Equal(150_000m, state.Facts.Amount);
        Assert.IsType<RequestResubmitted>(resubmitted.Events[0]);
        Assert.Equal(2, state.Decisions.Count);
        Assert.All(state.Decisions, d => Assert.Equal(1, d.Round));
        Assert.Equal([(1, "dept"), (1, "legal"), (2, "dept")], state.Visits.Select(v => (v.Round, v.NodeId)));
        Assert.Equal(NodeVisitOutcome.Returned, state.Visits[1].Outcome);

        // The revised amount now needs finance.
        state = Step(Step(Step(state, SalesHead), Lawyer1), Lawyer2);
        Assert.Equal("finance", CurrentNode(state));
    }

    [Fact]
    public void After_return_the_applicant_may_withdraw_or_resubmit_once_and_withdraw_again_before_a_new_decision()
    {
        var returned = Applied(_engine.Decide(Start(_engine, Facts(), Standard(), _now),
            new DecisionCommand(SalesHead, DecisionKind.Return, "wrong file", 1), _now));
        Assert.Equal(RequestStatus.Withdrawn, Applied(_engine.Withdraw(returned, Applicant, returned.Version, _now)).Status);

        var resubmitted = Applied(_engine.Resubmit(returned, Applicant, returned.Version, null, _now));
        var again = _engine.Resubmit(resubmitted, Applicant, returned.Version, null, _now);
        Assert.Equal(WorkflowOutcome.Unchanged, again.Outcome);
        Assert.Equal(NoticeCode.AlreadyResubmitted, again.Notice!.Code);
        Assert.Equal(2, again.State!.Round);

        // Round 2 has no decision yet, so the applicant may still withdraw.
        Assert.Equal(RequestStatus.Withdrawn, Applied(_engine.Withdraw(resubmitted, Applicant, resubmitted.Version, _now)).Status);
    }

    [Fact]
    public void Resubmit_is_refused_unless_returned()
    {
        var state = Start(_engine, Facts(), Standard(), _now);
        Assert.Equal(RefusalCode.NotReturned, _engine.Resubmit(state, Applicant, state.Version, null, _now).Refusal!.Code);
    }

    [Fact]
    public void Withdraw_only_by_the_applicant_and_only_before_the_first_decision()
    {
        var state = Start(_engine, Facts(), Standard(), _now);
        Assert.Equal(RefusalCode.NotApplicant, _engine.Withdraw(state, SalesHead, state.Version, _now).Refusal!.Code);

        var withdrawn = _engine.Withdraw(state, Applicant, state.Version, _now);
        var after = Applied(withdrawn);
        Assert.Equal(RequestStatus.Withdrawn, after.Status);
        Assert.Equal([SalesHead], Assert.Single(withdrawn.Events.OfType<PendingApprovalsCancelled>()).Users);
        Assert.Equal(NoticeCode.AlreadyWithdrawn, _engine.Withdraw(after, Applicant, state.Version, _now).Notice!.Code);

        var decided = Step(state, SalesHead);
        var late = _engine.Withdraw(decided, Applicant, decided.Version, _now);
        Assert.Equal(RefusalCode.AlreadyInDecision, late.Refusal!.Code);
        Assert.Equal(RequestStatus.InApproval, late.State!.Status);
    }

    [Fact]
    public void Applicant_cannot_decide_on_own_request_even_when_named_approver()
    {
        var template = Standard() with
        {
            Nodes = [Standard().Nodes[0] with { Approvers = ApproverSpec.Users(Applicant, SalesHead), FallbackApprovers = null }],
        };
        var state = Start(_engine, Facts(), template, _now);
        Assert.Equal([SalesHead], WorkflowQueries.PendingApprovers(state));
        var result = Approve(_engine, state, Applicant, _now);
        Assert.Equal(RefusalCode.OwnRequest, result.Refusal!.Code);
        Assert.Same(state, result.State);
    }

    [Fact]
    public void Department_head_applying_falls_back_to_the_executives()
    {
        var facts = Facts() with { ApplicantUserId = SalesHead };
        var state = Start(_engine, facts, Standard(), _now);
        Assert.Equal([Executive1, Executive2], WorkflowQueries.PendingApprovers(state));
    }

    [Fact]
    public void A_node_resolving_to_nobody_is_a_configuration_error_reported_at_submission()
    {
        var template = Standard() with
        {
            Nodes = [.. Standard().Nodes, new WorkflowNode { Id = "cfo", Name = "CFO", Approvers = ApproverSpec.CompanyRole("ChiefFinancialOfficer") }],
        };
        var result = _engine.Start(Facts(), template, _now);
        Assert.Equal(WorkflowOutcome.Refused, result.Outcome);
        Assert.Equal(RefusalCode.NoApprovers, result.Refusal!.Code);
        Assert.Contains("'CFO'", result.Refusal.Message);
        Assert.Contains("ChiefFinancialOfficer", result.Refusal.Message);
    }

    [Fact]
    public void A_node_that_loses_its_approvers_midway_refuses_the_approval_before_it_and_keeps_the_state()
    {
        var state = Step(Step(Step(Start(_engine, Facts(), Standard(), _now), SalesHead), Lawyer1), Lawyer2);
        Assert.Equal("keeper", CurrentNode(state));
        var withoutArchivist = Directory() with { Roles = Directory().Roles.Where(r => r.Role != ApproverRoles.Archivist).ToList() };
        var engine = new WorkflowEngine(withoutArchivist, Calendar);
        var result = Approve(engine, state, ContractKeeper, _now);
        Assert.Equal(RefusalCode.NoApprovers, result.Refusal!.Code);
        Assert.Contains("'Archive'", result.Refusal.Message);
        Assert.Same(state, result.State);
    }

    [Fact]
    public void A_template_where_no_node_applies_is_refused()
    {
        var template = Standard() with { Nodes = [Standard().Nodes[2]] };
        Assert.Equal(RefusalCode.NoApplicableNode, _engine.Start(Facts(amount: 10m), template, _now).Refusal!.Code);
    }

    [Fact]
    public void Non_approver_is_refused_with_a_reason()
    {
        var state = Start(_engine, Facts(), Standard(), _now);
        var result = Approve(_engine, state, OpsHead, _now);
        Assert.Equal(WorkflowOutcome.Refused, result.Outcome);
        Assert.Equal(RefusalCode.NotAnApprover, result.Refusal!.Code);
        Assert.Contains("Department head", result.Refusal.Message);
    }

    [Fact]
    public void An_unknown_decision_kind_from_a_tampered_form_is_refused()
    {
        var state = Start(_engine, Facts(), Standard(), _now);
        var result = _engine.Decide(state, new DecisionCommand(SalesHead, (DecisionKind)7, "x", state.Version), _now);
        Assert.Equal(RefusalCode.InvalidCommand, result.Refusal!.Code);
        Assert.Same(state, result.State);
    }

    [Fact]
    public void Malformed_facts_are_refused_not_thrown()
    {
        var result = _engine.Start(Facts() with { Seals = [] }, Standard(), _now);
        Assert.Equal(RefusalCode.InvalidCommand, result.Refusal!.Code);
        Assert.Contains("seal", result.Refusal.Message);
    }
}
