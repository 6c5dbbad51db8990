using System.Globalization;
using Npgsql;

namespace SealPortal.Features.Sealing;

/// <summary>
/// CPU time of a PostgreSQL server on this machine, for the benchmarks: the server runs on the same cores as
/// the portal, so a rate is only explained by the CPU of both. Reads /proc of the server's processes (Linux,
/// same machine): the backends connected to one database (the bench's own), and apart from them the cluster's
/// background processes (WAL writer, checkpointer, ...), which also serve anyone else using the cluster. Time on the
/// CPU comes from /proc/PID/schedstat, in nanoseconds: fine enough for one grid read of a few milliseconds.
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
            if (Nanoseconds(pid) is not { } ns)
                continue;
            // A backend first seen after the start was born during the work: all its CPU is the work's.
            _seen[pid] = _seen.TryGetValue(pid, out var known) ? known with { Last = ns } : (first ? ns : 0, ns, ours);
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
        return (TimeSpan.FromMicroseconds(backends / 1000.0), TimeSpan.FromMicroseconds(background / 1000.0));
    }

    /// <summary>A process's time on the CPU (user and system), in nanoseconds: the first field of /proc/PID/schedstat; null when it has gone.</summary>
    private static long? Nanoseconds(int pid)
    {
        try
        {
            return long.Parse(File.ReadAllText($"/proc/{pid}/schedstat").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
