using Microsoft.Extensions.Time.Testing;
using SealPortal.Workflow;
using static SealPortal.Tests.Workflow.WorkflowWorld;

namespace SealPortal.Tests.Workflow;

public class DeadlineTests
{
    private readonly FakeTimeProvider _clock = new(FridayMorning);

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Moves the clock to a moment (UTC, November 2026) and runs the deadline job once.</summary>
    private WorkflowResult TickAt(WorkflowEngine engine, WorkflowState state, int day, int hour, int minute = 0)
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, day, hour, minute, 0, TimeSpan.Zero));
        return engine.Tick(state, Now);
    }

    [Fact]
    public void Reminder_comes_once_at_80_percent_of_the_working_time()
    {
        var engine = Engine();
        var state = Start(engine, Facts(), Standard(), Now);
        // Friday 10:00 to Monday 10:00 holds 9 working hours; 80% of them ends Friday 17:12.
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 17, 12, 0, TimeSpan.Zero), state.Current!.RemindAt);

        Assert.Equal(WorkflowOutcome.Unchanged, TickAt(engine, state, 20, 17, 11).Outcome);
        var reminded = TickAt(engine, state, 20, 17, 12);
        var reminder = Assert.IsType<ReminderDue>(Assert.Single(reminded.Events));
        Assert.Equal([SalesHead], reminder.Users);
        Assert.Equal(state.Current.DueAt, reminder.DueAt);
        state = Applied(reminded);

        var again = engine.Tick(state, Now);
        Assert.Equal(WorkflowOutcome.Unchanged, again.Outcome);
        Assert.Equal(NoticeCode.NothingDue, again.Notice!.Code);
        Assert.Empty(TickAt(engine, state, 22, 12).Events);
        Assert.False(WorkflowQueries.IsOverdue(state, Now));
    }

    [Fact]
    public void Remind_only_node_reports_the_missed_deadline_once()
    {
        var engine = Engine();
        var state = Applied(engine.Tick(Start(engine, Facts(), Standard(), Now), Now.AddHours(7.5)));
        var missed = TickAt(engine, state, 23, 10);
        var notice = Assert.IsType<DeadlineMissed>(Assert.Single(missed.Events));
        Assert.Equal([SalesHead], notice.Users);
        state = Applied(missed);
        Assert.Equal(WorkflowOutcome.Unchanged, engine.Tick(state, Now).Outcome);
        Assert.Equal(WorkflowOutcome.Unchanged, TickAt(engine, state, 25, 10).Outcome);
        Assert.True(WorkflowQueries.IsOverdue(state, Now));
        Assert.Equal([SalesHead], WorkflowQueries.PendingApprovers(state));
    }

    [Fact]
    public void A_job_that_wakes_after_the_deadline_sends_no_late_reminder()
    {
        var engine = Engine();
        var state = Start(engine, Facts(), Standard(), Now);
        var result = TickAt(engine, state, 23, 11);
        Assert.IsType<DeadlineMissed>(Assert.Single(result.Events));
        Assert.Equal(WorkflowOutcome.Unchanged, engine.Tick(Applied(result), Now).Outcome);
    }

    [Fact]
    public void Urgent_request_gets_two_working_hours_and_an_earlier_reminder()
    {
        var engine = Engine();
        var thursdayEvening = new FakeTimeProvider(new DateTimeOffset(2026, 11, 19, 17, 30, 0, TimeSpan.Zero));
        var state = Start(engine, Facts(urgent: true), Standard(), thursdayEvening.GetUtcNow());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 30, 0, TimeSpan.Zero), state.Current!.DueAt);
        // 80% of 120 working minutes = 96 minutes: 30 on Thursday, 66 on Friday.
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 6, 0, TimeSpan.Zero), state.Current.RemindAt);
    }

    [Fact]
    public void Minutes_before_the_deadline_win_when_earlier()
    {
        var engine = Engine();
        var template = Standard() with { Reminder = new ReminderPolicy { PercentOfTime = 80, MinutesBefore = 30 } };
        var state = Start(engine, Facts(urgent: true), template, Now);
        Assert.Equal(FridayMorning.AddHours(2), state.Current!.DueAt);
        Assert.Equal(FridayMorning.AddHours(1.5), state.Current.RemindAt);

        var nodeOverride = template with
        {
            Nodes = [template.Nodes[0] with { Reminder = new ReminderPolicy { PercentOfTime = null, MinutesBefore = 10 } }, .. template.Nodes.Skip(1)],
        };
        Assert.Equal(FridayMorning.AddMinutes(110), Start(engine, Facts(urgent: true), nodeOverride, Now).Current!.RemindAt);
    }

    [Fact]
    public void Escalation_tells_the_target_once_and_keeps_the_approvers()
    {
        var engine = Engine();
        var state = Start(engine, Facts(), Standard(afterDeadline: OverdueAction.EscalateTo(ApproverSpec.CompanyRole(ApproverRoles.Executive))), Now);
        var result = TickAt(engine, state, 23, 10);
        var escalation = Assert.IsType<EscalationRaised>(Assert.Single(result.Events));
        Assert.Equal([SalesHead], escalation.PendingUsers);
        Assert.Equal([Executive1, Executive2], escalation.EscalatedTo);
        state = Applied(result);
        Assert.Equal([SalesHead], WorkflowQueries.PendingApprovers(state));
        Assert.Empty(engine.Tick(state, Now.AddHours(5)).Events);
        // A notice is not a decisive change: the head's page from before the escalation still works.
        Assert.Equal(WorkflowOutcome.Applied,
            engine.Decide(state, new DecisionCommand(SalesHead, DecisionKind.Approve, null, state.DecisionBaseVersion), Now).Outcome);
    }

    [Fact]
    public void Escalation_to_nobody_is_reported_as_a_problem()
    {
        var engine = Engine();
        var state = Start(engine, Facts(), Standard(afterDeadline: OverdueAction.EscalateTo(ApproverSpec.CompanyRole("Chairman"))), Now);
        var result = TickAt(engine, state, 23, 10);
        Assert.Contains(result.Events, e => e is WorkflowProblem p && p.Message.Contains("Chairman"));
        Assert.Contains(result.Events, e => e is DeadlineMissed);
    }

    [Fact]
    public void Auto_transfer_hands_the_approval_to_the_standing_deputy_with_a_new_deadline()
    {
        var engine = Engine();
        var state = Start(engine, Facts(), Standard(afterDeadline: OverdueAction.TransferToDeputy()), Now);
        var shownToHead = state;
        var result = TickAt(engine, state, 23, 10);
        var moved = Assert.IsType<ApprovalTransferred>(Assert.Single(result.Events));
        Assert.Equal((SalesHead, OpsHead), (moved.FromUserId, moved.ToUserId));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), moved.NewDueAt);
        state = Applied(result);
        Assert.Equal([OpsHead], WorkflowQueries.PendingApprovers(state));
        Assert.Contains(state.Current!.Slots, s => s is { AssigneeUserId: OpsHead, TransferredFromUserId: SalesHead });
        Assert.False(WorkflowQueries.IsOverdue(state, Now));

        // The transfer is decisive: the head's old page is stale, and the head is no longer an approver.
        Assert.Equal(RefusalCode.StaleVersion,
            engine.Decide(state, new DecisionCommand(SalesHead, DecisionKind.Approve, null, shownToHead.Version), Now).Refusal!.Code);
        Assert.Equal(RefusalCode.NotAnApprover, Approve(engine, state, SalesHead, Now).Refusal!.Code);

        // The second deadline only reports; no transfer ping-pong.
        var second = TickAt(engine, state, 24, 10);
        Assert.Equal([typeof(DeadlineMissed)], second.Events.Select(e => e.GetType()));
        state = Applied(second);
        Assert.Equal("legal", CurrentNode(Applied(Approve(engine, state, OpsHead, Now))));
    }

    [Fact]
    public void Auto_transfer_prefers_an_active_delegation_over_the_standing_deputy()
    {
        var engine = Engine(new Delegation(SalesHead, Executive2, FridayMorning, FridayMorning.AddDays(10)));
        var state = Start(engine, Facts(), Standard(afterDeadline: OverdueAction.TransferToDeputy()), Now);
        var moved = Assert.IsType<ApprovalTransferred>(Assert.Single(TickAt(engine, state, 23, 10).Events));
        Assert.Equal(Executive2, moved.ToUserId);
    }

    [Fact]
    public void Auto_transfer_to_a_role_replaces_the_pending_approvers()
    {
        var engine = Engine();
        var state = Start(engine, Facts(), Standard(afterDeadline: OverdueAction.TransferTo(ApproverSpec.Users(Executive1))), Now);
        var result = TickAt(engine, state, 23, 10);
        state = Applied(result);
        Assert.Equal([Executive1], WorkflowQueries.PendingApprovers(state));
        Assert.Equal(SlotStatus.Transferred, state.Current!.Slots.Single(s => s.AssigneeUserId == SalesHead).Status);
        Assert.Equal(WorkflowOutcome.Unchanged, engine.Tick(state, Now).Outcome);
    }

    [Fact]
    public void Transfer_without_any_deputy_reports_the_problem_and_the_missed_deadline()
    {
        var engine = new WorkflowEngine(Directory() with { StandingDeputies = new Dictionary<string, string>() }, Calendar);
        var state = Start(engine, Facts(), Standard(afterDeadline: OverdueAction.TransferToDeputy()), Now);
        var result = TickAt(engine, state, 23, 10);
        Assert.Contains(result.Events, e => e is WorkflowProblem p && p.Message.Contains(SalesHead));
        Assert.Contains(result.Events, e => e is DeadlineMissed);
        Assert.Equal([SalesHead], WorkflowQueries.PendingApprovers(Applied(result)));
    }

    [Fact]
    public void Nothing_is_due_for_finished_requests_or_nodes_without_deadline()
    {
        var engine = Engine();
        var state = Applied(Approve(engine, Start(engine, Facts(), Standard(), Now), SalesHead, Now));
        Assert.Null(state.Current!.DueAt);
        Assert.Equal(WorkflowOutcome.Unchanged, engine.Tick(state, Now.AddDays(30)).Outcome);
        Assert.False(WorkflowQueries.IsOverdue(state, Now.AddDays(30)));
        var rejected = Applied(engine.Decide(state, new DecisionCommand(Lawyer1, DecisionKind.Reject, "no", state.Version), Now));
        Assert.Equal(WorkflowOutcome.Unchanged, engine.Tick(rejected, Now.AddDays(30)).Outcome);
    }
}
