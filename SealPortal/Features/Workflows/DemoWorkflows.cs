using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Workflows;

/// <summary>
/// The templates and rules a new portal starts with, so the demo path works before an administrator
/// edits anything. Seal-type and document-type codes are the names of <see cref="SealType"/> and the
/// keys of <see cref="DocumentTypes"/>.
/// </summary>
public static class DemoWorkflows
{
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

    private static WorkflowNode DepartmentHead() => new()
    {
        Id = "department-head",
        Name = "Department head",
        Approvers = ApproverSpec.DepartmentRole(ApproverRoles.DepartmentHead),
        // An applicant who heads the department cannot approve their own request.
        FallbackApprovers = ApproverSpec.CompanyRole(ApproverRoles.Executive),
        Mode = ApprovalMode.AnySign,
        Deadline = DepartmentDeadline,
    };

    private static WorkflowNode Legal(RequestCondition? when = null) => new()
    {
        Id = "legal",
        Name = "Legal review",
        Approvers = ApproverSpec.CompanyRole(ApproverRoles.Reviewer),
        Mode = ApprovalMode.AnySign,
        AppliesWhen = when,
        Deadline = ReviewDeadline,
    };

    private static WorkflowNode Executive(RequestCondition? when, ApprovalMode mode) => new()
    {
        Id = "executive",
        Name = "Executive",
        Approvers = ApproverSpec.CompanyRole(ApproverRoles.Executive),
        Mode = mode,
        AppliesWhen = when,
        Deadline = ExecutiveDeadline,
    };

    public static IReadOnlyList<WorkflowTemplate> Templates =>
    [
        new()
        {
            Key = Standard, Version = 1, Name = "Standard approval",
            Nodes = [DepartmentHead(), Executive(new RequestCondition { AmountAtLeast = 100_000m }, ApprovalMode.AnySign)],
        },
        new()
        {
            Key = Contract, Version = 1, Name = "Contract approval",
            Nodes = [DepartmentHead(), Legal(), Executive(new RequestCondition { AmountAtLeast = 1_000_000m }, ApprovalMode.Countersign)],
        },
        new()
        {
            Key = CompanySeal, Version = 1, Name = "Company seal approval",
            Nodes =
            [
                DepartmentHead(),
                Legal(new RequestCondition { DocumentTypes = [DocumentTypes.Contract, DocumentTypes.Agreement] }),
                Executive(null, ApprovalMode.AnySign),
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
