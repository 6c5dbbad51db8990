using SealPortal.Workflow;

namespace SealPortal.Features.Dashboard;

/// <summary>The dashboard's arithmetic on plain numbers, kept apart from the database so it can be tested directly.</summary>
public static class AnalyticsStatistics
{
    /// <summary>
    /// The p-th percentile (0..100) by linear interpolation between the closest ranks (the common "type 7"
    /// definition, which gives the ordinary median for p = 50); null for no values.
    /// </summary>
    public static double? Percentile(IEnumerable<double> values, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 100);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return null;
        var rank = p / 100 * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
    }

    public static double? Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>
    /// A week is a burst when its count is at least <see cref="BurstFactor"/> times the department's usual weekly
    /// rate (the median of the weeks before it) and at least <see cref="BurstMinimumExcess"/> above it, so that
    /// going from one request to two is not flagged. Needs <see cref="BurstMinimumHistory"/> earlier weeks.
    /// </summary>
    public const double BurstFactor = 2.0;

    public const int BurstMinimumExcess = 3;

    public const int BurstMinimumHistory = 4;

    public static bool IsBurst(IReadOnlyList<int> earlierWeeks, int thisWeek, out double usual)
    {
        usual = Median(earlierWeeks.Select(c => (double)c)) ?? 0;
        return earlierWeeks.Count >= BurstMinimumHistory
               && thisWeek >= BurstFactor * usual
               && thisWeek - usual >= BurstMinimumExcess;
    }

    /// <summary>Outside working time: a non-working day, or before the day starts or after it ends, in the calendar's zone.</summary>
    public static bool IsOffHours(DateTimeOffset at, WorkingCalendar calendar)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(calendar.TimeZoneId);
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        return !calendar.IsWorkingDay(DateOnly.FromDateTime(local)) || time < calendar.DayStart || time >= calendar.DayEnd;
    }

    /// <summary>Monday of the ISO week containing <paramref name="date"/>.</summary>
    public static DateOnly WeekStart(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}
