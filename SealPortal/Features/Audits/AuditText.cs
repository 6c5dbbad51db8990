using SealPortal.Data;

namespace SealPortal.Features.Audits;

/// <summary>How the audit pages read days (times and days are written through CompanyTime).</summary>
public static class AuditText
{
    /// <summary>A day as a date input posts it (yyyy-MM-dd); null for anything else.</summary>
    public static DateOnly? ParseDay(string? text) => DayRange.ParseDay(text?.Trim());
}
