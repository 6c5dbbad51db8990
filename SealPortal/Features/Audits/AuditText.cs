using System.Globalization;
using SealPortal.Data;

namespace SealPortal.Features.Audits;

/// <summary>How the audit pages write days, times and statuses, in the reader's culture.</summary>
public static class AuditText
{
    public static string Day(DateOnly d) => d.ToString("d", CultureInfo.CurrentCulture);

    /// <summary>In UTC, like the period itself, so the period and the times it holds read alike.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";

    /// <summary>A day as a date input posts it (yyyy-MM-dd); null for anything else.</summary>
    public static DateOnly? ParseDay(string? text) => DayRange.ParseDay(text?.Trim());

    public static string StatusClass(SealAuditStatus s) => s == SealAuditStatus.Open ? "text-bg-primary" : "text-bg-secondary";

    public static string FindingClass(SealAuditFinding f) => f switch
    {
        SealAuditFinding.Ok => "text-bg-success",
        SealAuditFinding.Issue => "text-bg-danger",
        _ => "text-bg-light border",
    };
}
