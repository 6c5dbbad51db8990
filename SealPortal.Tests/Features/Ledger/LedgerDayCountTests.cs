using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>
/// The database counts ledger entries per seal and UTC day (LedgerDayCounts, an insert trigger), and the grid's deep
/// jumps add up those days instead of skipping half the ledger's index. The counts must follow every insert, the jumps
/// through them must land on exactly the rows of a plain skip, and counts that do not add up must not be trusted.
/// </summary>
public class LedgerDayCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private const int Entries = 47;
    private const int Take = 6;

    /// <summary>A ledger query whose grid jumps use the day counts however near an end the page is.</summary>
    private static LedgerQuery CountsAtEveryDistance(IServiceProvider services) =>
        new(services.GetRequiredService<SealPortalDbContext>(), services.GetRequiredService<CompanyTime>()) { NearEnd = 0 };

    /// <summary>
    /// Entry n executes (7n mod 13) * 9 hours after T0, across five UTC days, with ties and out of sequence order; one
    /// more entry, appended last, executed a month earlier. Seal "other" when n % 3 == 0, else kept2 when n % 5 == 0, else kept.
    /// </summary>
    private static async Task<(int Kept, int Kept2, int Other, string KeeperId)> FillAsync(SealPortalFactory portal)
    {
        var kept = await LedgerWorld.SealAsync(portal.Services, "日计数章甲", "keeper");
        var kept2 = await LedgerWorld.SealAsync(portal.Services, "日计数章乙", "keeper");
        var other = await LedgerWorld.SealAsync(portal.Services, "日计数章丙", null);
        var drafts = Enumerable.Range(1, Entries).Select(n =>
        {
            var s = n % 3 == 0 ? other : n % 5 == 0 ? kept2 : kept;
            return LedgerWorld.Draft(s.Id, s.Name, s.DepartmentId, T0.AddHours(7 * n % 13 * 9), n);
        }).ToArray();
        // Two saves: the first half, then the rest with the late-recorded entry from a month before.
        await LedgerWorld.AppendAsync(portal.Services, drafts[..20]);
        await LedgerWorld.AppendAsync(portal.Services, [.. drafts[20..], LedgerWorld.Draft(kept.Id, kept.Name, kept.DepartmentId, T0.AddDays(-30).AddHours(23.5), 999)]);
        return (kept.Id, kept2.Id, other.Id, await LedgerWorld.UserIdAsync(portal.Services, "keeper"));
    }

    [Fact]
    public async Task The_counts_follow_every_insert_and_the_backfill_counts_the_same()
    {
        await using var portal = new SealPortalFactory();
        await FillAsync(portal);
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();

        async Task<List<(int, DateOnly, int)>> Expected()
        {
            var entries = (await db.LedgerEntries.AsNoTracking().Select(e => new { e.SealId, e.ExecutedAt }).ToListAsync())
                .Select(e => (e.SealId, Day: DateOnly.FromDateTime(e.ExecutedAt.ToUniversalTime()))).ToList();
            // Each seal's days, and each day's row for all seals together.
            return entries.GroupBy(e => e).Select(g => (g.Key.SealId, g.Key.Day, g.Count()))
                .Concat(entries.GroupBy(e => e.Day).Select(g => (LedgerDayCount.AllSeals, g.Key, g.Count())))
                .Order().ToList();
        }
        async Task<List<(int, DateOnly, int)>> Stored() =>
            (await db.LedgerDayCounts.AsNoTracking().ToListAsync()).Select(c => (c.SealId, c.Day, c.Count)).Order().ToList();

        var expected = await Expected();
        // Not vacuous: several seals over several days, some days with more than one entry of a seal.
        Assert.True(expected.Select(e => e.Item2).Distinct().Count() >= 6, string.Join(", ", expected));
        Assert.Contains(expected, e => e.Item1 != LedgerDayCount.AllSeals && e.Item3 > 1);
        Assert.True(expected.Select(e => e.Item1).Distinct().Count() >= 4, "the demo's seals, the test's three and the all-seals rows");
        Assert.Equal(expected, await Stored());

        // The migration's statement for the entries written before the table existed counts them the same way.
        var provider = TestDatabase.UsePostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{LedgerDayCountSql.Table}\"");
        Assert.Empty(await Stored());
        await db.Database.ExecuteSqlRawAsync(LedgerDayCountSql.BackfillSql(provider));
        Assert.Equal(expected, await Stored());
    }

    [Fact]
    public async Task Jumps_through_the_day_counts_hold_the_rows_of_a_plain_skip_for_each_reader_filter_and_order()
    {
        await using var portal = new SealPortalFactory();
        var (kept, kept2, other, keeperId) = await FillAsync(portal);
        var auditor = LedgerWorld.As("auditor-x", Roles.Auditor);
        var keeper = LedgerWorld.As(keeperId, Roles.SealKeeper);
        var cases = new (string Name, ClaimsPrincipal User, LedgerFilter Filter)[]
        {
            ("auditor, no filter", auditor, new()),
            ("auditor, seal", auditor, new(SealId: kept)),
            ("auditor, another seal", auditor, new(SealId: other)),
            ("keeper, no filter", keeper, new()),
            ("keeper, seal", keeper, new(SealId: kept2)),
        };

        await using var scope = portal.Services.CreateAsyncScope();
        // Every jump of this small ledger is near an end, which the portal walks; with no "near", the grid's jumps use the counts.
        var query = CountsAtEveryDistance(scope.ServiceProvider);
        foreach (var (name, user, filter) in cases)
        {
            var newest = new List<LedgerCursor>();
            await foreach (var row in query.StreamAsync(user, filter))
                newest.Add(new LedgerCursor(row.ExecutedAt, row.Sequence));
            var total = await query.CountAsync(user, filter);
            Assert.True(total == newest.Count && total >= 5, $"{name}: counted {total}, streamed {newest.Count}");
            foreach (var oldestFirst in new[] { false, true })
            {
                var list = oldestFirst ? Enumerable.Reverse(newest).ToList() : newest;
                for (var position = 0; position < total; position++)
                {
                    // The counts answer every position the filter covers, and with the key of exactly that row.
                    var jump = await query.ByDayCountsAsync(user, filter, oldestFirst, position, total);
                    Assert.True(jump is not null, $"{name}: the day counts did not answer position {position}");
                    Assert.True(list[position] == jump.Before, $"{name}, {(oldestFirst ? "oldest" : "newest")} first, position {position}: {jump.Before}, expected {list[position]}");
                }
                for (var skip = Take; skip < total + Take; skip += Take)
                {
                    var got = (await query.GridPageAsync(user, filter, oldestFirst, skip, Take, total, after: null)).Select(r => r.Sequence).ToList();
                    var want = list.Skip(skip).Take(Take).Select(c => c.Sequence).ToList();
                    Assert.True(want.SequenceEqual(got), $"{name}, skip {skip}: [{string.Join(",", got)}], expected [{string.Join(",", want)}]");
                }
            }
        }

        // Filters the counts do not cover are left to the index walk.
        Assert.Null(await query.ByDayCountsAsync(auditor, new LedgerFilter(Kind: SealKind.Electronic), false, 3, Entries));
        Assert.Null(await query.ByDayCountsAsync(auditor, new LedgerFilter(From: new DateOnly(2026, 5, 2)), false, 3, Entries));
        Assert.Null(await query.ByDayCountsAsync(LedgerWorld.As("a1", Roles.Applicant), new LedgerFilter(), false, 0, 0));
    }

    [Fact]
    public async Task Counts_that_do_not_add_up_are_not_trusted_and_the_page_is_still_right()
    {
        await using var portal = new SealPortalFactory();
        var (kept, _, _, _) = await FillAsync(portal);
        var auditor = LedgerWorld.As("auditor-x", Roles.Auditor);
        var filter = new LedgerFilter(SealId: kept);
        await using var scope = portal.Services.CreateAsyncScope();
        var query = CountsAtEveryDistance(scope.ServiceProvider);
        var total = await query.CountAsync(auditor, filter);
        var newest = new List<long>();
        await foreach (var row in query.StreamAsync(auditor, filter))
            newest.Add(row.Sequence);
        Assert.NotNull(await query.ByDayCountsAsync(auditor, filter, false, total / 2, total));

        // One day's count raised behind the portal's back: the days no longer add up to the list.
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var day = await db.LedgerDayCounts.Where(c => c.SealId == kept).OrderBy(c => c.Day).Select(c => c.Day).FirstAsync();
        Assert.Equal(1, await db.LedgerDayCounts.Where(c => c.SealId == kept && c.Day == day).ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count + 3)));
        Assert.Null(await query.ByDayCountsAsync(auditor, filter, false, total / 2, total));
        // Counts moved between days so that they still add up, but one day now claims more rows than it has: that is noticed too.
        Assert.Equal(1, await db.LedgerDayCounts.Where(c => c.SealId == kept && c.Day == day).ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count - 3 + newest.Count)));
        await db.LedgerDayCounts.Where(c => c.SealId == kept && c.Day != day).ExecuteDeleteAsync();
        Assert.Null(await query.ByDayCountsAsync(auditor, filter, true, newest.Count - 1, total));
        for (var skip = Take; skip < total; skip += Take)
        {
            var got = (await query.GridPageAsync(auditor, filter, false, skip, Take, total, after: null)).Select(r => r.Sequence);
            Assert.Equal(newest.Skip(skip).Take(Take), got);
        }
    }
}
