using SealPortal.Data;

namespace SealPortal.Features.Authorizations;

/// <summary>The authorization scopes of the demo company, by seal name (see DatabaseInitializer).</summary>
public static class DemoAuthorizations
{
    /// <summary>Seal name, department name (null: every department), role (null: any), document types (empty: all).</summary>
    public static readonly IReadOnlyList<(string Seal, string? Department, string? Role, string[] DocumentTypes)> Scopes =
    [
        ("公司公章", null, Roles.Applicant, []),
        ("公司电子公章", null, Roles.Applicant, []),
        ("合同专用章", null, Roles.Applicant, [DocumentTypes.Contract, DocumentTypes.Agreement]),
        ("财务专用章", "财务部", null, [DocumentTypes.Financial, DocumentTypes.Certificate, DocumentTypes.Letter]),
        ("法定代表人章", "总经办", null, []),
        ("销售部业务章", "销售部", Roles.Applicant, [DocumentTypes.Letter, DocumentTypes.Agreement, DocumentTypes.Other]),
    ];

    /// <summary>Demo scopes start long before any demo request so a test clock set in the past still finds them valid.</summary>
    public static readonly DateTimeOffset ValidFrom = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
