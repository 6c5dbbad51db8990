using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Notifications;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Data;

/// <summary>
/// PortalReads on the run's database: reads running at the same time as the page's own query each get
/// a context of their own (on PostgreSQL a shared one throws "A second operation was started").
/// </summary>
public sealed class PortalReadsTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task Reads_alongside_the_pages_query_each_run_on_a_context_of_their_own_that_is_disposed_after()
    {
        var reads = portal.Services.GetRequiredService<PortalReads>();
        await using var request = portal.Services.CreateAsyncScope();
        var pageDb = request.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var userId = await pageDb.Users.Where(u => u.UserName == "auditor").Select(u => u.Id).SingleAsync();
        SealPortalDbContext? first = null, second = null;

        var page = pageDb.Users.CountAsync();
        var bell = reads.ReadAsync<NotificationInbox, int>((inbox, ct) => inbox.UnreadCountAsync(userId, ct), CancellationToken.None);
        var panel = reads.ReadAsync(async (db, ct) =>
        {
            first = db;
            return await db.Seals.CountAsync(ct);
        }, CancellationToken.None);
        var other = reads.ReadAsync(async (db, ct) =>
        {
            second = db;
            return await db.Departments.CountAsync(ct);
        }, CancellationToken.None);
        await Task.WhenAll(page, bell, panel, other);

        var users = await page;
        Assert.True(users >= 7, $"{users} users");
        Assert.True(await panel > 0 && await other > 0);
        Assert.NotSame(first, second);
        Assert.NotSame(pageDb, first);
        Assert.Throws<ObjectDisposedException>(() => first!.Seals.Count());
        Assert.Equal(users, await pageDb.Users.CountAsync());
    }
}
