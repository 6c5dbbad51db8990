using System.Globalization;
using Microsoft.Extensions.Options;
using SealPortal.Resources;

namespace SealPortal.Features;

/// <summary>"Company" in configuration.</summary>
public sealed class CompanyOptions
{
    public const string Section = "Company";

    /// <summary>IANA id of the time zone every time is shown in.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";
}

/// <summary>
/// Times as people in the company read them: converted to the company's time zone, with one format
/// per language, the same on every page. Stored times stay UTC.
/// </summary>
public sealed class CompanyTime(IOptions<CompanyOptions> options, TimeProvider clock)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public TimeZoneInfo Zone => _zone;

    /// <summary>The zone's IANA id as configured (e.g. Asia/Shanghai), for labels and export headers.</summary>
    public string ZoneId { get; } = options.Value.TimeZone;

    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, _zone);

    public DateTimeOffset Now => Local(clock.GetUtcNow());

    /// <summary>Date and minute: 2026-12-06 14:05 in Chinese, 6 Dec 2026 14:05 in English.</summary>
    public string DateTime(DateTimeOffset at) =>
        Local(at).ToString(Chinese ? "yyyy-MM-dd HH:mm" : "d MMM yyyy HH:mm", CultureInfo.CurrentCulture);

    public string DateTime(DateTimeOffset? at) => at is { } a ? DateTime(a) : "";

    /// <summary>As <see cref="DateTime(DateTimeOffset)"/> for a stored UTC time (the ledger's and the audit trail's columns).</summary>
    public string DateTime(System.DateTime utc) => DateTime(Utc(utc));

    public string DateTime(System.DateTime? utc) => utc is { } u ? DateTime(Utc(u)) : "";

    /// <summary>
    /// ISO 8601 in company time with its offset, to the second (2026-03-02T01:30:00+08:00): the exports'
    /// format, the same in every language, unambiguous also in the repeated hour of a daylight-saving change.
    /// </summary>
    public string Iso(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public string Iso(System.DateTime utc) => Iso(Utc(utc));

    public string Iso(System.DateTime? utc) => utc is { } u ? Iso(Utc(u)) : "";

    /// <summary>The day alone: 2026-12-06 in Chinese, 6 Dec 2026 in English.</summary>
    public string Date(DateTimeOffset at) =>
        Local(at).ToString(Chinese ? "yyyy-MM-dd" : "d MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>A calendar day in the same format as <see cref="Date(DateTimeOffset)"/>.</summary>
    public string Date(DateOnly day) =>
        day.ToDateTime(TimeOnly.MinValue).ToString(Chinese ? "yyyy-MM-dd" : "d MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>To the second, for signing and verification times: 2026-12-06 14:05:09 / 6 Dec 2026 14:05:09.</summary>
    public string Precise(DateTimeOffset at) =>
        Local(at).ToString(Chinese ? "yyyy-MM-dd HH:mm:ss" : "d MMM yyyy HH:mm:ss", CultureInfo.CurrentCulture);

    /// <summary>The company's calendar day of an instant.</summary>
    public DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(Local(at).DateTime);

    /// <summary>The company's calendar day now.</summary>
    public DateOnly CurrentDay => Day(clock.GetUtcNow());

    /// <summary>
    /// Midnight at the start of a company calendar day, as an instant. Where a daylight-saving change
    /// makes midnight happen twice, the first; where it skips midnight, the moment the day begins.
    /// </summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, OffsetAtStartOf(local));
    }

    /// <summary>
    /// A search's inclusive company days <paramref name="from"/> through <paramref name="to"/> as the
    /// half-open range [Start, End) of stored UTC times, so a query compares the time column itself
    /// (one index range) rather than a conversion of it. A missing day, or one whose bound lies beyond
    /// what a DateTime holds, is no bound.
    /// </summary>
    public (System.DateTime? Start, System.DateTime? End) UtcRange(DateOnly? from, DateOnly? to)
    {
        System.DateTime? start = null, end = null;
        if (from is { } f)
        {
            // Before the first representable instant: no lower bound; after the last: nothing can match.
            var s = UtcTicksOfMidnight(f, out var late);
            start = s is { } ticks ? new System.DateTime(ticks, DateTimeKind.Utc) : late ? System.DateTime.SpecifyKind(System.DateTime.MaxValue, DateTimeKind.Utc) : null;
        }
        if (to is { } t && t < DateOnly.MaxValue && UtcTicksOfMidnight(t.AddDays(1), out _) is { } e)
            end = new System.DateTime(e, DateTimeKind.Utc);
        return (start, end);
    }

    /// <summary>The UTC ticks of the start of a company day; null when outside DateTime's range (the first or last representable days).</summary>
    private long? UtcTicksOfMidnight(DateOnly day, out bool late)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var ticks = local.Ticks - OffsetAtStartOf(local).Ticks;
        late = ticks > System.DateTime.MaxValue.Ticks;
        return ticks < System.DateTime.MinValue.Ticks || late ? null : ticks;
    }

    private TimeSpan OffsetAtStartOf(System.DateTime localMidnight) =>
        _zone.IsAmbiguousTime(localMidnight) ? _zone.GetAmbiguousTimeOffsets(localMidnight).Max() : _zone.GetUtcOffset(localMidnight);

    private static DateTimeOffset Utc(System.DateTime utc) => new(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    /// <summary>Midnight after a company calendar day: the exclusive end of a period whose last day it is.</summary>
    public DateTimeOffset EndOf(DateOnly day) => StartOf(day.AddDays(1));

    /// <summary>The last day of a period that ends (exclusively) at <paramref name="until"/>.</summary>
    public string LastDay(DateTimeOffset until) => Date(until.AddTicks(-1));

    /// <summary>Today's long date for headings.</summary>
    public string Today() => Now.ToString("D", CultureInfo.CurrentCulture);

    private static bool Chinese => SealPortalCultures.IsChinese(CultureInfo.CurrentUICulture);
}

public static class CompanyTimeExtensions
{
    /// <summary>
    /// Company:TimeZone and <see cref="CompanyTime"/>, once, for the portal and for the command-line hosts
    /// that build only some services (the ledger's exports and filters need it too).
    /// </summary>
    public static IServiceCollection AddCompanyTime(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(CompanyTime)))
            return services;
        services.AddOptions<CompanyOptions>().BindConfiguration(CompanyOptions.Section)
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Company:TimeZone is not a known time zone id.")
            .ValidateOnStart();
        services.AddSingleton<CompanyTime>();
        return services;
    }
}
