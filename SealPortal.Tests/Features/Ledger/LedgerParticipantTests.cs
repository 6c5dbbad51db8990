using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>
/// The person filter reads the participants table: whoever applied for, approved or executed a
/// use finds it, once, in the ledger's order and paging; and the migration's backfill derives the
/// same rows from existing entries as Append does for new ones.
/// </summary>
public class LedgerParticipantTests
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);

    private static ClaimsPrincipal Auditor() =>
        LedgerWorld.As("auditor-x", Roles.Auditor);

    private static async Task<List<long>> PersonAsync(IServiceProvider services, LedgerFilter filter, int size)
    {
        var sequences = new List<long>();
        LedgerCursor? before = null;
        do
        {
            await using var scope = services.CreateAsyncScope();
            var page = await scope.ServiceProvider.GetRequiredService<LedgerQuery>().PageAsync(Auditor(), filter, before, size);
            sequences.AddRange(page.Rows.Select(r => r.Sequence));
            before = page.NextBefore;
        }
        while (before is not null);
        return sequences;
    }

    [Fact]
    public async Task Applicants_approvers_and_executors_each_find_their_entries_once_newest_first_across_pages()
    {
        await using var portal = new SealPortalFactory();
        var seal = await LedgerWorld.SealAsync(portal.Services, "参与人测试章", null);
        var other = await LedgerWorld.SealAsync(portal.Services, "另一枚章", null);
        // Entry n: applicant "a{n%3}", executor "k{n%2}"; every draft has approver "head-1".
        // Entry 4 is applied for and executed by the same person, and 7 has that person approve too.
        var drafts = Enumerable.Range(1, 12).Select(n =>
        {
            var s = n % 4 == 0 ? other : seal;
            var d = LedgerWorld.Draft(s.Id, s.Name, s.DepartmentId, T0.AddHours(4 * n), n, applicantId: $"a{n % 3}", executorId: $"k{n % 2}");
            if (n == 4)
                d = d with { ExecutorUserId = "a1" };
            if (n == 7)
                d = d with { Approvers = [.. d.Approvers, new LedgerApproval("a1", "a1 as approver", T0.AddHours(4 * n))] };
            return d;
        }).ToArray();
        await LedgerWorld.AppendAsync(portal.Services, drafts);

        Assert.Equal([12L, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], await PersonAsync(portal.Services, new LedgerFilter(Person: "head-1"), 5));
        Assert.Equal([10L, 7, 4, 1], await PersonAsync(portal.Services, new LedgerFilter(Person: "a1"), 3));
        Assert.Equal([11L, 9, 7, 5, 3, 1], await PersonAsync(portal.Services, new LedgerFilter(Person: " k1 "), 2));
        // The other seal has entries 4, 8 and 12; entry 4's executor is a1, not k0.
        Assert.Equal([12L, 8], await PersonAsync(portal.Services, new LedgerFilter(Person: "k0", SealId: other.Id), 50));
        // Entry n was executed at 2026-04-01 08:00 UTC + 4n hours. April 2 in the company's zone (Asia/Shanghai, UTC+8)
        // runs from April 1 16:00 to April 2 16:00 UTC and holds entries 2 to 7.
        Assert.Equal([7L, 6, 5, 4, 3, 2], await PersonAsync(portal.Services, new LedgerFilter(Person: "head-1", From: new DateOnly(2026, 4, 2), To: new DateOnly(2026, 4, 2)), 4));
        Assert.Equal([10L, 7, 4], await PersonAsync(portal.Services, new LedgerFilter(Person: "a1", From: new DateOnly(2026, 4, 2)), 50));
        Assert.Empty(await PersonAsync(portal.Services, new LedgerFilter(Person: "nobody"), 50));
        Assert.Empty(await PersonAsync(portal.Services, new LedgerFilter(Person: "head-1", From: new DateOnly(2026, 4, 4)), 50));

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var a1 = await db.LedgerParticipants.AsNoTracking().Where(p => p.UserId == "a1").OrderBy(p => p.Sequence).ToListAsync();
        Assert.Equal([LedgerParticipation.Applicant, LedgerParticipation.Applicant | LedgerParticipation.Executor,
            LedgerParticipation.Applicant | LedgerParticipation.Approver, LedgerParticipation.Applicant], a1.Select(p => p.Participation));
        var entries = await db.LedgerEntries.AsNoTracking().ToDictionaryAsync(e => e.Id);
        Assert.All(a1, p => Assert.Equal((entries[p.LedgerEntryId].Sequence, entries[p.LedgerEntryId].ExecutedAt), (p.Sequence, p.ExecutedAt)));
    }

    [Fact]
    public async Task The_migration_backfill_derives_the_same_participants_as_append()
    {
        await using var portal = new SealPortalFactory();
        var seal = await LedgerWorld.SealAsync(portal.Services, "回填测试章", null);
        await LedgerWorld.AppendAsync(portal.Services, Enumerable.Range(1, 6).Select(n =>
            LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddHours(n), n, applicantId: n == 2 ? null : $"a{n % 2}", executorId: n % 3 == 0 ? "a1" : null)).ToArray());

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        static string Row(LedgerParticipant p) => $"{p.LedgerEntryId}|{p.UserId}|{p.Sequence}|{p.ExecutedAt:O}|{p.Participation}|{p.SealId}";
        var appended = (await db.LedgerParticipants.AsNoTracking().ToListAsync()).Select(Row).Order().ToList();
        // head-1 on every entry, 5 applicants (none on entry 2), executor a1 on entries 3 (its applicant too: one row) and 6.
        Assert.Equal(6 + 5 + 1, appended.Count);
        Assert.All(await db.LedgerParticipants.AsNoTracking().ToListAsync(), p => Assert.Equal(seal.Id, p.SealId));

        // Back to before the table existed (the entries stay), then forward again: the backfill runs.
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        var participants = migrations.Single(m => m.EndsWith("_AppendOnlyLedger", StringComparison.Ordinal));
        await migrator.MigrateAsync(migrations[migrations.IndexOf(participants) - 1]);
        Assert.Equal(6, await db.LedgerEntries.CountAsync());
        await migrator.MigrateAsync();

        var backfilled = (await db.LedgerParticipants.AsNoTracking().ToListAsync()).Select(Row).Order().ToList();
        Assert.Equal(appended, backfilled);
    }
}
