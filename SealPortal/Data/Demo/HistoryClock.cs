namespace SealPortal.Data.Demo;

/// <summary>
/// The clock the demo history runs on: it stands where the seed puts it and only moves forward, so
/// every service the history calls stamps its rows, signatures and ledger entries with that moment.
/// </summary>
public sealed class HistoryClock(DateTimeOffset start, TimeZoneInfo localTimeZone) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override TimeZoneInfo LocalTimeZone => localTimeZone;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves to <paramref name="at"/>; a moment before the current one keeps the current one, so the story never runs backwards.</summary>
    public void MoveTo(DateTimeOffset at)
    {
        if (at > _now)
            _now = at;
    }
}
