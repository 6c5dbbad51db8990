namespace SealPortal.Workflow;

/// <summary>Unit of a <see cref="WorkingDuration"/>.</summary>
public enum WorkingTimeUnit
{
    /// <summary>Whole working days: the deadline falls at the same clock time on the Nth next working day.</summary>
    Days,
    /// <summary>Hours counted only inside working hours of working days.</summary>
    Hours,
    /// <summary>Minutes counted only inside working hours of working days.</summary>
    Minutes,
}

/// <summary>A span of working time, e.g. 1 working day or 2 working hours.</summary>
public sealed record WorkingDuration(WorkingTimeUnit Unit, int Amount)
{
    public static WorkingDuration Days(int amount) => new(WorkingTimeUnit.Days, amount);
    public static WorkingDuration Hours(int amount) => new(WorkingTimeUnit.Hours, amount);
    public static WorkingDuration Minutes(int amount) => new(WorkingTimeUnit.Minutes, amount);

    public override string ToString() => $"{Amount} working {Unit.ToString().ToLowerInvariant()}";
}

/// <summary>
/// The company's working calendar used for node deadlines: working weekdays (Mon–Fri by default),
/// daily working hours, public holidays and make-up working days (调休, a weekend day that is worked).
/// One continuous block of working hours per day; a lunch break is not modelled, because the
/// deadlines it would shift are coarse (hours, days) and nobody asked for it.
/// All arithmetic happens in the calendar's time zone (IANA or Windows id, default UTC).
/// </summary>
public sealed record WorkingCalendar
{
    // Bounds the search for the next working day so that a misconfigured calendar cannot loop forever.
    private const int MaxDaysSearched = 3700;

    public string TimeZoneId { get; init; } = "UTC";
    public TimeOnly DayStart { get; init; } = new(9, 0);
    public TimeOnly DayEnd { get; init; } = new(18, 0);
    public IReadOnlyList<DayOfWeek> WorkingDays { get; init; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];
    public IReadOnlyList<DateOnly> ExtraWorkingDays { get; init; } = [];

    /// <summary>Problems that make the calendar unusable; empty when it is fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (DayEnd <= DayStart)
        {
            problems.Add($"Working hours end ({DayEnd:HH\\:mm}) must be after they start ({DayStart:HH\\:mm}).");
        }
        if (WorkingDays.Count == 0 && ExtraWorkingDays.Count == 0)
        {
            problems.Add("The calendar has no working day.");
        }
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            problems.Add($"Unknown time zone '{TimeZoneId}'.");
        }
        return problems;
    }

    public bool IsWorkingDay(DateOnly date) =>
        ExtraWorkingDays.Contains(date) || (WorkingDays.Contains(date.DayOfWeek) && !Holidays.Contains(date));

    /// <summary>
    /// Adds working time to <paramref name="start"/>. A start outside working time first moves to the
    /// next moment of working time (a request sent on Saturday starts counting Monday 09:00).
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, WorkingDuration duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(duration.Amount);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        var local = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        var (date, time) = MoveIntoWorkingTime(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));

        if (duration.Unit == WorkingTimeUnit.Days)
        {
            for (var i = 0; i < duration.Amount; i++)
            {
                date = NextWorkingDay(date);
            }
            return FromLocal(date, time, zone);
        }

        var remaining = duration.Unit == WorkingTimeUnit.Hours
            ? TimeSpan.FromHours(duration.Amount)
            : TimeSpan.FromMinutes(duration.Amount);
        while (true)
        {
            var available = DayEnd - time;
            if (remaining <= available)
            {
                return FromLocal(date, time.Add(remaining), zone);
            }
            remaining -= available;
            date = NextWorkingDay(date);
            time = DayStart;
        }
    }

    /// <summary>The working time that lies between two moments (zero when <paramref name="end"/> is not after <paramref name="start"/>).</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            return TimeSpan.Zero;
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        var from = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        var to = TimeZoneInfo.ConvertTime(end, zone).DateTime;
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(from); day <= DateOnly.FromDateTime(to); day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }
            var open = day.ToDateTime(DayStart);
            var close = day.ToDateTime(DayEnd);
            var overlap = (to < close ? to : close) - (from > open ? from : open);
            if (overlap > TimeSpan.Zero)
            {
                total += overlap;
            }
        }
        return total;
    }

    private (DateOnly Date, TimeOnly Time) MoveIntoWorkingTime(DateOnly date, TimeOnly time)
    {
        if (!IsWorkingDay(date) || time > DayEnd)
        {
            return (NextWorkingDay(date), DayStart);
        }
        return time < DayStart ? (date, DayStart) : (date, time);
    }

    private DateOnly NextWorkingDay(DateOnly date)
    {
        for (var i = 0; i < MaxDaysSearched; i++)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                return date;
            }
        }
        throw new InvalidOperationException("The working calendar has no working day in the next ten years.");
    }

    private static DateTimeOffset FromLocal(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        // The same instant, held as UTC like every stored time (PostgreSQL's timestamptz takes offset 0 only).
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
