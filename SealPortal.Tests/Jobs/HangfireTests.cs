using Bunit;
using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Notifications;
using SealPortal.Jobs;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Jobs;

/// <summary>
/// The real Hangfire job server over the storage of the test database's provider (SQLite file or
/// PostgreSQL schema): the recurring jobs it keeps, a job it runs, and the dashboard's door.
/// </summary>
public class HangfireTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string?> Settings(TinySmtpServer smtp) => new()
    {
        ["Jobs:Enabled"] = "true",
        // A schedule that will not fire during the test, so only the triggered run sends.
        ["Jobs:OutboxCron"] = "0 0 1 1 *",
        ["Jobs:DeadlineCron"] = "*/10 * * * *",
        ["Jobs:ChainAnchorCron"] = "*/30 * * * *",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = smtp.Port.ToString(),
    };

    private static List<RecurringJobDto> Recurring(SealPortalFactory portal)
    {
        using var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    [Fact]
    public async Task Every_recurring_job_is_stored_with_its_schedule_and_queue_and_configuration_changes_the_schedule()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(Start), Settings(smtp));
        Assert.True(portal.Services.GetRequiredService<JobScheduler>().Running);

        var jobs = Recurring(portal).ToDictionary(j => j.Id);
        var expected = new (string Id, string Cron, string Queue, Type Type)[]
        {
            ("outbox", "0 0 1 1 *", JobQueues.Mail, typeof(OutboxJob)),
            ("deadlines", "*/10 * * * *", JobQueues.Workflow, typeof(DeadlineJob)),
            ("certificate-expiry", "0 */12 * * *", JobQueues.Maintenance, typeof(CertificateExpiryJob)),
            ("integrity-check", "0 2 * * *", JobQueues.Integrity, typeof(IntegrityCheckJob)),
            ("audit-schedule", "0 1 * * *", JobQueues.Maintenance, typeof(AuditScheduleJob)),
            ("retention", "30 2 * * *", JobQueues.Maintenance, typeof(RetentionJob)),
            ("chain-anchor", "*/30 * * * *", JobQueues.Integrity, typeof(ChainAnchorJob)),
            ("archive-timestamp-renewal", "0 3 * * *", JobQueues.Maintenance, typeof(ArchiveTimestampRenewalJob)),
            ("training-reminders", "5 * * * *", JobQueues.Maintenance, typeof(TrainingReminderJob)),
            ("keeper-training-lapse", "0 4 * * *", JobQueues.Maintenance, typeof(KeeperTrainingLapseJob)),
        };
        Assert.Equal(expected.Select(e => e.Id).Order(), jobs.Keys.Order());
        foreach (var (id, cron, queue, type) in expected)
        {
            Assert.Equal(cron, jobs[id].Cron);
            Assert.Equal(queue, jobs[id].Job.Queue);
            Assert.Equal(type, jobs[id].Job.Type);
            Assert.Equal("UTC", jobs[id].TimeZoneId);
            Assert.NotNull(jobs[id].NextExecution);
        }
    }

    [Fact]
    public async Task The_job_server_runs_the_outbox_job_and_a_restarted_portal_keeps_the_schedule_without_sending_twice()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        var clock = new FakeTimeProvider(Start);
        await using (var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, Settings(smtp)))
        {
            var auditor = await portal.UserIdAsync("auditor");
            await portal.InScopeAsync(sp => sp.GetRequiredService<Notifier>().NotifyAsync(auditor, "First", "first body"));
            Assert.Empty(smtp.Messages);

            portal.Services.GetRequiredService<IRecurringJobManager>().Trigger("outbox");
            Assert.True(await smtp.WaitForMessagesAsync(1, Patience), "the job server did not run the outbox job");
            await WaitUntilAsync(() => Recurring(portal).Single(j => j.Id == "outbox").LastJobState == "Succeeded",
                "the outbox run did not finish");
        }

        // What the job server knows is in its storage, not in the process.
        clock.Advance(TimeSpan.FromMinutes(10));
        await using (var restarted = new JobsPortal(storage.Database, storage.DataFolder, clock, Settings(smtp)))
        {
            Assert.NotNull(Recurring(restarted).Single(j => j.Id == "outbox").LastExecution);
            var admin = await restarted.UserIdAsync("admin");
            await restarted.InScopeAsync(sp => sp.GetRequiredService<Notifier>().NotifyAsync(admin, "Second", "second body"));
            restarted.Services.GetRequiredService<IRecurringJobManager>().Trigger("outbox");
            Assert.True(await smtp.WaitForMessagesAsync(2, Patience), "the restarted portal's job server did not send");
            await Task.Delay(1000);
        }

        // Bodies go out base64-encoded (UTF-8), so the envelope tells the two mails apart.
        Assert.Equal(["auditor@example.com", "admin@example.com"], smtp.Messages.Select(m => Assert.Single(m.To)));
    }

    [Fact]
    public async Task The_dashboard_is_for_administrators_only()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(Start), Settings(smtp));

        var anonymous = portal.CreatePortalClient();
        var toSignIn = await anonymous.GetAsync(JobsDashboard.Path);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.StartsWith("/account/login", toSignIn.LocalTarget());

        foreach (var name in new[] { "auditor", "keeper", "applicant" })
        {
            var user = await portal.SignInAsync(name);
            Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync(JobsDashboard.Path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync(JobsDashboard.Path + "/recurring")).StatusCode);
        }

        var admin = await portal.SignInAsync("admin");
        var page = await admin.GetAsync(JobsDashboard.Path + "/recurring");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("certificate-expiry", html);
        Assert.Contains("integrity-check", html);
    }

    [Fact]
    public async Task Run_check_now_clicked_three_times_queues_three_requests_that_one_check_answers()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, Settings(smtp));
        // A check is running (held here) while "Run check now" is clicked on three open dashboards.
        var pages = new List<PortalComponents>();
        var clicks = new List<Task>();
        await SealPortal.Features.Ledger.IntegrityMonitor.OneAtATime.WaitAsync();
        try
        {
            for (var click = 0; click < 3; click++)
            {
                var ui = await PortalComponents.SignedInAsync(portal, "auditor");
                pages.Add(ui);
                var home = ui.Render<SealPortal.Features.Dashboard.Home>();
                home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=run-integrity-check]")));
                // The click's handler waits for the queued check's answer, so it is awaited after the release.
                clicks.Add(home.ClickFreshAsync("[data-testid=run-integrity-check]"));
            }
            // All three requests are queued (the first one's job waits for the held check) before it ends.
            var queued = portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            await WaitUntilAsync(() => queued.EnqueuedCount(SealPortal.Jobs.JobQueues.Integrity) + queued.ProcessingCount() >= 3,
                "the three clicks were not all queued");
        }
        finally
        {
            SealPortal.Features.Ledger.IntegrityMonitor.OneAtATime.Release();
        }
        await Task.WhenAll(clicks).WaitAsync(Patience);
        foreach (var ui in pages)
        {
            Assert.Contains("The ledger and the audit trail are intact.", ui.Snackbars);
            await ui.DisposeAsync();
        }

        var monitoring = portal.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await WaitUntilAsync(() => monitoring.SucceededListCount() >= 3, () =>
            $"the three queued checks did not finish: {monitoring.SucceededListCount()} succeeded, {monitoring.ProcessingCount()} processing, " +
            $"{monitoring.EnqueuedCount(SealPortal.Jobs.JobQueues.Integrity)} enqueued, {monitoring.FailedCount()} failed");
        var runs = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().IntegrityCheckRuns.AsNoTracking().ToListAsync());
        var run = Assert.Single(runs);
        Assert.Equal("auditor", run.TriggeredBy);
        Assert.True(run.Intact);
    }

    private static Task WaitUntilAsync(Func<bool> done, string failure) => WaitUntilAsync(done, () => failure);

    /// <param name="failure">What went wrong, told as things stand when the patience runs out.</param>
    private static async Task WaitUntilAsync(Func<bool> done, Func<string> failure)
    {
        var until = DateTime.UtcNow + Patience;
        while (!done())
        {
            if (DateTime.UtcNow >= until)
                Assert.Fail(failure());
            await Task.Delay(100);
        }
    }
}
