using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Components.Layout;
using SealPortal.Data;
using SealPortal.Features.Dashboard;
using SealPortal.Features.Live;
using SealPortal.Features.Notifications;
using SealPortal.Features.Requests;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Live;

/// <summary>
/// Open pages (bUnit over a real portal with its own dispatcher running) follow changes made elsewhere, with no
/// click and no reload: the bell, the inbox, my requests, the dashboard, and the one-request hook.
/// </summary>
public class LivePageTests(LivePortal portal) : IClassFixture<LivePortal>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_bell_counts_a_notification_written_elsewhere()
    {
        var auditor = await SealRequestKit.UserIdAsync(portal, "auditor");
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        ui.Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var layout = ui.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));
        var before = await portal.Services.GetRequiredService<NotificationInbox>().UnreadCountAsync(auditor);
        WaitForSubscribers(1);

        await using (var scope = portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Notifier>().NotifyAsync(auditor, "Live", "a notification from elsewhere");

        layout.WaitForAssertion(() => Assert.Equal((before + 1).ToString(), layout.Find("[data-testid=unread-count] .mud-badge").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task The_inbox_shows_a_request_that_reaches_the_approver_and_drops_it_when_a_colleague_decides()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "depthead");
        var inbox = ui.Render<Inbox>();
        InteractiveLists.WaitUntilLoaded(inbox);
        var before = Total(inbox);
        WaitForSubscribers(1);

        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        inbox.WaitForAssertion(() => Assert.Equal(before + 1, Total(inbox)), Patience);
        Assert.Contains(inbox.FindAll("a[data-number]"), a => a.GetAttribute("href") == $"/requests/{id}?from=inbox");

        await SealRequestKit.ApproveAllAsync(portal, id);
        inbox.WaitForAssertion(() => Assert.Equal(before, Total(inbox)), Patience);
    }

    [Fact]
    public async Task My_requests_and_the_dashboard_follow_the_approvers_decisions()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var mine = ui.Render<MyRequests>();
        InteractiveLists.WaitUntilLoaded(mine);
        var home = ui.Render<Home>();
        home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=status-InApproval]")));
        var approvedBefore = home.FindAll("[data-testid=status-Approved]").Select(e => int.Parse(e.TextContent)).FirstOrDefault();
        Assert.Equal("InApproval", StatusIn(mine, id));
        WaitForSubscribers(2);

        await SealRequestKit.ApproveAllAsync(portal, id);

        mine.WaitForAssertion(() => Assert.Equal("Approved", StatusIn(mine, id)), Patience);
        home.WaitForAssertion(() => Assert.Equal((approvedBefore + 1).ToString(), home.Find("[data-testid=status-Approved]").TextContent), Patience);
    }

    [Fact]
    public async Task The_request_hook_shows_sealing_failed_with_the_reason_and_only_to_those_involved()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        await portal.EnsureImagesAsync();
        var id = await SealRequestKit.SubmitAsync(portal, [rsa], [PdfTestKit.ClassicPdf(1)]);
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var changes = new List<RequestLiveState>();
        var hook = ui.Render<LiveRequest>(p => p.Add(h => h.SealRequestId, id).Add(h => h.ShowStatus, true)
            .Add(h => h.OnChanged, (RequestLiveState s) => changes.Add(s)));
        hook.WaitForAssertion(() => Assert.Equal("InApproval", hook.Find("[data-testid=live-request]").GetAttribute("data-status")));
        WaitForSubscribers(1);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<SealPortal.Features.Seals.SealRegistry>()
                .ChangeStatusAsync(rsa, SealStatus.Suspended, "测试", "admin");
            Assert.True(result.Succeeded, result.Error);
        }
        try
        {
            await SealRequestKit.ApproveAllAsync(portal, id);
        }
        finally
        {
            await using var scope = portal.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SealPortal.Features.Seals.SealRegistry>().ChangeStatusAsync(rsa, SealStatus.Active, "测试", "admin");
        }
        var reason = (await SealRequestKit.LoadAsync(portal, id)).SealingError!;
        hook.WaitForAssertion(() => Assert.Contains(reason, hook.Find("[data-testid=live-sealing-failed]").TextContent), Patience);
        Assert.Equal(SealRequestStatus.SealingFailed, changes.Last().Status);
        Assert.Equal(reason, changes.Last().SealingError);

        // Someone with no part in the request reads nothing through the hook's query.
        var query = portal.Services.GetRequiredService<IServiceScopeFactory>().CreateScope().ServiceProvider.GetRequiredService<LiveRequestQuery>();
        var stranger = await SealRequestKit.UserIdAsync(portal, "auditor");
        Assert.Null(await query.ReadAsync(id, stranger, [Roles.Applicant]));
        Assert.NotNull(await query.ReadAsync(id, await SealRequestKit.UserIdAsync(portal, "applicant"), [Roles.Applicant]));
    }

    [Fact]
    public async Task An_open_request_page_shows_the_approvers_decisions_without_a_reload()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        ui.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/requests/{id}");
        var page = ui.Render<RequestPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Equal("InApproval", page.Find("[data-testid=status]").GetAttribute("data-status")), Patience);
        Assert.DoesNotContain(page.FindAll("[data-testid=timeline] [data-kind]"), e => e.GetAttribute("data-kind") == "Approved");
        Assert.NotEmpty(page.FindAll("[data-testid=action-bar] [data-testid=withdraw]"));
        WaitForSubscribers(1);

        await SealRequestKit.ApproveAllAsync(portal, id);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Approved", page.Find("[data-testid=status]").GetAttribute("data-status"));
            Assert.Contains(page.FindAll("[data-testid=timeline] [data-kind]"), e => e.GetAttribute("data-kind") == "Approved");
            // The applicant may withdraw only before the first decision; the page offers it no more.
            Assert.Empty(page.FindAll("[data-testid=action-bar] [data-testid=withdraw]"));
        }, Patience);
    }

    private void WaitForSubscribers(int atLeast)
    {
        var hub = portal.Services.GetRequiredService<LiveEvents>();
        var until = DateTime.UtcNow + Patience;
        while (hub.Subscribers < atLeast && DateTime.UtcNow < until)
            Thread.Sleep(20);
        Assert.True(hub.Subscribers >= atLeast, "the page did not subscribe to live events");
    }

    private static int Total<T>(IRenderedComponent<T> page) where T : IComponent =>
        int.Parse(page.Find("[data-testid=grid-state]").GetAttribute("data-total")!);

    private static string? StatusIn(IRenderedComponent<MyRequests> mine, int id) =>
        mine.FindAll("tr").Single(tr => tr.QuerySelector($"a[href='/requests/{id}']") is not null)
            .QuerySelector("[data-testid=status]")?.GetAttribute("data-status");
}
