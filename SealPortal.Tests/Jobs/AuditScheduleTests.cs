using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Audits;
using SealPortal.Tests.Features.Ledger;

namespace SealPortal.Tests.Jobs;

public class AuditScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Auditors_are_reminded_once_per_due_period_and_not_while_an_audit_was_opened_recently()
    {
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock,
            new Dictionary<string, string?> { ["Audits:ScheduleDays"] = "30" });
        var auditor = await portal.UserIdAsync("auditor");
        var admin = await portal.UserIdAsync("admin");
        Task<int> Run() => portal.InScopeAsync(sp => sp.GetRequiredService<AuditScheduleReminders>().RunAsync(default));
        Task<List<Notification>> Reminders(string user) => portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().Notifications
            .AsNoTracking().Where(n => n.UserId == user && n.Kind == NotificationKind.AuditSchedule).OrderBy(n => n.Id).ToListAsync());

        // No audit ever: one reminder, linking to the audits page; running again adds nothing.
        Assert.Equal(1, await Run());
        Assert.Equal(0, await Run());
        var first = Assert.Single(await Reminders(auditor));
        Assert.Equal("/audits", first.Link);
        Assert.Empty(await Reminders(admin));

        // An auditor opens an audit the next day.
        clock.Advance(TimeSpan.FromDays(1));
        var seal = await LedgerWorld.SealAsync(portal.Services, "检查提醒测试章", null);
        await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, Start.AddDays(-3)));
        await portal.InScopeAsync(async sp =>
        {
            var opened = await sp.GetRequiredService<SealAuditService>().OpenAsync(
                DateOnly.FromDateTime(Start.AddDays(-10).UtcDateTime), DateOnly.FromDateTime(Start.UtcDateTime), "1", "auditor");
            Assert.True(opened.Succeeded, opened.Error);
        });

        // Within 30 days of that audit nothing is due, however often the job runs.
        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromDays(29.9));
        Assert.Equal(0, await Run());
        Assert.Single(await Reminders(auditor));

        // 30 days after the audit a new reminder comes, once.
        clock.Advance(TimeSpan.FromDays(0.2));
        Assert.Equal(1, await Run());
        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, await Run());

        // Still no audit a whole schedule later: reminded again.
        clock.Advance(TimeSpan.FromDays(20));
        Assert.Equal(1, await Run());
        Assert.Equal(0, await Run());

        var all = await Reminders(auditor);
        Assert.Equal(3, all.Count);
        Assert.Equal(3, all.Select(n => n.DedupKey).Distinct().Count());
        Assert.All(all, n => Assert.Equal("/audits", n.Link));
    }
}
