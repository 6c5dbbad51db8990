using System.Globalization;
using Npgsql;

namespace SealPortal.Features.Sealing;

/// <summary>
/// CPU time of a PostgreSQL server on this machine, for the benchmarks: the server runs on the same cores as
/// the portal, so a rate is only explained by the CPU of both. Reads /proc of the server's processes (Linux,
/// same machine): the backends connected to one database (the bench's own), and apart from them the cluster's
/// background processes (WAL writer, checkpointer, ...), which also serve anyone else using the cluster.
/// Backends are sampled while the work runs, so one that ends between samples still counts up to its last
/// sample. Null where /proc or pg_stat_activity cannot be read (another machine, no rights).
/// </summary>
public sealed class PostgresCpu
{
    private readonly string _server;
    private readonly string _database;
    private readonly Dictionary<int, (long First, long Last, bool Ours)> _seen = [];

    private PostgresCpu(string server, string database)
    {
        _server = server;
        _database = database;
    }

    /// <summary>Starts measuring; null when this machine cannot see the server's processes.</summary>
    public static async Task<PostgresCpu?> StartAsync(string serverConnectionString, string database)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var cpu = new PostgresCpu(serverConnectionString, database);
        try
        {
            await cpu.SampleAsync(first: true);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return cpu.Seen == 0 ? null : cpu;
    }

    private int Seen => _seen.Count;

    /// <summary>Reads every backend's CPU now (call while the work runs, and once at its end).</summary>
    public Task SampleAsync() => SampleAsync(first: false);

    private async Task SampleAsync(bool first)
    {
        var processes = new List<(int Pid, bool Ours)>();
        await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString))
        {
            await conn.OpenAsync();
            // Our own backend (this query's) belongs to the server database, never to the bench's.
            await using var cmd = new NpgsqlCommand("SELECT pid, datname FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (datname = @db OR datname IS NULL)", conn);
            cmd.Parameters.AddWithValue("db", _database);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                processes.Add((reader.GetInt32(0), !reader.IsDBNull(1)));
        }
        foreach (var (pid, ours) in processes)
        {
            if (Ticks(pid) is not { } ticks)
                continue;
            // A backend first seen after the start was born during the work: all its CPU is the work's.
            _seen[pid] = _seen.TryGetValue(pid, out var known) ? known with { Last = ticks } : (first ? ticks : 0, ticks, ours);
        }
    }

    /// <summary>CPU of the bench database's backends, and of the cluster's background processes, since the start.</summary>
    public (TimeSpan Backends, TimeSpan Background) Elapsed()
    {
        long backends = 0, background = 0;
        foreach (var (first, last, ours) in _seen.Values)
        {
            if (ours)
                backends += last - first;
            else
                background += last - first;
        }
        return (FromTicks(backends), FromTicks(background));
    }

    /// <summary>USER_HZ is 100 on every Linux the portal targets.</summary>
    private static TimeSpan FromTicks(long ticks) => TimeSpan.FromMilliseconds(ticks * 10);

    /// <summary>utime + stime of a process, in clock ticks; null when it has gone.</summary>
    private static long? Ticks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (2nd field) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of the line are utime and stime; after the name, the state is field 3.
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
