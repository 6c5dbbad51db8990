using System.Globalization;

namespace SealPortal.Features;

/// <summary>
/// A search's "from" and "to" as typed: inclusive calendar days in the company's time zone. Queries
/// turn them once into the half-open range of stored UTC times (<see cref="CompanyTime.UtcRange"/>),
/// which an index on the time column reads as one range.
/// </summary>
public static class DayRange
{

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
}
