using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SealPortal.Data;

/// <summary>
/// How many ledger entries of one seal were executed on one day (UTC). The ledger grid uses these
/// counts to jump to a page deep in a long list: it adds up days from the newest (or oldest) end
/// until it reaches the page, then skips only within that day. Without them a jump to the middle of
/// 1,000,000 entries walked 500,000 index entries (60-70 ms on PostgreSQL).
/// The database keeps the counts itself, with a trigger on every insert into LedgerEntries
/// (<see cref="LedgerDayCountSql"/>), so every way an entry is written counts it, in the same statement.
/// They are not evidence: they are not in the hash chain, and the grid checks that they add up to the
/// list's count before it trusts them (otherwise it skips through the index as before).
/// </summary>
public class LedgerDayCount
{
    /// <summary>
    /// The seal, or <see cref="AllSeals"/> for the row that counts every seal's entries of the day: the whole ledger's
    /// jump reads about 365 rows a year instead of adding up every seal's.
    /// </summary>
    public int SealId { get; set; }

    /// <summary>The <see cref="SealId"/> of a day's row for all seals together (seal ids start at 1).</summary>
    public const int AllSeals = 0;

    /// <summary>The UTC calendar day of the entries' ExecutedAt.</summary>
    public DateOnly Day { get; set; }

    public int Count { get; set; }
}

internal sealed class LedgerDayCountConfiguration : IEntityTypeConfiguration<LedgerDayCount>
{
    public void Configure(EntityTypeBuilder<LedgerDayCount> e)
    {
        e.ToTable(LedgerDayCountSql.Table);
        e.HasKey(x => new { x.SealId, x.Day });
    }
}

/// <summary>The trigger that keeps <see cref="LedgerDayCount"/> rows, and the statement that fills them for entries already there.</summary>
public static class LedgerDayCountSql
{
    public const string Table = "LedgerDayCounts";

    /// <summary>The insert trigger's name on LedgerEntries (SQL Server's model declares it, so EF does not use OUTPUT without INTO there).</summary>
    public const string Trigger = "LedgerEntries_day_count";

    private const string PostgresFunction = "LedgerEntries_day_count";

    /// <summary>Creates the table's trigger and counts the entries already in the ledger (a migration step).</summary>
    public static void Create(MigrationBuilder migration, DatabaseProvider provider)
    {
        foreach (var sql in CreateStatements(provider))
            migration.Sql(sql);
        migration.Sql(BackfillSql(provider));
    }

    public static void Drop(MigrationBuilder migration, DatabaseProvider provider)
    {
        foreach (var sql in DropStatements(provider))
            migration.Sql(sql);
    }

    public static IEnumerable<string> CreateStatements(DatabaseProvider provider)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                // ExecutedAt is stored as text, "yyyy-MM-dd HH:mm:ss[.fffffff]" in UTC: its first ten characters are the
                // day, written as EF writes a DateOnly. One row at a time: SQLite has no statement-level triggers.
                yield return
                    $"CREATE TRIGGER \"{Trigger}\" AFTER INSERT ON \"LedgerEntries\" BEGIN " +
                    $"INSERT INTO \"{Table}\" (\"SealId\", \"Day\", \"Count\") VALUES (NEW.\"SealId\", {DayOf(provider, "NEW.")}, 1), " +
                    $"({LedgerDayCount.AllSeals}, {DayOf(provider, "NEW.")}, 1) " +
                    "ON CONFLICT (\"SealId\", \"Day\") DO UPDATE SET \"Count\" = \"Count\" + 1; END";
                yield break;
            case DatabaseProvider.SqlServer:
                // As the append-only guards: EXEC gives CREATE TRIGGER a batch of its own inside the idempotent script.
                // HOLDLOCK makes the MERGE's "is the row there" and its insert one step for concurrent writers.
                var body =
                    $"CREATE TRIGGER [{Trigger}] ON [LedgerEntries] AFTER INSERT AS\n" +
                    "BEGIN\n" +
                    "  IF @@ROWCOUNT = 0 RETURN;\n" +
                    "  SET NOCOUNT ON;\n" +
                    $"  MERGE [{Table}] WITH (HOLDLOCK) AS t\n" +
                    $"  USING (SELECT [SealId], {DayOf(provider)} AS [Day], COUNT(*) AS [Added] FROM inserted GROUP BY [SealId], {DayOf(provider)}\n" +
                    $"         UNION ALL SELECT {LedgerDayCount.AllSeals}, {DayOf(provider)}, COUNT(*) FROM inserted GROUP BY {DayOf(provider)}) AS s\n" +
                    "  ON t.[SealId] = s.[SealId] AND t.[Day] = s.[Day]\n" +
                    "  WHEN MATCHED THEN UPDATE SET t.[Count] = t.[Count] + s.[Added]\n" +
                    "  WHEN NOT MATCHED THEN INSERT ([SealId], [Day], [Count]) VALUES (s.[SealId], s.[Day], s.[Added]);\n" +
                    "END";
                yield return $"EXEC(N'{body.Replace("'", "''")}')";
                yield break;
            default:
                // Once per statement, over the statement's new rows (a transition table): a COPY of a million entries
                // adds its counts in one grouped upsert instead of a million.
                yield return
                    $"CREATE OR REPLACE FUNCTION \"{PostgresFunction}\"() RETURNS trigger LANGUAGE plpgsql AS $$\n" +
                    "BEGIN\n" +
                    $"  INSERT INTO \"{Table}\" (\"SealId\", \"Day\", \"Count\")\n" +
                    $"  SELECT \"SealId\", {DayOf(provider)}, count(*) FROM added GROUP BY 1, 2\n" +
                    $"  UNION ALL SELECT {LedgerDayCount.AllSeals}, {DayOf(provider)}, count(*) FROM added GROUP BY 2\n" +
                    $"  ON CONFLICT (\"SealId\", \"Day\") DO UPDATE SET \"Count\" = \"{Table}\".\"Count\" + EXCLUDED.\"Count\";\n" +
                    "  RETURN NULL;\n" +
                    "END\n$$";
                yield return
                    $"CREATE TRIGGER \"{Trigger}\" AFTER INSERT ON \"LedgerEntries\" REFERENCING NEW TABLE AS added " +
                    $"FOR EACH STATEMENT EXECUTE FUNCTION \"{PostgresFunction}\"()";
                yield break;
        }
    }

    public static IEnumerable<string> DropStatements(DatabaseProvider provider)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                yield return $"DROP TRIGGER IF EXISTS \"{Trigger}\"";
                yield break;
            case DatabaseProvider.SqlServer:
                yield return $"DROP TRIGGER IF EXISTS [{Trigger}]";
                yield break;
            default:
                yield return $"DROP TRIGGER IF EXISTS \"{Trigger}\" ON \"LedgerEntries\"";
                yield return $"DROP FUNCTION IF EXISTS \"{PostgresFunction}\"()";
                yield break;
        }
    }

    /// <summary>Counts the entries already in the ledger into an empty table (the migration's step, once).</summary>
    public static string BackfillSql(DatabaseProvider provider) =>
        $"INSERT INTO \"{Table}\" (\"SealId\", \"Day\", \"Count\") SELECT \"SealId\", {DayOf(provider)}, COUNT(*) FROM \"LedgerEntries\" GROUP BY \"SealId\", {DayOf(provider)} " +
        $"UNION ALL SELECT {LedgerDayCount.AllSeals}, {DayOf(provider)}, COUNT(*) FROM \"LedgerEntries\" GROUP BY {DayOf(provider)}";

    /// <summary>
    /// The UTC day of an entry's ExecutedAt, as the provider writes a date: the one definition the triggers and the
    /// backfill share, so that both count an entry on the same day. <paramref name="row"/> qualifies the column ("NEW.").
    /// </summary>
    private static string DayOf(DatabaseProvider provider, string row = "") => provider switch
    {
        DatabaseProvider.Sqlite => $"substr({row}\"ExecutedAt\", 1, 10)",
        DatabaseProvider.SqlServer => $"CAST({row}\"ExecutedAt\" AS date)",
        _ => $"({row}\"ExecutedAt\" AT TIME ZONE 'UTC')::date",
    };
}
