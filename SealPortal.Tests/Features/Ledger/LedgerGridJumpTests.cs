using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>
/// A page of the ledger grid reached without the page before (a jump) finds the key next to it in an index and reads on
/// from there. Every such page must hold exactly the rows a plain "order, skip, take" of the whole filtered list gives:
/// for every page, both orders, the filters, a keeper's restriction, and execution times that tie and that do not follow
/// the sequence.
/// </summary>
public class LedgerGridJumpTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private const int Entries = 61;
    private const int Take = 7;

    [Fact]
    public async Task Every_jumped_to_page_holds_the_rows_of_a_plain_skip_and_take_for_each_filter_order_and_reader()
    {
        await using var portal = new SealPortalFactory();
        var kept = await LedgerWorld.SealAsync(portal.Services, "跳页测试章甲", "keeper");
        var kept2 = await LedgerWorld.SealAsync(portal.Services, "跳页测试章丙", "keeper");
        var other = await LedgerWorld.SealAsync(portal.Services, "跳页测试章乙", null);
        var keeperId = await LedgerWorld.UserIdAsync(portal.Services, "keeper");
        var (deptA, deptB) = await DepartmentIdsAsync(portal.Services);
        // Entry n executes (7n mod 13) hours after T0: about five entries share each time, and the times do not follow n.
        // Seal "other" when n % 3 == 0, else kept2 when n % 7 == 0, else kept (the keeper keeps both); department A when n is odd; physical when n % 5 == 0; applicant a{n % 4}.
        await LedgerWorld.AppendAsync(portal.Services, Enumerable.Range(1, Entries).Select(n =>
        {
            var s = n % 3 == 0 ? other : n % 7 == 0 ? kept2 : kept;
            return LedgerWorld.Draft(s.Id, s.Name, n % 2 == 1 ? deptA : deptB, T0.AddHours(7 * n % 13), n,
                applicantId: $"a{n % 4}", kind: n % 5 == 0 ? SealKind.Physical : SealKind.Electronic);
        }).ToArray());

        var auditor = LedgerWorld.As("auditor-x", Roles.Auditor);
        var keeper = LedgerWorld.As(keeperId, Roles.SealKeeper);
        var cases = new (string Name, ClaimsPrincipal User, LedgerFilter Filter, int Expected)[]
        {
            ("auditor, no filter", auditor, new(), Entries),
            ("auditor, seal", auditor, new(SealId: kept.Id), 35),
            ("auditor, department + kind", auditor, new(DepartmentId: deptA, Kind: SealKind.Electronic), 25),
            ("auditor, period", auditor, new(To: new DateOnly(2026, 5, 1)), -1),
            ("auditor, person (participants only)", auditor, new(Person: "a1"), 16),
            ("auditor, person + kind (joined to the entries)", auditor, new(Person: "a1", Kind: SealKind.Electronic), -1),
            ("keeper, no filter", keeper, new(), 41),
            ("keeper, person", keeper, new(Person: "a2"), -1),
            ("keeper, department", keeper, new(DepartmentId: deptB), -1),
            ("keeper, kind", keeper, new(Kind: SealKind.Physical), -1),
            ("keeper, seal", keeper, new(SealId: kept2.Id), 6),
            ("keeper, a seal not theirs", keeper, new(SealId: other.Id), 0),
            ("applicant", LedgerWorld.As("a1", Roles.Applicant), new(Person: "a1"), 0),
        };

        await using var scope = portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<LedgerQuery>();
        foreach (var (name, user, filter, expected) in cases)
        {
            // The reference: the whole list as the export streams it (newest first), skipped and taken in memory.
            var all = new List<long>();
            await foreach (var row in query.StreamAsync(user, filter))
                all.Add(row.Sequence);
            var total = await query.CountAsync(user, filter);
            Assert.True(total == all.Count, $"{name}: counted {total}, streamed {all.Count}");
            if (expected >= 0)
                Assert.True(expected == total, $"{name}: {total} rows, expected {expected}");
            foreach (var oldestFirst in new[] { false, true })
            {
                var list = oldestFirst ? Enumerable.Reverse(all).ToList() : all;
                for (var skip = Take; skip < total + Take; skip += Take)
                {
                    var page = await query.GridPageAsync(user, filter, oldestFirst, skip, Take, total, after: null);
                    var want = list.Skip(skip).Take(Take).ToList();
                    var got = page.Select(r => r.Sequence).ToList();
                    Assert.True(want.SequenceEqual(got),
                        $"{name}, {(oldestFirst ? "oldest" : "newest")} first, skip {skip}: [{string.Join(",", got)}], expected [{string.Join(",", want)}]");
                }
            }
        }
        // Not vacuous: the period and the joined person filter match some of the entries and not all.
        Assert.InRange(await query.CountAsync(auditor, new LedgerFilter(To: new DateOnly(2026, 5, 1))), 10, Entries - 10);
        Assert.InRange(await query.CountAsync(auditor, new LedgerFilter(Person: "a1", Kind: SealKind.Electronic)), 5, 15);

        // The unfiltered list against the database's own skip and take, with no code of the ledger query in between.
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var plain = await db.LedgerEntries.OrderBy(e => e.ExecutedAt).ThenBy(e => e.Sequence).Skip(28).Take(Take).Select(e => e.Sequence).ToListAsync();
        Assert.Equal(plain, (await query.GridPageAsync(auditor, new LedgerFilter(), true, 28, Take, Entries, null)).Select(r => r.Sequence));
        var newest = await db.LedgerEntries.OrderByDescending(e => e.ExecutedAt).ThenByDescending(e => e.Sequence).Skip(35).Take(Take).Select(e => e.Sequence).ToListAsync();
        Assert.Equal(newest, (await query.GridPageAsync(auditor, new LedgerFilter(), false, 35, Take, Entries, null)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task On_sqlite_the_jump_walks_an_index_alone_and_no_entry_rows()
    {
        if (TestDatabase.UsePostgres)
            return; // PostgreSQL plans by its statistics; a small table is read whole, whatever the indexes.
        await using var portal = new SealPortalFactory();
        var kept = await LedgerWorld.SealAsync(portal.Services, "跳页计划章", "keeper");
        var kept2 = await LedgerWorld.SealAsync(portal.Services, "跳页计划章乙", "keeper");
        var keeper = LedgerWorld.As(await LedgerWorld.UserIdAsync(portal.Services, "keeper"), Roles.SealKeeper);
        await LedgerWorld.AppendAsync(portal.Services, Enumerable.Range(1, 12).Select(n =>
        {
            var s = n % 2 == 0 ? kept : kept2;
            return LedgerWorld.Draft(s.Id, s.Name, s.DepartmentId, T0.AddHours(n), n, applicantId: "a1");
        }).ToArray());
        await using var scope = portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<LedgerQuery>();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var auditor = LedgerWorld.As("auditor-x", Roles.Auditor);

        foreach (var (filter, index) in new (LedgerFilter, string)[]
        {
            (new(), "IX_LedgerEntries_ExecutedAt_Sequence"),
            (new(SealId: kept.Id, From: new DateOnly(2026, 5, 1)), "IX_LedgerEntries_SealId_ExecutedAt_Sequence"),
            (new(DepartmentId: kept.DepartmentId, Kind: SealKind.Physical), "IX_LedgerEntries_DepartmentId_Kind_ExecutedAt_Sequence"),
            (new(Person: "a1", SealId: kept.Id), "IX_LedgerParticipants_UserId_SealId_ExecutedAt_Sequence"),
        })
        {
            foreach (var oldestFirst in new[] { false, true })
            {
                var plan = await LedgerWorld.PlanAsync(db, query.KeyAt(auditor, filter, oldestFirst, 5).ToQueryString());
                Assert.Contains("USING COVERING INDEX " + index, plan);
                Assert.DoesNotContain("TEMP B-TREE", plan);
            }
        }
        // A keeper's list: each kept seal's range of the seal index, merged in order, with no sort and no entry rows.
        var keptIds = await query.KeptSealIdsAsync(keeper);
        // The demo keeper keeps some of the demo company's seals too.
        Assert.NotNull(keptIds);
        Assert.Contains(kept.Id, keptIds);
        Assert.Contains(kept2.Id, keptIds);
        foreach (var oldestFirst in new[] { false, true })
        {
            var plan = await LedgerWorld.PlanAsync(db, query.KeyAt(keeper, new LedgerFilter(), oldestFirst, 5, keptIds).ToQueryString());
            Assert.Contains("MERGE (UNION ALL)", plan);
            Assert.Contains("USING COVERING INDEX IX_LedgerEntries_SealId_ExecutedAt_Sequence", plan);
            Assert.DoesNotContain("TEMP B-TREE", plan);
            Assert.DoesNotContain("IX_LedgerEntries_ExecutedAt_Sequence", plan);
        }
    }

    private static async Task<(int A, int B)> DepartmentIdsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var ids = await db.Departments.OrderBy(d => d.Id).Select(d => d.Id).Take(2).ToListAsync();
        Assert.Equal(2, ids.Count);
        return (ids[0], ids[1]);
    }
}
