using SealPortal.Workflow;
using static SealPortal.Tests.Workflow.WorkflowWorld;

namespace SealPortal.Tests.Workflow;

public class ConcurrencyAndDelegationTests
{
    private readonly DateTimeOffset _now = FridayMorning;

    private static WorkflowState AtExecutiveNode(WorkflowEngine engine, DateTimeOffset now)
    {
        var state = Start(engine, Facts(documentType: "Letter", amount: 1_500_000m), Standard(), now);
        state = Applied(Approve(engine, state, SalesHead, now));
        return Applied(Approve(engine, state, FinanceReviewer, now));
    }

    [Fact]
    public void Two_any_sign_approvers_clicking_at_once_cannot_both_win()
    {
        var engine = Engine();
        var shown = AtExecutiveNode(engine, _now);
        var first = engine.Decide(shown, new DecisionCommand(Executive1, DecisionKind.Approve, null, shown.Version), _now);
        var stored = Applied(first);
        var second = engine.Decide(stored, new DecisionCommand(Executive2, DecisionKind.Approve, null, shown.Version), _now);
        Assert.Equal(WorkflowOutcome.Refused, second.Outcome);
        Assert.Equal(RefusalCode.StaleVersion, second.Refusal!.Code);
        Assert.Contains("changed meanwhile", second.Refusal.Message);
        Assert.Single(stored.Decisions, d => d.NodeId == "exec");
    }

    [Fact]
    public void Countersign_approver_with_an_outdated_page_is_refused_as_stale()
    {
        var engine = Engine();
        var shown = Applied(Approve(engine, Start(engine, Facts(), Standard(), _now), SalesHead, _now));
        var stored = Applied(engine.Decide(shown, new DecisionCommand(Lawyer1, DecisionKind.Approve, null, shown.Version), _now));
        var late = engine.Decide(stored, new DecisionCommand(Lawyer2, DecisionKind.Reject, "no", shown.Version), _now);
        Assert.Equal(RefusalCode.StaleVersion, late.Refusal!.Code);
        Assert.Equal(RequestStatus.InApproval, late.State!.Status);
        // Reloaded, the same approver can decide.
        Assert.Equal(RequestStatus.Rejected,
            Applied(engine.Decide(stored, new DecisionCommand(Lawyer2, DecisionKind.Reject, "no", stored.Version), _now)).Status);
    }

    [Fact]
    public void A_version_from_the_future_is_refused()
    {
        var engine = Engine();
        var state = Start(engine, Facts(), Standard(), _now);
        var result = engine.Decide(state, new DecisionCommand(SalesHead, DecisionKind.Approve, null, state.Version + 5), _now);
        Assert.Equal(RefusalCode.StaleVersion, result.Refusal!.Code);
    }

    [Fact]
    public void Double_click_is_a_no_op_with_a_message()
    {
        var engine = Engine();
        var shown = Applied(Approve(engine, Start(engine, Facts(), Standard(), _now), SalesHead, _now));
        var command = new DecisionCommand(Lawyer1, DecisionKind.Approve, null, shown.Version);
        var stored = Applied(engine.Decide(shown, command, _now));

        var again = engine.Decide(stored, command, _now.AddSeconds(1));
        Assert.Equal(WorkflowOutcome.Unchanged, again.Outcome);
        Assert.Equal(NoticeCode.AlreadyDecided, again.Notice!.Code);
        Assert.Equal("You already approved this.", again.Notice.Message);
        Assert.Empty(again.Events);
        Assert.Same(stored, again.State);
        Assert.Single(stored.Decisions, d => d.ActorUserId == Lawyer1);

        // Also after reloading (fresh version) while the node still waits for the other lawyer.
        var reloaded = engine.Decide(stored, command with { BasedOnVersion = stored.Version }, _now.AddSeconds(2));
        Assert.Equal(NoticeCode.AlreadyDecided, reloaded.Notice!.Code);
    }

    [Fact]
    public void Double_click_that_completed_the_node_is_still_a_no_op()
    {
        var engine = Engine();
        var shown = Start(engine, Facts(), Standard(), _now);
        var command = new DecisionCommand(SalesHead, DecisionKind.Reject, "not needed", shown.Version);
        var stored = Applied(engine.Decide(shown, command, _now));
        var again = engine.Decide(stored, command, _now);
        Assert.Equal(WorkflowOutcome.Unchanged, again.Outcome);
        Assert.Equal("You already rejected this.", again.Notice!.Message);
    }

    [Fact]
    public void Reminder_between_page_load_and_click_does_not_make_the_decision_stale()
    {
        var engine = Engine();
        var shown = Start(engine, Facts(), Standard(), _now);
        var reminded = Applied(engine.Tick(shown, _now.AddDays(3).AddHours(-1)));
        Assert.True(reminded.Version > shown.Version);
        var result = engine.Decide(reminded, new DecisionCommand(SalesHead, DecisionKind.Approve, null, shown.Version), _now.AddDays(3));
        Assert.Equal("legal", CurrentNode(Applied(result)));
    }

    [Fact]
    public void Deputy_decides_on_behalf_inside_the_delegation_range()
    {
        var delegation = new Delegation(SalesHead, OpsHead, _now.AddDays(-1), _now.AddDays(1));
        var engine = Engine(delegation);
        var state = Start(engine, Facts(), Standard(), _now);
        Assert.Equal([new DecisionRight("dept", SalesHead)], engine.RightsOf(state, OpsHead, _now));

        var result = Approve(engine, state, OpsHead, _now);
        var decided = Applied(result);
        var recorded = Assert.Single(result.Events.OfType<DecisionRecorded>());
        Assert.Equal((OpsHead, SalesHead), (recorded.ActorUserId, recorded.OnBehalfOfUserId));
        Assert.Equal((OpsHead, SalesHead), (decided.Decisions[0].ActorUserId, decided.Decisions[0].OnBehalfOfUserId));
        Assert.Equal("legal", CurrentNode(decided));
    }

    [Fact]
    public void Deputy_is_refused_outside_the_delegation_range()
    {
        var delegation = new Delegation(SalesHead, OpsHead, _now.AddDays(1), _now.AddDays(5));
        var engine = Engine(delegation);
        var state = Start(engine, Facts(), Standard(), _now);
        Assert.Empty(engine.RightsOf(state, OpsHead, _now));
        Assert.Equal(RefusalCode.NotAnApprover, Approve(engine, state, OpsHead, _now).Refusal!.Code);
        // The range end is exclusive.
        Assert.Equal(RefusalCode.NotAnApprover, Approve(engine, state, OpsHead, _now.AddDays(5)).Refusal!.Code);
        Assert.Equal(WorkflowOutcome.Applied, Approve(engine, state, OpsHead, _now.AddDays(1)).Outcome);
        var explicitOutside = engine.Decide(state,
            new DecisionCommand(OpsHead, DecisionKind.Approve, null, state.Version) { OnBehalfOfUserId = SalesHead }, _now);
        Assert.Contains("no delegation", explicitOutside.Refusal!.Message);
    }

    [Fact]
    public void Applicant_cannot_decide_as_a_deputy_either()
    {
        var delegation = new Delegation(SalesHead, Applicant, _now.AddDays(-1), _now.AddDays(1));
        var engine = Engine(delegation);
        var state = Start(engine, Facts(), Standard(), _now);
        Assert.Empty(engine.RightsOf(state, Applicant, _now));
        var result = engine.Decide(state,
            new DecisionCommand(Applicant, DecisionKind.Approve, null, state.Version) { OnBehalfOfUserId = SalesHead }, _now);
        Assert.Equal(RefusalCode.OwnRequest, result.Refusal!.Code);
        Assert.Equal(RefusalCode.OwnRequest, Approve(engine, state, Applicant, _now).Refusal!.Code);
    }

    [Fact]
    public void Deputy_of_two_countersigners_must_say_for_whom()
    {
        var engine = Engine(
            new Delegation(Lawyer1, Executive1, _now.AddDays(-1), _now.AddDays(1)),
            new Delegation(Lawyer2, Executive1, _now.AddDays(-1), _now.AddDays(1)));
        var state = Applied(Approve(engine, Start(engine, Facts(), Standard(), _now), SalesHead, _now));
        Assert.Equal(RefusalCode.AmbiguousDelegation, Approve(engine, state, Executive1, _now).Refusal!.Code);

        var forLena = engine.Decide(state,
            new DecisionCommand(Executive1, DecisionKind.Approve, null, state.Version) { OnBehalfOfUserId = Lawyer1 }, _now);
        state = Applied(forLena);
        Assert.Equal([Lawyer2], WorkflowQueries.PendingApprovers(state));
        var forLeo = engine.Decide(state,
            new DecisionCommand(Executive1, DecisionKind.Approve, null, state.Version) { OnBehalfOfUserId = Lawyer2 }, _now);
        Assert.Equal("keeper", CurrentNode(Applied(forLeo)));
    }
}
