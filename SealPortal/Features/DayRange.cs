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
        day = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return false;
        day = d;
        return true;
    }
}
