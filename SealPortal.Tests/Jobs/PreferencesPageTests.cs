using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Audits;
using SealPortal.Features.Notifications;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Jobs;

public class PreferencesPageTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static JobsPortal Portal(PortalStorage storage, TinySmtpServer smtp) =>
        new(storage.Database, storage.DataFolder, new FakeTimeProvider(Start), new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(),
        });

    private static readonly string[] AllButAuditSchedule = NotificationInbox.MutableKinds
        .Where(k => k != NotificationKind.AuditSchedule).Select(k => k.ToString()).ToArray();

    [Fact]
    public async Task Turning_off_email_for_one_kind_keeps_the_in_app_notification_and_writes_no_email_for_that_kind_only()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        await using var portal = Portal(storage, smtp);
        var auditor = await portal.UserIdAsync("auditor");
        using var client = await portal.SignInAsync("auditor");

        var before = await client.GetDocumentAsync("/notifications/preferences");
        Assert.True(before.QuerySelector("#kind-AuditSchedule")!.HasAttribute("checked"));
        var saved = await client.SubmitNamedFormAsync("/notifications/preferences", "preferences",
            new Dictionary<string, object> { ["kinds"] = AllButAuditSchedule });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var after = await client.GetDocumentAsync("/notifications/preferences");
        Assert.False(after.QuerySelector("#kind-AuditSchedule")!.HasAttribute("checked"));
        Assert.True(after.QuerySelector("#kind-Certificate")!.HasAttribute("checked"));
        Assert.True(after.QuerySelector("#email")!.HasAttribute("checked"));

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
    public async Task A_post_without_antiforgery_is_refused_and_a_user_changes_only_their_own_preferences()
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

        // The page only ever saves the signed-in user's own row, whatever else the post names.
        var own = await forger.SubmitNamedFormAsync("/notifications/preferences", "preferences", new Dictionary<string, object>
        {
            ["email"] = "false",
            ["UserId"] = auditor,
            ["userId"] = auditor,
        });
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
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
}
