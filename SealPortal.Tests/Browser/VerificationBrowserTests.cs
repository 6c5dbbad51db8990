using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SealPortal.Tests.Features.Verification;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Browser;

/// <summary>One Kestrel and one Chromium for the class (Kestrel can be started once per host).</summary>
public sealed class VerificationBrowserFixture : BrowserFixture<VerificationPortal>;

/// <summary>An auditor checks a sealed PDF and a tampered copy in Debian's Chromium against a real Kestrel.</summary>
public sealed class VerificationBrowserTests(VerificationBrowserFixture fixture) : IClassFixture<VerificationBrowserFixture>
{
    private IBrowser Browser => fixture.Browser;
    private Uri BaseAddress => fixture.BaseAddress;

    private const string FileInput = "input[type=file][data-testid=verify-file]";

    [Fact]
    public async Task An_auditor_verifies_a_sealed_pdf_and_then_a_tampered_copy()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await SignInAsync(page, "auditor");

        await page.WaitForSelectorAsync("[data-interactive=true]");
        await page.ClickAsync("nav a[href='/verify']");
        await page.WaitForURLAsync(new Regex("/verify$"));
        await page.WaitForSelectorAsync("h1:has-text('Verify a document')");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        var sealedPdf = await VerificationFiles.SealedAsync();

        await page.SetInputFilesWhenReadyAsync(FileInput, new FilePayload { Name = "sealed-contract.pdf", MimeType = "application/pdf", Buffer = sealedPdf });
        await page.WaitForSelectorAsync("[data-testid=file-name]:has-text('sealed-contract.pdf')");
        var verdict = page.Locator("[data-testid=verdict]");
        Assert.Equal("Valid", await verdict.GetAttributeAsync("data-verdict"));
        Assert.Equal("SAMPLE Company Seal (RSA)", await page.Locator("[data-testid=signer]").InnerTextAsync());
        // The banner has the theme's success colour, so MudBlazor's stylesheet, the theme and the severity reached the browser.
        var colours = await verdict.EvaluateAsync<string[]>(@"e => {
            const probe = document.createElement('span');
            probe.style.color = 'var(--mud-palette-success)';
            document.body.appendChild(probe);
            const expected = getComputedStyle(probe).color;
            probe.remove();
            return [getComputedStyle(e).borderTopColor, expected];
        }");
        Assert.Equal(colours[1], colours[0]);
        Assert.NotEqual("rgb(0, 0, 0)", colours[0]);
        await Chromium.ScreenshotAsync(page, "verify-valid");

        await page.SetInputFilesWhenReadyAsync(FileInput, new FilePayload { Name = "tampered-contract.pdf", MimeType = "application/pdf", Buffer = VerificationFiles.Tampered(sealedPdf) });
        await page.WaitForSelectorAsync("[data-testid=file-name]:has-text('tampered-contract.pdf')");
        Assert.Equal("Invalid", await page.Locator("[data-testid=verdict]").GetAttributeAsync("data-verdict"));
        Assert.Contains("fingerprint no longer matches", await page.Locator("[data-testid=integrity]").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "verify-invalid");

        // The printable report opens in a new tab from the shown report (a plain form post to the endpoint).
        var popup = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("[data-testid=download-print] button"));
        await popup.WaitForSelectorAsync("[data-testid=verdict]");
        Assert.Equal("Invalid", await popup.Locator("[data-testid=verdict]").GetAttributeAsync("data-verdict"));
        await Chromium.ScreenshotAsync(popup, "verify-print");

        // The JSON report downloads from the same page.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=download-json] button"));
        Assert.Equal("tampered-contract-verification.json", download.SuggestedFilename);

        // In Chinese the same report reads 无效 with the reason in Chinese.
        await page.ClickAsync("[data-testid=language-switch] button:has-text('中文')");
        await page.WaitForSelectorAsync("h1:has-text('文档验证')");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await page.SetInputFilesWhenReadyAsync(FileInput, new FilePayload { Name = "篡改的合同.pdf", MimeType = "application/pdf", Buffer = VerificationFiles.Tampered(sealedPdf) });
        await page.WaitForSelectorAsync("[data-testid=file-name]:has-text('篡改的合同.pdf')");
        Assert.Equal("无效", await page.Locator("[data-testid=verdict-title]").InnerTextAsync());
        Assert.Contains("指纹", await page.Locator("[data-testid=integrity]").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "verify-invalid-zh");
    }

    [Fact]
    public async Task An_oversize_file_is_refused_with_a_message_naming_the_limit_and_the_page_stays_usable()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        var page = await context.NewPageAsync();
        await SignInAsync(page, "auditor");
        await page.GotoAsync("/verify");
        await page.WaitForSelectorAsync("[data-interactive=true]");

        var big = new byte[VerificationPortal.UploadLimit * 2];
        "%PDF-1.7\n"u8.CopyTo(big);
        await page.SetInputFilesWhenReadyAsync(FileInput, new FilePayload { Name = "big.pdf", MimeType = "application/pdf", Buffer = big });

        var problem = page.Locator("[data-testid=upload-problem]");
        await problem.WaitForAsync();
        Assert.Equal("413", await problem.GetAttributeAsync("data-status"));
        var text = await problem.InnerTextAsync();
        // The auditor's language may have been switched by the other test (it is kept on the user).
        Assert.True(text.Contains("Files up to 1 MB can be uploaded.") || text.Contains("1 MB"), text);

        await page.SetInputFilesWhenReadyAsync(FileInput, new FilePayload { Name = "after.pdf", MimeType = "application/pdf", Buffer = await VerificationFiles.SealedAsync() });
        await page.WaitForSelectorAsync("[data-testid=file-name]:has-text('after.pdf')");
        Assert.Equal("Valid", await page.Locator("[data-testid=verdict]").GetAttributeAsync("data-verdict"));
        Assert.Equal(0, await page.Locator("[data-testid=upload-problem]").CountAsync());
        // A phone shows the report without scrolling sideways.
        Assert.Equal(390, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        await Chromium.ScreenshotAsync(page, "verify-phone");
    }

    private static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", SealPortalFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new Regex("/$"));
    }
}
