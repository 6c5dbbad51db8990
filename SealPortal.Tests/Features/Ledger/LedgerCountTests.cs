using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>
/// The grid's pager counts what a filter matches. Department and kind together are counted from one index, never by
/// looking up every entry of the department (at 1,000,000 entries that lookup made the count take a second).
/// </summary>
public class LedgerCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private static ClaimsPrincipal Auditor() =>
        LedgerWorld.As("auditor-x", Roles.Auditor);

    [Fact]
    public async Task Department_and_kind_are_counted_exactly_and_on_sqlite_from_one_covering_index()
    {
        await using var portal = new SealPortalFactory();
        var seal = await LedgerWorld.SealAsync(portal.Services, "计数测试章", null);
        // Entry n: department A when n is odd, else B; physical when n % 3 == 0. A holds 1..11 odd: physical 3 and 9.
        var departments = await DepartmentIdsAsync(portal.Services);
        await LedgerWorld.AppendAsync(portal.Services, Enumerable.Range(1, 12).Select(n =>
            LedgerWorld.Draft(seal.Id, seal.Name, n % 2 == 1 ? departments.A : departments.B, T0.AddHours(n), n,
                kind: n % 3 == 0 ? SealKind.Physical : SealKind.Electronic)).ToArray());

        await using var scope = portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<LedgerQuery>();
        Assert.Equal(2, await query.CountAsync(Auditor(), new LedgerFilter(DepartmentId: departments.A, Kind: SealKind.Physical)));
        Assert.Equal(4, await query.CountAsync(Auditor(), new LedgerFilter(DepartmentId: departments.A, Kind: SealKind.Electronic)));
        Assert.Equal(2, await query.CountAsync(Auditor(), new LedgerFilter(DepartmentId: departments.B, Kind: SealKind.Physical)));
        Assert.Equal(6, await query.CountAsync(Auditor(), new LedgerFilter(DepartmentId: departments.B)));

        if (TestDatabase.UsePostgres)
            return; // PostgreSQL plans by its statistics; a 12-row table is read whole, whatever the indexes.
        var plan = await LedgerWorld.PlanAsync(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>(),
            query.CountedRows(Auditor(), new LedgerFilter(DepartmentId: departments.A, Kind: SealKind.Physical)).ToQueryString());
        Assert.Contains("USING COVERING INDEX IX_LedgerEntries_DepartmentId_Kind_ExecutedAt_Sequence", plan);
    }

    [Fact]
    public async Task The_whole_ledger_is_counted_as_its_chain_length_which_is_its_number_of_entries()
    {
        await using var portal = new SealPortalFactory();
        var seal = await LedgerWorld.SealAsync(portal.Services, "全账计数章", "keeper");
        var keeperId = await LedgerWorld.UserIdAsync(portal.Services, "keeper");
        var departments = await DepartmentIdsAsync(portal.Services);
        await using var scope = portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<LedgerQuery>();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var before = await db.LedgerEntries.CountAsync();
        Assert.Equal(before, await query.CountAsync(Auditor(), new LedgerFilter()));

        await LedgerWorld.AppendAsync(portal.Services, Enumerable.Range(1, 7).Select(n =>
            LedgerWorld.Draft(seal.Id, seal.Name, departments.A, T0.AddHours(n), n)).ToArray());
        await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, departments.B, T0.AddHours(8), 8));

        Assert.Equal(before + 8, await db.LedgerEntries.CountAsync());
        Assert.Equal(before + 8, await query.CountAsync(Auditor(), new LedgerFilter()));
        var admin = LedgerWorld.As("admin-x", Roles.Admin);
        Assert.Equal(before + 8, await query.CountAsync(admin, new LedgerFilter()));
        // Anything narrower is counted as before: a filter, or a keeper (who sees only their seals' entries).
        Assert.Equal(1, await query.CountAsync(Auditor(), new LedgerFilter(DepartmentId: departments.B, SealId: seal.Id)));
        var keeper = LedgerWorld.As(keeperId, Roles.SealKeeper);
        Assert.Equal(await db.LedgerEntries.CountAsync(e => db.Seals.Any(x => x.Id == e.SealId && x.CustodianUserId == keeperId)), await query.CountAsync(keeper, new LedgerFilter()));
        Assert.True(await query.CountAsync(keeper, new LedgerFilter()) >= 8);
    }

    [Fact]
    public async Task A_person_on_a_seal_is_counted_and_paged_from_the_participants_index_alone_also_for_a_keeper()
    {
        await using var portal = new SealPortalFactory();
        var kept = await LedgerWorld.SealAsync(portal.Services, "人章计数甲", "keeper");
        var keeperId = await LedgerWorld.UserIdAsync(portal.Services, "keeper");
        var other = await LedgerWorld.SealAsync(portal.Services, "人章计数乙", null);
        // Entry n: seal "kept" when n is odd; approver head-1 on all (LedgerWorld.Draft), applicant a{n % 3}.
        await LedgerWorld.AppendAsync(portal.Services, Enumerable.Range(1, 12).Select(n =>
        {
            var s = n % 2 == 1 ? kept : other;
            return LedgerWorld.Draft(s.Id, s.Name, s.DepartmentId, T0.AddHours(n), n, applicantId: $"a{n % 3}");
        }).ToArray());

        await using var scope = portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<LedgerQuery>();
        Assert.Equal(6, await query.CountAsync(Auditor(), new LedgerFilter(Person: "head-1", SealId: kept.Id)));
        Assert.Equal(6, await query.CountAsync(Auditor(), new LedgerFilter(Person: "head-1", SealId: other.Id)));
        // a1 applied for 1, 4, 7, 10: on the kept seal 1 and 7.
        Assert.Equal(2, await query.CountAsync(Auditor(), new LedgerFilter(Person: "a1", SealId: kept.Id)));
        var page = await query.PageAsync(Auditor(), new LedgerFilter(Person: "a1", SealId: kept.Id), null);
        Assert.Equal([7L, 1], page.Rows.Select(r => r.Sequence));

        // A keeper sees only their seal's entries under the person filter too, and nothing of a seal they do not keep.
        var keeper = LedgerWorld.As(keeperId, Roles.SealKeeper);
        Assert.Equal(6, await query.CountAsync(keeper, new LedgerFilter(Person: "head-1")));
        Assert.Equal([7L, 1], (await query.PageAsync(keeper, new LedgerFilter(Person: "a1"), null)).Rows.Select(r => r.Sequence));
        Assert.Equal(0, await query.CountAsync(keeper, new LedgerFilter(Person: "head-1", SealId: other.Id)));
        Assert.Empty((await query.PageAsync(keeper, new LedgerFilter(Person: "head-1", SealId: other.Id), null)).Rows);
        var applicantOnly = LedgerWorld.As("a1", Roles.Applicant);
        Assert.Equal(0, await query.CountAsync(applicantOnly, new LedgerFilter(Person: "a1")));
        Assert.Empty((await query.PageAsync(applicantOnly, new LedgerFilter(Person: "a1"), null)).Rows);

        if (TestDatabase.UsePostgres)
            return; // PostgreSQL plans by its statistics; a 12-row table is read whole, whatever the indexes.
        var plan = await LedgerWorld.PlanAsync(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>(),
            query.CountedRows(Auditor(), new LedgerFilter(Person: "head-1", SealId: kept.Id)).ToQueryString());
        Assert.Contains("USING COVERING INDEX IX_LedgerParticipants_UserId_SealId_ExecutedAt_Sequence", plan);
        Assert.DoesNotContain("LedgerEntries", plan);
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
