using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Workflows;

/// <summary>
/// The templates and rules a new portal starts with, so the demo path works before an administrator
/// edits anything. Seal-type and document-type codes are the names of <see cref="SealType"/> and the
/// keys of <see cref="DocumentTypes"/>. Template and node names are data, shown as stored: a Chinese demo
/// company ("Demo:Culture" zh-CN, the default) gets Chinese names, an English one (en) English names.
/// </summary>
public static class DemoWorkflows
{
    /// <summary>The names the demo templates and nodes get, in the demo's language.</summary>
    private sealed record Names(string DepartmentHead, string Legal, string Executive, string Standard, string Contract, string CompanySeal);

    private static readonly Names English = new("Department head", "Legal review", "Executive", "Standard approval", "Contract approval", "Company seal approval");

    private static readonly Names Chinese = new("部门负责人审批", "法务审核", "高层领导审批", "标准审批", "合同审批", "公章审批");

    /// <summary>True for a demo culture other than English: the demo company is Chinese unless configured otherwise.</summary>
    public static bool IsChinese(string? culture) => !string.Equals(culture?.Split('-')[0], "en", StringComparison.OrdinalIgnoreCase);

    public const string Standard = "standard";
    public const string Contract = "contract";
    public const string CompanySeal = "company-seal";

    private static readonly NodeDeadline DepartmentDeadline = new()
    {
        Normal = WorkingDuration.Days(1),
        Urgent = WorkingDuration.Hours(2),
        AfterDeadline = OverdueAction.EscalateTo(ApproverSpec.CompanyRole(ApproverRoles.Executive)),
    };

    private static readonly NodeDeadline ReviewDeadline = new()
    {
        Normal = WorkingDuration.Days(2),
        Urgent = WorkingDuration.Hours(4),
        AfterDeadline = OverdueAction.TransferToDeputy(),
    };

    private static readonly NodeDeadline ExecutiveDeadline = new()
    {
        Normal = WorkingDuration.Days(2),
        Urgent = WorkingDuration.Hours(4),
        AfterDeadline = OverdueAction.RemindOnly(),
    };

    private static WorkflowNode DepartmentHead(Names names) => new()
    {
        Id = "department-head",
        Name = names.DepartmentHead,
        Approvers = ApproverSpec.DepartmentRole(ApproverRoles.DepartmentHead),
        // An applicant who heads the department cannot approve their own request.
        FallbackApprovers = ApproverSpec.CompanyRole(ApproverRoles.Executive),
        Mode = ApprovalMode.AnySign,
        Deadline = DepartmentDeadline,
    };

    private static WorkflowNode Legal(Names names, RequestCondition? when = null) => new()
    {
        Id = "legal",
        Name = names.Legal,
        Approvers = ApproverSpec.CompanyRole(ApproverRoles.Reviewer),
        Mode = ApprovalMode.AnySign,
        AppliesWhen = when,
        Deadline = ReviewDeadline,
    };

    private static WorkflowNode Executive(Names names, RequestCondition? when, ApprovalMode mode) => new()
    {
        Id = "executive",
        Name = names.Executive,
        Approvers = ApproverSpec.CompanyRole(ApproverRoles.Executive),
        Mode = mode,
        AppliesWhen = when,
        Deadline = ExecutiveDeadline,
    };

    /// <summary>The demo templates with names in the demo's language (see <see cref="IsChinese"/>).</summary>
    public static IReadOnlyList<WorkflowTemplate> TemplatesFor(string? culture) => Build(IsChinese(culture) ? Chinese : English);

    /// <summary>The templates with English names.</summary>
    public static IReadOnlyList<WorkflowTemplate> Templates => Build(English);

    private static IReadOnlyList<WorkflowTemplate> Build(Names n) =>
    [
        new()
        {
            Key = Standard, Version = 1, Name = n.Standard,
            Nodes = [DepartmentHead(n), Executive(n, new RequestCondition { AmountAtLeast = 100_000m }, ApprovalMode.AnySign)],
        },
        new()
        {
            Key = Contract, Version = 1, Name = n.Contract,
            Nodes = [DepartmentHead(n), Legal(n), Executive(n, new RequestCondition { AmountAtLeast = 1_000_000m }, ApprovalMode.Countersign)],
        },
        new()
        {
            Key = CompanySeal, Version = 1, Name = n.CompanySeal,
            Nodes =
            [
                DepartmentHead(n),
                Legal(n, new RequestCondition { DocumentTypes = [DocumentTypes.Contract, DocumentTypes.Agreement] }),
                Executive(n, null, ApprovalMode.AnySign),
            ],
        },
    ];

    /// <summary>公章 and 法人章 always reach an executive; contracts go through legal; everything else is standard.</summary>
    public static TemplateRuleSet Rules => new(
    [
        new TemplateRule(new RequestCondition { SealTypes = [nameof(SealType.Official), nameof(SealType.LegalRepresentative)] }, CompanySeal),
        new TemplateRule(new RequestCondition { DocumentTypes = [DocumentTypes.Contract, DocumentTypes.Agreement] }, Contract),
    ], Standard);
}
