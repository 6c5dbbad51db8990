using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SealPortal.Data;
using SealPortal.Features.AuditTrail;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Features.Audits;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>
/// The database's own guard on the two chains (migration AppendOnlyLedger, see
/// <see cref="AppendOnlyTables"/>), on the configured provider: whatever sends an UPDATE or DELETE,
/// the row stays as it was and the error names the table.
/// </summary>
public class AppendOnlyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 6, 10, 0, 0, TimeSpan.FromHours(8));

    private static readonly string[] Guarded = ["AuditEvents", "ChainAnchors", "LedgerEntries", "LedgerParticipants"];

    [Fact]
    public async Task Saved_ledger_entries_and_audit_events_cannot_be_changed_or_removed_through_ef()
    {
        await using var portal = new SealPortalFactory();
        await FillAsync(portal);
        var before = await SnapshotAsync(portal);

        await RefusedAsync(portal, "LedgerEntries", "UPDATE", async db =>
        {
            var entry = await db.LedgerEntries.SingleAsync(e => e.Sequence == 2);
            entry.Copies += 5;
            entry.DocumentName = "other.pdf";
            await db.SaveChangesAsync();
        });
        await RefusedAsync(portal, "LedgerEntries", "DELETE", async db =>
        {
            db.LedgerEntries.Remove(await db.LedgerEntries.SingleAsync(e => e.Sequence == 1));
            await db.SaveChangesAsync();
        });
        await RefusedAsync(portal, "AuditEvents", "UPDATE", async db =>
        {
            var e = await db.AuditEvents.OrderBy(x => x.Sequence).FirstAsync(x => x.Action == AuditAction.LedgerExported);
            e.Actor = "someone else";
            await db.SaveChangesAsync();
        });
        await RefusedAsync(portal, "AuditEvents", "DELETE", async db =>
        {
            db.AuditEvents.RemoveRange(await db.AuditEvents.ToListAsync());
            await db.SaveChangesAsync();
        });
        await RefusedAsync(portal, "LedgerEntries", "UPDATE", db => db.LedgerEntries.ExecuteUpdateAsync(s => s.SetProperty(e => e.Copies, 9)));
        await RefusedAsync(portal, "AuditEvents", "DELETE", db => db.AuditEvents.Where(e => e.Action == AuditAction.DocumentVerified).ExecuteDeleteAsync());

        Assert.Equal(before, await SnapshotAsync(portal));
        await AppendsStillWorkAsync(portal);
    }

    [Fact]
    public async Task Raw_sql_updates_and_deletes_are_refused_and_other_tables_stay_writable()
    {
        await using var portal = new SealPortalFactory();
        await FillAsync(portal);
        Assert.Equal(Guarded, await portal.Database.AppendOnlyTablesAsync());
        var before = await SnapshotAsync(portal);

        (string Table, string Op, string Sql)[] attempts =
        [
            ("LedgerEntries", "UPDATE", "UPDATE \"LedgerEntries\" SET \"Copies\" = \"Copies\" + 1 WHERE \"Sequence\" = 3"),
            ("LedgerEntries", "UPDATE", "UPDATE \"LedgerEntries\" SET \"Sequence\" = \"Sequence\" + 100"),
            ("LedgerEntries", "DELETE", "DELETE FROM \"LedgerEntries\" WHERE \"Sequence\" = 2"),
            ("LedgerEntries", "DELETE", "DELETE FROM \"LedgerEntries\""),
            ("AuditEvents", "UPDATE", "UPDATE \"AuditEvents\" SET \"Actor\" = 'someone else' WHERE \"Action\" = 'LedgerExported'"),
            ("AuditEvents", "DELETE", "DELETE FROM \"AuditEvents\""),
            ("LedgerParticipants", "UPDATE", "UPDATE \"LedgerParticipants\" SET \"UserId\" = 'someone else'"),
            ("LedgerParticipants", "DELETE", "DELETE FROM \"LedgerParticipants\" WHERE \"Sequence\" = 2"),
        ];
        if (TestDatabase.UsePostgres)
        {
            attempts =
            [
                .. attempts,
                ("AuditEvents", "TRUNCATE", "TRUNCATE \"AuditEvents\""),
                // CASCADE because audit items reference entries; the guard refuses it all the same.
                ("LedgerEntries", "TRUNCATE", "TRUNCATE \"LedgerEntries\" CASCADE"),
            ];
        }
        foreach (var (table, op, sql) in attempts)
            await RefusedAsync(portal, table, op, db => db.Database.ExecuteSqlRawAsync(sql));

        Assert.Equal(before, await SnapshotAsync(portal));
        // Only the chains are guarded: the rest of the schema takes edits as before.
        await LedgerWorld.SqlAsync(portal.Services,
            "UPDATE \"Departments\" SET \"Name\" = \"Name\" || ' (renamed)'",
            "INSERT INTO \"Departments\" (\"Name\") VALUES ('append-only test')",
            "UPDATE \"Departments\" SET \"Name\" = 'append-only test (renamed)' WHERE \"Name\" = 'append-only test'",
            "DELETE FROM \"Departments\" WHERE \"Name\" = 'append-only test (renamed)'");
        Assert.All(await portal.QueryAsync(db => db.Departments.Select(d => d.Name).ToListAsync()), n => Assert.EndsWith(" (renamed)", n));
        await AppendsStillWorkAsync(portal);
    }

    [Fact]
    public async Task Reverting_the_migration_removes_the_guard_and_applying_it_again_restores_it()
    {
        await using var portal = new SealPortalFactory();
        await FillAsync(portal);
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var migrations = db.Database.GetMigrations().ToList();
        var guard = migrations.Single(m => m.EndsWith("_AppendOnlyLedger", StringComparison.Ordinal));
        var migrator = db.GetService<IMigrator>();

        await migrator.MigrateAsync(migrations[migrations.IndexOf(guard) - 1]);
        Assert.Empty(await portal.Database.AppendOnlyTablesAsync());
        await LedgerWorld.SqlAsync(portal.Services, "UPDATE \"LedgerEntries\" SET \"Copies\" = \"Copies\" + 1 WHERE \"Sequence\" = 2");
        // The edit went through, and the chain tells (its hash no longer matches). The full check reads
        // the anchors too, whose table this older schema does not have, so entry 2 is hashed here directly.
        var edited = await portal.QueryAsync(d => d.LedgerEntries.AsNoTracking().SingleAsync(e => e.Sequence == 2));
        Assert.NotEqual(edited.Hash, ChainCanonicalForm.Hash(edited));
        await LedgerWorld.SqlAsync(portal.Services, "UPDATE \"LedgerEntries\" SET \"Copies\" = \"Copies\" - 1 WHERE \"Sequence\" = 2");

        await migrator.MigrateAsync();
        Assert.Equal(Guarded, await portal.Database.AppendOnlyTablesAsync());
        await RefusedAsync(portal, "LedgerEntries", "UPDATE", d => d.Database.ExecuteSqlRawAsync("UPDATE \"LedgerEntries\" SET \"Copies\" = 7"));
        Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).Intact);
    }

    [Fact]
    public void Table_names_that_are_not_plain_identifiers_are_refused_before_any_sql_is_made()
    {
        Assert.Throws<ArgumentException>(() => AppendOnlyTables.ProtectStatements(DatabaseProvider.Sqlite, "x\"; DROP TABLE y; --").ToList());
        Assert.Throws<ArgumentException>(() => AppendOnlyTables.UnprotectStatements(DatabaseProvider.Postgres, "a'b").ToList());
        Assert.Contains("RAISE(ABORT, 'LedgerParticipants is append-only: UPDATE refused')",
            string.Join("\n", AppendOnlyTables.ProtectStatements(DatabaseProvider.Sqlite, "LedgerParticipants")));
    }

    private static async Task FillAsync(SealPortalFactory portal)
    {
        var seal = await LedgerWorld.SealAsync(portal.Services, "只增测试章", null);
        await LedgerWorld.AppendAsync(portal.Services,
            [.. Enumerable.Range(1, 3).Select(i => LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddMinutes(i), i))]);
        await using var scope = portal.Services.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        await audit.RecordAsync(AuditAction.LedgerExported, detail: "CSV", actor: "auditor");
        await audit.RecordAsync(AuditAction.DocumentVerified, detail: "x.pdf", actor: "auditor");
    }

    /// <summary>Every stored row of both chains in its canonical (hashed) form, with its stored hash, and the participant rows.</summary>
    private static async Task<string> SnapshotAsync(SealPortalFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var ledger = await db.LedgerEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        var audit = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        var participants = await db.LedgerParticipants.AsNoTracking().OrderBy(p => p.LedgerEntryId).ThenBy(p => p.UserId).ToListAsync();
        return string.Join("\n---\n", ledger.Select(e => $"{e.Id} {e.Hash}\n{ChainCanonicalForm.Serialize(e)}")
            .Concat(audit.Select(e => $"{e.Id} {e.Hash}\n{ChainCanonicalForm.Serialize(e)}"))
            .Concat(participants.Select(p => $"{p.LedgerEntryId} {p.UserId} {p.Sequence} {p.ExecutedAt:O} {p.Participation}")));
    }

    /// <summary>After the refusals the chains are intact and take new links as before.</summary>
    private static async Task AppendsStillWorkAsync(SealPortalFactory portal)
    {
        var seal = await LedgerWorld.SealAsync(portal.Services, "只增测试章二", null);
        await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddHours(1), 4));
        var report = await LedgerWorld.VerifyAsync(portal.Services);
        Assert.True(report.Intact, report.Ledger.Problem ?? report.AuditTrail.Problem);
        Assert.Equal(4, report.Ledger.EntriesChecked);
    }

    private static async Task RefusedAsync(SealPortalFactory portal, string table, string op, Func<SealPortalDbContext, Task> change)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => change(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>()));
        var db = Chain(error).OfType<DbException>().FirstOrDefault();
        Assert.True(db is not null, $"not a database error: {error}");
        Assert.Contains($"{AppendOnlyTables.Message(table)}: {op} refused", db.Message);
        if (TestDatabase.UsePostgres)
            Assert.Equal(AppendOnlyTables.PostgresSqlState, Assert.IsType<PostgresException>(db).SqlState);
        else
            Assert.Equal(1811, Assert.IsType<SqliteException>(db).SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_TRIGGER, from RAISE(ABORT)
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            yield return x;
    }
}
