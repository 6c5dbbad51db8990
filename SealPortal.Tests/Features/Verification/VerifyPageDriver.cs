using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Features.Verification;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Verification;

/// <summary>
/// The interactive verification page in bUnit over a real portal: a file goes in through the page's own
/// <see cref="InputFile"/> (MudFileUpload), an archived document through its row's button, and the test
/// waits for what the page shows after the circuit's database and verifier calls.
/// </summary>
public static class VerifyPageDriver
{
    public static async Task<(PortalComponents Ui, IRenderedComponent<Verify> Page)> OpenAsync(SealPortalFactory portal, string userName,
        string culture = "en", string? query = null)
    {
        var ui = await PortalComponents.SignedInAsync(portal, userName, culture);
        ui.Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        if (query is not null)
            ui.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/verify?q=" + Uri.EscapeDataString(query));
        var page = ui.Render<Verify>();
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=verify-upload]").GetAttribute("data-ready")));
        return (ui, page);
    }

    /// <summary>Sends <paramref name="pdf"/> as the browser would, then waits until the page shows this file's report or a refusal.</summary>
    public static void Upload(IRenderedComponent<Verify> page, byte[] pdf, string fileName = "contract.pdf")
    {
        var before = Attempts(page);
        // Never inside InvokeAsync: UploadFiles blocks, and would deadlock on PostgreSQL.
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(pdf, fileName, contentType: "application/pdf"));
        page.WaitForAssertion(() => Assert.True(Attempts(page) > before, "no new result shown"));
        page.WaitForAssertion(() => Assert.True(
            page.FindAll("[data-testid=upload-problem]").Count > 0
            || page.FindAll("[data-testid=file-name]").Any(e => e.TextContent.Trim() == fileName),
            "neither a report of the file nor a refusal"));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=receiving]")));
    }

    /// <summary>Clicks Verify on the archived document's row and waits for its report or the reason there is none.</summary>
    public static void Pick(IRenderedComponent<Verify> page, int documentId)
    {
        var before = Attempts(page);
        page.Find($"button[data-testid=verify-archived][data-document='{documentId}']").Click();
        page.WaitForAssertion(() => Assert.True(Attempts(page) > before, "no new result shown"));
        page.WaitForAssertion(() => Assert.True(
            page.FindAll("[data-testid=upload-problem], [data-testid=archive-problem]").Count > 0
            || page.FindAll("[data-testid=archive-source]").Count > 0,
            "neither a report of the archived file nor a refusal"));
    }

    private static int Attempts(IRenderedComponent<Verify> page) =>
        int.Parse(page.Find("[data-testid=verify-upload]").GetAttribute("data-attempts")!);

    /// <summary>The table row of an archived document (its cells: request, file name, sealed, SHA-256, the button).</summary>
    public static IElement ArchivedRow(IRenderedComponent<Verify> page, int documentId) =>
        page.Find($"[data-testid=archived][data-document='{documentId}']").Closest("tr")!;

    public static string TextOf(this IRenderedComponent<Verify> page, string selector) => page.Find(selector).TextContent.Trim();

    /// <summary>The protected report the page put into its download form (posted by tests through a real HTTP client).</summary>
    public static string ReportToken(IRenderedComponent<Verify> page, string form = "download-json") =>
        page.Find($"[data-testid={form}] input[name=report]").GetAttribute("value")!;

    public static IElement Verdict(IRenderedComponent<Verify> page) => page.Find("[data-testid=verdict]");
}
