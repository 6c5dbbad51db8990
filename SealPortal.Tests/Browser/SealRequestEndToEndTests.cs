using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SealPortal.Pdf.Incremental;
using SealPortal.Tests.Features.Ledger;
using SealPortal.Tests.Features.Requests;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Browser;

public sealed class EndToEndPortal : SealPortalFactory
{
    // The verification page trusts the sample root, as the README's demo does.
    protected override IDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(RequestSeeding.SampleCertificates) { ["Signing:TrustedRootsPath"] = SamplePki.Path_("sample-root-ca.crt") };
}

public sealed class EndToEndFixture : BrowserFixture<EndToEndPortal>
{
    public NssDbFixture Nss { get; } = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Nss.Dispose();
    }
}

/// <summary>
/// The whole path of issue 4 in Chromium against a real Kestrel: the applicant drops a PDF on the
/// request editor and drags the company e-seal onto it in the same page, the department head and an executive approve (公章 always
/// reaches an executive), the portal seals, and the applicant's download is valid for pdfsig.
/// </summary>
public sealed class SealRequestEndToEndTests(EndToEndFixture fixture) : IClassFixture<EndToEndFixture>
{
    private const string Seal = "公司电子公章";

    private async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(string userName)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        await SealPlacementBrowserTests.SignInAsync(page, userName);
        return (context, page);
    }

    /// <summary>The name the ledger's person filter lists the user under.</summary>
    private async Task<string> DisplayNameAsync(string userName)
    {
        var id = await LedgerWorld.UserIdAsync(fixture.Portal.Services, userName);
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<SealPortal.Data.ApplicationUser>>().FindByIdAsync(id);
        return string.IsNullOrEmpty(user!.DisplayName) ? userName : user.DisplayName;
    }

    /// <summary>Opens the request from the inbox, reads it with the seal drawn where it goes, and approves with a comment in the dialog.</summary>
    private static async Task ApproveAsync(IPage page, int id)
    {
        await page.GotoAsync($"/requests/{id}?from=inbox");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        // Approvers read the document in the page before deciding, with the placed seal drawn over page 2.
        await page.WaitForSelectorAsync("[data-pdf-viewer] .pdf-page[data-page-number='1'][data-rendered=true]");
        await page.WaitForSelectorAsync($"[data-pdf-viewer][data-overlay-state=ready] .pdf-page[data-page-number='2'] .seal-preview[data-seal-name='{Seal}']",
            new() { State = WaitForSelectorState.Attached });
        // Opened from the inbox, the navigation shows the inbox as current, not "my requests".
        Assert.Equal("true", await page.GetAttributeAsync("[data-testid=nav-inbox]", "data-current"));
        Assert.DoesNotContain("active", await page.GetAttributeAsync("[data-testid=nav-requests]", "class") ?? "");
        await page.ClickAsync("[data-testid=action-bar] [data-testid=approve]");
        await page.FillAsync("textarea[data-testid=decision-comment], [data-testid=decision-comment] textarea", "OK");
        await page.ClickAsync("[data-testid=decision-confirm]");
        await page.WaitForSelectorAsync("[data-testid=after-decision]");
        Assert.Equal(0, await page.Locator("[data-testid=decision-dialog]").CountAsync());
        Assert.Equal("/inbox", await page.GetAttributeAsync("[data-testid=back-to-inbox]", "href"));
    }

    /// <summary>
    /// Gives the upload a file as a drop or the file picker does, once, and waits until the page has received and
    /// checked it. The file is given only when Blazor's file input listens (SetInputFilesWhenReadyAsync), so it is heard
    /// the first time. It used to be given again when its entry took more than 5 s to show, from before that wait
    /// existed: on a busy machine the page had the file already, and the second copy's upload (which disables the
    /// save buttons while it streams) could start under the "Save and place seals" click, or the draft got the PDF twice.
    /// </summary>
    internal static async Task DropFileAsync(IPage page, FilePayload file)
    {
        await page.SetInputFilesWhenReadyAsync("input[type=file][data-testid=files]", file);
        await page.WaitForSelectorAsync("[data-testid=file]:not([data-state=Uploading])");
        var entry = Assert.Single(await page.Locator("[data-testid=file]").AllAsync());
        Assert.True(await entry.GetAttributeAsync("data-state") == "Ready", await entry.InnerTextAsync());
    }

    /// <summary>
    /// Waits for the page's address; when it does not come, fails with what the page shows instead. The address is
    /// polled (an expectation), not awaited as a navigation: the circuit changes it with history.replaceState, which can
    /// happen before WaitForURL subscribes to navigations while the client still reports the old address, and then
    /// WaitForURL waits out its 30 s. That is how a CI run failed with the page showing the expected address.
    /// </summary>
    private static async Task WaitForUrlOrSayWhyAsync(IPage page, Regex url)
    {
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 30_000 });
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            var state = await page.EvaluateAsync<string>("""
                () => JSON.stringify({
                    url: location.href,
                    error: document.querySelector('[data-testid=error]')?.textContent,
                    message: document.querySelector('[data-testid=message]')?.textContent,
                    files: [...document.querySelectorAll('[data-testid=file]')].map(f => f.dataset.state),
                    buttons: [...document.querySelectorAll('button[data-testid]')].map(b => b.dataset.testid + (b.disabled ? ' (disabled)' : '')),
                    reconnect: document.getElementById('components-reconnect-modal')?.className,
                    interactive: document.querySelector('[data-interactive]')?.dataset.interactive,
                })
                """);
            throw new Xunit.Sdk.XunitException($"{e.Message}; the page: {state}");
        }
    }

    [Fact]
    public async Task Applicant_places_a_seal_two_approvers_approve_and_the_sealed_download_is_valid_for_pdfsig()
    {
        var contract = PdfTestKit.ClassicPdf(3);

        // The applicant drops the PDF on the new request page, asks for the company e-seal and saves a draft.
        var (applicantContext, applicant) = await SignedInAsync("applicant");
        await using var _a = applicantContext;
        await applicant.GotoAsync("/requests/new");
        await applicant.WaitForSelectorAsync("[data-interactive=true]");
        await DropFileAsync(applicant, new FilePayload { Name = "供货合同.pdf", MimeType = "application/pdf", Buffer = contract });
        await applicant.CheckAsync($"[data-seal='{Seal}'] input[type=checkbox]");
        await applicant.FillAsync("textarea[data-testid=purpose]", "Letter of intent to the supplier");
        await applicant.ClickAsync("[data-testid=document-type]");
        await applicant.ClickAsync(".mud-popover-open [role=option]:has-text('Letter')");
        await Assertions.Expect(applicant.Locator("[data-testid=document-type]")).ToHaveTextAsync("Letter");
        await Chromium.ScreenshotAsync(applicant, "first-1-new-request");
        await applicant.ClickAsync("[data-testid=continue]");
        await WaitForUrlOrSayWhyAsync(applicant, new Regex(@"/requests/\d+/edit\?step=placement$"));
        var id = int.Parse(Regex.Match(applicant.Url, @"/requests/(\d+)/edit").Groups[1].Value);

        // ... drags the seal onto page 2 on the same page's placement step ...
        await applicant.WaitForSelectorAsync("[data-seal-placement][data-placement-state=ready]");
        await applicant.Locator("[data-pdf-viewer]").ScrollIntoViewIfNeededAsync();
        await applicant.FillAsync("[data-pdf-page-input]", "2");
        await applicant.DispatchEventAsync("[data-pdf-page-input]", "change");
        await applicant.WaitForSelectorAsync(".pdf-page[data-page-number='2'][data-rendered=true]");
        var target = (await applicant.Locator(".pdf-page[data-page-number='2']").BoundingBoxAsync())!;
        var chip = (await applicant.Locator("[data-testid=seal-chip]").First.BoundingBoxAsync())!;
        await applicant.Mouse.MoveAsync(chip.X + chip.Width / 2, chip.Y + chip.Height / 2);
        await applicant.Mouse.DownAsync();
        await applicant.Mouse.MoveAsync(target.X + target.Width * 0.7f, target.Y + 150, new MouseMoveOptions { Steps = 8 });
        await applicant.Mouse.UpAsync();
        await Chromium.ScreenshotAsync(applicant, "first-2-placement");
        await applicant.ClickAsync("[data-testid=save-placements]");
        await applicant.WaitForSelectorAsync("[data-testid=message]");
        var placed = Assert.Single(await RequestSeeding.PlacementsAsync(fixture.Portal.Services, id), r => r.Page is not null);
        Assert.Equal(2, placed.Page);

        // ... and submits it from the same page.
        await applicant.ClickAsync("[data-testid=submit]");
        await applicant.WaitForURLAsync(new Regex($@"/requests/{id}$"));
        await applicant.WaitForSelectorAsync("[data-testid=status][data-status=InApproval]");

        // The department head finds it in the interactive inbox and approves it from the request page.
        var (headContext, head) = await SignedInAsync("depthead");
        await using var _h = headContext;
        await head.GotoAsync("/inbox");
        await head.WaitForSelectorAsync($"a[href='/requests/{id}?from=inbox']");
        await Chromium.ScreenshotAsync(head, "first-3-inbox");
        await ApproveAsync(head, id);
        await Chromium.ScreenshotAsync(head, "first-4-approved");
        var (executiveContext, executive) = await SignedInAsync("executive");
        await using var _e = executiveContext;
        await ApproveAsync(executive, id);

        // The last approval seals the document; the applicant downloads it from the request page.
        await applicant.GotoAsync($"/requests/{id}");
        await applicant.WaitForSelectorAsync("[data-testid=status][data-status=Completed]");
        await applicant.WaitForSelectorAsync("[data-interactive=true]");
        // The completed request shows the sealed PDF in the page; its download is the main action.
        await applicant.WaitForSelectorAsync("[data-testid=sealed-documents-view] .pdf-page[data-page-number='1'][data-rendered=true]");
        await Chromium.ScreenshotAsync(applicant, "first-5-sealed");
        var download = await applicant.RunAndWaitForDownloadAsync(() => applicant.ClickAsync("[data-testid=action-bar] [data-testid=download-sealed]"));
        var dir = PdfTestKit.NewTempDir("e2e-sealed");
        byte[] sealedBytes;
        try
        {
            var path = Path.Combine(dir, "sealed.pdf");
            await download.SaveAsAsync(path);
            Assert.Equal(1, fixture.Nss.AssertAllSignaturesValid(path));
            sealedBytes = await File.ReadAllBytesAsync(path);

            // The seal's widget sits on page 2 where it was dropped (the page is not rotated, so
            // the placement's points are the page's own coordinates).
            using var sealedPdf = PdfFile.Open(path);
            var page2 = sealedPdf.GetPages()[1];
            var widget = (sealedPdf.Resolve(page2.Dictionary.Get("Annots")) as PdfArrayObj)!.Items
                .Select(a => sealedPdf.Resolve(a) as PdfDictObj)
                .Single(a => (sealedPdf.Resolve(a!.Get("Subtype")) as PdfNameObj)?.Value == "Widget")!;
            var rect = (sealedPdf.Resolve(widget.Get("Rect")) as PdfArrayObj)!.Items.Select(n => ((PdfNumObj)sealedPdf.Resolve(n)!).DoubleValue).ToArray();
            Assert.Equal(placed.X!.Value, rect[0], 0.5);
            Assert.Equal(placed.Y!.Value, rect[1], 0.5);
            Assert.Equal(placed.X!.Value + placed.Width!.Value, rect[2], 0.5);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        // The auditor finds the use in the seal ledger by the department head, who only approved it.
        var (auditorContext, auditor) = await SignedInAsync("auditor");
        await using var _u = auditorContext;
        await auditor.GotoAsync("/ledger");
        await auditor.WaitForSelectorAsync("[data-interactive=true]");
        await auditor.ClickAsync("[data-testid=person-filter]");
        await auditor.ClickAsync($".mud-popover-open .mud-list-item:has-text('{await DisplayNameAsync("depthead")}')");
        await auditor.WaitForURLAsync(new Regex(@"/ledger\?.*person="));
        await auditor.WaitForSelectorAsync("[data-testid=grid-state][data-total='1']", new() { State = WaitForSelectorState.Attached });
        var row = auditor.Locator("[data-testid=ledger-table] tbody tr:has([data-sequence])");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.Contains("供货合同.pdf", await row.InnerTextAsync());
        await Chromium.ScreenshotAsync(auditor, "ledger-person");

        // ... and checks the downloaded file on the verification page: valid.
        await auditor.GotoAsync("/verify");
        await auditor.WaitForSelectorAsync("[data-interactive=true]");
        await auditor.SetInputFilesWhenReadyAsync("input[type=file][data-testid=verify-file]", new FilePayload { Name = "供货合同-sealed.pdf", MimeType = "application/pdf", Buffer = sealedBytes });
        var verdict = auditor.Locator("[data-testid=verdict]");
        await verdict.WaitForAsync();
        Assert.Equal("Valid", await verdict.GetAttributeAsync("data-verdict"));
        await Chromium.ScreenshotAsync(auditor, "first-6-verified");
    }
}
