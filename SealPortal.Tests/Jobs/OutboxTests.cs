using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Notifications;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Jobs;

public class OutboxTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Settings(TinySmtpServer smtp) => new()
    {
        ["Jobs:Enabled"] = "false",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = smtp.Port.ToString(),
        ["Smtp:From"] = "sealportal@example.com",
    };

    [Fact]
    public async Task A_mail_refused_by_the_server_is_retried_after_the_backoff_and_arrives_once()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer(refuseFirst: 1);
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, Settings(smtp));
        var auditor = await portal.UserIdAsync("auditor");

        await portal.InScopeAsync(sp => sp.GetRequiredService<Notifier>()
            .NotifyAsync(auditor, NotificationKind.General, "印章 test subject", "Body of the test", "/requests/7"));

        var first = await portal.InScopeAsync(sp => sp.GetRequiredService<OutboxSender>().SendDueAsync(default));
        Assert.Equal(new OutboxRun(0, 1, 0), first);
        Assert.Empty(smtp.Messages);
        var waiting = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().OutboxMessages.SingleAsync());
        Assert.Null(waiting.SentAt);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains("421", waiting.LastError);
        Assert.Equal((Start + OutboxSender.Backoff(1)).UtcDateTime, waiting.NextAttemptAt);

        // Before the backoff has passed nothing is tried.
        var tooEarly = await portal.InScopeAsync(sp => sp.GetRequiredService<OutboxSender>().SendDueAsync(default));
        Assert.Equal(new OutboxRun(0, 0, 0), tooEarly);
        Assert.Equal(1, smtp.Sessions);

        clock.Advance(OutboxSender.Backoff(1));
        var second = await portal.InScopeAsync(sp => sp.GetRequiredService<OutboxSender>().SendDueAsync(default));
        Assert.Equal(new OutboxRun(1, 0, 0), second);

        var again = await portal.InScopeAsync(sp => sp.GetRequiredService<OutboxSender>().SendDueAsync(default));
        Assert.Equal(new OutboxRun(0, 0, 0), again);

        var (to, data) = Assert.Single(smtp.Messages);
        Assert.Equal(["auditor@example.com"], to);
        // UTF-8 bodies go out base64-encoded after the headers.
        var encoded = string.Concat(data[(data.IndexOf("\n\n", StringComparison.Ordinal) + 2)..].Split('\n').Select(l => l.Trim()));
        Assert.Contains("Body of the test", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        var sent = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().OutboxMessages.SingleAsync());
        Assert.Equal(Start + OutboxSender.Backoff(1), sent.SentAt);
        Assert.Equal(2, sent.Attempts);
    }

    [Fact]
    public async Task Preferences_decide_whether_an_email_is_written_but_never_hide_the_in_app_notification()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(Start), Settings(smtp));
        var keeper = await portal.UserIdAsync("keeper");
        var auditor = await portal.UserIdAsync("auditor");
        var admin = await portal.UserIdAsync("admin");

        await portal.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SealPortalDbContext>();
            db.NotificationPreferences.Add(new NotificationPreference { UserId = keeper, EmailEnabled = false });
            db.NotificationPreferences.Add(new NotificationPreference { UserId = auditor, EmailEnabled = true, EmailMutedKinds = "Certificate" });
            await db.SaveChangesAsync();
        });
        await portal.InScopeAsync(async sp =>
        {
            var notifier = sp.GetRequiredService<Notifier>();
            foreach (var user in new[] { keeper, auditor, admin })
                await notifier.AddAsync(user, NotificationKind.Certificate, "Certificate expires", "soon");
            await notifier.AddAsync(auditor, NotificationKind.AuditSchedule, "Audit due", "now");
            await sp.GetRequiredService<SealPortalDbContext>().SaveChangesAsync();
        });

        var (notifications, mails) = await portal.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SealPortalDbContext>();
            return (await db.Notifications.CountAsync(), await db.OutboxMessages.OrderBy(m => m.Id).Select(m => m.To + " " + m.Subject).ToListAsync());
        });
        Assert.Equal(4, notifications);
        Assert.Equal(["admin@example.com Certificate expires", "auditor@example.com Audit due"], mails);
    }

    [Fact]
    public async Task Without_an_smtp_host_no_email_is_queued_and_the_log_says_email_is_off()
    {
        await using var storage = new PortalStorage();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(Start), new Dictionary<string, string?>());
        var admin = await portal.UserIdAsync("admin");
        await portal.InScopeAsync(sp => sp.GetRequiredService<Notifier>().NotifyAsync(admin, "Hello", "World"));
        var outbox = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().OutboxMessages.CountAsync());
        Assert.Equal(0, outbox);
        Assert.Contains(portal.Logs.Entries, e => e.Message.Contains("Smtp:Host"));
    }
}
