using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Notifications;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Jobs;

/// <summary>The real Quartz scheduler, its job store in the test database, driven by a fake clock.</summary>
public class JobSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Dictionary<string, string?> Settings(TinySmtpServer smtp) => new()
    {
        ["Jobs:Enabled"] = "true",
        ["Jobs:OutboxSeconds"] = "60",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = smtp.Port.ToString(),
    };

    /// <summary>Reads the stored trigger straight from the database, with no portal running.</summary>
    private static async Task<long?> PreviousFireTimeAsync(TestDatabase database, string name)
    {
        System.Data.Common.DbProviderFactory factory = database.Provider == "Postgres"
            ? Npgsql.NpgsqlFactory.Instance
            : Microsoft.Data.Sqlite.SqliteFactory.Instance;
        await using var conn = factory.CreateConnection()!;
        conn.ConnectionString = database.ConnectionString;
        await conn.OpenAsync();
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT PREV_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = @n";
            var p = cmd.CreateParameter();
            p.ParameterName = "@n";
            p.Value = name;
            cmd.Parameters.Add(p);
            return await cmd.ExecuteScalarAsync() is long or int or decimal ? Convert.ToInt64(await cmd.ExecuteScalarAsync()) : null;
        }
    }

    [Fact]
    public async Task The_outbox_job_fires_on_the_fake_clock_and_a_restarted_portal_keeps_its_schedule_without_sending_twice()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        var clock = new FakeTimeProvider(Start);
        await using (var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, Settings(smtp)))
        {
            var auditor = await portal.UserIdAsync("auditor");
            await portal.InScopeAsync(sp => sp.GetRequiredService<Notifier>().NotifyAsync(auditor, "First", "first body"));
            Assert.Empty(smtp.Messages);

            clock.Advance(TimeSpan.FromSeconds(61));
            Assert.True(await smtp.WaitForMessagesAsync(1, Patience), "the outbox job did not send within 30 s of its fire time");
        }

        // What the scheduler knows is in the database, not in the process.
        Assert.NotNull(await PreviousFireTimeAsync(storage.Database, "outbox"));

        // The portal restarts later: the stored trigger is kept, the sent mail is not sent again, new mail goes out.
        clock.Advance(TimeSpan.FromMinutes(10));
        await using (var restarted = new JobsPortal(storage.Database, storage.DataFolder, clock, Settings(smtp)))
        {
            var admin = await restarted.UserIdAsync("admin");
            await restarted.InScopeAsync(sp => sp.GetRequiredService<Notifier>().NotifyAsync(admin, "Second", "second body"));
            clock.Advance(TimeSpan.FromSeconds(61));
            Assert.True(await smtp.WaitForMessagesAsync(2, Patience), "the restarted portal's outbox job did not send");
            await Task.Delay(1000);
        }

        // Bodies go out base64-encoded (UTF-8), so the envelope tells the two mails apart.
        Assert.Equal(["auditor@example.com", "admin@example.com"], smtp.Messages.Select(m => Assert.Single(m.To)));
    }
}
