using System.Net;
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
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", "auditor");
        await page.FillAsync("#password", SealPortalFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new Uri(BaseAddress, "/").ToString());

        await page.ClickAsync("nav a[href='/verify']");
        await page.WaitForSelectorAsync("h1:has-text('Verify a document')");
        var sealedPdf = await VerificationFiles.SealedAsync();

        await page.SetInputFilesAsync("#pdf", new FilePayload { Name = "sealed-contract.pdf", MimeType = "application/pdf", Buffer = sealedPdf });
        await page.ClickAsync("[data-testid=verify-form] button[type=submit]");
        var verdict = page.Locator("[data-testid=verdict]");
        await verdict.WaitForAsync();
        Assert.Equal("Valid", await verdict.GetAttributeAsync("data-verdict"));
        Assert.Equal("SAMPLE Company Seal (RSA)", await page.Locator("[data-testid=signer]").InnerTextAsync());
        // The banner is Bootstrap's green, so the stylesheet and the verdict class reached the browser.
        Assert.Equal("rgb(209, 231, 221)", await verdict.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await Chromium.ScreenshotAsync(page, "verify-valid");

        await page.SetInputFilesAsync("#pdf", new FilePayload { Name = "tampered-contract.pdf", MimeType = "application/pdf", Buffer = VerificationFiles.Tampered(sealedPdf) });
        await page.ClickAsync("[data-testid=verify-form] button[type=submit]");
        await page.WaitForSelectorAsync("[data-testid=file-name]:has-text('tampered-contract.pdf')");
        Assert.Equal("Invalid", await page.Locator("[data-testid=verdict]").GetAttributeAsync("data-verdict"));
        Assert.Contains("fingerprint no longer matches", await page.Locator("[data-testid=integrity]").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "verify-invalid");

        // The printable report opens in a new tab from the shown report.
        var popup = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("[data-testid=download-print] button"));
        await popup.WaitForSelectorAsync("[data-testid=verdict]");
        Assert.Equal("Invalid", await popup.Locator("[data-testid=verdict]").GetAttributeAsync("data-verdict"));
        await Chromium.ScreenshotAsync(popup, "verify-print");

        // In Chinese the same report reads 无效 with the reason in Chinese.
        await page.ClickAsync("[data-testid=language-switch] button:has-text('中文')");
        await page.WaitForSelectorAsync("h1:has-text('文档验证')");
        await page.SetInputFilesAsync("#pdf", new FilePayload { Name = "篡改的合同.pdf", MimeType = "application/pdf", Buffer = VerificationFiles.Tampered(sealedPdf) });
        await page.ClickAsync("[data-testid=verify-form] button[type=submit]");
        await page.WaitForSelectorAsync("[data-testid=verdict]");
        Assert.Equal("无效", await page.Locator("[data-testid=verdict-title]").InnerTextAsync());
        Assert.Contains("指纹", await page.Locator("[data-testid=integrity]").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "verify-invalid-zh");
    }

    [Fact]
    public async Task Kestrel_answers_an_oversize_upload_with_our_413_page()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = BaseAddress };
        var portalClient = new PortalClient(client);
        var signIn = await portalClient.SignInAsync("auditor", SealPortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var form = await portalClient.GetDocumentAsync("/verify");
        var token = form.QuerySelector("[data-testid=verify-form] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var handler = form.QuerySelector("[data-testid=verify-form] input[name=_handler]")!.GetAttribute("value")!;

        foreach (var chunked in new[] { false, true })
        {
            var big = new byte[VerificationPortal.UploadLimit * 2];
            "%PDF-1.7\n"u8.CopyTo(big);
            HttpContent file = chunked ? new StreamContent(new MemoryStream(big)) : new ByteArrayContent(big);
            var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new StringContent(handler), "_handler" }, { file, "pdf", "big.pdf" } };
            if (chunked)
                content.Headers.ContentLength = null;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/verify") { Content = content };
            request.Headers.TransferEncodingChunked = chunked;
            request.Headers.AcceptLanguage.ParseAdd("en-US");

            var response = await client.SendAsync(request);

            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"chunked={chunked}: {(int)response.StatusCode} {html}");
            // The auditor's language may have been switched by the other test (it is kept on the user).
            Assert.True(html.Contains("Files up to 1 MB can be uploaded.") || html.Contains("最多可上传 1 MB 的文件。"), html);
        }
    }
}
