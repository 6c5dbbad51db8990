using System.Globalization;

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

    /// <summary>
    /// A search's "from" and "to" as typed (yyyy-MM-dd, either may be blank). Error is null when both
    /// are valid, otherwise the resource key of the problem.
    /// </summary>
    public static (DateOnly? From, DateOnly? To, string? Error) Parse(string? from, string? to)
    {
        const string badDate = "The period is not valid: use dates like 2026-01-31.";
        if (!TryDay(from, out var f) || !TryDay(to, out var t))
            return (null, null, badDate);
        if (f > t)
            return (null, null, "The period ends before it starts.");
        return (f, t, null);
    }

    private static bool TryDay(string? text, out DateOnly? day)
    {
        day = string.IsNullOrWhiteSpace(text) ? null : ParseDay(text);
        return string.IsNullOrWhiteSpace(text) || day is not null;
    }

    /// <summary>A day as a date input posts it (yyyy-MM-dd); null for anything else.</summary>
    public static DateOnly? ParseDay(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The first instant of a UTC day.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Midnight after a UTC day: the exclusive end of a period whose last day it is.</summary>
    public static DateTimeOffset EndOf(DateOnly day) => StartOf(day.AddDays(1));
}
