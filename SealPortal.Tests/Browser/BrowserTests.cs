using Microsoft.Playwright;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Browser;

/// <summary>The portal on a real Kestrel socket, driven by Debian's Chromium through Playwright.</summary>
public sealed class BrowserTests(BrowserFixture<SealPortalFactory> fixture) : IClassFixture<BrowserFixture<SealPortalFactory>>
{
    private readonly IBrowser _browser = fixture.Browser;
    private readonly Uri _baseAddress = fixture.BaseAddress;

    [Fact]
    public async Task Sign_in_see_the_dashboard_and_switch_to_chinese()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _baseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        Assert.EndsWith("/account/login?ReturnUrl=%2F", page.Url);
        Assert.Equal("Sign in", await page.Locator("h1").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "login");

        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", SealPortalFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new Uri(_baseAddress, "/").ToString());

        Assert.Equal("Dashboard", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("赵敏 Zhao Min", await page.Locator("[data-testid=welcome]").InnerTextAsync());
        Assert.True(await page.Locator("nav a[href='/admin/users']").IsVisibleAsync());
        // MudBlazor's stylesheet and the portal's theme reached the browser: the app bar is the company's red.
        await Assertions.Expect(page.Locator("header.mud-appbar")).ToHaveCSSAsync("background-color", "rgb(200, 16, 46)");
        // The page is live over its circuit: the menu button closes the drawer without a page load.
        await page.WaitForSelectorAsync("[data-interactive=true]");
        var drawer = page.Locator("[data-testid=nav-drawer]");
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await page.ClickAsync("[data-testid=nav-toggle]");
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
        await page.ClickAsync("[data-testid=nav-toggle]");
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await Chromium.ScreenshotAsync(page, "dashboard-en");

        await page.ClickAsync("[data-testid=language-switch] button:has-text('中文')");
        await page.WaitForSelectorAsync("h1:has-text('工作台')");
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("印章", (await page.Locator("nav a[href='/seals']").InnerTextAsync()).Trim());
        await Chromium.ScreenshotAsync(page, "dashboard-zh");

        await page.ClickAsync("nav a[href='/seals']");
        await page.WaitForSelectorAsync("h1:has-text('印章')");
        // The grid reads its rows from the server after the page is interactive. The switch reloaded the page, so
        // the click may have landed before its circuit started (the browser or Blazor's enhanced navigation then
        // fetched the prerendered /seals, heading and all), and the rows come only once a circuit runs the page:
        // wait for that as every other step does, not within the 5 s of an expectation that starts at the heading.
        // (With the circuit's start held back 4 s the rows came 5.9 s after the heading, on the right page.)
        await page.WaitForSelectorAsync("[data-interactive=true] [data-testid=grid-state]:not([data-loads='0'])",
            new() { State = WaitForSelectorState.Attached });
        Assert.Equal("/seals", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("[data-testid=seal-table] td:has-text('合同专用章')").First).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "seals-zh");

        await page.GotoAsync("/admin/users");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await page.WaitForSelectorAsync("[data-testid=user-table] a[data-user=keeper]");
        await Chromium.ScreenshotAsync(page, "users-zh");
        await page.ClickAsync("[data-testid=user-table] a[data-user=keeper]");
        await page.WaitForSelectorAsync("h1:has-text('编辑用户')");
        // MudCheckBox puts the role's marker on its input or around it, depending on the version.
        var keeperRole = page.Locator(":is(input[data-role=SealKeeper], [data-role=SealKeeper] input)");
        await keeperRole.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.True(await keeperRole.IsCheckedAsync());
        await Chromium.ScreenshotAsync(page, "user-edit-zh");
        await page.GotoAsync("/admin/departments");
        await page.WaitForSelectorAsync("[data-testid=department-table] [data-department]");
        await Chromium.ScreenshotAsync(page, "departments-zh");
    }
}
