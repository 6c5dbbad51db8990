using System.Text.Json;
using SealPortal.Workflow;
using static SealPortal.Tests.Workflow.WorkflowWorld;

namespace SealPortal.Tests.Workflow;

public class VersioningAndQueryTests
{
    private readonly DateTimeOffset _now = FridayMorning;

    [Fact]
    public void Running_request_keeps_its_template_version_after_the_template_is_edited()
    {
        var engine = Engine();
        var v1 = Standard(version: 1);
        var catalog = new WorkflowCatalog([], "standard", [v1]);
        var running = Applied(engine.Start(Facts(), catalog, _now));

        // The administrator drops the legal review and publishes version 2.
        var v2 = v1 with { Version = 2, Nodes = v1.Nodes.Where(n => n.Id != "legal").ToList() };
        var edited = catalog with { Templates = [v1, v2] };
        var fresh = Applied(engine.Start(Facts() with { RequestId = "REQ-2" }, edited, _now));
        Assert.Equal(2, fresh.Template.Version);
        Assert.Equal("keeper", CurrentNode(Applied(Approve(engine, fresh, SalesHead, _now))));

        Assert.Equal(1, running.Template.Version);
        var next = Applied(Approve(engine, running, SalesHead, _now));
        Assert.Equal("legal", CurrentNode(next));
        Assert.Equal(1, next.Template.Version);
    }

    [Fact]
    public void State_survives_a_json_round_trip_and_the_flow_continues_from_it()
    {
        var engine = Engine();
        var state = Applied(Approve(engine, Start(engine, Facts(urgent: true), Standard(), _now), SalesHead, _now));
        state = Applied(engine.Decide(state, new DecisionCommand(Lawyer1, DecisionKind.Approve, "fine", state.Version), _now));

        var json = JsonSerializer.Serialize(state);
        var restored = JsonSerializer.Deserialize<WorkflowState>(json)!;
        Assert.Equal(json, JsonSerializer.Serialize(restored));
        Assert.Equal([Lawyer2], WorkflowQueries.PendingApprovers(restored));
        Assert.Equal(state.Template.Nodes[0].Deadline!.Urgent, restored.Template.Nodes[0].Deadline!.Urgent);

        var next = Applied(Approve(engine, restored, Lawyer2, _now));
        Assert.Equal("keeper", CurrentNode(next));
        Assert.Equal(restored.Version + 1, next.Version);
    }

    [Fact]
    public void Time_spent_per_node_and_its_median_and_p90()
    {
        var engine = Engine();
        var state = Start(engine, Facts(), Standard(), _now);
        state = Applied(Approve(engine, state, SalesHead, _now.AddHours(2)));
        var times = WorkflowQueries.TimeSpentPerNode(state, _now.AddHours(5));
        Assert.Equal(2, times.Count);
        Assert.Equal(new NodeTime(1, "dept", "Department head", TimeSpan.FromHours(2), true, NodeVisitOutcome.Approved), times[0]);
        Assert.Equal(new NodeTime(1, "legal", "Legal review", TimeSpan.FromHours(3), false, null), times[1]);

        var samples = Enumerable.Range(1, 10)
            .Select(h => new NodeTime(1, "dept", "Department head", TimeSpan.FromHours(h), true, NodeVisitOutcome.Approved))
            .Append(new NodeTime(1, "dept", "Department head", TimeSpan.FromHours(99), false, null));
        var summary = Assert.Single(WorkflowQueries.Summarize(samples));
        Assert.Equal(("dept", 10, TimeSpan.FromHours(5), TimeSpan.FromHours(9)), (summary.NodeId, summary.Count, summary.Median, summary.P90));
    }

    [Fact]
    public void Every_change_raises_the_version()
    {
        var engine = Engine();
        var s1 = Start(engine, Facts(), Standard(), _now);
        var s2 = Applied(engine.Tick(s1, _now.AddHours(8)));
        var s3 = Applied(Approve(engine, s2, SalesHead, _now.AddHours(9)));
        Assert.Equal([1L, 2L, 3L], new[] { s1.Version, s2.Version, s3.Version });
        // A reminder is bookkeeping: it does not move the base that decisions are checked against.
        Assert.Equal([1L, 1L, 3L], new[] { s1.DecisionBaseVersion, s2.DecisionBaseVersion, s3.DecisionBaseVersion });
    }

    [Fact]
    public void Events_serialize_with_their_type_for_the_outbox()
    {
        var engine = Engine();
        var result = engine.Start(Facts(), Standard(), _now);
        var json = JsonSerializer.Serialize(result.Events);
        Assert.Contains("\"$type\":\"NodeEntered\"", json);
        var back = JsonSerializer.Deserialize<List<WorkflowEvent>>(json)!;
        var entered = Assert.IsType<NodeEntered>(back[1]);
        Assert.Equal([SalesHead], entered.Approvers);
        Assert.Equal(_now.AddDays(3), entered.DueAt);
    }
}
