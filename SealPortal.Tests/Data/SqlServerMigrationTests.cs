using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using SealPortal.Data;

namespace SealPortal.Tests.Data;

/// <summary>
/// SQL Server is the third provider, but no SQL Server runs on these machines: its migrations are
/// checked against the model, and the idempotent script EF generates from them is parsed as T-SQL
/// (Microsoft's own parser) and read for every table, every guard and the append-only triggers.
/// Nothing here connects to a database.
/// </summary>
public sealed class SqlServerMigrationTests
{
    private static readonly string[] AppendOnly = ["LedgerEntries", "AuditEvents", "LedgerParticipants", "ChainAnchors"];

    private static SqlServerSealPortalDbContext Context() =>
        new(new DbContextOptionsBuilder<SqlServerSealPortalDbContext>().UseSqlServer("Server=unused.invalid;Database=unused").Options);

    private static readonly Lazy<string> IdempotentScript = new(() =>
    {
        using var db = Context();
        return db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    });

    [Fact]
    public void SqlServer_migrations_match_the_model()
    {
        using var db = Context();
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a SQL Server migration.");
    }

    [Fact]
    public void SqlServer_sees_only_its_own_migrations()
    {
        using var db = Context();
        var namespaces = db.GetService<IMigrationsAssembly>().Migrations.Values.Select(t => t.Namespace).Distinct();
        Assert.Equal(["SealPortal.Data.Migrations.SqlServer"], namespaces);
    }

    [Fact]
    public void The_provider_setting_selects_sql_server_and_refuses_unknown_names()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = "sqlserver" }).Build();
        Assert.Equal(DatabaseProvider.SqlServer, DataServiceExtensions.Provider(configuration));
        configuration["Database:Provider"] = "7";
        var ex = Assert.Throws<InvalidOperationException>(() => { DataServiceExtensions.Provider(configuration); });
        Assert.Contains("\"SqlServer\"", ex.Message);
    }

    [Fact]
    public void The_idempotent_script_is_valid_t_sql_including_the_trigger_bodies()
    {
        var script = IdempotentScript.Value;
        var errors = Parse(script);
        Assert.True(errors.Count == 0, "the script does not parse: " + string.Join("; ", errors));

        // The triggers sit in EXEC(N'...') strings the parser does not look into: parse them on their own.
        var bodies = Regex.Matches(script, @"EXEC\(N'((?:[^']|'')*)'\)").Select(m => m.Groups[1].Value.Replace("''", "'")).ToList();
        // Every append-only table gets its guard, and a later migration that lifts one (to fill a new column)
        // puts it back: the creations are one per table plus one per lifting.
        var created = bodies.Where(b => b.StartsWith("CREATE TRIGGER", StringComparison.Ordinal) && b.Contains("_append_only] ON [", StringComparison.Ordinal))
            .Select(b => Regex.Match(b, @"\] ON \[(\w+)\]").Groups[1].Value).ToList();
        // The ledger's day counts: one insert trigger, which the model declares so that EF inserts without a bare OUTPUT clause.
        Assert.Single(bodies, b => b.StartsWith($"CREATE TRIGGER [{LedgerDayCountSql.Trigger}] ON [LedgerEntries] AFTER INSERT", StringComparison.Ordinal));
        using (var db = Context())
            Assert.Contains(db.Model.FindEntityType(typeof(LedgerEntry))!.GetDeclaredTriggers(), t => t.ModelName == LedgerDayCountSql.Trigger);
        Assert.Equal(AppendOnly.Order(), created.Distinct().Order());
        var lifted = Regex.Matches(script, @"DROP TRIGGER IF EXISTS \[(\w+)_append_only\]").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(AppendOnly.Length + lifted.Count, created.Count);
        Assert.All(lifted, table => Assert.Contains(table, created));
        foreach (var body in bodies)
        {
            var bodyErrors = Parse(body);
            Assert.True(bodyErrors.Count == 0, $"does not parse: {string.Join("; ", bodyErrors)}\n{body}");
        }
    }

    [Fact]
    public void The_idempotent_script_creates_every_table_of_the_model_once_each_under_its_migration_guard()
    {
        var script = IdempotentScript.Value;
        using var db = Context();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList();
        Assert.True(tables.Count > 20, $"only {tables.Count} tables in the model");
        foreach (var table in tables)
            Assert.Single(Regex.Matches(script, $@"CREATE TABLE \[{Regex.Escape(table)}\] \("));

        // Parsed: the history table is made only if missing, and every other statement (bar the
        // transaction around them) runs only if its migration is not in the history yet.
        var parsed = (TSqlScript)new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out var errors);
        Assert.Empty(errors);
        var statements = parsed.Batches.SelectMany(b => b.Statements).ToList();
        Assert.Contains("IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL", Text(parsed, statements[0]));
        var migrationIds = db.Database.GetMigrations().ToList();
        var guarded = statements.Skip(1).Where(st => st is not (BeginTransactionStatement or CommitTransactionStatement)).ToList();
        Assert.True(guarded.Count > tables.Count, $"{guarded.Count} statements for {tables.Count} tables");
        foreach (var statement in guarded)
        {
            var text = Text(parsed, statement);
            var guard = statement is IfStatement { ThenStatement: BeginEndBlockStatement } check
                ? Regex.Match(Text(parsed, check.Predicate), @"^NOT EXISTS \(\s*SELECT \* FROM \[__EFMigrationsHistory\]\s*WHERE \[MigrationId\] = N'([^']+)'\s*\)$")
                : Match.Empty;
            Assert.True(guard.Success, $"a statement runs without its migration guard:\n{text[..Math.Min(300, text.Length)]}");
            Assert.Contains(guard.Groups[1].Value, migrationIds);
        }
        // Each migration records itself, also only once.
        foreach (var id in migrationIds)
            Assert.Contains($"INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])\n    VALUES (N'{id}'", script.Replace("\r", ""));
    }

    [Fact]
    public void The_append_only_guards_are_t_sql_triggers_that_refuse_update_and_delete()
    {
        var script = IdempotentScript.Value;
        foreach (var table in AppendOnly)
        {
            var create = Regex.Match(script, $@"EXEC\(N'CREATE TRIGGER \[{table}_append_only\] ON \[{table}\] AFTER UPDATE, DELETE AS((?:[^']|'')*)'\)");
            Assert.True(create.Success, $"no append-only trigger for {table}");
            var body = create.Groups[1].Value.Replace("''", "'");
            Assert.Contains($"THROW {AppendOnlyTables.SqlServerErrorNumber}, @message, 1;", body);
            Assert.Contains($"N'{AppendOnlyTables.Message(table)}: ' + @operation + N' refused'", body);
            Assert.Contains("IF @@ROWCOUNT = 0 RETURN;", body);
            // The trigger comes after its table exists.
            Assert.True(script.IndexOf($"CREATE TABLE [{table}]", StringComparison.Ordinal) < create.Index, $"{table}'s trigger before its table");
        }
        Assert.Equal(
            ["DROP TRIGGER IF EXISTS [LedgerEntries_append_only]"],
            AppendOnlyTables.UnprotectStatements(DatabaseProvider.SqlServer, "LedgerEntries"));
        Assert.Empty(Parse(string.Join("\nGO\n", AppendOnlyTables.UnprotectStatements(DatabaseProvider.SqlServer, "AuditEvents"))));
    }

    private static string Text(TSqlScript script, TSqlFragment fragment) =>
        string.Concat(script.ScriptTokenStream.Skip(fragment.FirstTokenIndex).Take(fragment.LastTokenIndex - fragment.FirstTokenIndex + 1).Select(t => t.Text));

    private static List<string> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        parser.Parse(new StringReader(sql), out var errors);
        return errors.Select(e => $"line {e.Line}: {e.Message}").ToList();
    }
}
