using Microsoft.Playwright;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Browser;

/// <summary>
/// The pages under the portal's Content-Security-Policy in Chromium: nothing they need is refused,
/// pdf.js and its worker included.
/// </summary>
[Collection(PlacementCollection.Name)]
public sealed class ContentSecurityPolicyBrowserTests(PlacementHarnessFixture fixture)
{
    [Fact]
    public async Task The_pages_and_the_pdf_viewer_run_without_a_policy_violation()
    {
        var id = await Features.Requests.RequestSeeding.DraftAsync(fixture.Portal.Services, ["公司电子公章"], ("contract.pdf", PlacementHarnessPortal.FivePages));
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var violations = new List<string>();
        await context.ExposeFunctionAsync("reportViolation", (string v) => { lock (violations) violations.Add(v); });
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));");
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error" && m.Text.Contains("Content Security Policy")) lock (violations) violations.Add(m.Text); };

        await SealPlacementBrowserTests.SignInAsync(page, "applicant");
        await page.GotoAsync("/");
        await page.GotoAsync($"/requests/{id}/placement");
        await page.WaitForSelectorAsync("[data-seal-placement][data-placement-state=ready]");
        await page.WaitForSelectorAsync(".pdf-page[data-page-number='1'][data-rendered=true]");
        await page.GotoAsync("/verify");

        Assert.Empty(violations);
    }
}
