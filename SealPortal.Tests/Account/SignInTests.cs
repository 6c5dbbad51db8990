using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Account;

public class SignInTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/seals")]
    [InlineData("/admin/users")]
    [InlineData("/account/password")]
    [InlineData("/no-such-page")]
    public async Task Anonymous_user_is_sent_to_the_login_page(string url)
    {
        using var client = portal.CreatePortalClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(url), response.Headers.Location!.Query);
    }

    [Theory]
    [InlineData("applicant", "张伟 Zhang Wei")]
    [InlineData("depthead", "王芳 Wang Fang")]
    [InlineData("reviewer", "李娜 Li Na")]
    [InlineData("executive", "刘强 Liu Qiang")]
    [InlineData("keeper", "陈静 Chen Jing")]
    [InlineData("auditor", "杨洋 Yang Yang")]
    [InlineData("admin", "赵敏 Zhao Min")]
    public async Task Each_demo_role_signs_in_and_sees_the_dashboard(string userName, string displayName)
    {
        using var client = await portal.SignInAsync(userName);
        var dashboard = await client.GetDocumentAsync("/");
        Assert.Contains(displayName, dashboard.TextOf("[data-testid=welcome]"));
        Assert.Equal(userName, dashboard.TextOf("[data-testid=user-menu]"));
    }

    [Fact]
    public async Task Sign_ins_and_failures_are_logged()
    {
        using (await portal.SignInAsync("executive"))
        {
        }
        using var client = portal.CreatePortalClient();
        await client.SignInAsync("executive", "not-the-password");
        var messages = portal.Logs.Entries.Where(e => e.Category.StartsWith("SealPortal")).Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("User executive signed in"));
        Assert.Contains(messages, m => m.StartsWith("Failed sign-in for executive"));
    }

    [Fact]
    public async Task Sign_in_returns_to_the_page_asked_for()
    {
        using var client = portal.CreatePortalClient();
        var response = await client.SubmitNamedFormAsync("/account/login?ReturnUrl=%2Fseals", "login",
            new Dictionary<string, object> { ["Input.UserName"] = "keeper", ["Input.Password"] = SealPortalFactory.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/seals", response.LocalTarget());
    }

    [Fact]
    public async Task Sign_in_never_redirects_off_site()
    {
        using var client = portal.CreatePortalClient();
        var response = await client.SubmitNamedFormAsync("/account/login?ReturnUrl=%2F%2Fevil.example", "login",
            new Dictionary<string, object> { ["Input.UserName"] = "keeper", ["Input.Password"] = SealPortalFactory.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.LocalTarget());
    }

    [Fact]
    public async Task Wrong_password_shows_the_one_refusal_message()
    {
        using var client = portal.CreatePortalClient();
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var response = await client.SignInAsync("keeper", "wrong-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Sign-in failed: the user name or password is wrong, or the account is locked. Try again or ask an administrator.",
            (await PortalClient.ParseAsync(response)).TextOf("[data-testid=login-error]"));
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Empty_sign_in_form_says_what_is_missing_in_the_users_language()
    {
        using var client = portal.CreatePortalClient();
        var response = await client.SignInAsync("", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = (await PortalClient.ParseAsync(response)).QuerySelectorAll(".validation-message").Select(m => m.TextContent).ToList();
        Assert.Equal(["请输入用户名。", "请输入密码。"], messages);
    }

    [Fact]
    public async Task A_weak_new_password_is_refused_with_the_rules_it_breaks()
    {
        using var client = await portal.SignInAsync("depthead");
        var response = await client.SubmitNamedFormAsync("/account/password", "change-password", new Dictionary<string, object>
        {
            ["Input.CurrentPassword"] = SealPortalFactory.DemoPassword,
            ["Input.NewPassword"] = "alllowercase",
            ["Input.ConfirmPassword"] = "alllowercase",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await PortalClient.ParseAsync(response)).QuerySelectorAll(".account-notice-error").Select(m => m.TextContent).ToList();
        Assert.Contains("密码需要包含数字（0-9）。", errors);
        Assert.Contains("密码需要包含大写字母（A-Z）。", errors);
        using var again = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync("depthead", SealPortalFactory.DemoPassword)).StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var client = await portal.SignInAsync("auditor");
        var response = await client.SubmitFormAsync("/", "form[action='/account/logout']", new Dictionary<string, object>());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Changed_password_is_the_one_that_works()
    {
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.CreateAsync(new ApplicationUser { UserName = "changer", DisplayName = "Changer" }, SealPortalFactory.DemoPassword)).Succeeded);
        }
        using var client = await portal.SignInAsync("changer");
        var response = await client.SubmitNamedFormAsync("/account/password", "change-password", new Dictionary<string, object>
        {
            ["Input.CurrentPassword"] = SealPortalFactory.DemoPassword,
            ["Input.NewPassword"] = "Brand-New-Pass-7",
            ["Input.ConfirmPassword"] = "Brand-New-Pass-7",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await PortalClient.ParseAsync(response)).QuerySelector(".account-notice-success"));

        using var fresh = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await fresh.SignInAsync("changer", SealPortalFactory.DemoPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.SignInAsync("changer", "Brand-New-Pass-7")).StatusCode);
    }
}
