using SealPortal.Data;

namespace SealPortal.Features.Audits;

/// <summary>How the audit pages read days and write statuses (times go through CompanyTime).</summary>
public static class AuditText
{
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
