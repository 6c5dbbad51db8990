using System.Globalization;
using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using SealPortal.Components.Layout;
using SealPortal.Data;

namespace SealPortal.Tests.Components;

/// <summary>The navigation (NavMenu.Items drawn by PortalNav in the drawer), rendered with bUnit per role.</summary>
public sealed class NavMenuTests : IAsyncDisposable
{
    private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;
    private readonly BunitContext _context = new();

    public NavMenuTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddLocalization();
        _context.Services.AddMudServices();
    }

    private IRenderedComponent<PortalNav> Render(ClaimsPrincipal user, string path = "/", string culture = "en")
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        _context.Services.GetRequiredService<NavigationManager>().NavigateTo(path);
        return _context.Render<PortalNav>(p => p.Add(n => n.User, user));
    }

    private static ClaimsPrincipal UserWith(params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone"), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

    private static string[] Links(IRenderedComponent<PortalNav> nav) =>
        nav.FindAll("a.mud-nav-link").Select(a => a.GetAttribute("href")!).ToArray();

    private static string[] Sections(IRenderedComponent<PortalNav> nav) =>
        nav.FindAll(".portal-nav-section").Select(s => s.TextContent.Trim()).ToArray();

    [Fact]
    public void Admin_sees_the_administration_links()
    {
        var nav = Render(UserWith(Roles.Admin));
        Assert.Equal(["/", "/requests", "/inbox", "/seals", "/rules", "/training", "/delegations", "/ledger", "/audit-trail", "/verify", "/audits", "/training/completion", "/cases", "/rules/acknowledgements", "/assessment", "/dashboard/analytics", "/admin/users", "/admin/departments", "/seals/new", "/admin/workflows", "/admin/workflows/tests", "/admin/authorizations", "/account/password"], Links(nav));
        Assert.Contains("Administration", Sections(nav));
    }

    [Theory]
    [InlineData(Roles.Applicant, "/requests", "")]
    [InlineData(Roles.DepartmentHead, "/requests /inbox", "/training/completion /cases /rules/acknowledgements /assessment")]
    [InlineData(Roles.Reviewer, "/requests /inbox", "")]
    [InlineData(Roles.Executive, "/requests /inbox", "/cases /assessment /dashboard/analytics")]
    [InlineData(Roles.SealKeeper, "/requests /inbox", "/ledger /verify")]
    [InlineData(Roles.Auditor, "", "/ledger /audit-trail /verify /audits /training/completion /cases /rules/acknowledgements /assessment /dashboard/analytics")]
    public void Other_roles_see_no_administration_links(string role, string requestLinks, string auditLinks)
    {
        var nav = Render(UserWith(role));
        // Approvers (those with an inbox) may also name a deputy.
        string[] deputies = requestLinks.Contains("/inbox") ? ["/delegations"] : [];
        Assert.Equal(["/", .. requestLinks.Split(' ', StringSplitOptions.RemoveEmptyEntries), "/seals", "/rules", "/training", .. deputies,
            .. auditLinks.Split(' ', StringSplitOptions.RemoveEmptyEntries), "/account/password"], Links(nav));
        Assert.DoesNotContain("Administration", Sections(nav));
    }

    [Fact]
    public void Anonymous_user_gets_no_links()
    {
        var nav = Render(new ClaimsPrincipal(new ClaimsIdentity()));
        Assert.Empty(Links(nav));
        Assert.Empty(Sections(nav));
    }

    [Fact]
    public void Current_page_is_marked_active_including_sub_pages()
    {
        var nav = Render(UserWith(Roles.Admin), "/admin/users/abc");
        var active = nav.FindAll("a.mud-nav-link.active").Select(a => a.GetAttribute("href") ?? "").ToArray();
        Assert.Equal(["/admin/users"], active);
    }

    [Fact]
    public void Change_password_is_a_link_and_sign_out_a_form_post()
    {
        var nav = Render(UserWith(Roles.Applicant));
        Assert.Equal("/account/password", nav.Find("[data-testid=nav-account-password]").GetAttribute("href"));
        Assert.NotNull(nav.Find("form[action='/account/logout'] button[type=submit]"));
    }

    [Fact]
    public void Links_are_in_chinese_for_zh_CN()
    {
        var nav = Render(UserWith(Roles.Admin), culture: "zh-CN");
        var texts = nav.FindAll("a.mud-nav-link .mud-nav-link-text").Select(s => s.TextContent.Trim()).ToArray();
        Assert.Equal(["工作台", "我的申请", "待办", "印章", "用印管理制度", "培训", "代理人", "用印台账", "审计日志", "文档验证", "定期检查", "培训完成情况", "违规案件", "制度确认", "责任考核", "数据分析", "用户", "部门", "新建印章", "审批模板", "流程测试", "授权范围", "修改密码"], texts);
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        CultureInfo.CurrentUICulture = _previous;
    }
}
