using System.Net;
using System.Text.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Dashboard;
using SealPortal.Tests.Infrastructure;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Dashboard;

public class AnalyticsStatisticsTests
{
    [Fact]
    public void Median_and_90th_percentile_interpolate_between_ranks()
    {
        double[] hours = [5, 1, 3, 2, 4];
        Assert.Equal(3, AnalyticsStatistics.Median(hours));
        Assert.Equal(2.5, AnalyticsStatistics.Median([1, 2, 3, 4]));
        // Rank 0.9 × 4 = 3.6 lies between 4 and 5.
        Assert.Equal(4.6, AnalyticsStatistics.Percentile(hours, 90)!.Value, 10);
        Assert.Equal(7, AnalyticsStatistics.Percentile([7], 90));
        Assert.Null(AnalyticsStatistics.Median([]));
    }

    [Theory]
    [InlineData(new[] { 2, 3, 2, 3 }, 7, true)]   // usual 2.5: 7 is ≥ 5 and 4.5 more
    [InlineData(new[] { 2, 3, 2, 3 }, 5, false)]  // twice the usual, but only 2.5 more
    [InlineData(new[] { 0, 1, 0, 1 }, 3, false)]  // tiny numbers: 3 is not 3 more than 0.5
    [InlineData(new[] { 0, 1, 0, 1 }, 4, true)]
    [InlineData(new[] { 1, 1, 1 }, 9, false)]     // too little history to know the usual rate
    public void A_burst_is_twice_the_usual_week_and_at_least_three_more(int[] earlier, int thisWeek, bool burst)
    {
        Assert.Equal(burst, AnalyticsStatistics.IsBurst(earlier, thisWeek, out _));
    }

    [Fact]
    public void Off_hours_follow_the_working_calendar()
    {
        var calendar = new WorkingCalendar { TimeZoneId = "Asia/Shanghai", Holidays = [new DateOnly(2026, 10, 1)] };
        Assert.False(AnalyticsStatistics.IsOffHours(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero), calendar)); // Monday 10:00 in Shanghai
        Assert.True(AnalyticsStatistics.IsOffHours(new DateTimeOffset(2026, 11, 23, 12, 30, 0, TimeSpan.Zero), calendar)); // 20:30
        Assert.True(AnalyticsStatistics.IsOffHours(new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero), calendar)); // Sunday
        Assert.True(AnalyticsStatistics.IsOffHours(new DateTimeOffset(2026, 10, 1, 2, 0, 0, TimeSpan.Zero), calendar)); // holiday
        Assert.Equal(new DateOnly(2026, 11, 23), AnalyticsStatistics.WeekStart(new DateOnly(2026, 11, 29)));
    }
}

public class AnalyticsPageTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task Applicants_are_refused_and_auditors_see_charts_and_tables()
    {
        using var applicant = await portal.SignInAsync("applicant");
        Assert.Equal(HttpStatusCode.Redirect, (await applicant.GetAsync("/dashboard/analytics")).StatusCode);

        using var scope = portal.Services.CreateScope();
        var count = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealRequests.CountAsync();

        // The prerendered page already carries the figures.
        using var auditor = await portal.SignInAsync("auditor");
        var prerendered = await auditor.GetDocumentAsync("/dashboard/analytics");
        Assert.Equal(count.ToString(), prerendered.TextOf("[data-testid=total]"));
        Assert.Equal(AnalyticsService.Weeks, prerendered.QuerySelectorAll("[data-testid=by-week] tbody tr").Length);

        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var page = ui.Render<AnalyticsPage>();
        page.WaitForAssertion(() => Assert.Equal(count.ToString(), page.Find("[data-testid=total]").TextContent));
        Assert.NotEmpty(page.FindAll("[data-testid=chart] svg"));
        Assert.Equal(AnalyticsService.Weeks, page.FindAll("[data-testid=by-week] tbody tr").Count);
    }

    [Fact]
    public async Task A_circuit_without_a_readers_role_or_session_gets_no_figures()
    {
        // The router refuses the page to an applicant; were it rendered anyway, it reads nothing.
        await using (var ui = await PortalComponents.SignedInAsync(portal, "applicant"))
        {
            var page = ui.Render<AnalyticsPage>();
            page.WaitForAssertion(() => page.Find("[data-testid=access-denied]"));
            Assert.Empty(page.FindAll("[data-testid=total]"));
        }

        // An auditor signed out elsewhere before the page opened in their circuit.
        await using (var ui = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var userId = await UserIdAsync("auditor");
            Assert.True(await portal.Services.GetRequiredService<SealPortal.Features.Account.SessionRevocation>().EndSessionsAsync(userId) >= 1);
            var page = ui.Render<AnalyticsPage>();
            page.WaitForAssertion(() => page.Find("[data-testid=access-denied]"));
            Assert.Empty(page.FindAll("[data-testid=by-week]"));
        }
    }

    private async Task<string> UserIdAsync(string userName)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    [Fact]
    public async Task Figures_come_from_the_requests_and_their_workflow_visits()
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var applicant = await db.Users.SingleAsync(u => u.UserName == "applicant");
        var now = new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
        var template = SealPortal.Features.Workflows.DemoWorkflows.Templates[0];
        string State(int id, double[] hours, DateTimeOffset? dueAt)
        {
            var entered = now.AddDays(-3);
            var visits = hours.Select(h => new NodeVisit(1, "department-head", "Department head", entered, entered.AddHours(h), NodeVisitOutcome.Approved)).ToList();
            var state = new WorkflowState
            {
                RequestId = id.ToString(), Version = 1, DecisionBaseVersion = 1, Round = 1, SubmittedAt = entered, Template = template,
                Facts = new SealRequestFacts(id.ToString(), applicant.Id, "1", [], "Letter", null, false),
                Status = dueAt is null ? RequestStatus.Approved : RequestStatus.InApproval, Visits = visits,
                Current = dueAt is null ? null : new ActiveNode { NodeIndex = 1, NodeId = "executive", EnteredAt = entered, Slots = [], DueAt = dueAt },
            };
            return JsonSerializer.Serialize(state);
        }
        SealRequest Request(string number, SealRequestStatus status, DateTimeOffset submitted, string? stateJson) => new()
        {
            Number = number, ApplicantUserId = applicant.Id, DepartmentId = applicant.DepartmentId!.Value, Purpose = "test",
            Status = status, CreatedAt = submitted, SubmittedAt = submitted, WorkflowStateJson = stateJson,
        };
        db.SealRequests.AddRange(
            Request("26-90001", SealRequestStatus.Completed, now.AddHours(-1), State(1, [1, 2], null)),
            Request("26-90002", SealRequestStatus.Rejected, now.AddHours(-2), State(2, [3], null)),
            Request("26-90003", SealRequestStatus.InApproval, now.AddHours(-3), State(3, [4, 10], now.AddHours(-5))),
            // Sunday 22 November 17:00 UTC is Monday 01:00 in Shanghai: this company week, and before working hours.
            Request("26-90004", SealRequestStatus.Withdrawn, new DateTimeOffset(2026, 11, 22, 17, 0, 0, TimeSpan.Zero), null));
        await db.SaveChangesAsync();

        // The portal's own working calendar and company time (Asia/Shanghai), on a clock set to now.
        var clock = new FakeTimeProvider(now);
        var service = new AnalyticsService(scope.ServiceProvider.GetRequiredService<IDbContextFactory<SealPortalDbContext>>(),
            scope.ServiceProvider.GetRequiredService<WorkingCalendar>(), clock,
            new SealPortal.Features.CompanyTime(scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SealPortal.Features.CompanyOptions>>(), clock));
        var report = await service.BuildAsync(default);

        Assert.Equal(4, report.Total);
        Assert.Equal((1, 2), (report.Passed, report.Decided));
        var node = Assert.Single(report.NodeTimes);
        Assert.Equal(5, node.Visits);
        Assert.Equal(3, node.MedianHours, 6);
        Assert.Equal(7.6, node.P90Hours, 6);
        var overdue = Assert.Single(report.Overdue);
        Assert.Equal("26-90003", overdue.Number);
        Assert.Equal("Executive", overdue.NodeName);
        Assert.Equal(5, overdue.HoursOverdue, 6);
        // Weeks are the company's: Monday 23 November 00:00 in Shanghai is Sunday 16:00 UTC, so all four are this week's.
        Assert.Equal(new DateOnly(2026, 11, 23), report.ByWeek[^1].WeekStart);
        Assert.Equal(4, report.ByWeek[^1].Count);
        // Working hours are Shanghai's 09:00-18:00: 26-90001 (10:00) and 26-90002 (09:00) are inside; 26-90003
        // (Wednesday 08:00 there, 00:00 UTC) and 26-90004 (Monday 01:00 there, Sunday in UTC) are outside.
        Assert.Equal(["26-90003", "26-90004"], report.Unusual.Where(u => u.Kind == "OffHours").Select(u => u.Subject).Order());
    }
}
