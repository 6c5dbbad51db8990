using System.Globalization;
using System.Net;
using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SealPortal.Data;
using SealPortal.Features.Admin;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Admin;

/// <summary>
/// The administration pages: who may open them (HTTP), and what an administrator does in them
/// (bUnit over a real portal: the forms, dialogs and snackbars of the circuit).
/// </summary>
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
        Assert.NotNull((await PortalClient.ParseAsync(denied)).QuerySelector("[data-testid=account-card] [data-testid=access-denied] h1"));
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
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var legal = await DepartmentIdAsync("法务部");
        var password = await CreateAsync(ui, "newlawyer", "周律师", legal, [Roles.Reviewer, Roles.Auditor]);

        using (var lawyer = await portal.SignInAsync("newlawyer", password))
        {
            var dashboard = await lawyer.GetDocumentAsync("/");
            Assert.Contains("周律师", dashboard.TextOf("[data-testid=welcome]"));
        }

        var row = await UserRowAsync(ui, "newlawyer");
        Assert.Contains("法务部", row.TextContent);
        Assert.NotNull(row.QuerySelector("[data-status=active]"));
        var id = row.QuerySelector("a[data-user]")!.GetAttribute("href")!.Split('/')[^1];

        var (root, edit) = ui.RenderWithDialogs<UserEdit>(new Dictionary<string, object?> { ["Id"] = id });
        edit.WaitForElement("[data-testid=lock]");
        await ConfirmAsync(root, edit, "[data-testid=lock]", "Lock");
        edit.WaitForElement("[data-testid=unlock]");
        Assert.Contains("The user is locked and cannot sign in.", ui.Snackbars);
        using var again = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await again.SignInAsync("newlawyer", password)).StatusCode);

        await ConfirmAsync(root, edit, "[data-testid=unlock]", "Unlock");
        edit.WaitForElement("[data-testid=lock]");
        Assert.Contains("The user can sign in again.", ui.Snackbars);
        var asking = edit.ClickFreshAsync("[data-testid=reset-password]");
        var reset = root.WaitForElements(".mud-dialog button").Single(b => b.TextContent.Trim() == "Reset password");
        var resetting = reset.ClickAsync(new());
        var newPassword = root.WaitForElement("[data-testid=new-password]").TextContent.Trim();
        await root.ClickFreshAsync("[data-testid=secret-ok]");
        await resetting.WaitAsync(TimeSpan.FromSeconds(10));
        await asking.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(password, newPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync("newlawyer", newPassword)).StatusCode);
    }

    [Fact]
    public async Task Admin_edits_roles_and_the_user_gains_admin_pages_and_loses_their_sessions()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var password = await CreateAsync(ui, "promoted", "Promoted", 1, [Roles.Applicant]);
        using var user = await portal.SignInAsync("promoted", password);
        Assert.Equal(HttpStatusCode.Redirect, (await user.GetAsync("/admin/users")).StatusCode);

        var (_, edit) = ui.RenderWithDialogs<UserEdit>(new Dictionary<string, object?> { ["Id"] = await UserIdAsync("promoted") });
        edit.WaitForElement("[data-testid=save]");
        await SetRoleAsync(edit, Roles.Admin, true);
        await edit.ClickFreshAsync("[data-testid=save]");
        Assert.Contains("Saved.", ui.Snackbars);
        // The form does not stay: back to the list.
        Assert.EndsWith("/admin/users", ui.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri);

        // The session opened with the old roles ended with the change.
        Assert.NotEqual(HttpStatusCode.OK, (await user.GetAsync("/")).StatusCode);
        using var relogged = await portal.SignInAsync("promoted", password);
        Assert.Equal(HttpStatusCode.OK, (await relogged.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task Admin_cannot_lock_out_or_demote_themselves()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        var (root, edit) = ui.RenderWithDialogs<UserEdit>(new Dictionary<string, object?> { ["Id"] = await UserIdAsync("admin") });
        edit.WaitForElement("[data-testid=lock]");

        await ConfirmAsync(root, edit, "[data-testid=lock]", "锁定");
        edit.WaitForAssertion(() => Assert.Contains("不能锁定自己的账户。", ui.Snackbars));
        Assert.NotNull(edit.Find("[data-testid=lock]"));

        await SetRoleAsync(edit, Roles.Admin, false);
        await SetRoleAsync(edit, Roles.Auditor, true);
        await edit.ClickFreshAsync("[data-testid=save]");
        Assert.Contains("不能移除自己的管理员角色。", ui.Snackbars);

        using var admin = await portal.SignInAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
        var roles = await RolesOfAsync("admin");
        Assert.Contains(Roles.Admin, roles);
        Assert.DoesNotContain(Roles.Auditor, roles);
    }

    [Fact]
    public async Task Creating_a_user_without_a_role_or_a_name_is_refused_with_a_message()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var (_, create) = ui.RenderWithDialogs<UserCreate>();
        await TypeAsync(create, "User name", "noroles");
        await TypeAsync(create, "Display name", "No Roles");
        await create.InvokeAsync(() => create.FindComponent<MudSelect<int>>().Instance.ValueChanged.InvokeAsync(1));
        await SetRoleAsync(create, Roles.Applicant, false);
        await create.ClickFreshAsync("[data-testid=create]");
        create.WaitForAssertion(() => Assert.Contains("Choose at least one role.", ui.Snackbars));

        var (_, nameless) = ui.RenderWithDialogs<UserCreate>();
        await nameless.ClickFreshAsync("[data-testid=create]");
        nameless.WaitForAssertion(() => Assert.Contains("Fill in the marked fields.", ui.Snackbars));
        Assert.Contains("Enter a user name.", nameless.Markup);

        Assert.Null(await UserIdOrNullAsync("noroles"));
    }

    [Fact]
    public async Task Admin_creates_and_renames_a_department()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var (root, page) = ui.RenderWithDialogs<Departments>();
        InteractiveLists.WaitUntilLoaded(page);

        await NameAsync(root, page, "[data-testid=new-department]", "采购部");
        page.WaitForAssertion(() => Assert.Contains("采购部", page.Find("[data-testid=department-table]").TextContent));
        Assert.Contains("Department created.", ui.Snackbars);

        await NameAsync(root, page, "[data-testid=new-department]", "采购部");
        page.WaitForAssertion(() => Assert.Contains("A department with this name already exists.", ui.Snackbars));
        Assert.Equal(1, await DepartmentCountAsync("采购部"));

        var id = await DepartmentIdAsync("采购部");
        await NameAsync(root, page, $"[data-testid=rename-{id}]", "采购与供应链部");
        page.WaitForAssertion(() => Assert.Contains("采购与供应链部", page.Find("[data-testid=department-table]").TextContent));
        Assert.Contains("Department renamed.", ui.Snackbars);
        Assert.Equal(0, await DepartmentCountAsync("采购部"));
    }

    [Theory]
    [InlineData("applicant")]
    [InlineData("auditor")]
    public async Task A_non_admin_in_a_circuit_gets_no_users_and_can_change_nothing(string userName)
    {
        // The router refuses these pages to them (above); the pages themselves read and do nothing for them either.
        await using var ui = await PortalComponents.SignedInAsync(portal, userName);
        var (_, users) = ui.RenderWithDialogs<Users>();
        InteractiveLists.WaitUntilLoaded(users);
        Assert.Empty(users.FindAll("a[data-user]"));
        Assert.Equal("0", users.Find("[data-testid=grid-state]").GetAttribute("data-total"));

        var (root, departments) = ui.RenderWithDialogs<Departments>();
        InteractiveLists.WaitUntilLoaded(departments);
        Assert.Empty(departments.FindAll("[data-department]"));
        await NameAsync(root, departments, "[data-testid=new-department]", "越权部门" + userName);
        departments.WaitForAssertion(() => Assert.Contains("Only administrators may do this.", ui.Snackbars));
        Assert.Equal(0, await DepartmentCountAsync("越权部门" + userName));

        var (_, edit) = ui.RenderWithDialogs<UserEdit>(new Dictionary<string, object?> { ["Id"] = await UserIdAsync("keeper") });
        edit.WaitForElement("[data-testid=no-user]");
        Assert.Empty(edit.FindAll("[data-testid=lock]"));
    }

    [Fact]
    public async Task An_admin_demoted_elsewhere_can_do_nothing_more_in_an_open_page()
    {
        await using var admin = await PortalComponents.SignedInAsync(portal, "admin");
        var password = await CreateAsync(admin, "briefadmin", "Brief Admin", 1, [Roles.Admin]);
        _ = password;
        await using var ui = await PortalComponents.SignedInAsync(portal, "briefadmin");
        var (root, edit) = ui.RenderWithDialogs<UserEdit>(new Dictionary<string, object?> { ["Id"] = await UserIdAsync("keeper") });
        edit.WaitForElement("[data-testid=lock]");

        // Another administrator takes the role away while the page is open.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var id = await UserIdAsync("briefadmin");
            Assert.True((await users.UpdateAsync(id, "Brief Admin", 1, [Roles.Applicant], "admin")).Succeeded);
        }
        await ConfirmAsync(root, edit, "[data-testid=lock]", "Lock");
        edit.WaitForAssertion(() => Assert.True(ui.Snackbars.Contains("Your session has ended. Sign in again.") || ui.Snackbars.Contains("Only administrators may do this.")));
        using var keeper = await portal.SignInAsync("keeper");
        Assert.Equal(HttpStatusCode.OK, (await keeper.GetAsync("/")).StatusCode);
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Creates a user on the interactive page and returns the initial password its dialog shows once.</summary>
    private async Task<string> CreateAsync(PortalComponents ui, string userName, string displayName, int departmentId, string[] roles)
    {
        var (root, create) = ui.RenderWithDialogs<UserCreate>();
        create.WaitForAssertion(() => Assert.NotEmpty(create.FindComponents<MudSelect<int>>()));
        await TypeAsync(create, "User name", userName);
        await TypeAsync(create, "Display name", displayName);
        await create.InvokeAsync(() => create.FindComponent<MudSelect<int>>().Instance.ValueChanged.InvokeAsync(departmentId));
        foreach (var role in Roles.All)
            await SetRoleAsync(create, role, roles.Contains(role));
        var click = create.ClickFreshAsync("[data-testid=create]");
        var password = root.WaitForElement("[data-testid=initial-password]").TextContent.Trim();
        Assert.Contains(userName, root.Find("[data-testid=secret-dialog]").TextContent);
        await root.ClickFreshAsync("[data-testid=secret-ok]");
        await click.WaitAsync(TimeSpan.FromSeconds(10));
        root.WaitForAssertion(() => Assert.Empty(root.FindAll("[data-testid=secret-dialog]")));
        Assert.EndsWith("/admin/users", ui.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri);
        return password;
    }

    private static async Task<AngleSharp.Dom.IElement> UserRowAsync(PortalComponents ui, string userName)
    {
        var (_, users) = ui.RenderWithDialogs<Users>();
        InteractiveLists.WaitUntilLoaded(users);
        var loads = InteractiveLists.Loads(users);
        await users.InvokeAsync(() => users.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync(userName));
        InteractiveLists.WaitUntilLoaded(users, loads + 1);
        return users.FindAll("[data-testid=user-table] tbody tr").Single(r => r.QuerySelector($"a[data-user='{userName}']") is not null);
    }

    private static Task TypeAsync<T>(IRenderedComponent<T> page, string label, string text) where T : class, Microsoft.AspNetCore.Components.IComponent =>
        page.InvokeAsync(() => page.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == label).Instance.ValueChanged.InvokeAsync(text));

    private static Task SetRoleAsync<T>(IRenderedComponent<T> page, string role, bool on) where T : class, Microsoft.AspNetCore.Components.IComponent =>
        page.InvokeAsync(() => page.FindComponents<MudCheckBox<bool>>()
            .Single(c => c.Instance.UserAttributes.TryGetValue("data-role", out var r) && (string?)r == role).Instance.ValueChanged.InvokeAsync(on));

    /// <summary>Clicks the button, then the confirming button (its text) of the message box that opens.</summary>
    private static async Task ConfirmAsync<T>(IRenderedComponent<ContainerFragment> root, IRenderedComponent<T> page, string button, string yes)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        // The click's handler waits for the answer, so its task ends after the confirmation.
        var click = page.ClickFreshAsync(button);
        var confirm = root.WaitForElements(".mud-dialog button").Single(b => b.TextContent.Trim() == yes);
        await confirm.ClickAsync(new());
        await click.WaitAsync(TimeSpan.FromSeconds(10));
        root.WaitForAssertion(() => Assert.Empty(root.FindAll(".mud-dialog")));
    }

    /// <summary>Opens the name dialog with the button, types the name and confirms.</summary>
    private static async Task NameAsync<T>(IRenderedComponent<ContainerFragment> root, IRenderedComponent<T> page, string button, string name)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var click = page.ClickFreshAsync(button);
        root.WaitForElement("[data-testid=name-dialog]");
        var field = root.FindComponent<NameDialog>().FindComponent<MudTextField<string>>();
        await root.InvokeAsync(() => field.Instance.ValueChanged.InvokeAsync(name));
        await root.ClickFreshAsync("[data-testid=name-confirm]");
        await click.WaitAsync(TimeSpan.FromSeconds(10));
        root.WaitForAssertion(() => Assert.Empty(root.FindAll("[data-testid=name-dialog]")));
    }

    private async Task<int> DepartmentIdAsync(string name)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Departments.Where(d => d.Name == name).Select(d => d.Id).SingleAsync();
    }

    private async Task<int> DepartmentCountAsync(string name)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Departments.CountAsync(d => d.Name == name);
    }

    private async Task<string?> UserIdOrNullAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(userName))?.Id;
    }

    private async Task<string> UserIdAsync(string userName) => await UserIdOrNullAsync(userName) ?? throw new InvalidOperationException($"no user {userName}");

    private async Task<IList<string>> RolesOfAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetRolesAsync((await users.FindByNameAsync(userName))!);
    }
}
