using System.Text;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SealPortal.Data;

/// <summary>
/// The tables Quartz's ADO.NET job store (4.x) reads and writes, created by our own migrations so the
/// database has one schema history and Quartz only validates at start (its default). Described once
/// as data and rendered per provider; table and column names are the ones Quartz's store queries.
/// Quartz's optional execution-history tables are left out: the portal keeps its own job results.
/// </summary>
public static class QuartzSchema
{
    public const string TablePrefix = "QRTZ_";

    private enum T { Name, Short, Long, Int, SmallInt, Bool, Blob, Decimal }

    private sealed record Column(string Name, T Type, bool Null = false, int Length = 150, string? Default = null);

    private sealed record Table(string Name, Column[] Columns, string[] Key, string? ForeignKey = null);

    private static Column C(string name, T type, bool nullable = false, int length = 150, string? @default = null) => new(name, type, nullable, length, @default);

    private static readonly Column[] TriggerKey =
        [C("SCHED_NAME", T.Name, length: 120), C("TRIGGER_NAME", T.Name), C("TRIGGER_GROUP", T.Name)];

    private const string CascadeFromTriggers =
        "FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) REFERENCES {0}TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) ON DELETE CASCADE";

    private static readonly Table[] Tables =
    [
        new("JOB_DETAILS",
        [
            C("SCHED_NAME", T.Name, length: 120), C("JOB_NAME", T.Name), C("JOB_GROUP", T.Name), C("DESCRIPTION", T.Name, true, 250),
            C("JOB_CLASS_NAME", T.Name, length: 250), C("IS_DURABLE", T.Bool), C("IS_NONCONCURRENT", T.Bool), C("IS_UPDATE_DATA", T.Bool),
            C("REQUESTS_RECOVERY", T.Bool), C("JOB_DATA", T.Blob, true),
        ], ["SCHED_NAME", "JOB_NAME", "JOB_GROUP"]),
        new("TRIGGERS",
        [
            .. TriggerKey, C("JOB_NAME", T.Name), C("JOB_GROUP", T.Name), C("DESCRIPTION", T.Name, true, 250),
            C("NEXT_FIRE_TIME", T.Long, true), C("PREV_FIRE_TIME", T.Long, true), C("PRIORITY", T.Int, true),
            C("TRIGGER_STATE", T.Name, length: 16), C("TRIGGER_TYPE", T.Name, length: 8), C("START_TIME", T.Long), C("END_TIME", T.Long, true),
            C("CALENDAR_NAME", T.Name, true, 200), C("MISFIRE_INSTR", T.SmallInt, true), C("MISFIRE_ORIG_FIRE_TIME", T.Long, true),
            C("EXECUTION_GROUP", T.Short, true, 200), C("PREFERRED_NODE", T.Short, true, 200), C("PREFERRED_NODE_AUTO", T.Bool, @default: "false"),
            C("RETRY_POLICY", T.Short, true, 250), C("RETRY_ATTEMPT", T.Int, true),
            C("CONTINUES_TRIGGER_NAME", T.Name, true), C("CONTINUES_TRIGGER_GROUP", T.Name, true), C("CONTINUATION_CONDITION", T.Int, true),
            C("OVERLAP_POLICY", T.Int, true), C("PAUSE_REASON", T.Short, true, 250), C("PAUSED_BY", T.Short, true, 200), C("PAUSED_AT", T.Long, true),
            C("MISFIRE_THRESHOLD", T.Long, true), C("FIXED_DELAY", T.Bool, true), C("JOB_DATA", T.Blob, true),
        ], ["SCHED_NAME", "TRIGGER_NAME", "TRIGGER_GROUP"],
        "FOREIGN KEY (SCHED_NAME, JOB_NAME, JOB_GROUP) REFERENCES {0}JOB_DETAILS (SCHED_NAME, JOB_NAME, JOB_GROUP)"),
        new("SIMPLE_TRIGGERS",
            [.. TriggerKey, C("REPEAT_COUNT", T.Long), C("REPEAT_INTERVAL", T.Long), C("TIMES_TRIGGERED", T.Long)],
            ["SCHED_NAME", "TRIGGER_NAME", "TRIGGER_GROUP"], CascadeFromTriggers),
        new("CRON_TRIGGERS",
            [.. TriggerKey, C("CRON_EXPRESSION", T.Name, length: 250), C("TIME_ZONE_ID", T.Name, true, 80)],
            ["SCHED_NAME", "TRIGGER_NAME", "TRIGGER_GROUP"], CascadeFromTriggers),
        new("SIMPROP_TRIGGERS",
        [
            .. TriggerKey, C("STR_PROP_1", T.Name, true, 512), C("STR_PROP_2", T.Name, true, 512), C("STR_PROP_3", T.Name, true, 512),
            C("INT_PROP_1", T.Int, true), C("INT_PROP_2", T.Int, true), C("LONG_PROP_1", T.Long, true), C("LONG_PROP_2", T.Long, true),
            C("DEC_PROP_1", T.Decimal, true), C("DEC_PROP_2", T.Decimal, true), C("BOOL_PROP_1", T.Bool, true), C("BOOL_PROP_2", T.Bool, true),
            C("TIME_ZONE_ID", T.Name, true, 80),
        ], ["SCHED_NAME", "TRIGGER_NAME", "TRIGGER_GROUP"], CascadeFromTriggers),
        new("BLOB_TRIGGERS", [.. TriggerKey, C("BLOB_DATA", T.Blob, true)], ["SCHED_NAME", "TRIGGER_NAME", "TRIGGER_GROUP"], CascadeFromTriggers),
        new("CALENDARS", [C("SCHED_NAME", T.Name, length: 120), C("CALENDAR_NAME", T.Name, length: 200), C("CALENDAR", T.Blob)], ["SCHED_NAME", "CALENDAR_NAME"]),
        new("PAUSED_TRIGGER_GRPS",
            [C("SCHED_NAME", T.Name, length: 120), C("TRIGGER_GROUP", T.Name), C("PAUSE_REASON", T.Short, true, 250), C("PAUSED_BY", T.Short, true, 200), C("PAUSED_AT", T.Long, true)],
            ["SCHED_NAME", "TRIGGER_GROUP"]),
        new("PAUSED_JOB_GRPS",
            [C("SCHED_NAME", T.Name, length: 120), C("JOB_GROUP", T.Name), C("PAUSE_REASON", T.Short, true, 250), C("PAUSED_BY", T.Short, true, 200), C("PAUSED_AT", T.Long, true)],
            ["SCHED_NAME", "JOB_GROUP"]),
        new("FIRED_TRIGGERS",
        [
            C("SCHED_NAME", T.Name, length: 120), C("ENTRY_ID", T.Name, length: 140), C("TRIGGER_NAME", T.Name), C("TRIGGER_GROUP", T.Name),
            C("INSTANCE_NAME", T.Name, length: 200), C("FIRED_TIME", T.Long), C("SCHED_TIME", T.Long), C("PRIORITY", T.Int),
            C("STATE", T.Name, length: 16), C("JOB_NAME", T.Name, true), C("JOB_GROUP", T.Name, true), C("IS_NONCONCURRENT", T.Bool),
            C("REQUESTS_RECOVERY", T.Bool, true), C("EXECUTION_GROUP", T.Short, true, 200), C("PROGRESS", T.Int, true),
            C("PROGRESS_MESSAGE", T.Short, true, 250), C("INTERRUPT_REQUESTED_TIME", T.Long, true),
        ], ["SCHED_NAME", "ENTRY_ID"]),
        new("SCHEDULER_STATE",
        [
            C("SCHED_NAME", T.Name, length: 120), C("INSTANCE_NAME", T.Name, length: 200), C("LAST_CHECKIN_TIME", T.Long),
            C("CHECKIN_INTERVAL", T.Long), C("QUARTZ_VERSION", T.Short, true, 20),
        ], ["SCHED_NAME", "INSTANCE_NAME"]),
        new("LOCKS", [C("SCHED_NAME", T.Name, length: 120), C("LOCK_NAME", T.Name, length: 40)], ["SCHED_NAME", "LOCK_NAME"]),
    ];

    /// <summary>The indexes the store's acquisition and recovery queries rely on: name suffix, table, columns.</summary>
    private static readonly (string Name, string Table, string Columns)[] Indexes =
    [
        ("J_G_N", "JOB_DETAILS", "SCHED_NAME, JOB_GROUP, JOB_NAME"),
        ("T_J", "TRIGGERS", "SCHED_NAME, JOB_NAME, JOB_GROUP"),
        ("T_G_N", "TRIGGERS", "SCHED_NAME, TRIGGER_GROUP, TRIGGER_NAME"),
        ("T_C", "TRIGGERS", "SCHED_NAME, CALENDAR_NAME"),
        ("T_NFT_ST", "TRIGGERS", "SCHED_NAME, TRIGGER_STATE, NEXT_FIRE_TIME, PRIORITY DESC, MISFIRE_INSTR"),
        ("FT_INST_JOB_REQ_RCVRY", "FIRED_TRIGGERS", "SCHED_NAME, INSTANCE_NAME, REQUESTS_RECOVERY"),
        ("FT_J_G", "FIRED_TRIGGERS", "SCHED_NAME, JOB_NAME, JOB_GROUP"),
        ("FT_T_G", "FIRED_TRIGGERS", "SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP"),
    ];

    public static void Create(MigrationBuilder migration, DatabaseProvider provider)
    {
        foreach (var sql in Statements(provider))
            migration.Sql(sql);
    }

    public static void Drop(MigrationBuilder migration)
    {
        foreach (var table in Tables.Reverse())
            migration.Sql($"DROP TABLE IF EXISTS {TablePrefix}{table.Name}");
    }

    public static IEnumerable<string> Statements(DatabaseProvider provider)
    {
        foreach (var table in Tables)
        {
            var sql = new StringBuilder($"CREATE TABLE {TablePrefix}{table.Name} (\n");
            foreach (var c in table.Columns)
            {
                sql.Append($"  {c.Name} {TypeName(c, provider)}{(c.Null ? " NULL" : " NOT NULL")}");
                if (c.Default is { } d)
                    sql.Append(" DEFAULT ").Append(provider == DatabaseProvider.Sqlite && d == "false" ? "0" : d);
                sql.Append(",\n");
            }
            sql.Append($"  PRIMARY KEY ({string.Join(", ", table.Key)})");
            if (table.ForeignKey is { } fk)
                sql.Append(",\n  ").Append(string.Format(fk, TablePrefix));
            sql.Append("\n)");
            yield return sql.ToString();
        }

        foreach (var (name, table, columns) in Indexes)
            yield return $"CREATE INDEX IDX_{TablePrefix}{name} ON {TablePrefix}{table} ({columns})";

        // SQLite enforces ON DELETE CASCADE only on connections that turned foreign keys on, and
        // Quartz's own connections may not, so trigger details are removed with their trigger here.
        if (provider == DatabaseProvider.Sqlite)
        {
            foreach (var detail in new[] { "SIMPLE_TRIGGERS", "SIMPROP_TRIGGERS", "CRON_TRIGGERS", "BLOB_TRIGGERS" })
            {
                yield return
                    $"CREATE TRIGGER {TablePrefix}DELETE_{detail} AFTER DELETE ON {TablePrefix}TRIGGERS BEGIN " +
                    $"DELETE FROM {TablePrefix}{detail} WHERE SCHED_NAME = OLD.SCHED_NAME AND TRIGGER_NAME = OLD.TRIGGER_NAME AND TRIGGER_GROUP = OLD.TRIGGER_GROUP; END";
            }
        }
    }

    private static string TypeName(Column c, DatabaseProvider provider) => (c.Type, provider) switch
    {
        (T.Name or T.Short, DatabaseProvider.Postgres) => c.Type == T.Short ? $"varchar({c.Length})" : "text",
        (T.Name or T.Short, _) => $"NVARCHAR({c.Length})",
        (T.Long, _) => "BIGINT",
        (T.Int, _) => "INTEGER",
        (T.SmallInt, DatabaseProvider.Postgres) => "smallint",
        (T.SmallInt, _) => "INTEGER",
        (T.Bool, DatabaseProvider.Postgres) => "bool",
        (T.Bool, _) => "BIT",
        (T.Blob, DatabaseProvider.Postgres) => "bytea",
        (T.Blob, _) => "BLOB",
        (T.Decimal, _) => "NUMERIC",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };
}
