using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SealPortal.Data;

namespace SealPortal.Tests.Infrastructure;

/// <summary>
/// A database of its own for one test host: a temp SQLite file, or a uniquely named database on
/// the PostgreSQL server when SEALPORTAL_TEST_DB=postgres. The portal creates the schema by
/// migrating on start; disposing deletes the file or drops the database.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ProviderVariable = "SEALPORTAL_TEST_DB";
    public const string ServerVariable = "SEALPORTAL_TEST_PG";
    public const string DefaultServer = "Host=127.0.0.1;Port=55432;Username=sealportal;Database=postgres";

    private readonly string? _sqliteFile;
    private readonly string? _postgresName;

    private TestDatabase(string provider, string connectionString, string? sqliteFile, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
        _postgresName = postgresName;
    }

    /// <summary>"Sqlite" or "Postgres", as the portal's Database:Provider setting spells it.</summary>
    public string Provider { get; }

    public string ConnectionString { get; }

    public static bool UsePostgres =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "postgres", StringComparison.OrdinalIgnoreCase);

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } s ? s : DefaultServer;

    public static TestDatabase Create()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        if (UsePostgres)
        {
            var name = $"sealportal_test_{id}";
            var cs = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
            return new TestDatabase("Postgres", cs, null, name);
        }
        var dir = Path.Combine(Path.GetTempPath(), "sealportal-tests");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"{id}.db");
        return new TestDatabase("Sqlite", $"Data Source={file}", file, null);
    }

    /// <summary>
    /// The tables that carry the append-only guard (see <see cref="AppendOnlyTables"/>), read from
    /// the database's catalog on a connection of its own.
    /// </summary>
    public async Task<IReadOnlyList<string>> AppendOnlyTablesAsync()
    {
        await using var conn = Open();
        return await ProtectedAsync(conn);
    }

    /// <summary>
    /// Drops every append-only guard, as someone with owner rights on the database could, so a test
    /// can then tamper with the chains behind the app's back and check that <c>ledger verify</c>
    /// still catches it. Returns the tables it unprotected.
    /// </summary>
    public async Task<IReadOnlyList<string>> DropAppendOnlyGuardsAsync()
    {
        await using var conn = Open();
        var tables = await ProtectedAsync(conn);
        foreach (var table in tables)
        {
            foreach (var sql in AppendOnlyTables.UnprotectStatements(ProviderKind, table))
            {
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = sql;
                await cmd.ExecuteNonQueryAsync();
            }
        }
        return tables;
    }

    private DatabaseProvider ProviderKind => Enum.Parse<DatabaseProvider>(Provider);

    private DbConnection Open()
    {
        DbConnection conn = _sqliteFile is not null ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        conn.Open();
        return conn;
    }

    private async Task<IReadOnlyList<string>> ProtectedAsync(DbConnection conn)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = AppendOnlyTables.ProtectedTablesQuery(ProviderKind);
        var tables = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            tables.Add(reader.GetString(0));
        return tables;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            // The job server's SQLite file sits beside the portal's (SealPortal.Jobs.PortalJobStorage).
            var jobs = SealPortal.Jobs.PortalJobStorage.SqliteFile(ConnectionString);
            foreach (var f in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm", jobs, jobs + "-wal", jobs + "-shm", jobs + "-journal" })
                File.Delete(f);
        }
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(ServerConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
