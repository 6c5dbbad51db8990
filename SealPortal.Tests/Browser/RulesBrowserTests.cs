using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SealPortal.Data;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Browser;

/// <summary>A portal of its own for the rules: a version published here would stop other classes' applicants.</summary>
public sealed class RulesBrowserPortal : SealPortalFactory;

/// <summary>The seal-management rules in Chromium: an administrator publishes a version, an applicant accepts it on the dashboard.</summary>
public sealed class RulesBrowserTests(BrowserFixture<RulesBrowserPortal> fixture) : IClassFixture<BrowserFixture<RulesBrowserPortal>>
{
    private async Task<IPage> SignInAsync(IBrowserContext context, string userName)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", SealPortalFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new Uri(fixture.BaseAddress, "/").ToString());
        return page;
    }

    private Task<IBrowserContext> NewContextAsync() => fixture.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = fixture.BaseAddress.ToString(),
        Locale = "en-US",
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
    });

    [Fact]
    public async Task An_administrator_publishes_the_rules_and_an_applicant_accepts_them_on_the_dashboard()
    {
        await using (var adminContext = await NewContextAsync())
        {
            var admin = await SignInAsync(adminContext, "admin");
            await admin.GotoAsync("/rules");
            await admin.WaitForSelectorAsync("[data-interactive=true]");
            await admin.ClickAsync("[data-testid=rules-publish]");
            await admin.WaitForSelectorAsync("[data-testid=rules-dialog]");
            await admin.FillAsync(":is(input[data-testid=rules-title-input], [data-testid=rules-title-input] input)", "浏览器发布的用印管理制度");
            await admin.FillAsync(":is(textarea[data-testid=rules-body-input], [data-testid=rules-body-input] textarea)", "一、先审批后用印。\n\n二、专人保管印章。");
            await admin.ClickAsync("[data-testid=rules-confirm]");
            await Assertions.Expect(admin.Locator("[data-testid=rules-current] [data-testid=rules-title]")).ToHaveTextAsync("浏览器发布的用印管理制度");
            await Chromium.ScreenshotAsync(admin, "rules-published");
        }

        await using var context = await NewContextAsync();
        var page = await SignInAsync(context, "applicant");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        var alert = page.Locator("[data-testid=rules-alert]");
        await Assertions.Expect(alert).ToContainTextAsync("浏览器发布的用印管理制度");
        await Assertions.Expect(page.Locator("[data-testid=rules-alert] .rules-paragraph")).ToHaveCountAsync(2);
        await Chromium.ScreenshotAsync(page, "rules-dashboard-alert");
        await page.ClickAsync("[data-testid=rules-accept]");
        await Assertions.Expect(alert).ToHaveCountAsync(0);

        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var applicant = await db.Users.Where(u => u.UserName == "applicant").Select(u => u.Id).SingleAsync();
        var current = await db.SealRules.OrderByDescending(r => r.Version).Select(r => r.Id).FirstAsync();
        Assert.True(await db.RuleAcknowledgements.AnyAsync(a => a.UserId == applicant && a.RulesVersionId == current));

        // The new-request page no longer asks.
        await page.GotoAsync("/requests/new");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=rules-alert]").CountAsync());
    }
}
