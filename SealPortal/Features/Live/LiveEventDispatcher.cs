using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using SealPortal.Data;

namespace SealPortal.Features.Live;

/// <summary>
/// Reads the events table after the last id this instance has seen and hands each event to <see cref="LiveEvents"/>.
/// Woken by <see cref="LiveSignal"/> after a local commit, by PostgreSQL NOTIFY (sent by a trigger on the table, inside
/// the writing transaction, so also for other instances' writes) and otherwise every <see cref="LiveOptions.PollMilliseconds"/>.
/// Also deletes events older than <see cref="LiveOptions.RetentionHours"/>.
/// </summary>
public sealed class LiveEventDispatcher(IDbContextFactory<SealPortalDbContext> contexts, LiveEvents hub, LiveSignal signal,
    IOptions<LiveOptions> options, TimeProvider clock, ILogger<LiveEventDispatcher> logger) : BackgroundService
{
    public const string Channel = "portal_events";
    private const int Batch = 500;

    private long _floor = -1;
    private readonly SortedSet<long> _seenAbove = [];
    private readonly Dictionary<long, long> _gapSince = [];
    private long _lastPrune;

    /// <summary>True once the dispatcher knows where it starts and, on PostgreSQL, listens.</summary>
    public Task Ready => _ready.Task;

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var o = options.Value;
        string? listenTo = null;
        while (!stoppingToken.IsCancellationRequested && _floor < 0)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                listenTo = db.Database.IsNpgsql() ? db.Database.GetConnectionString() : null;
                _floor = await db.PortalEvents.MaxAsync(e => (long?)e.Id, stoppingToken) ?? 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Live updates wait for the database");
                await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
            }
        }
        if (listenTo is not null)
            _ = ListenAsync(listenTo, stoppingToken);
        else
            _ready.TrySetResult();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReadAsync(stoppingToken);
                await PruneIfDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Reading live events failed; trying again");
            }
            try
            {
                await signal.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(100, o.PollMilliseconds)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Reads and publishes what is new; returns how many events were published.</summary>
    internal async Task<int> ReadAsync(CancellationToken ct)
    {
        var published = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var rows = await db.PortalEvents.AsNoTracking().Where(e => e.Id > _floor).OrderBy(e => e.Id).Take(Batch).ToListAsync(ct);
            foreach (var e in rows)
            {
                if (!_seenAbove.Add(e.Id))
                    continue;
                hub.Publish(e);
                published++;
            }
            Advance();
            if (rows.Count < Batch || rows.All(r => r.Id <= _floor))
                return published;
        }
    }

    /// <summary>
    /// Moves the floor over every id seen; over a missing id only once it has been missing for the gap wait (a
    /// rolled-back insert leaves a hole for ever, a slow transaction only for a while).
    /// </summary>
    private void Advance()
    {
        var now = clock.GetTimestamp();
        while (_seenAbove.Count > 0)
        {
            var next = _floor + 1;
            if (_seenAbove.Remove(next))
            {
                _floor = next;
                _gapSince.Remove(next);
                continue;
            }
            if (!_gapSince.TryGetValue(next, out var since))
            {
                _gapSince[next] = now;
                break;
            }
            if (clock.GetElapsedTime(since, now) < TimeSpan.FromMilliseconds(options.Value.GapWaitMilliseconds))
                break;
            _gapSince.Remove(next);
            _floor = next;
        }
    }

    private async Task PruneIfDueAsync(CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        if (_lastPrune != 0 && clock.GetElapsedTime(_lastPrune, now) < TimeSpan.FromMinutes(10))
            return;
        _lastPrune = now;
        var cutoff = clock.GetUtcNow().UtcDateTime.AddHours(-Math.Max(1, options.Value.RetentionHours));
        await using var db = await contexts.CreateDbContextAsync(ct);
        var deleted = await db.PortalEvents.Where(e => e.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        if (deleted > 0)
            logger.LogDebug("Deleted {Count} live events older than {Cutoff:u}", deleted, cutoff);
    }

    /// <summary>LISTEN on a connection of its own; reconnects after a failure (the poll covers the gap).</summary>
    private async Task ListenAsync(string connectionString, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
                    { Pooling = false, KeepAlive = 30 }.ConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, _) => signal.Pulse();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                _ready.TrySetResult();
                // Something may have been written while we were not listening.
                signal.Pulse();
                while (!ct.IsCancellationRequested)
                    await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Listening for live events on PostgreSQL failed; polling until it works again");
                _ready.TrySetResult();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
