using SealPortal.Workflow;

namespace SealPortal.Tests.Workflow;

public class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = new();

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void One_working_day_from_Friday_afternoon_lands_on_Monday_same_time()
    {
        Assert.Equal(Utc(11, 23, 16), Calendar.Add(Utc(11, 20, 16), WorkingDuration.Days(1)));
    }

    [Fact]
    public void Two_working_hours_from_half_past_five_continue_next_working_morning()
    {
        // Thursday 17:30 -> 30 minutes on Thursday, 90 minutes on Friday.
        Assert.Equal(Utc(11, 20, 10, 30), Calendar.Add(Utc(11, 19, 17, 30), WorkingDuration.Hours(2)));
        // Friday 17:30 -> the rest falls on Monday.
        Assert.Equal(Utc(11, 23, 10, 30), Calendar.Add(Utc(11, 20, 17, 30), WorkingDuration.Hours(2)));
    }

    [Fact]
    public void Hours_that_end_exactly_at_closing_time_stay_on_that_day()
    {
        Assert.Equal(Utc(11, 19, 18), Calendar.Add(Utc(11, 19, 16), WorkingDuration.Hours(2)));
    }

    [Fact]
    public void Start_outside_working_time_counts_from_the_next_working_morning()
    {
        // Saturday noon and Monday 07:00 both start counting Monday 09:00.
        Assert.Equal(Utc(11, 23, 11), Calendar.Add(Utc(11, 21, 12), WorkingDuration.Hours(2)));
        Assert.Equal(Utc(11, 23, 9, 45), Calendar.Add(Utc(11, 23, 7), WorkingDuration.Minutes(45)));
        Assert.Equal(Utc(11, 24, 9), Calendar.Add(Utc(11, 21, 12), WorkingDuration.Days(1)));
    }

    [Fact]
    public void Holidays_are_skipped_and_make_up_working_days_count()
    {
        var calendar = new WorkingCalendar
        {
            Holidays = [new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 2)],
            ExtraWorkingDays = [new DateOnly(2026, 10, 10)],
        };
        // Wednesday 30 Sep + 1 working day: Thu 1 and Fri 2 Oct are holidays, so Monday 5 Oct.
        Assert.Equal(Utc(10, 5, 15), calendar.Add(Utc(9, 30, 15), WorkingDuration.Days(1)));
        // Friday 9 Oct + 1 working day: Saturday 10 Oct is a make-up working day.
        Assert.Equal(Utc(10, 10, 15), calendar.Add(Utc(10, 9, 15), WorkingDuration.Days(1)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
    }

    [Fact]
    public void Many_working_hours_span_several_days_and_a_weekend()
    {
        // 20 working hours of 9 per day from Thursday 09:00: Thu 9h, Fri 9h, Mon 2h -> Monday 11:00.
        Assert.Equal(Utc(11, 23, 11), Calendar.Add(Utc(11, 19, 9), WorkingDuration.Hours(20)));
    }

    [Fact]
    public void Custom_hours_and_time_zone_are_respected()
    {
        var shanghai = new WorkingCalendar { TimeZoneId = "Asia/Shanghai", DayStart = new TimeOnly(8, 30), DayEnd = new TimeOnly(17, 30) };
        // 08:00 UTC is 16:00 in Shanghai: 1h30 left that day, 30 minutes the next working day -> 09:00 Shanghai = 01:00 UTC.
        var due = shanghai.Add(Utc(11, 19, 8), WorkingDuration.Hours(2));
        Assert.Equal(Utc(11, 20, 1), due);
        // The same instant, returned as UTC: deadlines are stored, and PostgreSQL takes offset 0 only.
        Assert.Equal(TimeSpan.Zero, due.Offset);
    }

    [Fact]
    public void A_calendar_without_working_days_or_with_inverted_hours_is_reported()
    {
        var broken = new WorkingCalendar { WorkingDays = [], DayStart = new TimeOnly(18, 0), DayEnd = new TimeOnly(9, 0), TimeZoneId = "Nowhere/Land" };
        var problems = broken.Validate();
        Assert.Equal(3, problems.Count);
        Assert.Throws<ArgumentException>(() => new WorkflowEngine(WorkflowWorld.Directory(), broken));
        Assert.Empty(new WorkingCalendar().Validate());
    }
}
