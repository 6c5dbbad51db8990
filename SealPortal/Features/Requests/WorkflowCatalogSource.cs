using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// Where submission gets the approval templates and rules. Until the administrators' template store
/// (branch `flows`, WorkflowTemplateStore) is merged, this is the portal's one built-in catalog:
/// the department head (any-sign), then an executive when the amount is at least 100 000 or a
/// 公章/法人章 is requested.
/// </summary>
public sealed class WorkflowCatalogSource
{
    public const decimal ExecutiveAmountThreshold = 100_000m;

    public Task<WorkflowCatalog> LoadCatalogAsync(CancellationToken ct) => Task.FromResult(BuiltIn);

    private static readonly NodeDeadline OneDay = new()
    {
        Normal = WorkingDuration.Days(1),
        Urgent = WorkingDuration.Hours(2),
    };

    private static readonly WorkflowNode DepartmentHead = new()
    {
        Id = "department",
        Name = "Department head",
        Approvers = ApproverSpec.DepartmentRole(ApproverRoles.DepartmentHead),
        FallbackApprovers = ApproverSpec.CompanyRole(ApproverRoles.Executive),
        Mode = ApprovalMode.AnySign,
        Deadline = OneDay,
    };

    private static readonly WorkflowNode Executive = new()
    {
        Id = "executive",
        Name = "Executive",
        Approvers = ApproverSpec.CompanyRole(ApproverRoles.Executive),
        Mode = ApprovalMode.AnySign,
        Deadline = OneDay,
    };

    private static readonly WorkflowCatalog BuiltIn = new(
        [
            new TemplateRule(new RequestCondition { AmountAtLeast = ExecutiveAmountThreshold }, "with-executive"),
            new TemplateRule(new RequestCondition { SealTypes = ["Official", "LegalRepresentative"] }, "with-executive"),
        ],
        "department",
        [
            new WorkflowTemplate { Key = "department", Version = 1, Name = "Department approval", Nodes = [DepartmentHead] },
            new WorkflowTemplate { Key = "with-executive", Version = 1, Name = "Department and executive approval", Nodes = [DepartmentHead, Executive] },
        ]);
}
