using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Browser;

/// <summary>Two browsers on one portal: the applicant's open pages (my requests, the bell, the request itself) change when the approver approves, without a reload.</summary>
public sealed class LiveUpdatesBrowserTests(BrowserFixture<SealingPortal> fixture) : IClassFixture<BrowserFixture<SealingPortal>>
{
    [Fact]
    public async Task The_applicants_my_requests_and_bell_update_when_the_approver_approves_in_another_browser()
    {
        var portal = fixture.Portal;
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        // Every step but the executive's is decided here, so the executive's approval in the browser is the last one.
        var executive = await SealRequestKit.UserIdAsync(portal, "executive");
        while (await PendingAsync(portal, id) is { } pending && pending.Approver != executive)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var decided = await scope.ServiceProvider.GetRequiredService<SealPortal.Features.Requests.DecideHandler>()
                .HandleAsync(id, pending.Approver, DecisionKind.Approve, "同意", pending.Version);
            Assert.True(decided.Succeeded, decided.ToString());
        }
        Assert.NotNull(await PendingAsync(portal, id));

        await using var applicantContext = await NewContextAsync();
        var applicant = await applicantContext.NewPageAsync();
        await SealPlacementBrowserTests.SignInAsync(applicant, "applicant");
        await applicant.GotoAsync("/requests");
        await applicant.WaitForSelectorAsync("[data-interactive=true]");
        var status = applicant.Locator($"tr:has(a[href='/requests/{id}']) [data-testid=status]");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "InApproval");
        var bell = applicant.Locator("[data-testid=unread-count] .mud-badge");
        var unreadBefore = await bell.IsVisibleAsync() ? int.Parse((await bell.InnerTextAsync()).Trim().TrimEnd('+')) : 0;
        // A mark that a reload would wipe.
        await applicant.EvaluateAsync("() => window.__stillHere = true");
        // The same applicant has the request itself open in a second tab.
        var requestTab = await applicantContext.NewPageAsync();
        await requestTab.GotoAsync($"/requests/{id}");
        await requestTab.WaitForSelectorAsync("[data-interactive=true]");
        var requestStatus = requestTab.Locator("[data-testid=status]");
        await Assertions.Expect(requestStatus).ToHaveAttributeAsync("data-status", "InApproval");
        await requestTab.EvaluateAsync("() => window.__stillHere = true");

        await using var executiveContext = await NewContextAsync();
        var approver = await executiveContext.NewPageAsync();
        await SealPlacementBrowserTests.SignInAsync(approver, "executive");
        await approver.GotoAsync("/inbox");
        await approver.WaitForSelectorAsync("[data-interactive=true]");
        var row = approver.Locator($"tr:has(a[href='/requests/{id}?from=inbox'])");
        await row.Locator("input[type=checkbox]").CheckAsync();
        await approver.ClickAsync("[data-testid=bulk-approve]");
        await approver.FillAsync("[data-testid=decision-comment] textarea, textarea[data-testid=decision-comment]", "同意");
        await approver.ClickAsync("[data-testid=decision-confirm]");
        // The approver's own inbox drops the row.
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 15_000 });

        // The applicant's page, untouched: the status and the bell change on their own.
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Approved", new() { Timeout = 15_000 });
        await Assertions.Expect(bell).ToHaveTextAsync((unreadBefore + 1).ToString(), new() { Timeout = 15_000 });
        Assert.True(await applicant.EvaluateAsync<bool>("() => window.__stillHere === true"), "the applicant's page was reloaded");
        // The request page too: its status, and the executive's approval in its timeline.
        await Assertions.Expect(requestStatus).ToHaveAttributeAsync("data-status", "Approved", new() { Timeout = 15_000 });
        await Assertions.Expect(requestTab.Locator("[data-testid=timeline] [data-kind=Approved]")).Not.ToHaveCountAsync(0, new() { Timeout = 15_000 });
        Assert.True(await requestTab.EvaluateAsync<bool>("() => window.__stillHere === true"), "the applicant's request page was reloaded");
        await Chromium.ScreenshotAsync(requestTab, "live-request-page-approved");
        await Chromium.ScreenshotAsync(applicant, "live-my-requests-approved");
    }

    private Task<IBrowserContext> NewContextAsync() => fixture.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = fixture.BaseAddress.ToString(),
        Locale = "en-US",
        ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
    });

    private static async Task<(string Approver, long Version)?> PendingAsync(SealPortalFactory portal, int id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var request = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealRequests.AsNoTracking().SingleAsync(r => r.Id == id);
        if (request.Status != SealRequestStatus.InApproval)
            return null;
        var state = JsonSerializer.Deserialize<WorkflowState>(request.WorkflowStateJson!)!;
        return (WorkflowQueries.PendingApprovers(state).First(), state.Version);
    }
}
