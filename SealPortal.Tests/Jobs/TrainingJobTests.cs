using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Training;
using SealPortal.Tests.Features.Training;

namespace SealPortal.Tests.Jobs;

/// <summary>The training jobs' work, invoked directly on a fake clock: each reminder once, to the right people.</summary>
public class TrainingJobTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static Task<List<(string UserId, string Key, string? Link)>> NotificationsAsync(JobsPortal portal, string keyPrefix) =>
        portal.InScopeAsync(async sp => (await sp.GetRequiredService<SealPortalDbContext>().Notifications.AsNoTracking()
                .Where(n => n.DedupKey!.StartsWith(keyPrefix)).OrderBy(n => n.Id).Select(n => new { n.UserId, n.DedupKey, n.Link }).ToListAsync())
            .Select(n => (n.UserId, n.DedupKey!, n.Link)).ToList());

    [Fact]
    public async Task A_sessions_audience_and_trainer_are_reminded_once_the_day_before()
    {
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, new Dictionary<string, string?>());
        var training = portal.Services.GetRequiredService<TrainingService>();
        var admin = await TrainingKit.PrincipalAsync(portal, "admin");
        var plan = await training.CreatePlanAsync(admin, new PlanInput("合同审查要点", "内容", TrainingKind.General, null, [Roles.Reviewer], []));
        var trainer = await portal.UserIdAsync("executive");
        var session = await training.AddSessionAsync(admin, plan.Id!.Value, new SessionInput(Start.AddHours(30), 60, "法务部会议室", trainer));
        var past = await training.AddSessionAsync(admin, plan.Id!.Value, new SessionInput(Start.AddHours(-2), 60, "法务部会议室", trainer));
        Assert.True(session.Succeeded && past.Succeeded);
        Task<int> Run() => portal.InScopeAsync(sp => sp.GetRequiredService<TrainingReminders>().RemindSessionsAsync(default));

        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromHours(7));
        Assert.Equal(2, await Run());
        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(0, await Run());

        var sent = await NotificationsAsync(portal, "training-session:");
        Assert.Equal(new[] { await portal.UserIdAsync("reviewer"), trainer }.Order(), sent.Select(n => n.UserId).Order());
        Assert.All(sent, n => Assert.Equal(($"training-session:{session.Id}", $"/training/plans/{plan.Id}"), (n.Key, n.Link)));
        Assert.True(await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().Notifications
            .AnyAsync(n => n.UserId == trainer && n.Subject.Contains("合同审查要点"))));
    }

    [Fact]
    public async Task A_keeper_and_the_administrators_are_told_once_before_keeper_training_lapses_and_once_when_it_has()
    {
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, new Dictionary<string, string?>());
        var keeper = await portal.UserIdAsync("keeper");
        var admin = await portal.UserIdAsync("admin");
        Task<int> Run() => portal.InScopeAsync(sp => sp.GetRequiredService<TrainingReminders>().WarnLapsesAsync(default));

        // Never trained: nothing lapses (the registry refuses a seal to them; there is nothing to announce).
        Assert.Equal(0, await Run());
        // Trained 12 months ago less 40 days: current for 40 more days, so no warning yet.
        await TrainingKit.TrainKeeperAsync(portal, "keeper", daysAgo: (Start - Start.AddMonths(-12)).TotalDays - 40);
        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromDays(11));
        Assert.Equal(2, await Run());
        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(2, await Run());
        Assert.Equal(0, await Run());

        var sent = await NotificationsAsync(portal, "keeper-training:");
        Assert.Equal(4, sent.Count);
        Assert.Equal(new[] { admin, keeper }.Order(), sent.Where(n => n.Key.EndsWith(":soon")).Select(n => n.UserId).Order());
        Assert.Equal(new[] { admin, keeper }.Order(), sent.Where(n => n.Key.EndsWith(":lapsed")).Select(n => n.UserId).Order());
        Assert.All(sent, n => Assert.StartsWith($"keeper-training:{keeper}:", n.Key));
    }
}
