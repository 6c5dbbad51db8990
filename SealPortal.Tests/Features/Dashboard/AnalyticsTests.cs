using System.Net;
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

        using var auditor = await portal.SignInAsync("auditor");
        var page = await auditor.GetDocumentAsync("/dashboard/analytics");
        Assert.NotEmpty(page.QuerySelectorAll("svg[data-testid=chart]"));
        Assert.Equal(AnalyticsService.Weeks, page.QuerySelectorAll("[data-testid=by-week] tbody tr").Length);
        Assert.Equal("0", page.TextOf("[data-testid=total]"));
    }
}
