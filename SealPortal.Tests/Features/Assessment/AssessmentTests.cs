using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features;
using SealPortal.Features.Assessment;
using SealPortal.Features.Rules;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Assessment;

/// <summary>
/// The department assessment (issue #15, part 4) computed over a real database from the facts of
/// <see cref="AssessmentWorld"/>: the numbers come out as the scenario says, follow a fact that changes, respect the
/// period's company-time boundaries, and reach only the roles allowed. One real approval made after its deadline
/// shows that the approval handlers record what the assessment counts.
/// </summary>
public sealed class AssessmentTests(AssessmentPortal portal) : IClassFixture<AssessmentPortal>
{
    private AssessmentService Assessment => portal.Services.GetRequiredService<AssessmentService>();

    private async Task<AssessmentReport> ReportAsync(string userName, AssessmentPeriod period) =>
        await Assessment.ReportAsync(await AssessmentWorld.PrincipalAsync(portal, userName), period) ?? throw new InvalidOperationException("refused");

    private static DepartmentAssessment Line(AssessmentReport report, int departmentId) => report.Departments.Single(d => d.DepartmentId == departmentId);

    [Fact]
    public async Task The_scores_and_counts_come_from_the_facts_and_follow_them_when_they_change()
    {
        var world = await portal.WorldAsync();
        var report = await ReportAsync("executive", world.Period);
        Assert.Equal(["overdue-approvals", "audit-findings", "violations", "training-completed", "rules-acknowledged"], report.Facts.Select(f => f.Key));
        Assert.Equal([25, 20, 25, 15, 15], report.Facts.Select(f => f.Weight));
        Assert.Equal(4, report.Departments.Count);

        var counts = report.Departments.ToDictionary(d => d.DepartmentId, d => (
            Overdue: d.Facts["overdue-approvals"].Count, Findings: d.Facts["audit-findings"].Count, Violations: d.Facts["violations"].Count,
            Trained: d.Facts["training-completed"].Count, Pairs: d.Facts["training-completed"].OutOf,
            Accepted: d.Facts["rules-acknowledged"].Count, Users: d.Facts["rules-acknowledged"].OutOf));
        Assert.Equal((1, 1, 1, 2, 4, 1, 2), counts[world.Sales]);
        Assert.Equal((2, 0, 0, 0, 1, 1, 1), counts[world.Legal]);
        Assert.Equal((1, 0, 1, 2, 3, 2, 3), counts[world.Office]);
        Assert.Equal((0, 1, 0, 1, 1, 0, 1), counts[world.Finance]);
        Assert.Equal(90, Line(report, world.Sales).Facts["overdue-approvals"].SubScore);
        Assert.Equal(75, Line(report, world.Finance).Facts["audit-findings"].SubScore);
        Assert.Equal(75, Line(report, world.Sales).Facts["violations"].SubScore);
        Assert.Equal(100, Line(report, world.Legal).Facts["violations"].SubScore);
        Assert.Equal(50, Line(report, world.Sales).Facts["training-completed"].SubScore);
        Assert.Equal(0, Line(report, world.Legal).Facts["training-completed"].SubScore);
        Assert.Equal(200.0 / 3, Line(report, world.Office).Facts["training-completed"].SubScore!.Value, 9);
        Assert.Equal(100, Line(report, world.Finance).Facts["training-completed"].SubScore);
        Assert.Equal(50, Line(report, world.Sales).Facts["rules-acknowledged"].SubScore);
        // By hand (see AssessmentWorld): 7125/100 → 71, 8000/100 = 80, 8125/100 → 81, 8000/100 = 80.
        Assert.Equal(71, Line(report, world.Sales).Score);
        Assert.Equal(80, Line(report, world.Legal).Score);
        Assert.Equal(81, Line(report, world.Office).Score);
        Assert.Equal(80, Line(report, world.Finance).Score);

        // depthead accepts the rules: 销售部 2/2, (25·90 + 20·75 + 25·75 + 15·50 + 15·100)/100 = 78.75 → 79.
        var rules = portal.Services.GetRequiredService<SealRulesService>();
        Assert.True((await rules.AcknowledgeAsync(await AssessmentWorld.PrincipalAsync(portal, "depthead"), (await rules.CurrentAsync())!.Id)).Succeeded);
        // The auditor misses a deadline in the period: 财务部 overdue 1, (25·90 + 20·75 + 25·100 + 15·100 + 15·0)/100 = 77.5 → 78.
        var time = portal.Services.GetRequiredService<CompanyTime>();
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            var request = await db.SealRequests.Where(r => r.Number == world.PendingRequestNumber).Select(r => r.Id).SingleAsync();
            var due = time.StartOf(world.Period.FirstDay).AddDays(7).ToUniversalTime();
            db.PendingApprovals.Add(new PendingApproval
            {
                SealRequestId = request, NodeId = "finance", NodeName = "财务审核", NodeKey = "contract/1#2", Slot = 1, ApproverUserId = world.Users["auditor"],
                WorkflowVersion = 1, Since = due.AddDays(-1), SinceUnixMs = due.AddDays(-1).ToUnixTimeMilliseconds(), DueAt = due, DueUnixMs = due.ToUnixTimeMilliseconds(),
                DueOrder = due.ToUnixTimeMilliseconds(), ApplicantUserId = world.Users["applicant"], DocumentType = DocumentTypes.Contract,
            });
            await db.SaveChangesAsync();
        }

        var after = await ReportAsync("auditor", world.Period);
        Assert.Equal((2, 2), (Line(after, world.Sales).Facts["rules-acknowledged"].Count, Line(after, world.Sales).Facts["rules-acknowledged"].OutOf));
        Assert.Equal(79, Line(after, world.Sales).Score);
        Assert.Equal(1, Line(after, world.Finance).Facts["overdue-approvals"].Count);
        Assert.Equal(78, Line(after, world.Finance).Score);
        Assert.Equal(80, Line(after, world.Legal).Score);
    }

    [Fact]
    public async Task A_quarter_takes_in_its_months_and_a_period_starts_at_the_company_midnight()
    {
        var world = await portal.WorldAsync();
        var quarter = await ReportAsync("auditor", world.Quarter);
        // The executive's late decision due one minute before P's company midnight and the 销售部 finding ten days
        // before P belong to the month before P: in the quarter only when that month is in it.
        var before = world.Period.FirstDay.Month % 3 != 1 ? 1 : 0;
        Assert.Equal(1 + before, Line(quarter, world.Office).Facts["overdue-approvals"].Count);
        Assert.Equal(1 + before, Line(quarter, world.Sales).Facts["audit-findings"].Count);
        // Likewise the 法务部 case opened one minute before P.
        Assert.Equal(before, Line(quarter, world.Legal).Facts["violations"].Count);
        Assert.Equal(1, Line(quarter, world.Sales).Facts["violations"].Count);

        var previous = AssessmentPeriod.Containing(AssessmentPeriodKind.Month, world.Period.FirstDay.AddDays(-1));
        var month = await ReportAsync("auditor", previous);
        Assert.Equal(1, Line(month, world.Office).Facts["overdue-approvals"].Count);
        Assert.Equal(1, Line(month, world.Sales).Facts["audit-findings"].Count);
        Assert.Equal(0, Line(month, world.Legal).Facts["overdue-approvals"].Count);
        Assert.Equal(1, Line(month, world.Legal).Facts["violations"].Count);
        Assert.Equal(0, Line(month, world.Sales).Facts["violations"].Count);
        // At the end of the month before P only plan A existed, and nobody had attended it yet.
        Assert.Equal((0, 2), (Line(month, world.Sales).Facts["training-completed"].Count, Line(month, world.Sales).Facts["training-completed"].OutOf));
    }

    [Fact]
    public async Task Each_number_lists_the_items_behind_it()
    {
        var world = await portal.WorldAsync();
        var executive = await AssessmentWorld.PrincipalAsync(portal, "executive");
        var legal = await Assessment.ItemsAsync(executive, world.Period, world.Legal, "overdue-approvals");
        Assert.NotNull(legal);
        Assert.Equal([world.PendingRequestNumber, world.TransferredRequestNumber], legal.Select(i => i.Reference).Order());
        Assert.All(legal, i => Assert.StartsWith("/requests/", i.Link));
        Assert.All(legal, i => Assert.Contains("reviewer", i.Person));

        var sales = await Assessment.ItemsAsync(executive, world.Period, world.Sales, "overdue-approvals");
        var late = Assert.Single(sales!);
        Assert.Equal(world.LateRequestNumber, late.Reference);
        Assert.True(late.At > late.Due);

        var finding = Assert.Single((await Assessment.ItemsAsync(executive, world.Period, world.Finance, "audit-findings"))!);
        Assert.Equal($"/audits/{world.FinanceAuditId}", finding.Link);
        Assert.Contains(world.FinanceIssueSequence.ToString(), finding.Reference);
        Assert.Contains("缺少审批记录", finding.Detail);

        var cases = await Assessment.ItemsAsync(executive, world.Period, world.Sales, "violations");
        var salesCase = Assert.Single(cases!);
        Assert.Equal((world.SalesCaseNumber, $"/cases/{world.SalesCaseId}"), (salesCase.Reference, salesCase.Link));
        Assert.Contains("applicant", salesCase.Person);
        Assert.Equal(["AS-V3"], (await Assessment.ItemsAsync(executive, world.Period, world.Office, "violations"))!.Select(i => i.Reference));

        var untrained = await Assessment.ItemsAsync(executive, world.Period, world.Sales, "training-completed");
        Assert.Equal([($"/training/plans/{world.GeneralPlanId}", "depthead"), ($"/training/plans/{world.SalesPlanId}", "applicant")],
            untrained!.Select(i => (i.Link, i.Person.Split(' ')[^1].Trim('(', ')'))));
        var officeUntrained = Assert.Single((await Assessment.ItemsAsync(executive, world.Period, world.Office, "training-completed"))!);
        Assert.Contains("admin", officeUntrained.Person);
        Assert.Empty((await Assessment.ItemsAsync(executive, world.Period, world.Finance, "training-completed"))!);

        var missing = await Assessment.ItemsAsync(executive, world.Period, world.Office, "rules-acknowledged");
        Assert.Equal(["admin"], missing!.Select(i => i.Reference));
        Assert.Null(await Assessment.ItemsAsync(executive, world.Period, world.Office, "no-such-fact"));
    }

    [Fact]
    public async Task A_department_head_sees_their_own_department_and_other_roles_nothing()
    {
        var world = await portal.WorldAsync();
        var head = await AssessmentWorld.PrincipalAsync(portal, "depthead");
        var own = await Assessment.ReportAsync(head, world.Period);
        Assert.Equal([world.Sales], own!.Departments.Select(d => d.DepartmentId));
        Assert.False(own.AllDepartments);
        Assert.NotNull(await Assessment.ItemsAsync(head, world.Period, world.Sales, "overdue-approvals"));
        // Another department's items, asked for by id, are refused like a department that does not exist.
        Assert.Null(await Assessment.ItemsAsync(head, world.Period, world.Legal, "overdue-approvals"));
        Assert.Null(await Assessment.ItemsAsync(head, world.Period, world.Office, "violations"));
        Assert.Null(await Assessment.ItemsAsync(head, world.Period, world.Office, "training-completed"));
        Assert.Null(await Assessment.ItemsAsync(head, world.Period, 999_999, "overdue-approvals"));

        foreach (var user in new[] { "auditor", "admin" })
            Assert.Equal(4, (await Assessment.ReportAsync(await AssessmentWorld.PrincipalAsync(portal, user), world.Period))!.Departments.Count);
        foreach (var user in new[] { "applicant", "reviewer", "keeper" })
        {
            var principal = await AssessmentWorld.PrincipalAsync(portal, user);
            Assert.Null(await Assessment.ReportAsync(principal, world.Period));
            Assert.Null(await Assessment.ItemsAsync(principal, world.Period, world.Legal, "overdue-approvals"));
            Assert.Null(await Assessment.ItemsAsync(principal, world.Period, world.Sales, "violations"));
            Assert.Null(await Assessment.ItemsAsync(principal, world.Period, world.Sales, "training-completed"));
        }
        Assert.Null(await Assessment.ReportAsync(null, world.Period));
    }

    [Fact]
    public async Task An_approval_made_after_its_deadline_through_the_handlers_counts_for_the_approvers_department()
    {
        var world = await portal.WorldAsync();
        var time = portal.Services.GetRequiredService<CompanyTime>();
        // Two months back, so the scenario's month is untouched; a Monday at 10:00 company time, inside working hours.
        var period = AssessmentPeriod.Containing(AssessmentPeriodKind.Month, world.Period.FirstDay.AddDays(-1).AddDays(-world.Period.FirstDay.AddDays(-1).Day));
        var day = period.FirstDay.AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Monday)
            day = day.AddDays(1);
        var submittedAt = time.StartOf(day).AddHours(10).ToUniversalTime();
        var seal = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        int id;
        try
        {
            portal.Clock.SetUtcNow(submittedAt);
            id = await SealRequestKit.SubmitAsync(portal, [seal], [PdfTestKit.ClassicPdf(1)]);
            // Ten days later the department head's deadline (one working day) has passed: pending past it, it counts.
            portal.Clock.SetUtcNow(submittedAt.AddDays(10));
            var waiting = await ReportAsync("executive", period);
            Assert.Equal(1, Line(waiting, world.Sales).Facts["overdue-approvals"].Count);
            Assert.Contains(await Assessment.ItemsAsync(await AssessmentWorld.PrincipalAsync(portal, "executive"), period, world.Sales, "overdue-approvals") ?? [],
                i => i.At is null && i.Link == $"/requests/{id}");

            await SealRequestKit.ApproveAllAsync(portal, id);
        }
        finally
        {
            portal.Clock.Reset();
        }

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            var decisions = await db.ApprovalDecisions.AsNoTracking().Where(d => d.SealRequestId == id).OrderBy(d => d.Id).ToListAsync();
            Assert.True(decisions.Count >= 2, $"{decisions.Count} decisions recorded");
            Assert.All(decisions, d => Assert.Equal(ApprovalOutcome.Approved, d.Outcome));
            Assert.Equal(world.Users["depthead"], decisions[0].ApproverUserId);
            Assert.True(decisions[0].DecidedUnixMs > decisions[0].DueUnixMs);
            // The later steps were entered and decided at the same moment: in time.
            Assert.All(decisions.Skip(1), d => Assert.True(d.DueUnixMs is null || d.DecidedUnixMs <= d.DueUnixMs));
        }
        var decided = await ReportAsync("executive", period);
        Assert.Equal(1, Line(decided, world.Sales).Facts["overdue-approvals"].Count);
        var item = Assert.Single((await Assessment.ItemsAsync(await AssessmentWorld.PrincipalAsync(portal, "executive"), period, world.Sales, "overdue-approvals"))!);
        Assert.Equal($"/requests/{id}", item.Link);
        Assert.NotNull(item.At);
        Assert.Equal(0, Line(decided, world.Legal).Facts["overdue-approvals"].Count);
    }

    [Theory]
    [InlineData("Week", "2026", "1")]
    [InlineData("Month", "2026", "13")]
    [InlineData("Quarter", "2026", "0")]
    [InlineData("Month", "1999", "1")]
    [InlineData("Month", "abc", "1")]
    [InlineData("3", "2026", "1")]
    public void A_bad_period_is_refused_with_a_reason(string kind, string year, string number)
    {
        var (period, error) = AssessmentPeriod.Parse(kind, year, number, new DateOnly(2026, 12, 7));
        Assert.Null(period);
        Assert.NotNull(error);
    }

    [Fact]
    public void Periods_parse_and_a_future_one_is_refused()
    {
        var today = new DateOnly(2026, 12, 7);
        Assert.Equal(new AssessmentPeriod(AssessmentPeriodKind.Month, 2026, 12), AssessmentPeriod.Parse(null, null, null, today).Period);
        var q = AssessmentPeriod.Parse("quarter", "2026", "2", today).Period!;
        Assert.Equal((new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30)), (q.FirstDay, q.LastDay));
        var y = AssessmentPeriod.Parse("Year", "2025", null, today).Period!;
        Assert.Equal((new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)), (y.FirstDay, y.LastDay));
        Assert.Equal("The period has not started yet.", AssessmentPeriod.Parse("Month", "2027", "1", today).Error);
    }

    [Fact]
    public void The_score_is_the_weighted_mean_of_the_facts_that_apply()
    {
        Assert.Equal(74, AssessmentScore.Of([(40, 90), (30, 75), (30, 50)]));
        Assert.Equal(84, AssessmentScore.Of([(40, 90), (30, 75), (30, null)]));
        Assert.Null(AssessmentScore.Of([(40, null)]));
        Assert.Equal(0, AssessmentScore.Deduct(12, 10));
        Assert.Equal(70, AssessmentScore.Deduct(3, 10));
    }
}
