using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SealPortal.Data;

/// <summary>
/// One instance at a time migrates and seeds: instances that start together on an empty database
/// would otherwise both create tables and both seed the demo company, and one of them crashes. The
/// others wait for the lock, then find the schema current and the data there. PostgreSQL: a session
/// advisory lock; SQL Server: a session application lock; SQLite: an exclusive lock file beside the
/// database. The lock is held on a connection of its own, never pooled, so closing it releases it.
/// </summary>
public sealed class InitializationLock : IAsyncDisposable
{
    /// <summary>The advisory lock's key: "SealInit" as eight ASCII bytes, a number no other code uses.</summary>
    private const long PostgresKey = 0x5365616C496E6974;

    private const string SqlServerResource = "SealPortal.Initialize";

    private readonly Func<ValueTask> release;

    private InitializationLock(Func<ValueTask> release) => this.release = release;

    public ValueTask DisposeAsync() => release();

    public static async Task<InitializationLock> AcquireAsync(SealPortalDbContext db, CancellationToken ct)
    {
        var connectionString = db.Database.GetConnectionString()!;
        if (db.Database.IsNpgsql())
        {
            var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await conn.OpenAsync(ct);
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({PostgresKey})", conn) { CommandTimeout = 0 })
                await take.ExecuteNonQueryAsync(ct);
            return new InitializationLock(async () =>
            {
                await using (var give = new NpgsqlCommand($"SELECT pg_advisory_unlock({PostgresKey})", conn))
                    await give.ExecuteNonQueryAsync();
                await conn.DisposeAsync();
            });
        }
        if (db.Database.IsSqlServer())
        {
            var conn = new SqlConnection(new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await conn.OpenAsync(ct);
            await using (var take = new SqlCommand("EXEC sp_getapplock @Resource = @r, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1", conn) { CommandTimeout = 0 })
            {
                take.Parameters.AddWithValue("@r", SqlServerResource);
                await take.ExecuteNonQueryAsync(ct);
            }
            return new InitializationLock(async () =>
            {
                await using (var give = new SqlCommand("EXEC sp_releaseapplock @Resource = @r, @LockOwner = 'Session'", conn))
                {
                    give.Parameters.AddWithValue("@r", SqlServerResource);
                    await give.ExecuteNonQueryAsync();
                }
                await conn.DisposeAsync();
            });
        }
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return new InitializationLock(() => ValueTask.CompletedTask);
        var lockPath = Path.GetFullPath(file) + ".init-lock";
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        while (true)
        {
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                return new InitializationLock(() => stream.DisposeAsync());
            }
            catch (IOException)
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
