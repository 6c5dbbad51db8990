using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.AuditTrail;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>
/// The chains on the configured provider (SQLite, or PostgreSQL with SEALPORTAL_TEST_DB=postgres):
/// each test has a portal (database) of its own because the chains are global.
/// </summary>
public class LedgerChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 9, 30, 15, TimeSpan.FromHours(8));

    [Fact]
    public async Task Entries_read_back_from_the_database_hash_to_what_was_stored_and_link_in_order()
    {
        await using var portal = new SealPortalFactory();
        var seal = await LedgerWorld.SealAsync(portal.Services, "链测试章", null);
        await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0, 1));
        await LedgerWorld.AppendAsync(portal.Services,
            LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddMinutes(1), 2),
            LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddMinutes(2), 3));

        await using var scope = portal.Services.CreateAsyncScope();
        var entries = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().LedgerEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Sequence));
        Assert.Equal(ChainCanonicalForm.Genesis, entries[0].PreviousHash);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(entries[i].Hash, ChainCanonicalForm.Hash(entries[i]));
            if (i > 0)
                Assert.Equal(entries[i - 1].Hash, entries[i].PreviousHash);
        }
        // The time as read back is the UTC microsecond the ledger hashed (ticks below a microsecond cut).
        Assert.Equal(new DateTime(2026, 3, 4, 1, 30, 15, DateTimeKind.Utc), entries[0].ExecutedAt);
        Assert.Equal(DateTimeKind.Utc, entries[0].ExecutedAt.Kind);
        Assert.Contains("executedAt=27:2026-03-04T01:30:15.000000Z\n", ChainCanonicalForm.Serialize(entries[0]));
        Assert.Equal("王芳 Wang Fang", LedgerApprovals.FromJson(entries[0].ApproversJson)[0].Name);
        Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).Intact);
    }

    [Fact]
    public async Task Concurrent_appends_from_two_contexts_never_fork_the_chain()
    {
        await using var portal = new SealPortalFactory();
        var seal = await LedgerWorld.SealAsync(portal.Services, "并发测试章", null);
        async Task Writer(int w)
        {
            for (var i = 0; i < 8; i++)
            {
                await using var scope = portal.Services.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<SealLedger>().Append(LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0, w * 100 + i));
                scope.ServiceProvider.GetRequiredService<AuditTrail>().Add(AuditAction.SealApplied, subject: $"writer {w}");
                await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SaveChangesAsync();
            }
        }
        await Task.WhenAll(Task.Run(() => Writer(1)), Task.Run(() => Writer(2)), Task.Run(() => Writer(3)));

        await using var check = portal.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), await db.LedgerEntries.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
        var report = await LedgerWorld.VerifyAsync(portal.Services);
        Assert.True(report.Intact, report.Ledger.Problem ?? report.AuditTrail.Problem);
        Assert.Equal(24, report.Ledger.EntriesChecked);
        Assert.True(report.AuditTrail.EntriesChecked >= 24);
    }

    [Fact]
    public async Task An_append_is_part_of_the_callers_transaction_and_a_rollback_leaves_no_entry()
    {
        await using var portal = new SealPortalFactory();
        var seal = await LedgerWorld.SealAsync(portal.Services, "事务测试章", null);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            scope.ServiceProvider.GetRequiredService<SealLedger>().Append(LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0, 1));
            db.Departments.Add(new Department { Name = "回滚部" });
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }
        await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0, 2));

        await using var check = portal.Services.CreateAsyncScope();
        var db2 = check.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        Assert.False(await db2.Departments.AnyAsync(d => d.Name == "回滚部"));
        var only = await db2.LedgerEntries.SingleAsync();
        Assert.Equal((1L, 1002), (only.Sequence, only.SealRequestId!.Value));
        Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).Intact);
    }

    [Fact]
    public async Task Edit_delete_and_reorder_made_behind_the_apps_back_are_named_and_undoing_them_restores_the_chain()
    {
        await using var portal = new SealPortalFactory();
        var seal = await LedgerWorld.SealAsync(portal.Services, "篡改测试章", null);
        for (var i = 1; i <= 5; i++)
            await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddMinutes(i), i));
        Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).Intact);
        // The database refuses these changes itself (AppendOnlyTests); someone with owner rights can
        // drop that guard, and the chain must still tell.
        Assert.Equal(["AuditEvents", "ChainAnchors", "LedgerEntries", "LedgerParticipants"], await portal.Database.DropAppendOnlyGuardsAsync());

        // Edit: one more copy recorded on entry 3.
        await LedgerWorld.SqlAsync(portal.Services, "UPDATE \"LedgerEntries\" SET \"Copies\" = \"Copies\" + 1 WHERE \"Sequence\" = 3");
        var edited = (await LedgerWorld.VerifyAsync(portal.Services)).Ledger;
        Assert.Equal(3, edited.BrokenSequence);
        Assert.Contains("edited", edited.Problem);
        Assert.Equal(2, edited.EntriesChecked);
        await LedgerWorld.SqlAsync(portal.Services, "UPDATE \"LedgerEntries\" SET \"Copies\" = \"Copies\" - 1 WHERE \"Sequence\" = 3");
        Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).Intact);

        // Delete entry 2 and its participant rows (kept aside to put back).
        await LedgerWorld.SqlAsync(portal.Services,
            "CREATE TABLE \"Kept\" AS SELECT * FROM \"LedgerEntries\" WHERE \"Sequence\" = 2",
            "CREATE TABLE \"KeptParticipants\" AS SELECT * FROM \"LedgerParticipants\" WHERE \"Sequence\" = 2",
            "DELETE FROM \"LedgerParticipants\" WHERE \"Sequence\" = 2",
            "DELETE FROM \"LedgerEntries\" WHERE \"Sequence\" = 2");
        var deleted = (await LedgerWorld.VerifyAsync(portal.Services)).Ledger;
        Assert.Equal(3, deleted.BrokenSequence);
        Assert.Contains("entry 2 is missing", deleted.Problem);
        await LedgerWorld.SqlAsync(portal.Services, "INSERT INTO \"LedgerEntries\" SELECT * FROM \"Kept\"", "DROP TABLE \"Kept\"",
            "INSERT INTO \"LedgerParticipants\" SELECT * FROM \"KeptParticipants\"", "DROP TABLE \"KeptParticipants\"");
        Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).Intact);

        // Reorder: entries 3 and 4 swap places.
        string[] Swap() =>
        [
            "UPDATE \"LedgerEntries\" SET \"Sequence\" = -4 WHERE \"Sequence\" = 4",
            "UPDATE \"LedgerEntries\" SET \"Sequence\" = 4 WHERE \"Sequence\" = 3",
            "UPDATE \"LedgerEntries\" SET \"Sequence\" = 3 WHERE \"Sequence\" = -4",
        ];
        await LedgerWorld.SqlAsync(portal.Services, Swap());
        var reordered = (await LedgerWorld.VerifyAsync(portal.Services)).Ledger;
        Assert.Equal(3, reordered.BrokenSequence);
        Assert.Contains("previous-hash does not match", reordered.Problem);
        await LedgerWorld.SqlAsync(portal.Services, Swap());
        Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).Intact);

        // The audit trail is checked the same way.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            await audit.RecordAsync(AuditAction.LedgerExported, detail: "CSV", actor: "auditor");
            await audit.RecordAsync(AuditAction.DocumentVerified, detail: "x.pdf", actor: "auditor");
        }
        await LedgerWorld.SqlAsync(portal.Services, "UPDATE \"AuditEvents\" SET \"Actor\" = 'someone else' WHERE \"Action\" = 'LedgerExported'");
        var report = await LedgerWorld.VerifyAsync(portal.Services);
        Assert.True(report.Ledger.Intact);
        Assert.False(report.AuditTrail.Intact);
        Assert.Contains("edited", report.AuditTrail.Problem);
    }

    [Fact]
    public async Task Audit_lines_recorded_at_once_are_each_committed_before_their_caller_goes_on_in_one_intact_chain()
    {
        await using var portal = new SealPortalFactory();
        async Task<List<AuditEvent>> LinesAsync()
        {
            await using var scope = portal.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().AuditEvents.AsNoTracking()
                .Where(e => e.Subject == "request batch").OrderBy(e => e.Sequence).ToListAsync();
        }

        // The portal (its database made and migrated) first, not raced by 40 callers.
        Assert.Empty(await LinesAsync());

        // 40 downloads at once share commits (AuditBatch); each caller returns only once its own line is in the database.
        // (The checks take turns: 40 connections at once would be a test of the server's connection limit.)
        using var checks = new SemaphoreSlim(2);
        await Task.WhenAll(Enumerable.Range(1, 40).Select(i => Task.Run(async () =>
        {
            await using (var scope = portal.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<AuditTrail>().RecordAsync(AuditAction.DocumentDownloaded, $"doc-{i}.pdf", "request batch", actor: "applicant");
            await checks.WaitAsync();
            try
            {
                Assert.Contains(await LinesAsync(), e => e.Detail == $"doc-{i}.pdf");
            }
            finally
            {
                checks.Release();
            }
        })));

        var lines = await LinesAsync();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"doc-{i}.pdf").Order(), lines.Select(e => e.Detail!).Order());
        Assert.All(lines, e => Assert.Equal("applicant", e.Actor));
        Assert.Equal(lines.Count, lines.Select(e => e.Sequence).Distinct().Count());
        Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).AuditTrail.Intact);
    }

    [Fact]
    public async Task Ledger_verify_command_exits_0_when_intact_and_1_naming_the_broken_entry()
    {
        await using var portal = new SealPortalFactory();
        var seal = await LedgerWorld.SealAsync(portal.Services, "命令行测试章", null);
        for (var i = 1; i <= 3; i++)
            await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddMinutes(i), i));
        string[] args = ["verify", "--Database:Provider", portal.Database.Provider, "--ConnectionStrings:SealPortal", portal.Database.ConnectionString];

        var (intact, intactOut) = await RunAsync(args);
        Assert.Equal(0, intact);
        Assert.Contains("ledger: intact, 3 entries", intactOut);

        await portal.Database.DropAppendOnlyGuardsAsync();
        await LedgerWorld.SqlAsync(portal.Services, "UPDATE \"LedgerEntries\" SET \"DocumentName\" = 'other.pdf' WHERE \"Sequence\" = 2");
        var (broken, brokenOut) = await RunAsync(args);
        Assert.Equal(1, broken);
        Assert.Contains("ledger: BROKEN at entry 2", brokenOut);

        Assert.Equal(2, (await RunAsync(["verify", "stray"])).Code);
        Assert.Equal(2, (await RunAsync(["frobnicate"])).Code);
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        var (code, output, error) = await ConsoleCapture.RunAsync(["ledger", .. args]);
        return (code, output + error);
    }
}
