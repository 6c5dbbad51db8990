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

    /// <summary>Today's long date for headings.</summary>
    public string Today() => Now.ToString("D", CultureInfo.CurrentCulture);

    private static bool Chinese => SealPortalCultures.IsChinese(CultureInfo.CurrentUICulture);
}
