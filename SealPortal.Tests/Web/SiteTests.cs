using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Web;

public class SiteTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task Health_is_anonymous_and_reports_the_database()
    {
        using var client = portal.CreatePortalClient();
        var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_page_shows_the_not_found_page_with_404()
    {
        using var client = await portal.SignInAsync("applicant");
        var response = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await PortalClient.ParseAsync(response);
        Assert.Equal("页面不存在", page.TextOf("h1"));
        // In the plain account layout, whose bar leads back to the portal and names the signed-in user.
        Assert.NotNull(page.QuerySelector(".account-shell a.account-brand[href='/']"));
        Assert.Equal("applicant", page.TextOf("[data-testid=account-user]"));
    }

    // The seal list's localized rows: SealRegistryPageTests.The_list_pages_sorts_and_searches_in_the_database_and_a_new_seal_needs_a_name.

    [Fact]
    public async Task Language_choice_sets_the_cookie_and_is_remembered_on_the_user()
    {
        using var client = await portal.SignInAsync("reviewer");
        Assert.Equal("工作台", (await client.GetDocumentAsync("/")).TextOf("h1"));

        var switched = await client.SubmitFormAsync("/seals", "form[action='/account/culture']", new Dictionary<string, object> { ["culture"] = "en" });
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/seals", switched.LocalTarget());
        Assert.Contains(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith(CookieRequestCultureProvider.DefaultCookieName + "=c%3Den"));
        Assert.Equal("Dashboard", (await client.GetDocumentAsync("/")).TextOf("h1"));

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            Assert.Equal("en", await db.Users.Where(u => u.UserName == "reviewer").Select(u => u.PreferredCulture).SingleAsync());
        }

        // Another browser: the sign-in restores the user's language.
        using var other = await portal.SignInAsync("reviewer");
        Assert.Equal("Dashboard", (await other.GetDocumentAsync("/")).TextOf("h1"));
    }

    [Fact]
    public async Task Dates_follow_the_culture()
    {
        using var client = await portal.SignInAsync("executive");
        var zh = (await client.GetDocumentAsync("/")).TextOf("[data-testid=today]");
        Assert.Matches(@"^\d{4}年\d{1,2}月\d{1,2}日", zh);
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var en = (await client.GetDocumentAsync("/")).TextOf("[data-testid=today]");
        Assert.Matches(@"^[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, \d{4}$", en);
    }

    [Fact]
    public async Task A_restarted_portal_accepts_the_sign_in_cookie_of_the_first()
    {
        var login = await new PortalClient(portal.CreateClient(new() { AllowAutoRedirect = false })).SignInAsync("depthead", SealPortalFactory.DemoPassword);
        var authCookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("SealPortal.Auth=")).Split(';')[0];

        await using var restarted = SealPortalFactory.Restart(portal);
        using var client = restarted.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", authCookie);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("王芳 Wang Fang", (await PortalClient.ParseAsync(response)).TextOf("[data-testid=welcome]"));

        var forged = new HttpRequestMessage(HttpMethod.Get, "/");
        forged.Headers.Add("Cookie", authCookie[..^8] + "AAAAAAAA");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task Unsupported_language_is_refused()
    {
        using var client = await portal.SignInAsync("auditor");
        var response = await client.SubmitFormAsync("/", "form[action='/account/culture']", new Dictionary<string, object> { ["culture"] = "fr" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Second_start_does_not_seed_again_and_keys_are_in_the_database()
    {
        // The demo company is seeded once: departments are unique and a second start must not fail.
        await using var scope = portal.Services.CreateAsyncScope();
        var init = scope.ServiceProvider.GetRequiredService<DatabaseInitializer>();
        await init.RunAsync(CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        Assert.Equal(DatabaseInitializer.DemoDepartments.Count, await db.Departments.CountAsync(d => DatabaseInitializer.DemoDepartments.Contains(d.Name)));
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.Single(await users.GetUsersInRoleAsync(Roles.Admin), u => u.UserName == "admin");
    }
}
