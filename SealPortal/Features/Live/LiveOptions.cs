namespace SealPortal.Features.Live;

public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>
    /// How often each instance looks for new events without being woken: on SQLite the only way to hear another
    /// process; on PostgreSQL the fallback beside LISTEN/NOTIFY.
    /// </summary>
    public int PollMilliseconds { get; set; } = 2000;

    /// <summary>How long an event row is kept; events are for open pages, not history.</summary>
    public int RetentionHours { get; set; } = 24;

    /// <summary>
    /// On PostgreSQL a transaction that took an id may commit after a later one: a missing id is looked for this
    /// long before it is taken for rolled back.
    /// </summary>
    public int GapWaitMilliseconds { get; set; } = 15000;
}
