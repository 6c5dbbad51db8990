using System.Globalization;
using Microsoft.Playwright;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Browser;

public sealed class PlacementHarnessFixture : BrowserFixture<PlacementHarnessPortal>;

/// <summary>One portal and one Chromium for the placement tests, in the browser and as plain form posts.</summary>
[CollectionDefinition(Name)]
public sealed class PlacementCollection : ICollectionFixture<PlacementHarnessFixture>
{
    public const string Name = "placement";
}

/// <summary>
/// The PDF viewer and the seal placement editor in Chromium, on the test harness page (the
/// components rendered alone, with the portal's real static files and pdf.js).
/// </summary>
[Collection(PlacementCollection.Name)]
public sealed class SealPlacementBrowserTests(PlacementHarnessFixture fixture)
{
    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync(string pdf, bool javaScript = true)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            Locale = "en-US",
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.RequestFailed += (_, r) => errors.Add($"{r.Url}: {r.Failure}");
        await page.GotoAsync($"/test-harness/editor?pdf={pdf}");
        if (javaScript)
        {
            try
            {
                await page.WaitForSelectorAsync("[data-seal-placement][data-placement-state=ready]", new PageWaitForSelectorOptions { Timeout = 15_000 });
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"the editor did not start: {string.Join("\n", errors)}", e);
            }
            Assert.Empty(errors);
        }
        return (context, page);
    }

    private static async Task<double> ScaleAsync(IPage page) =>
        double.Parse((await page.GetAttributeAsync("[data-pdf-viewer]", "data-pdf-current-scale"))!, CultureInfo.InvariantCulture);

    private static async Task<double> ValueAsync(IPage page, string name) =>
        double.Parse(await page.InputValueAsync($"[name='{name}']"), CultureInfo.InvariantCulture);

    private static async Task DragAsync(IPage page, float fromX, float fromY, float toX, float toY)
    {
        await page.Mouse.MoveAsync(fromX, fromY);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((fromX + toX) / 2, (fromY + toY) / 2, new MouseMoveOptions { Steps = 4 });
        await page.Mouse.MoveAsync(toX, toY, new MouseMoveOptions { Steps = 4 });
        await page.Mouse.UpAsync();
    }

    [Fact]
    public async Task The_viewer_draws_pages_lazily_and_navigates_and_zooms()
    {
        var (context, page) = await OpenAsync("five");
        await using var _ = context;

        var slots = page.Locator(".pdf-page");
        Assert.Equal(5, await slots.CountAsync());
        await page.WaitForSelectorAsync(".pdf-page[data-page-number='1'][data-rendered=true]");
        Assert.Equal("5", await page.InnerTextAsync("[data-pdf-page-count]"));
        // Page 5 is far below the visible area, so it is not drawn yet.
        Assert.Null(await page.GetAttributeAsync(".pdf-page[data-page-number='5']", "data-rendered"));

        // The drawing is the PDF's own: the blue bar of page 1 (x 72..372 pt, y 700..740 pt from the bottom).
        var scale = await ScaleAsync(page);
        var blue = await page.EvaluateAsync<int[]>(@"s => {
            const c = document.querySelector("".pdf-page[data-page-number='1'] canvas"");
            const r = c.width / (595 * s);
            const d = c.getContext('2d').getImageData(Math.round(200 * s * r), Math.round((842 - 720) * s * r), 1, 1).data;
            return [d[0], d[1], d[2]];
        }", scale);
        Assert.True(blue[2] > 150 && blue[0] < 100, $"expected the blue bar, got rgb({string.Join(",", blue)})");

        await page.FillAsync("[data-pdf-page-input]", "5");
        await page.DispatchEventAsync("[data-pdf-page-input]", "change");
        await page.WaitForSelectorAsync(".pdf-page[data-page-number='5'][data-rendered=true]");
        await page.ClickAsync("[data-pdf-action=prev]");
        Assert.Equal("4", await page.InputValueAsync("[data-pdf-page-input]"));

        var before = (await slots.First.BoundingBoxAsync())!.Width;
        await page.ClickAsync("[data-pdf-action=zoom-in]");
        var after = (await slots.First.BoundingBoxAsync())!.Width;
        Assert.True(after > before * 1.05, $"zoom in: {before} -> {after}");
        Assert.Equal(595 * await ScaleAsync(page), after, 1.0);
    }

    [Fact]
    public async Task Dragging_a_seal_writes_its_rectangle_in_points_and_moving_and_resizing_update_it()
    {
        var (context, page) = await OpenAsync("five");
        await using var _ = context;
        var scale = await ScaleAsync(page);
        var pageBox = (await page.Locator(".pdf-page[data-page-number='1']").BoundingBoxAsync())!;
        var chip = (await page.Locator("[data-seal-key='Items[0]']").First.BoundingBoxAsync())!;

        // Drop the seal with its centre 150 px right of and 200 px below the page's top-left corner.
        await DragAsync(page, chip.X + chip.Width / 2, chip.Y + chip.Height / 2, pageBox.X + 150, pageBox.Y + 200);

        Assert.Equal("1", await page.InputValueAsync("[name='Items[0].Page']"));
        Assert.Equal(110, await ValueAsync(page, "Items[0].Width"), 0.5);
        Assert.Equal(110, await ValueAsync(page, "Items[0].Height"), 0.5);
        Assert.Equal(150 / scale - 55, await ValueAsync(page, "Items[0].X"), 0.5);
        Assert.Equal(842 - 200 / scale - 55, await ValueAsync(page, "Items[0].Y"), 0.5);
        var overlay = page.Locator(".pdf-page[data-page-number='1'] .seal-overlay[data-seal-key='Items[0]']");
        var box = (await overlay.BoundingBoxAsync())!;
        Assert.Equal(110 * scale, box.Width, 1.0);

        // Move it 60 px right and 40 px down: X grows, Y (from the bottom) shrinks.
        var x0 = await ValueAsync(page, "Items[0].X");
        var y0 = await ValueAsync(page, "Items[0].Y");
        await DragAsync(page, box.X + box.Width / 2, box.Y + box.Height / 2, box.X + box.Width / 2 + 60, box.Y + box.Height / 2 + 40);
        Assert.Equal(x0 + 60 / scale, await ValueAsync(page, "Items[0].X"), 0.5);
        Assert.Equal(y0 - 40 / scale, await ValueAsync(page, "Items[0].Y"), 0.5);

        // Resize by the corner: wider and taller by the same amount, top edge stays.
        var top = await ValueAsync(page, "Items[0].Y") + await ValueAsync(page, "Items[0].Height");
        var handle = (await overlay.Locator(".seal-resize").BoundingBoxAsync())!;
        await DragAsync(page, handle.X + handle.Width / 2, handle.Y + handle.Height / 2, handle.X + handle.Width / 2 + 30, handle.Y + handle.Height / 2 + 30);
        var width = await ValueAsync(page, "Items[0].Width");
        Assert.Equal(110 + 30 / scale, width, 0.5);
        Assert.Equal(width, await ValueAsync(page, "Items[0].Height"), 0.5);
        Assert.Equal(top, await ValueAsync(page, "Items[0].Y") + await ValueAsync(page, "Items[0].Height"), 0.5);

        // Dragging past the page's edge keeps the seal on the page.
        box = (await overlay.BoundingBoxAsync())!;
        await DragAsync(page, box.X + box.Width / 2, box.Y + box.Height / 2, box.X - 2000, box.Y + 3000);
        Assert.Equal(0, await ValueAsync(page, "Items[0].X"), 0.1);
        Assert.Equal(0, await ValueAsync(page, "Items[0].Y"), 0.1);

        // Typing moves the seal on the page.
        await page.FillAsync("[name='Items[0].X']", "300");
        box = (await overlay.BoundingBoxAsync())!;
        Assert.Equal(pageBox.X + 300 * scale, box.X, 1.0);

        // The second seal was saved on page 2 and is shown there; the form posts both.
        Assert.Equal(1, await page.Locator(".pdf-page[data-page-number='2'] .seal-overlay[data-seal-key='Items[1]']").CountAsync());
        await page.ClickAsync("#harness-form button[type=submit]");
        var posted = await page.InnerTextAsync("body");
        Assert.Contains("Items[0].Page=1", posted);
        Assert.Contains("Items[0].X=300", posted);
        Assert.Contains("Items[0].SealId=7", posted);
        Assert.Contains("Items[1].Page=2", posted);
    }

    [Fact]
    public async Task On_a_rotated_page_the_rectangle_is_in_points_of_the_page_as_shown()
    {
        var (context, page) = await OpenAsync("rotated");
        await using var _ = context;
        var scale = await ScaleAsync(page);
        var pageBox = (await page.Locator(".pdf-page[data-page-number='1']").BoundingBoxAsync())!;
        // /Rotate 90 turns the A4 portrait page to landscape: 842 wide, 595 high.
        Assert.Equal(842 * scale, pageBox.Width, 1.0);
        Assert.Equal(595 * scale, pageBox.Height, 1.0);

        var chip = (await page.Locator("[data-seal-key='Items[0]']").First.BoundingBoxAsync())!;
        await DragAsync(page, chip.X + chip.Width / 2, chip.Y + chip.Height / 2, pageBox.X + pageBox.Width - 80 * (float)scale, pageBox.Y + 80 * (float)scale);
        Assert.Equal(842 - 80 - 55, await ValueAsync(page, "Items[0].X"), 0.5);
        Assert.Equal(595 - 80 - 55, await ValueAsync(page, "Items[0].Y"), 0.5);
    }

    [Fact]
    public async Task A_cross_page_seal_sits_on_the_right_edge()
    {
        var (context, page) = await OpenAsync("five");
        await using var _ = context;
        var pageBox = (await page.Locator(".pdf-page[data-page-number='1']").BoundingBoxAsync())!;
        var chip = (await page.Locator("[data-seal-key='Items[0]']").First.BoundingBoxAsync())!;
        await DragAsync(page, chip.X + chip.Width / 2, chip.Y + chip.Height / 2, pageBox.X + 100, pageBox.Y + 300);
        await page.CheckAsync("[name='Items[0].CrossPage']");
        Assert.Equal(595 - 110, await ValueAsync(page, "Items[0].X"), 0.5);
        Assert.Equal(1, await page.Locator(".seal-overlay.cross-page").CountAsync());
    }

    [Fact]
    public async Task Without_javascript_the_fields_are_a_plain_form()
    {
        var (context, page) = await OpenAsync("five", javaScript: false);
        await using var _ = context;
        Assert.False(await page.IsVisibleAsync("[data-seal-palette]"));
        Assert.False(await page.IsVisibleAsync("[data-pdf-toolbar]"));
        Assert.True(await page.IsVisibleAsync("[data-pdf-pages] a:has-text('Open the PDF')"));
        await page.FillAsync("[name='Items[0].Page']", "3");
        await page.FillAsync("[name='Items[0].X']", "100.5");
        await page.FillAsync("[name='Items[0].Y']", "200");
        await page.FillAsync("[name='Items[0].Width']", "90");
        await page.FillAsync("[name='Items[0].Height']", "90");
        await page.ClickAsync("#harness-form button[type=submit]");
        var posted = await page.InnerTextAsync("body");
        Assert.Contains("Items[0].Page=3", posted);
        Assert.Contains("Items[0].X=100.5", posted);
        Assert.Contains("Items[0].Width=90", posted);
    }

    private async Task<IPage> ApplicantPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await SignInAsync(page, "applicant");
        return page;
    }

    private Task<IBrowserContext> ContextAsync() => fixture.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = fixture.BaseAddress.ToString(),
        Locale = "en-US",
        ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
    });

    /// <summary>Opens the request's placement step through the old placement address (links in mails), ready to place.</summary>
    private static async Task OpenPlacementAsync(IPage page, int id)
    {
        await page.GotoAsync($"/requests/{id}/placement");
        Assert.EndsWith($"/requests/{id}/edit?step=placement", page.Url);
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await page.WaitForSelectorAsync("[data-seal-placement][data-placement-state=ready]");
        await page.Locator("[data-pdf-viewer]").ScrollIntoViewIfNeededAsync();
    }

    [Fact]
    public async Task The_applicant_drags_a_seal_on_the_placement_page_and_saves_it()
    {
        var id = await Features.Requests.RequestSeeding.DraftAsync(fixture.Portal.Services, ["公司电子公章"], ("contract.pdf", PlacementHarnessPortal.FivePages));
        await using var context = await ContextAsync();
        var page = await ApplicantPageAsync(context);

        await OpenPlacementAsync(page, id);
        await page.FillAsync("[data-pdf-page-input]", "3");
        await page.DispatchEventAsync("[data-pdf-page-input]", "change");
        await page.WaitForSelectorAsync(".pdf-page[data-page-number='3'][data-rendered=true]");
        var scale = await ScaleAsync(page);
        var target = (await page.Locator(".pdf-page[data-page-number='3']").BoundingBoxAsync())!;
        var chip = (await page.Locator("[data-testid=seal-chip]").First.BoundingBoxAsync())!;
        await DragAsync(page, chip.X + chip.Width / 2, chip.Y + chip.Height / 2, target.X + 400, target.Y + 100);
        // The dropped seal moves with the mouse on this page too (the request page's read-only seal
        // styles once made it let the pointer through): 40 px left and 30 px down.
        var overlay = (await page.Locator(".pdf-page[data-page-number='3'] .seal-overlay").BoundingBoxAsync())!;
        await DragAsync(page, overlay.X + overlay.Width / 2, overlay.Y + overlay.Height / 2, overlay.X + overlay.Width / 2 - 40, overlay.Y + overlay.Height / 2 + 30);
        await Chromium.ScreenshotAsync(page, "placement-dragged");
        await page.ClickAsync("[data-testid=save-placements]");
        await page.WaitForSelectorAsync("[data-testid=message]");

        var row = Assert.Single(await Features.Requests.RequestSeeding.PlacementsAsync(fixture.Portal.Services, id), r => r.Page is not null);
        Assert.Equal(3, row.Page);
        Assert.Equal((400 - 40) / scale - row.Width!.Value / 2, row.X!.Value, 0.5);
        Assert.Equal(842 - (100 + 30) / scale - row.Height!.Value / 2, row.Y!.Value, 0.5);
        // The saved seal is shown again where it was dropped.
        await page.WaitForSelectorAsync(".pdf-page[data-page-number='3'] .seal-overlay");
    }

    [Fact]
    public async Task With_the_keyboard_only_a_seal_is_placed_moved_and_typed_and_a_seal_off_the_page_is_refused()
    {
        var id = await Features.Requests.RequestSeeding.DraftAsync(fixture.Portal.Services, ["公司电子公章"], ("contract.pdf", PlacementHarnessPortal.FivePages));
        await using var context = await ContextAsync();
        var page = await ApplicantPageAsync(context);
        await OpenPlacementAsync(page, id);

        // Enter on the palette's seal puts it in the middle of the page shown and gives it the focus ...
        await page.FocusAsync("[data-testid=seal-chip]");
        await page.Keyboard.PressAsync("Enter");
        var overlay = page.Locator(".pdf-page[data-page-number='1'] .seal-overlay");
        await Assertions.Expect(overlay).ToBeFocusedAsync();
        Assert.Equal("1", await page.InputValueAsync("[name='Placements[0].Page']"));
        Assert.Equal((595 - 110) / 2.0, await ValueAsync(page, "Placements[0].X"), 0.5);
        var y0 = await ValueAsync(page, "Placements[0].Y");
        // ... with a ring that shows where the focus is ...
        var outline = await overlay.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth");
        Assert.Equal("solid 3px", outline);
        // ... and the arrow keys move it: one point, ten with Shift.
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("Shift+ArrowUp");
        Assert.Equal((595 - 110) / 2.0 + 1, await ValueAsync(page, "Placements[0].X"), 0.5);
        Assert.Equal(y0 + 10, await ValueAsync(page, "Placements[0].Y"), 0.5);
        await page.ClickAsync("[data-testid=save-placements]");
        await page.WaitForSelectorAsync("[data-testid=message]");
        var moved = Assert.Single(await Features.Requests.RequestSeeding.PlacementsAsync(fixture.Portal.Services, id), r => r.Page is not null);
        Assert.Equal((1, (595 - 110) / 2.0 + 1, y0 + 10), (moved.Page!.Value, moved.X!.Value, moved.Y!.Value));

        // Typed coordinates are saved as typed.
        await page.FillAsync("[name='Placements[0].Page']", "5");
        await page.FillAsync("[name='Placements[0].X']", "36");
        await page.FillAsync("[name='Placements[0].Y']", "36");
        await page.FillAsync("[name='Placements[0].Width']", "120");
        await page.FillAsync("[name='Placements[0].Height']", "120");
        await page.ClickAsync("[data-testid=save-placements]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=message]') && !document.querySelector('[data-testid=error]')");
        await WaitForRowAsync(id, r => r.Page == 5);
        var row = Assert.Single(await Features.Requests.RequestSeeding.PlacementsAsync(fixture.Portal.Services, id), r => r.Page is not null);
        Assert.Equal((5, 36.0, 120.0), (row.Page!.Value, row.X!.Value, row.Width!.Value));

        // A seal hanging off the page is refused with the reason, and nothing changes.
        await page.FillAsync("[name='Placements[0].X']", "540");
        await page.ClickAsync("[data-testid=save-placements]");
        await page.WaitForSelectorAsync("[data-testid=error]");
        Assert.Equal("400", await page.GetAttributeAsync("[data-testid=error]", "data-status"));
        Assert.Contains("the seal must lie inside the page", await page.InnerTextAsync("[data-testid=error]"));
        Assert.Equal("540", await page.InputValueAsync("[name='Placements[0].X']"));
        Assert.Equal(36.0, Assert.Single(await Features.Requests.RequestSeeding.PlacementsAsync(fixture.Portal.Services, id), r => r.Page is not null).X);
    }

    private async Task WaitForRowAsync(int id, Func<SealPortal.Data.SealRequestSeal, bool> done)
    {
        for (var i = 0; i < 50 && !(await Features.Requests.RequestSeeding.PlacementsAsync(fixture.Portal.Services, id)).Any(done); i++)
            await Task.Delay(100);
    }

    internal static async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", SealPortalFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
    }
}
