using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Components.Layout;
using SealPortal.Data;
using SealPortal.Features.Assessment;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Assessment;

/// <summary>
/// The assessment page over the scenario of <see cref="AssessmentWorld"/>: executives and auditors see every
/// department's score with the formula, a number opens the items behind it, a department head sees their own
/// department, and other roles get no data (and no menu entry).
/// </summary>
public sealed class AssessmentPageTests(AssessmentPortal portal) : IClassFixture<AssessmentPortal>
{
    private static (IRenderedComponent<Bunit.Rendering.ContainerFragment> Root, IRenderedComponent<AssessmentPage> Page) Open(PortalComponents ui, AssessmentPeriod period)
    {
        ui.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/assessment?{period.Query}");
        return ui.RenderWithDialogs<AssessmentPage>();
    }

    [Theory]
    [InlineData("executive")]
    [InlineData("auditor")]
    [InlineData("admin")]
    public async Task Executives_auditors_and_administrators_see_every_departments_score_and_how_it_is_computed(string user)
    {
        var world = await portal.WorldAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, user);
        var (_, page) = Open(ui, world.Period);
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=assessment-table] tbody tr").Count));
        Assert.Equal("71", page.Find($"[data-testid=score-{world.Sales}]").TextContent.Trim());
        Assert.Equal("80", page.Find($"[data-testid=score-{world.Legal}]").TextContent.Trim());
        Assert.Equal("1", page.Find($"[data-testid=fact-violations-{world.Sales}]").GetAttribute("data-count"));
        Assert.Equal("2 / 4", page.Find($"[data-testid=fact-training-completed-{world.Sales}]").TextContent.Trim());
        Assert.Contains("sub-score 66.7", page.Find($"[data-testid=sub-training-completed-{world.Office}]").TextContent);
        Assert.Equal("2", page.Find($"[data-testid=fact-overdue-approvals-{world.Legal}]").GetAttribute("data-count"));
        Assert.Equal("1 / 2", page.Find($"[data-testid=fact-rules-acknowledged-{world.Sales}]").TextContent.Trim());
        Assert.Contains("sub-score 80", page.Find($"[data-testid=sub-overdue-approvals-{world.Legal}]").TextContent);
        var formula = page.Find("[data-testid=formula]").TextContent;
        Assert.Contains("Σ (weight × sub-score) ÷ Σ weight", formula);
        Assert.Contains("100 − 10 per overdue approval", page.Find("[data-testid=rule-overdue-approvals]").TextContent);
        Assert.Contains("weight 25", page.Find("[data-testid=rule-overdue-approvals]").TextContent);
        Assert.Contains("100 − 25 per case", page.Find("[data-testid=rule-violations]").TextContent);
        Assert.Contains("weight 25", page.Find("[data-testid=rule-violations]").TextContent);
        Assert.Contains("general training plan", page.Find("[data-testid=rule-training-completed]").TextContent);
        Assert.Contains("weight 15", page.Find("[data-testid=rule-training-completed]").TextContent);
        Assert.Equal($"/assessment/export.xlsx?{world.Period.Query}", page.Find("[data-testid=export-xlsx]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_number_opens_the_items_behind_it_with_links_to_the_requests()
    {
        var world = await portal.WorldAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "executive");
        var (root, page) = Open(ui, world.Period);
        page.WaitForElement($"[data-testid=fact-overdue-approvals-{world.Legal}]");
        await page.ClickFreshAsync($"[data-testid=fact-overdue-approvals-{world.Legal}]");
        root.WaitForAssertion(() => Assert.Equal(2, root.FindAll("[data-testid=fact-items-table] tbody tr").Count));
        var references = root.FindAll("[data-testid=fact-items-table] [data-item]").Select(td => td.GetAttribute("data-item")).Order().ToList();
        Assert.Equal([world.PendingRequestNumber, world.TransferredRequestNumber], references);
        Assert.All(root.FindAll("[data-testid=fact-items-table] [data-item] a"), a => Assert.StartsWith("/requests/", a.GetAttribute("href")));
        Assert.Contains("still pending", root.Find("[data-testid=fact-items-table]").TextContent);
        Assert.Contains("transferred after its deadline", root.Find("[data-testid=fact-items-table]").TextContent);
    }

    [Fact]
    public async Task Violations_and_training_open_the_cases_and_the_people_behind_them()
    {
        var world = await portal.WorldAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var (root, page) = Open(ui, world.Period);
        page.WaitForElement($"[data-testid=fact-violations-{world.Sales}]");
        await page.ClickFreshAsync($"[data-testid=fact-violations-{world.Sales}]");
        root.WaitForAssertion(() => Assert.Single(root.FindAll("[data-testid=fact-items-table] tbody tr")));
        Assert.Equal($"/cases/{world.SalesCaseId}", root.Find("[data-testid=fact-items-table] [data-item] a").GetAttribute("href"));
        Assert.Equal(world.SalesCaseNumber, root.Find("[data-testid=fact-items-table] [data-item]").GetAttribute("data-item"));
        await root.ClickFreshAsync("[data-testid=fact-items-close]");
        root.WaitForAssertion(() => Assert.Empty(root.FindAll("[data-testid=fact-items]")));

        await page.ClickFreshAsync($"[data-testid=fact-training-completed-{world.Sales}]");
        root.WaitForAssertion(() => Assert.Equal(2, root.FindAll("[data-testid=fact-items-table] tbody tr").Count));
        var text = root.Find("[data-testid=fact-items-table]").TextContent;
        Assert.Contains("考核通用培训", text);
        Assert.Contains("考核销售培训", text);
        Assert.Contains("depthead", text);
        Assert.Contains("Attended no session of this plan", text);
        Assert.Equal([$"/training/plans/{world.GeneralPlanId}", $"/training/plans/{world.SalesPlanId}"],
            root.FindAll("[data-testid=fact-items-table] [data-item] a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task The_page_reads_in_chinese_and_switches_period()
    {
        var world = await portal.WorldAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor", "zh-CN");
        // The culture set inside SignedInAsync does not flow back out of it (an async method's own).
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("zh-CN");
        var (_, page) = Open(ui, world.Quarter);
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=assessment-table] tbody tr").Count));
        Assert.Contains("得分的计算方法", page.Markup);
        Assert.Contains("审批超期", page.Markup);
        Assert.Equal($"/assessment/export.xlsx?{world.Quarter.Query}", page.Find("[data-testid=export-xlsx]").GetAttribute("href"));
        Assert.Contains(world.Quarter.FirstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=period-days]").TextContent);
    }

    [Fact]
    public async Task A_department_head_sees_only_their_own_department()
    {
        var world = await portal.WorldAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "depthead");
        var (_, page) = Open(ui, world.Period);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=assessment-table] tbody tr")));
        Assert.Equal(world.Sales.ToString(), page.Find("[data-department]").GetAttribute("data-department"));
        Assert.Empty(page.FindAll($"[data-testid=score-{world.Legal}]"));
        Assert.Contains("As a department head you see your own department.", page.Markup);
    }

    [Theory]
    [InlineData("applicant")]
    [InlineData("reviewer")]
    [InlineData("keeper")]
    public async Task Other_roles_get_no_data_and_no_menu_entry(string user)
    {
        var world = await portal.WorldAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, user);
        var (_, page) = Open(ui, world.Period);
        page.WaitForElement("[data-testid=refused]");
        Assert.Empty(page.FindAll("[data-testid=assessment-table]"));
        Assert.Empty(page.FindAll("[data-testid=export-xlsx]"));
        Assert.DoesNotContain("法务部", page.Markup);

        var role = DatabaseInitializer.DemoUsers.Single(u => u.UserName == user).Role;
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, role)], "test"));
        Assert.DoesNotContain(NavMenu.Items, i => i.Href == "/assessment" && i.IsVisibleTo(principal));
    }

    [Theory]
    [InlineData(Roles.Executive)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.DepartmentHead)]
    public void The_readers_have_the_menu_entry(string role)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone"), new Claim(ClaimTypes.Role, role)], "test"));
        Assert.Contains(NavMenu.Items, i => i.Href == "/assessment" && i.IsVisibleTo(principal));
    }
}
