using System.Net;
using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Audits;
using SealPortal.Features.Notifications;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Jobs;

namespace SealPortal.Tests.Features.Notifications;

/// <summary>
/// The interactive notification list and preferences (bUnit over a real portal, plus plain HTTP for
/// the prerendered page and for posts a browser cannot make any more).
/// </summary>
public class NotificationPagesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static JobsPortal Portal(PortalStorage storage, TinySmtpServer? smtp = null) =>
        new(storage.Database, storage.DataFolder, new FakeTimeProvider(Start), smtp is null
            ? new Dictionary<string, string?>()
            : new Dictionary<string, string?> { ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = smtp.Port.ToString() });

    private static readonly NotificationKind[] AllButAuditSchedule = NotificationInbox.MutableKinds
        .Where(k => k != NotificationKind.AuditSchedule).ToArray();

    [Fact]
    public async Task The_bell_counts_unread_notifications_and_mark_all_read_clears_it()
    {
        await using var storage = new PortalStorage();
        await using var portal = Portal(storage);
        var auditor = await portal.UserIdAsync("auditor");
        await portal.InScopeAsync(async sp =>
        {
            var n = sp.GetRequiredService<Notifier>();
            await n.NotifyAsync(auditor, "One", "first");
            await n.NotifyAsync(auditor, "Two", "second");
        });
        using var client = await portal.SignInAsync("auditor");

        var home = await client.GetDocumentAsync("/");
        Assert.Equal("2", home.QuerySelector("[data-testid=unread-count]")?.TextContent.Trim());
        var list = await client.GetDocumentAsync("/notifications");
        Assert.Equal(2, list.QuerySelectorAll("[data-testid=notification][data-read=false]").Length);

        // The old form post reaches nothing now: 400, and both stay unread.
        var posted = await client.PostHandMadeAsync("/notifications", "mark-all-read", []);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Equal(2, await UnreadAsync(portal, auditor));

        await using (var ui = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var page = ui.Render<SealPortal.Features.Notifications.Notifications>();
            page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=notification][data-read=false]").Count));
            await page.ClickFreshAsync("button[data-testid=mark-all-read]");
            page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=notification][data-read=true]").Count));
            Assert.Contains("2 notifications marked as read.", ui.Snackbars);
        }

        var after = await client.GetDocumentAsync("/notifications");
        // The bell's badge shows no count any more (the badge's frame stays, empty).
        Assert.Equal("", after.QuerySelector("[data-testid=unread-count]")?.TextContent.Trim() ?? "");
        Assert.Equal(2, after.QuerySelectorAll("[data-testid=notification][data-read=true]").Length);
    }

    [Fact]
    public async Task Mark_as_read_marks_one_and_the_unread_switch_hides_read_ones_and_a_signed_out_circuit_marks_nothing()
    {
        await using var storage = new PortalStorage();
        await using var portal = Portal(storage);
        var auditor = await portal.UserIdAsync("auditor");
        var keeper = await portal.UserIdAsync("keeper");
        await portal.InScopeAsync(async sp =>
        {
            var n = sp.GetRequiredService<Notifier>();
            await n.NotifyAsync(auditor, "One", "first");
            await n.NotifyAsync(auditor, "Two", "second");
            await n.NotifyAsync(keeper, "Keeper's", "not for the auditor");
        });

        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var page = ui.Render<SealPortal.Features.Notifications.Notifications>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=notification]").Count));
        Assert.DoesNotContain("Keeper's", page.Markup);

        await page.FindAll("button[data-testid=mark-read]")[0].ClickAsync(new());
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=notification][data-read=true]")));
        Assert.Equal(1, await UnreadAsync(portal, auditor));
        Assert.Equal(1, await UnreadAsync(portal, keeper));

        await Input(page, "unread-only").ChangeAsync(new() { Value = true });
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=notification]")));

        // Signed out elsewhere: the open page marks nothing and shows nothing more.
        Assert.True(await portal.Services.GetRequiredService<SealPortal.Features.Account.SessionRevocation>().EndSessionsAsync(auditor) >= 1);
        await page.ClickFreshAsync("button[data-testid=mark-all-read]");
        Assert.Equal(1, await UnreadAsync(portal, auditor));
        Assert.Contains("Your session has ended. Sign in again.", ui.Snackbars);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=notification]")));
    }

    [Fact]
    public async Task Turning_off_email_for_one_kind_keeps_the_in_app_notification_and_writes_no_email_for_that_kind_only()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        await using var portal = Portal(storage, smtp);
        var auditor = await portal.UserIdAsync("auditor");
        using var client = await portal.SignInAsync("auditor");

        await using (var ui = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var before = ui.Render<NotificationPreferences>();
            before.WaitForAssertion(() => Assert.Equal("true", before.Find("[data-testid=kind-AuditSchedule]").GetAttribute("data-checked")));
            await Input(before, "kind-AuditSchedule").ChangeAsync(new() { Value = false });
            await before.ClickFreshAsync("button[data-testid=save]");
            Assert.Contains("Your preferences have been saved.", ui.Snackbars);

            var after = ui.Render<NotificationPreferences>();
            after.WaitForAssertion(() => Assert.Equal("false", after.Find("[data-testid=kind-AuditSchedule]").GetAttribute("data-checked")));
            Assert.Equal("true", after.Find("[data-testid=kind-Certificate]").GetAttribute("data-checked"));
            Assert.Equal("true", after.Find("[data-testid=email]").GetAttribute("data-checked"));
        }
        var saved = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().NotificationPreferences.AsNoTracking().SingleAsync(p => p.UserId == auditor));
        Assert.Equal(AllButAuditSchedule.Order(), NotificationInbox.MutableKinds.Where(k => !saved.IsMuted(k)).Order());

        // An audit-schedule reminder: under the bell, but no e-mail. A certificate warning still mails.
        Assert.Equal(1, await portal.InScopeAsync(sp => sp.GetRequiredService<AuditScheduleReminders>().RunAsync(default)));
        await portal.InScopeAsync(sp => sp.GetRequiredService<Notifier>().NotifyAsync(auditor, NotificationKind.Certificate, "Certificate expires", "soon"));

        var kinds = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().Notifications
            .Where(n => n.UserId == auditor).OrderBy(n => n.Id).Select(n => n.Kind).ToListAsync());
        Assert.Equal([NotificationKind.AuditSchedule, NotificationKind.Certificate], kinds);
        var mails = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().OutboxMessages
            .Where(m => m.To == "auditor@example.com").Select(m => m.Subject).ToListAsync());
        Assert.Equal(["Certificate expires"], mails);
        var bell = await client.GetDocumentAsync("/notifications");
        Assert.Equal(2, bell.QuerySelectorAll("[data-testid=notification]").Length);
    }

    [Fact]
    public async Task Posts_to_the_page_are_refused_and_a_user_changes_only_their_own_preferences()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        await using var portal = Portal(storage, smtp);
        var auditor = await portal.UserIdAsync("auditor");
        var keeper = await portal.UserIdAsync("keeper");
        Task<NotificationPreference?> Preference(string user) => portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>()
            .NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == user));

        using var forger = await portal.SignInAsync("keeper");
        var forged = await forger.Http.PostAsync("/notifications/preferences", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "preferences",
            ["submitted"] = "1",
            ["kinds"] = "General",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(await Preference(keeper));

        // Even with a valid token, a post naming another user reaches nothing.
        var named = await forger.PostHandMadeAsync("/notifications/preferences", "preferences",
            [new("email", "false"), new("UserId", auditor), new("userId", auditor)]);
        Assert.Equal(HttpStatusCode.BadRequest, named.StatusCode);
        Assert.Null(await Preference(keeper));
        Assert.Null(await Preference(auditor));

        // The page only ever saves the signed-in user's own row.
        await using (var ui = await PortalComponents.SignedInAsync(portal, "keeper"))
        {
            var page = ui.Render<NotificationPreferences>();
            page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=email]").GetAttribute("data-checked")));
            await Input(page, "email").ChangeAsync(new() { Value = false });
            await page.ClickFreshAsync("button[data-testid=save]");
        }
        Assert.False((await Preference(keeper))!.EmailEnabled);
        Assert.Null(await Preference(auditor));

        await portal.InScopeAsync(async sp =>
        {
            var notifier = sp.GetRequiredService<Notifier>();
            await notifier.NotifyAsync(keeper, NotificationKind.Approval, "For the keeper", "x");
            await notifier.NotifyAsync(auditor, NotificationKind.Approval, "For the auditor", "y");
        });
        var mails = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().OutboxMessages.Select(m => m.To).ToListAsync());
        Assert.Equal(["auditor@example.com"], mails);
    }

    [Fact]
    public async Task A_signed_out_circuit_saves_no_preferences()
    {
        await using var storage = new PortalStorage();
        await using var portal = Portal(storage);
        var keeper = await portal.UserIdAsync("keeper");
        await using var ui = await PortalComponents.SignedInAsync(portal, "keeper");
        var page = ui.Render<NotificationPreferences>();
        page.WaitForAssertion(() => page.Find("button[data-testid=save]"));
        Assert.True(await portal.Services.GetRequiredService<SealPortal.Features.Account.SessionRevocation>().EndSessionsAsync(keeper) >= 1);
        await Input(page, "email").ChangeAsync(new() { Value = false });
        await page.ClickFreshAsync("button[data-testid=save]");
        Assert.Contains("Your session has ended. Sign in again.", ui.Snackbars);
        Assert.Null(await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().NotificationPreferences.AsNoTracking()
            .SingleOrDefaultAsync(p => p.UserId == keeper)));
    }

    private static Task<int> UnreadAsync(JobsPortal portal, string userId) =>
        portal.InScopeAsync(sp => sp.GetRequiredService<NotificationInbox>().UnreadCountAsync(userId));

    /// <summary>The input of a MudBlazor switch or check box marked with <paramref name="testId"/>.</summary>
    private static IElement Input<T>(IRenderedComponent<T> page, string testId) where T : Microsoft.AspNetCore.Components.IComponent
    {
        var marked = page.Find($"[data-testid={testId}]");
        return marked.TagName == "INPUT" ? marked : marked.QuerySelector("input")!;
    }
}
