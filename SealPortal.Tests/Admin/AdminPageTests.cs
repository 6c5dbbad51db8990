using System.Net;
using AngleSharp.Html.Dom;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Admin;

public class AdminPageTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Theory]
    [InlineData("applicant", "/admin/users")]
    [InlineData("depthead", "/admin/departments")]
    [InlineData("auditor", "/admin/users/new")]
    [InlineData("keeper", "/admin/users")]
    public async Task Other_roles_get_access_denied(string userName, string url)
    {
        using var client = await portal.SignInAsync(userName);
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);

        var denied = await client.GetAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.NotNull((await PortalClient.ParseAsync(denied)).QuerySelector(".bi-shield-lock"));
    }

    [Fact]
    public async Task Admin_links_appear_only_for_the_admin()
    {
        using var admin = await portal.SignInAsync("admin");
        using var applicant = await portal.SignInAsync("applicant");
        Assert.NotNull((await admin.GetDocumentAsync("/")).QuerySelector("nav a[href='/admin/users']"));
        Assert.Null((await applicant.GetDocumentAsync("/")).QuerySelector("nav a[href='/admin/users']"));
    }

    [Fact]
    public async Task Admin_creates_a_user_who_can_then_sign_in_and_can_be_locked()
    {
        using var admin = await portal.SignInAsync("admin");
        var form = await admin.GetDocumentAsync("/admin/users/new");
        var legal = form.QuerySelectorAll("#department option").First(o => o.TextContent == "法务部").GetAttribute("value")!;

        var created = await admin.SubmitNamedFormAsync("/admin/users/new", "create-user", new Dictionary<string, object>
        {
            ["Input.UserName"] = "newlawyer",
            ["Input.DisplayName"] = "周律师",
            ["Input.DepartmentId"] = legal,
            ["role"] = new[] { "Reviewer", "Auditor" },
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var password = (await PortalClient.ParseAsync(created)).TextOf("[data-testid=initial-password]");

        using (var lawyer = await portal.SignInAsync("newlawyer", password))
        {
            var dashboard = await lawyer.GetDocumentAsync("/");
            Assert.Contains("周律师", dashboard.TextOf("[data-testid=welcome]"));
        }

        var list = await admin.GetDocumentAsync("/admin/users");
        var row = list.QuerySelectorAll("[data-testid=user-table] tbody tr").Single(r => r.TextContent.Contains("newlawyer"));
        Assert.Contains("法务部", row.TextContent);
        var editUrl = row.QuerySelector("a")!.GetAttribute("href")!;

        var locked = await admin.SubmitNamedFormAsync(editUrl, "lock", new Dictionary<string, object>());
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        using var again = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await again.SignInAsync("newlawyer", password)).StatusCode);

        await admin.SubmitNamedFormAsync(editUrl, "lock", new Dictionary<string, object>());
        var reset = await admin.SubmitNamedFormAsync(editUrl, "reset-password", new Dictionary<string, object>());
        var newPassword = (await PortalClient.ParseAsync(reset)).TextOf("[data-testid=new-password]");
        Assert.NotEqual(password, newPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync("newlawyer", newPassword)).StatusCode);
    }

    [Fact]
    public async Task Admin_edits_roles_and_the_user_gains_admin_pages()
    {
        using var admin = await portal.SignInAsync("admin");
        var created = await admin.SubmitNamedFormAsync("/admin/users/new", "create-user", new Dictionary<string, object>
        {
            ["Input.UserName"] = "promoted",
            ["Input.DisplayName"] = "Promoted",
            ["Input.DepartmentId"] = "1",
            ["role"] = new[] { "Applicant" },
        });
        var password = (await PortalClient.ParseAsync(created)).TextOf("[data-testid=initial-password]");
        using var user = await portal.SignInAsync("promoted", password);
        Assert.Equal(HttpStatusCode.Redirect, (await user.GetAsync("/admin/users")).StatusCode);

        var list = await admin.GetDocumentAsync("/admin/users");
        var editUrl = list.QuerySelectorAll("[data-testid=user-table] tbody tr").Single(r => r.TextContent.Contains("promoted")).QuerySelector("a")!.GetAttribute("href")!;
        var saved = await admin.SubmitNamedFormAsync(editUrl, "edit-user", new Dictionary<string, object> { ["role"] = new[] { "Applicant", "Admin" } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.NotNull((await PortalClient.ParseAsync(saved)).QuerySelector("[data-testid=message]"));

        using var relogged = await portal.SignInAsync("promoted", password);
        Assert.Equal(HttpStatusCode.OK, (await relogged.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task Admin_cannot_lock_out_or_demote_themselves()
    {
        using var admin = await portal.SignInAsync("admin");
        var list = await admin.GetDocumentAsync("/admin/users");
        var editUrl = list.QuerySelectorAll("[data-testid=user-table] tbody tr")
            .Single(r => r.QuerySelector("td")!.TextContent == "admin").QuerySelector("a")!.GetAttribute("href")!;

        var locked = await admin.SubmitNamedFormAsync(editUrl, "lock", new Dictionary<string, object>());
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Equal("不能锁定自己的账户。", (await PortalClient.ParseAsync(locked)).TextOf(".alert-danger"));

        var demoted = await admin.SubmitNamedFormAsync(editUrl, "edit-user", new Dictionary<string, object> { ["role"] = new[] { "Auditor" } });
        Assert.Equal(HttpStatusCode.BadRequest, demoted.StatusCode);
        Assert.Equal("不能移除自己的管理员角色。", (await PortalClient.ParseAsync(demoted)).TextOf(".alert-danger"));

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task Creating_a_user_without_a_role_is_refused_with_a_message()
    {
        using var admin = await portal.SignInAsync("admin");
        var response = await admin.SubmitNamedFormAsync("/admin/users/new", "create-user", new Dictionary<string, object>
        {
            ["Input.UserName"] = "noroles",
            ["Input.DisplayName"] = "No Roles",
            ["Input.DepartmentId"] = "1",
            ["role"] = Array.Empty<string>(),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await PortalClient.ParseAsync(response)).QuerySelector(".alert-danger"));
        Assert.DoesNotContain("noroles", (await admin.GetDocumentAsync("/admin/users")).TextOf("[data-testid=user-table]"));
    }

    [Fact]
    public async Task Admin_creates_and_renames_a_department()
    {
        using var admin = await portal.SignInAsync("admin");
        var created = await admin.SubmitNamedFormAsync("/admin/departments", "create-department", new Dictionary<string, object> { ["name"] = "采购部" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("采购部", (await PortalClient.ParseAsync(created)).TextOf("[data-testid=department-table]"));

        var duplicate = await admin.SubmitNamedFormAsync("/admin/departments", "create-department", new Dictionary<string, object> { ["name"] = "采购部" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);

        var renamed = await admin.SubmitFormAsync("/admin/departments",
            page => page.QuerySelectorAll("form").OfType<IHtmlFormElement>().Single(f =>
                (f.QuerySelector("input[name=_handler]") as IHtmlInputElement)?.Value.StartsWith("rename-") == true &&
                (f.QuerySelector("input[name=name]") as IHtmlInputElement)?.Value == "采购部"),
            new Dictionary<string, object> { ["name"] = "采购与供应链部" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var table = (await admin.GetDocumentAsync("/admin/departments")).QuerySelectorAll("[data-testid=department-table] input[name=name]")
            .Cast<IHtmlInputElement>().Select(i => i.Value).ToList();
        Assert.Contains("采购与供应链部", table);
        Assert.DoesNotContain("采购部", table);
    }
}
