using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SealPortal.Data;

/// <summary>
/// The database's own guard for append-only tables (the seal ledger, the audit trail): triggers that
/// refuse every UPDATE and DELETE (and TRUNCATE on PostgreSQL), whoever sends it. SQL Server fires
/// no trigger on TRUNCATE TABLE; it refuses TRUNCATE only on a table another one references
/// (LedgerEntries), so there the chain alone tells that the others were emptied. The hash chain
/// (IntegrityCheck, <c>ledger verify</c>) detects a change afterwards; the guard stops a mistake or
/// a stray script before it happens. Someone with owner rights can still drop the triggers, which
/// is why the chain stays the proof. Installed by migrations, one line per table:
/// <c>AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Sqlite, "LedgerEntries")</c> in
/// Up and <c>Unprotect</c> with the same arguments in Down.
/// </summary>
/// <remarks>
/// A later migration that must rewrite rows of a protected table has to Unprotect, change, and
/// Protect again in the same migration. On SQLite, EF rebuilds a table for many ALTERs (new table,
/// copy, drop, rename) and the drop takes the triggers with it: such a migration must call Protect
/// again at its end. <see cref="ProtectedTablesQuery"/> shows what is protected.
/// </remarks>
public static partial class AppendOnlyTables
{
    /// <summary>The SQLSTATE PostgreSQL reports for a refused change (a class of our own, "SP" for SealPortal).</summary>
    public const string PostgresSqlState = "SP001";

    /// <summary>The error number SQL Server reports for a refused change (user errors start at 50000).</summary>
    public const int SqlServerErrorNumber = 50_001;

    /// <summary>How every refusal's message starts, e.g. "LedgerEntries is append-only: UPDATE refused".</summary>
    public static string Message(string table) => $"{Checked(table)} is append-only";

    public static void Protect(MigrationBuilder migration, DatabaseProvider provider, string table)
    {
        foreach (var sql in ProtectStatements(provider, table))
            migration.Sql(sql);
    }

    public static void Unprotect(MigrationBuilder migration, DatabaseProvider provider, string table)
    {
        foreach (var sql in UnprotectStatements(provider, table))
            migration.Sql(sql);
    }

    public static IEnumerable<string> ProtectStatements(DatabaseProvider provider, string table)
    {
        var message = Message(table);
        if (provider == DatabaseProvider.Sqlite)
        {
            // SQLite has no statement-level triggers and no TRUNCATE; with a trigger present, even an
            // unfiltered DELETE goes row by row (the truncate shortcut is off), so it is refused too.
            foreach (var op in new[] { "UPDATE", "DELETE" })
            {
                yield return
                    $"CREATE TRIGGER \"{SqliteTrigger(table, op)}\" BEFORE {op} ON \"{table}\" " +
                    $"BEGIN SELECT RAISE(ABORT, '{message}: {op} refused'); END";
            }
            yield break;
        }
        if (provider == DatabaseProvider.SqlServer)
        {
            // CREATE TRIGGER must open its batch, and EF's idempotent script wraps each migration step
            // in IF ... BEGIN ... END; EXEC runs it as a batch of its own either way. An AFTER trigger
            // sees its statement's rows in "inserted"/"deleted"; THROW undoes the statement (and the
            // transaction around it). @@ROWCOUNT first: a statement that touched nothing passes.
            var body =
                $"CREATE TRIGGER [{SqlServerTrigger(table)}] ON [{table}] AFTER UPDATE, DELETE AS\n" +
                "BEGIN\n" +
                "  IF @@ROWCOUNT = 0 RETURN;\n" +
                "  SET NOCOUNT ON;\n" +
                "  DECLARE @operation nvarchar(6) = CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN N'UPDATE' ELSE N'DELETE' END;\n" +
                $"  DECLARE @message nvarchar(200) = N'{message}: ' + @operation + N' refused';\n" +
                $"  THROW {SqlServerErrorNumber}, @message, 1;\n" +
                "END";
            yield return $"EXEC(N'{body.Replace("'", "''")}')";
            yield break;
        }

        // One function per table keeps each table's Protect/Unprotect independent of the others'.
        yield return
            $"CREATE OR REPLACE FUNCTION \"{PostgresFunction(table)}\"() RETURNS trigger LANGUAGE plpgsql AS $$\n" +
            "BEGIN\n" +
            $"  RAISE EXCEPTION USING ERRCODE = '{PostgresSqlState}', MESSAGE = '{message}: ' || TG_OP || ' refused';\n" +
            "END\n$$";
        yield return
            $"CREATE TRIGGER \"{PostgresRowTrigger(table)}\" BEFORE UPDATE OR DELETE ON \"{table}\" " +
            $"FOR EACH ROW EXECUTE FUNCTION \"{PostgresFunction(table)}\"()";
        yield return
            $"CREATE TRIGGER \"{PostgresTruncateTrigger(table)}\" BEFORE TRUNCATE ON \"{table}\" " +
            $"FOR EACH STATEMENT EXECUTE FUNCTION \"{PostgresFunction(table)}\"()";
    }

    public static IEnumerable<string> UnprotectStatements(DatabaseProvider provider, string table)
    {
        Checked(table);
        if (provider == DatabaseProvider.Sqlite)
        {
            foreach (var op in new[] { "DELETE", "UPDATE" })
                yield return $"DROP TRIGGER IF EXISTS \"{SqliteTrigger(table, op)}\"";
            yield break;
        }
        if (provider == DatabaseProvider.SqlServer)
        {
            yield return $"DROP TRIGGER IF EXISTS [{SqlServerTrigger(table)}]";
            yield break;
        }
        yield return $"DROP TRIGGER IF EXISTS \"{PostgresTruncateTrigger(table)}\" ON \"{table}\"";
        yield return $"DROP TRIGGER IF EXISTS \"{PostgresRowTrigger(table)}\" ON \"{table}\"";
        yield return $"DROP FUNCTION IF EXISTS \"{PostgresFunction(table)}\"()";
    }

    /// <summary>A query whose single column lists the tables that currently carry the guard, in name order.</summary>
    public static string ProtectedTablesQuery(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite =>
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name = tbl_name || '_append_only_update' ORDER BY tbl_name",
        DatabaseProvider.SqlServer =>
            "SELECT OBJECT_NAME(t.parent_id) FROM sys.triggers t WHERE t.name = OBJECT_NAME(t.parent_id) + '_append_only' ORDER BY 1",
        _ => "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
             "WHERE t.tgname = c.relname || '_append_only' AND n.nspname = current_schema() ORDER BY c.relname",
    };

    private static string SqliteTrigger(string table, string op) => $"{table}_append_only_{op.ToLowerInvariant()}";

    private static string SqlServerTrigger(string table) => $"{table}_append_only";

    private static string PostgresRowTrigger(string table) => $"{table}_append_only";

    private static string PostgresTruncateTrigger(string table) => $"{table}_append_only_truncate";

    private static string PostgresFunction(string table) => $"{table}_append_only";

    /// <summary>Table names go into SQL text and string literals, so only plain identifiers are accepted.</summary>
    private static string Checked(string table) =>
        PlainIdentifier().IsMatch(table) ? table : throw new ArgumentException($"'{table}' is not a plain table name", nameof(table));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,40}$")]
    private static partial Regex PlainIdentifier();
}
