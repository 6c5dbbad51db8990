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

    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, _zone);

    public DateTimeOffset Now => Local(clock.GetUtcNow());

    /// <summary>Date and minute: 2026-12-06 14:05 in Chinese, 6 Dec 2026 14:05 in English.</summary>
    public string DateTime(DateTimeOffset at) =>
        Local(at).ToString(Chinese ? "yyyy-MM-dd HH:mm" : "d MMM yyyy HH:mm", CultureInfo.CurrentCulture);

    public string DateTime(DateTimeOffset? at) => at is { } a ? DateTime(a) : "";

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

    /// <summary>Midnight at the start of a company calendar day, as an instant.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, _zone.GetUtcOffset(local));
    }

    /// <summary>Midnight after a company calendar day: the exclusive end of a period whose last day it is.</summary>
    public DateTimeOffset EndOf(DateOnly day) => StartOf(day.AddDays(1));

    /// <summary>The last day of a period that ends (exclusively) at <paramref name="until"/>.</summary>
    public string LastDay(DateTimeOffset until) => Date(until.AddTicks(-1));

    /// <summary>Today's long date for headings.</summary>
    public string Today() => Now.ToString("D", CultureInfo.CurrentCulture);

    private static bool Chinese => SealPortalCultures.IsChinese(CultureInfo.CurrentUICulture);
}
