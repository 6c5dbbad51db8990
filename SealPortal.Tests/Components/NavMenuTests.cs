using System.Globalization;
using System.Security.Claims;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SealPortal.Components.Layout;
using SealPortal.Data;

namespace SealPortal.Tests.Components;

/// <summary>The navigation rendered alone with HtmlRenderer; AngleSharp reads the markup.</summary>
public class NavMenuTests
{
    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> RenderAsync(ClaimsPrincipal user, string path = "/", string culture = "en")
    {
        var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var html = await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var output = await renderer.RenderComponentAsync<NavMenu>(ParameterView.FromDictionary(new Dictionary<string, object?>
                {
                    [nameof(NavMenu.User)] = user,
                    [nameof(NavMenu.CurrentPath)] = path,
                }));
                return output.ToHtmlString();
            });
            return await new HtmlParser().ParseDocumentAsync(html);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static ClaimsPrincipal UserWith(params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone"), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

    private static string[] Links(AngleSharp.Html.Dom.IHtmlDocument doc) =>
        doc.QuerySelectorAll("a.nav-link").Select(a => a.GetAttribute("href")!).ToArray();

    [Fact]
    public async Task Admin_sees_the_administration_links()
    {
        var doc = await RenderAsync(UserWith(Roles.Admin));
        Assert.Equal(["/", "/requests", "/inbox", "/seals", "/rules", "/training", "/delegations", "/ledger", "/audit-trail", "/verify", "/audits", "/training/completion", "/rules/acknowledgements", "/dashboard/analytics", "/admin/users", "/admin/departments", "/seals/new", "/admin/workflows", "/admin/workflows/tests", "/admin/authorizations", "/account/password"], Links(doc));
        Assert.Contains("Administration", doc.QuerySelectorAll(".app-nav-section").Select(s => s.TextContent));
    }

    [Theory]
    [InlineData(Roles.Applicant, "/requests", "")]
    [InlineData(Roles.DepartmentHead, "/requests /inbox", "/training/completion /rules/acknowledgements")]
    [InlineData(Roles.Reviewer, "/requests /inbox", "")]
    [InlineData(Roles.Executive, "/requests /inbox", "/dashboard/analytics")]
    [InlineData(Roles.SealKeeper, "/requests /inbox", "/ledger /verify")]
    [InlineData(Roles.Auditor, "", "/ledger /audit-trail /verify /audits /training/completion /rules/acknowledgements /dashboard/analytics")]
    public async Task Other_roles_see_no_administration_links(string role, string requestLinks, string auditLinks)
    {
        var doc = await RenderAsync(UserWith(role));
        // Approvers (those with an inbox) may also name a deputy.
        string[] deputies = requestLinks.Contains("/inbox") ? ["/delegations"] : [];
        Assert.Equal(["/", .. requestLinks.Split(' ', StringSplitOptions.RemoveEmptyEntries), "/seals", "/rules", "/training", .. deputies,
            .. auditLinks.Split(' ', StringSplitOptions.RemoveEmptyEntries), "/account/password"], Links(doc));
        Assert.DoesNotContain("Administration", doc.QuerySelectorAll(".app-nav-section").Select(s => s.TextContent));
    }

    [Fact]
    public async Task Anonymous_user_gets_no_links()
    {
        var doc = await RenderAsync(new ClaimsPrincipal(new ClaimsIdentity()));
        Assert.Empty(Links(doc));
    }

    [Fact]
    public async Task Current_page_is_marked_active_including_sub_pages()
    {
        var doc = await RenderAsync(UserWith(Roles.Admin), "/admin/users/abc");
        var active = doc.QuerySelectorAll("a.nav-link.active").Select(a => a.GetAttribute("href") ?? "").ToArray();
        Assert.Equal(["/admin/users"], active);
        Assert.Equal("page", doc.QuerySelector("a.nav-link.active")!.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task Links_are_in_chinese_for_zh_CN()
    {
        var doc = await RenderAsync(UserWith(Roles.Admin), culture: "zh-CN");
        var texts = doc.QuerySelectorAll("a.nav-link span").Select(s => s.TextContent).ToArray();
        Assert.Equal(["工作台", "我的申请", "待办", "印章", "用印管理制度", "培训", "代理人", "用印台账", "审计日志", "文档验证", "定期检查", "培训完成情况", "制度确认", "数据分析", "用户", "部门", "新建印章", "审批模板", "流程测试", "授权范围", "修改密码"], texts);
    }
}
