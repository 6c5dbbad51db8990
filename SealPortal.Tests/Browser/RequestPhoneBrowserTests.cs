using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Features.Requests;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Browser;

/// <summary>
/// An approver on a phone (390 × 844, touch): reads the request and decides with no horizontal scroll,
/// the action bar staying at the bottom of the screen while the page scrolls.
/// </summary>
public sealed class RequestPhoneBrowserTests(EndToEndFixture fixture) : IClassFixture<EndToEndFixture>
{
    private const int Width = 390;
    private const int Height = 844;

    [Fact]
    public async Task On_a_phone_the_stacked_grid_shows_every_value_on_the_screen()
    {
        await SubmittedAsync();
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await SealPlacementBrowserTests.SignInAsync(page, "depthead");
        // The drawer is a hamburger menu on a phone: a link in it routes in the circuit and the menu closes again.
        await page.WaitForSelectorAsync("[data-interactive=true]");
        var drawer = page.Locator("[data-testid=nav-drawer]");
        await page.ClickAsync("[data-testid=nav-toggle]");
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await page.ClickAsync("[data-testid=nav-inbox]");
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
        await Assertions.Expect(page.Locator("[data-testid=nav-inbox]")).ToHaveAttributeAsync("aria-current", "page");
        // The inbox's grid has a horizontal scrollbar on wide screens; on a phone its cells stack, label beside value.
        Assert.EndsWith("/inbox", page.Url, StringComparison.Ordinal);
        await page.WaitForSelectorAsync("[data-interactive=true] .mud-table-body td[data-label]");
        var rightmost = await page.EvaluateAsync<double>(
            "() => Math.max(...[...document.querySelectorAll('.mud-table-body td[data-label] > *')].map(e => e.getBoundingClientRect().right))");
        Assert.InRange(rightmost, 1, Width);
        Assert.Equal(Width, await ScrollWidthAsync(page));
    }

    [Fact]
    public async Task An_approver_on_a_phone_reviews_and_approves_with_no_horizontal_scroll_and_a_sticky_action_bar()
    {
        var id = await SubmittedAsync();
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await SealPlacementBrowserTests.SignInAsync(page, "depthead");

        await page.GotoAsync($"/requests/{id}?from=inbox");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await page.WaitForSelectorAsync("[data-pdf-viewer] .pdf-page[data-page-number='1'][data-rendered=true]");
        await Chromium.ScreenshotAsync(page, "request-phone-review");
        Assert.Equal(Width, await ScrollWidthAsync(page));

        // The bar is in view at the bottom of the screen at the top of the page and after scrolling to its end.
        var bar = page.Locator("[data-testid=action-bar]");
        Assert.Equal("sticky", await bar.EvaluateAsync<string>("e => getComputedStyle(e).position"));
        await AssertAtBottomAsync(bar);
        await page.EvaluateAsync("() => window.scrollTo(0, document.documentElement.scrollHeight / 2)");
        await AssertAtBottomAsync(bar);
        Assert.True(await page.EvaluateAsync<bool>("() => window.scrollY > 0"), "the page is longer than the screen, so it scrolled");
        Assert.Equal(Width, await ScrollWidthAsync(page));

        await page.ClickAsync("[data-testid=action-bar] [data-testid=approve]");
        await page.FillAsync("textarea[data-testid=decision-comment], [data-testid=decision-comment] textarea", "手机上同意");
        Assert.Equal(Width, await ScrollWidthAsync(page));
        await page.ClickAsync("[data-testid=decision-confirm]");
        await page.WaitForSelectorAsync("[data-testid=after-decision]");
        await Chromium.ScreenshotAsync(page, "request-phone-approved");
        Assert.Equal(Width, await ScrollWidthAsync(page));

        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var state = RequestWorkflowStore.Deserialize(db.SealRequests.Where(r => r.Id == id).Select(r => r.WorkflowStateJson).Single()!);
        var decision = Assert.Single(state.Decisions);
        Assert.Equal((DecisionKind.Approve, "手机上同意"), (decision.Kind, decision.Comment));
    }

    private static async Task<int> ScrollWidthAsync(IPage page) =>
        await page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)");

    private static async Task AssertAtBottomAsync(ILocator bar)
    {
        var box = (await bar.BoundingBoxAsync())!;
        Assert.True(box.Y + box.Height <= Height + 1 && box.Y + box.Height >= Height - 2, $"action bar at {box.Y}..{box.Y + box.Height} of {Height}");
        Assert.True(box.Width <= Width, $"action bar {box.Width} wide");
    }

    private async Task<int> SubmittedAsync()
    {
        var services = fixture.Portal.Services;
        var id = await RequestSeeding.DraftAsync(services, ["公司公章"], ("letter.pdf", PdfTestKit.ClassicPdf(3)));
        using var scope = services.CreateScope();
        var submitted = await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(id, await RequestSeeding.UserIdAsync(services, "applicant"));
        Assert.True(submitted.Succeeded, submitted.Message);
        return id;
    }
}
