using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Live;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Live;

/// <summary>
/// The events table on the configured database (SQLite by default, PostgreSQL with SEALPORTAL_TEST_DB=postgres): written in
/// the same transaction as the change, and read by every dispatcher on the database, not only the writer's.
/// </summary>
public class PortalEventTests(LivePortal portal) : IClassFixture<LivePortal>
{
    [Fact]
    public async Task A_request_change_writes_its_event_in_the_same_transaction_and_a_rollback_leaves_none()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        var contexts = portal.Services.GetRequiredService<IDbContextFactory<SealPortalDbContext>>();
        var before = await portal.WithContextAsync(db => db.PortalEvents.MaxAsync(e => (long?)e.Id)) ?? 0;

        await using (var db = await contexts.CreateDbContextAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var request = await db.SealRequests.SingleAsync(r => r.Id == id);
            request.Status = SealRequestStatus.Withdrawn;
            request.ConcurrencyStamp = Guid.NewGuid();
            await db.SaveChangesAsync();
            // Inside the transaction the event is there, beside the change.
            var inside = await db.PortalEvents.AsNoTracking().Where(e => e.Id > before && e.SealRequestId == id).ToListAsync();
            var e = Assert.Single(inside);
            Assert.Equal(PortalEventKind.RequestChanged, e.Kind);
            Assert.Equal("Withdrawn", e.Status);
            Assert.Contains($"|{applicant}|", e.UserIds);
            await tx.RollbackAsync();
        }
        Assert.Empty(await portal.WithContextAsync(db => db.PortalEvents.Where(e => e.Id > before && e.SealRequestId == id).ToListAsync()));
        Assert.Equal(SealRequestStatus.InApproval, (await SealRequestKit.LoadAsync(portal, id)).Status);

        // A failed save (a stale concurrency token) leaves nothing behind in its context either: the retry writes one event.
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var request = await db.SealRequests.SingleAsync(r => r.Id == id);
            await portal.WithContextAsync(other => other.SealRequests.Where(r => r.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConcurrencyStamp, Guid.NewGuid())));
            request.Status = SealRequestStatus.Withdrawn;
            request.ConcurrencyStamp = Guid.NewGuid();
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
            Assert.Empty(db.ChangeTracker.Entries<PortalEvent>());
            await db.Entry(request).ReloadAsync();
            request.Status = SealRequestStatus.Withdrawn;
            request.ConcurrencyStamp = Guid.NewGuid();
            await db.SaveChangesAsync();
        }
        var committed = await portal.WithContextAsync(db => db.PortalEvents.Where(e => e.Id > before && e.SealRequestId == id).ToListAsync());
        Assert.Equal("Withdrawn", Assert.Single(committed).Status);
    }

    [Fact]
    public async Task Two_dispatchers_on_one_database_each_hear_what_the_other_instance_wrote()
    {
        // On PostgreSQL the poll is an hour: only NOTIFY can wake them. On SQLite the short poll is the way.
        var poll = TestDatabase.UsePostgres ? 3_600_000 : 200;
        var contexts = portal.Services.GetRequiredService<IDbContextFactory<SealPortalDbContext>>();
        var options = Options.Create(new LiveOptions { PollMilliseconds = poll, GapWaitMilliseconds = 1000 });
        var hubs = new[] { new LiveEvents(NullLogger<LiveEvents>.Instance), new LiveEvents(NullLogger<LiveEvents>.Instance) };
        var dispatchers = hubs.Select(h => new LiveEventDispatcher(contexts, h, new LiveSignal(), options, TimeProvider.System,
            NullLogger<LiveEventDispatcher>.Instance)).ToList();
        using var stop = new CancellationTokenSource();
        foreach (var d in dispatchers)
            await d.StartAsync(stop.Token);
        try
        {
            await Task.WhenAll(dispatchers.Select(d => d.Ready)).WaitAsync(TimeSpan.FromSeconds(30));
            var user = Guid.NewGuid().ToString("N");
            var heard = hubs.Select(_ => new List<LiveEvent>()).ToArray();
            var subscriptions = hubs.Select((h, i) => h.Subscribe(user, [], e =>
            {
                lock (heard[i])
                    heard[i].Add(e);
                return Task.CompletedTask;
            })).ToList();

            // Written by "another instance": a context whose save wakes neither of these dispatchers' signals.
            await using (var db = await contexts.CreateDbContextAsync())
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                db.PortalEvents.Add(new PortalEvent { Kind = PortalEventKind.RequestChanged, SealRequestId = 1, Status = "Approved", UserIds = $"|{user}|", CreatedAt = DateTime.UtcNow });
                await db.SaveChangesAsync();
                await tx.RollbackAsync();
            }
            await using (var db = await contexts.CreateDbContextAsync())
            {
                db.PortalEvents.Add(new PortalEvent { Kind = PortalEventKind.Notification, UserIds = $"|{user}|", CreatedAt = DateTime.UtcNow });
                await db.SaveChangesAsync();
            }
            var until = DateTime.UtcNow.AddSeconds(15);
            while (heard.Any(h => { lock (h) return h.Count == 0; }) && DateTime.UtcNow < until)
                await Task.Delay(50);
            await Task.Delay(500);
            foreach (var h in heard)
            {
                lock (h)
                    Assert.Equal([PortalEventKind.Notification], h.Select(e => e.Kind));
            }
            // Someone else's events are not delivered to this user.
            Assert.All(subscriptions, s => s.Dispose());
            Assert.All(hubs, h => Assert.Equal(0, h.Subscribers));
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var d in dispatchers)
                await d.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_hub_delivers_by_user_and_by_role_only()
    {
        var hub = new LiveEvents(NullLogger<LiveEvents>.Instance);
        var got = new List<string>();
        Task Record(string who) { lock (got) got.Add(who); return Task.CompletedTask; }
        using var a = hub.Subscribe("a", ["Applicant"], _ => Record("a"));
        using var k = hub.Subscribe("k", ["SealKeeper"], _ => Record("k"));
        using var x = hub.Subscribe("x", ["Auditor"], _ => Record("x"));
        hub.Publish(new PortalEvent { Id = 1, UserIds = "|a|", Roles = "|SealKeeper|" });
        await Task.Delay(100);
        lock (got)
            Assert.Equal(["a", "k"], got.Order());
    }
}
