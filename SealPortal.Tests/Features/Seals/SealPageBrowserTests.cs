using Microsoft.Playwright;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Seals;

/// <summary>A portal seeded the way Development seeds it: the sample certificates on the electronic demo seals.</summary>
public sealed class SeededCertificatesPortal : SealPortalFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Signing:CertificatePath"] = SamplePki.Path_("sample-seal-rsa.pfx"),
        ["Signing:CertificatePassword"] = SamplePki.Password,
    };
}

/// <summary>The seal page in Chromium: the seeded certificate and image, and a PNG uploaded through a real file input.</summary>
public sealed class SealPageBrowserTests(BrowserFixture<SeededCertificatesPortal> fixture) : IClassFixture<BrowserFixture<SeededCertificatesPortal>>
{
    private readonly SeededCertificatesPortal _portal = fixture.Portal;
    private readonly IBrowser _browser = fixture.Browser;
    private readonly Uri _baseAddress = fixture.BaseAddress;

    [Fact]
    public async Task Demo_electronic_seals_show_their_certificate_and_image_and_an_admin_uploads_a_png()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _baseAddress.ToString(),
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", SealPortalFactory.DemoPassword);
        await page.PressAsync("#password", "Enter");
        await page.WaitForURLAsync(new Uri(_baseAddress, "/").ToString());

        await OpenFromListAsync(page, "公司电子公章");
        await page.WaitForSelectorAsync("[data-testid=certificate]");
        Assert.Contains("SAMPLE Company Seal (RSA)", await page.Locator("[data-testid=certificate]").InnerTextAsync());
        Assert.Matches(@"^\d+ 天后过期$", await page.Locator("[data-testid=expiry]").InnerTextAsync());
        // The image came through the authenticated endpoint and the browser could decode it.
        // A click waits for the navigation, not for the page's images, so wait for the image to finish.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=seal-image]')?.complete === true");
        Assert.Equal(600, await page.Locator("[data-testid=seal-image]").EvaluateAsync<int>("img => img.naturalWidth"));
        var history = await page.Locator("[data-testid=history]").InnerTextAsync();
        Assert.Contains("绑定证书", history);
        Assert.Contains("system", history);
        await Chromium.ScreenshotAsync(page, "seal-electronic-zh");

        await OpenFromListAsync(page, "合同专用章");
        await page.WaitForSelectorAsync("[data-testid=certificate]");
        Assert.Contains("ECDSA", await page.Locator("[data-testid=certificate]").InnerTextAsync());

        await OpenFromListAsync(page, "公司公章");
        await page.WaitForSelectorAsync("[data-testid=seal-image]");
        var before = await page.Locator("[data-testid=seal-image]").GetAttributeAsync("src");
        var file = Path.Combine(_portal.DataFolder, "upload-test.png");
        await File.WriteAllBytesAsync(file, SealPortal.Features.Seals.Imaging.SealPng.EncodeRgba(32, 32, new byte[32 * 32 * 4]));
        // MudFileUpload's input is hidden behind its button; choosing the file uploads it at once.
        await page.SetInputFilesWhenReadyAsync("[data-testid=image-upload] input[type=file], input[type=file][data-testid=image-upload]", file);
        await page.Locator(".mud-snackbar", new() { HasTextString = "图像已保存。" }).WaitForAsync();
        await page.WaitForFunctionAsync("before => document.querySelector('[data-testid=seal-image]')?.getAttribute('src') !== before", before);
        Assert.NotEqual(before, await page.Locator("[data-testid=seal-image]").GetAttributeAsync("src"));
    }

    /// <summary>Opens a seal from the interactive list once its circuit runs and the grid has loaded.</summary>
    private static async Task OpenFromListAsync(IPage page, string name)
    {
        await page.GotoAsync("/seals");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await page.ClickAsync($"[data-testid=seal-table] a:has-text('{name}')");
        await page.WaitForSelectorAsync("[data-testid=seal-facts]");
    }
}
