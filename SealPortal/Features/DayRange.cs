namespace SealPortal.Features;

/// <summary>
/// A search's "from" and "to" are inclusive calendar days of UTC times; queries filter on the
/// half-open range [Start, End), which an index on the time column reads as one range.
/// </summary>
public static class DayRange
{
    public static DateTime? Start(DateOnly? from) => from?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>Midnight after <paramref name="to"/>; none for the last representable day, which has no day after it.</summary>
    public static DateTime? End(DateOnly? to) =>
        to is { } t && t < DateOnly.MaxValue ? t.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null;
}
