using System.Globalization;
using Microsoft.Extensions.Localization;

namespace SealPortal.Features.Assessment;

public enum AssessmentPeriodKind
{
    Month,
    Quarter,
    Year,
}

/// <summary>
/// A month, quarter or year of the company's calendar: <see cref="Number"/> is the month (1–12), the quarter (1–4),
/// or 1 for a year. Its days run from <see cref="FirstDay"/> to <see cref="LastDay"/> in the company's time zone.
/// </summary>
public sealed record AssessmentPeriod(AssessmentPeriodKind Kind, int Year, int Number)
{
    public const int FirstYear = 2000;

    public DateOnly FirstDay => Kind switch
    {
        AssessmentPeriodKind.Month => new DateOnly(Year, Number, 1),
        AssessmentPeriodKind.Quarter => new DateOnly(Year, (Number - 1) * 3 + 1, 1),
        _ => new DateOnly(Year, 1, 1),
    };

    public DateOnly LastDay => Kind switch
    {
        AssessmentPeriodKind.Month => FirstDay.AddMonths(1).AddDays(-1),
        AssessmentPeriodKind.Quarter => FirstDay.AddMonths(3).AddDays(-1),
        _ => new DateOnly(Year, 12, 31),
    };

    /// <summary>The period of <paramref name="kind"/> that holds <paramref name="day"/>.</summary>
    public static AssessmentPeriod Containing(AssessmentPeriodKind kind, DateOnly day) => kind switch
    {
        AssessmentPeriodKind.Month => new(kind, day.Year, day.Month),
        AssessmentPeriodKind.Quarter => new(kind, day.Year, (day.Month - 1) / 3 + 1),
        _ => new(kind, day.Year, 1),
    };

    /// <summary>How many periods of <paramref name="kind"/> a year has.</summary>
    public static int PerYear(AssessmentPeriodKind kind) => kind switch
    {
        AssessmentPeriodKind.Month => 12,
        AssessmentPeriodKind.Quarter => 4,
        _ => 1,
    };

    /// <summary>
    /// Reads "period=Month|Quarter|Year&amp;year=2026&amp;number=12"; nothing given is the current month. The error is a
    /// resource key; a period that starts after today is refused too, since nothing of it can be measured yet.
    /// </summary>
    public static (AssessmentPeriod? Period, string? Error) Parse(string? kind, string? year, string? number, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(kind) && string.IsNullOrWhiteSpace(year) && string.IsNullOrWhiteSpace(number))
            return (Containing(AssessmentPeriodKind.Month, today), null);
        if (!Enum.TryParse<AssessmentPeriodKind>(kind, ignoreCase: true, out var k) || !Enum.IsDefined(k) || int.TryParse(kind, out _))
            return (null, "The period is not valid: choose a month, a quarter or a year.");
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y < FirstYear || y > 9998)
            return (null, "The year of the period is not valid.");
        var n = 1;
        if (k != AssessmentPeriodKind.Year || !string.IsNullOrWhiteSpace(number))
        {
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1 || n > PerYear(k))
                return (null, "The month or quarter of the period is not valid.");
        }
        var period = new AssessmentPeriod(k, y, n);
        if (period.FirstDay > today)
            return (null, "The period has not started yet.");
        return (period, null);
    }

    /// <summary>The query string that names this period, for links and the export.</summary>
    public string Query => string.Create(CultureInfo.InvariantCulture, $"period={Kind}&year={Year}&number={Number}");

    /// <summary>"December 2026", "Q4 2026", "2026" (and the Chinese forms).</summary>
    public string Label(IStringLocalizer localizer) => Kind switch
    {
        AssessmentPeriodKind.Month => string.Format(CultureInfo.CurrentCulture, localizer["{0:MMMM yyyy}"], FirstDay.ToDateTime(TimeOnly.MinValue)),
        AssessmentPeriodKind.Quarter => string.Format(CultureInfo.CurrentCulture, localizer["Q{1} {0}"], Year, Number),
        _ => Year.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A short name for files: 2026-12, 2026-Q4, 2026.</summary>
    public string FileName => Kind switch
    {
        AssessmentPeriodKind.Month => string.Create(CultureInfo.InvariantCulture, $"{Year}-{Number:00}"),
        AssessmentPeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year}-Q{Number}"),
        _ => Year.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>A period as instants (company midnight to company midnight, exclusive end) and the moment of measuring.</summary>
public sealed record AssessmentWindow(AssessmentPeriod Period, DateTimeOffset From, DateTimeOffset Until, DateTimeOffset Now)
{
    public long FromUnixMs => From.ToUnixTimeMilliseconds();

    public long UntilUnixMs => Until.ToUnixTimeMilliseconds();

    public long NowUnixMs => Now.ToUnixTimeMilliseconds();
}
