using SealPortal.Data;

namespace SealPortal.Features.Live;

/// <summary>What an open page hears: which request changed (if one), and its status now. No content: the page reads again.</summary>
public sealed record LiveEvent(long Id, PortalEventKind Kind, int? SealRequestId, SealRequestStatus? Status);

/// <summary>Wakes this instance's <see cref="LiveEventDispatcher"/> right after a save with events commits.</summary>
public sealed class LiveSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Pulse()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one read picks up everything.
        }
    }

    /// <returns>True when pulsed, false when <paramref name="timeout"/> passed.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _semaphore.WaitAsync(timeout, ct);
}

/// <summary>
/// The open circuits of this instance, by user: each subscribes with its user id and roles and hears the events
/// whose audience names either. One per process (a singleton); <see cref="LiveEventDispatcher"/> publishes.
/// </summary>
public sealed class LiveEvents(ILogger<LiveEvents> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Subscription>> _byUser = new(StringComparer.Ordinal);

    public int Subscribers
    {
        get
        {
            lock (_gate)
                return _byUser.Values.Sum(l => l.Count);
        }
    }

    /// <summary>
    /// <paramref name="handler"/> runs on a pool thread for each event meant for this user or one of
    /// <paramref name="roles"/>; a component marshals with InvokeAsync. Dispose to stop.
    /// </summary>
    public IDisposable Subscribe(string userId, IEnumerable<string> roles, Func<LiveEvent, Task> handler)
    {
        var s = new Subscription(this, userId, roles.ToHashSet(StringComparer.Ordinal), handler);
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var list))
                _byUser[userId] = list = [];
            list.Add(s);
        }
        return s;
    }

    public void Publish(PortalEvent e)
    {
        var live = new LiveEvent(e.Id, e.Kind, e.SealRequestId,
            Enum.TryParse<SealRequestStatus>(e.Status, out var status) ? status : null);
        var users = e.UserIds.Split('|', StringSplitOptions.RemoveEmptyEntries);
        var roles = e.Roles.Split('|', StringSplitOptions.RemoveEmptyEntries);
        List<Subscription> targets;
        lock (_gate)
        {
            targets = users.SelectMany(u => _byUser.TryGetValue(u, out var l) ? l : []).ToList();
            if (roles.Length > 0)
                targets.AddRange(_byUser.Values.SelectMany(l => l).Where(s => roles.Any(s.Roles.Contains)));
        }
        foreach (var s in targets.Distinct())
            _ = DeliverAsync(s, live);
    }

    private async Task DeliverAsync(Subscription s, LiveEvent e)
    {
        try
        {
            await s.Handler(e);
        }
        catch (Exception ex)
        {
            // A circuit that went away meanwhile, or a page whose reload failed: the others still hear.
            logger.LogDebug(ex, "A live subscriber of {User} failed on event {Id}", s.UserId, e.Id);
        }
    }

    private void Remove(Subscription s)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(s.UserId, out var list) && list.Remove(s) && list.Count == 0)
                _byUser.Remove(s.UserId);
        }
    }

    private sealed class Subscription(LiveEvents owner, string userId, HashSet<string> roles, Func<LiveEvent, Task> handler) : IDisposable
    {
        public string UserId => userId;

        public HashSet<string> Roles => roles;

        public Func<LiveEvent, Task> Handler => handler;

        public void Dispose() => owner.Remove(this);
    }
}
