using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Features.Ledger;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Jobs;

/// <summary>The integrity check as the job runs it, and the dashboard alert it drives. A portal of its own: the chains are global.</summary>
public class IntegrityAlertTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Tampering_found_by_the_scheduled_check_shows_the_alert_to_admins_and_auditors_and_run_check_now_clears_it_after_repair()
    {
        await using var storage = new PortalStorage();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(DateTimeOffset.UtcNow), new Dictionary<string, string?>());
        var seal = await LedgerWorld.SealAsync(portal.Services, "完整性告警测试章", null);
        for (var i = 1; i <= 3; i++)
            await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddMinutes(i), i));
        Task<IntegrityCheckRun> ScheduledCheck() =>
            portal.InScopeAsync(sp => sp.GetRequiredService<IntegrityMonitor>().RunAsync(IntegrityMonitor.Scheduled, default));
        using var admin = await portal.SignInAsync("admin");
        using var auditor = await portal.SignInAsync("auditor");
        using var applicant = await portal.SignInAsync("applicant");

        var intact = await ScheduledCheck();
        Assert.True(intact!.Intact, intact.Summary);
        foreach (var client in new[] { admin, auditor })
        {
            var home = await client.GetDocumentAsync("/");
            Assert.Null(home.QuerySelector("[data-testid=integrity-alert]"));
            Assert.NotNull(home.QuerySelector("[data-testid=integrity-status]"));
        }

        // Tampering as a database owner would: the append-only triggers go first.
        await storage.Database.DropAppendOnlyGuardsAsync();
        await LedgerWorld.SqlAsync(portal.Services, "UPDATE \"LedgerEntries\" SET \"Copies\" = \"Copies\" + 1 WHERE \"Sequence\" = 2");
        var broken = await ScheduledCheck();
        Assert.False(broken!.Intact);
        Assert.Equal(IntegrityMonitor.Scheduled, broken.TriggeredBy);
        foreach (var client in new[] { admin, auditor })
        {
            var home = await client.GetDocumentAsync("/");
            var alert = home.QuerySelector("[data-testid=integrity-alert]");
            Assert.NotNull(alert);
            Assert.Contains("entry 2", alert.TextContent);
        }
        // Applicants see neither the status nor the alert.
        var applicantHome = await applicant.GetDocumentAsync("/");
        Assert.Null(applicantHome.QuerySelector("[data-testid=integrity-alert]"));
        Assert.Null(applicantHome.QuerySelector("[data-testid=integrity-status]"));

        // Admins and auditors are told once, not again on the next daily run while it stays broken.
        await ScheduledCheck();
        var told = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().Notifications
            .Where(n => n.Kind == NotificationKind.Integrity).Select(n => n.UserId).ToListAsync());
        string[] alerted = [await portal.UserIdAsync("admin"), await portal.UserIdAsync("auditor")];
        Assert.Equal(alerted.Order(), told.Order());

        // An applicant's dashboard has no "Run check now" (the rule itself, and a lock taken meanwhile, are HomeTests').
        var runs = await RunCountAsync(portal);
        await using (var ui = await PortalComponents.SignedInAsync(portal, "applicant"))
        {
            var home = ui.Render<SealPortal.Features.Dashboard.Home>();
            home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=welcome]")));
            Assert.Empty(home.FindAll("[data-testid=run-integrity-check]"));
        }

        // After the repair, "Run check now" as an auditor records a run under their name and the alert goes.
        await LedgerWorld.SqlAsync(portal.Services, "UPDATE \"LedgerEntries\" SET \"Copies\" = \"Copies\" - 1 WHERE \"Sequence\" = 2");
        await using (var ui = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var home = ui.Render<SealPortal.Features.Dashboard.Home>();
            home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=integrity-alert]")));
            await home.ClickFreshAsync("[data-testid=run-integrity-check]");
            home.WaitForAssertion(() => Assert.Empty(home.FindAll("[data-testid=integrity-alert]")));
        }
        Assert.Equal(runs + 1, await RunCountAsync(portal));
        var latest = await portal.InScopeAsync(sp => sp.GetRequiredService<IntegrityMonitor>().LatestAsync(default));
        Assert.True(latest!.Intact, latest.Summary);
        Assert.Equal("auditor", latest.TriggeredBy);
        Assert.Null((await admin.GetDocumentAsync("/")).QuerySelector("[data-testid=integrity-alert]"));
    }

    private static Task<int> RunCountAsync(JobsPortal portal) =>
        portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().IntegrityCheckRuns.CountAsync());
}
