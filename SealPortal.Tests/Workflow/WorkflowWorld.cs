using SealPortal.Workflow;

namespace SealPortal.Tests.Workflow;

/// <summary>
/// A small company for the workflow tests: the sales department applies, with a department head,
/// legal and finance reviewers, executives, seal keepers and an archivist.
/// </summary>
internal static class WorkflowWorld
{
    public const string Applicant = "alice";
    public const string SalesHead = "hank";
    public const string OpsHead = "dora";
    public const string Lawyer1 = "lena";
    public const string Lawyer2 = "leo";
    public const string FinanceReviewer = "fred";
    public const string Executive1 = "eve";
    public const string Executive2 = "ed";
    public const string ContractKeeper = "kate";
    public const string OfficialKeeper = "kurt";
    public const string Archivist = "arch";
    public const string Outsider = "olga";

    /// <summary>Friday 20 November 2026, 10:00 UTC.</summary>
    public static readonly DateTimeOffset FridayMorning = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static readonly WorkingCalendar Calendar = new();

    public static ApproverDirectorySnapshot Directory(params Delegation[] delegations) => new()
    {
        Roles =
        [
            new(SalesHead, ApproverRoles.DepartmentHead, "sales"),
            new(OpsHead, ApproverRoles.DepartmentHead, "ops"),
            new(Lawyer1, ApproverRoles.Reviewer, "legal-dept", "legal"),
            new(Lawyer2, ApproverRoles.Reviewer, "legal-dept", "legal"),
            new(FinanceReviewer, ApproverRoles.Reviewer, "finance-dept", "finance"),
            new(Executive1, ApproverRoles.Executive, "board"),
            new(Executive2, ApproverRoles.Executive, "board"),
            new(Archivist, ApproverRoles.Archivist, "office"),
        ],
        Custodians = new Dictionary<string, IReadOnlyList<string>>
        {
            ["S-CONTRACT"] = [ContractKeeper],
            ["S-OFFICIAL"] = [OfficialKeeper],
        },
        Delegations = delegations,
        StandingDeputies = new Dictionary<string, string> { [SalesHead] = OpsHead },
    };

    public static WorkflowEngine Engine(params Delegation[] delegations) => new(Directory(delegations), Calendar);

    public static SealRequestFacts Facts(string documentType = "Contract", decimal? amount = 50_000m, bool urgent = false,
        string sealId = "S-CONTRACT", string sealType = "Contract") =>
        new("REQ-1", Applicant, "sales", [new RequestedSeal(sealId, sealType)], documentType, amount, urgent);

    /// <summary>department → legal (countersign, contracts only) → finance (from 100 000) → executive (from 1 000 000) → seal keeper → archive.</summary>
    public static WorkflowTemplate Standard(int version = 1, OverdueAction? afterDeadline = null) => new()
    {
        Key = "standard",
        Version = version,
        Name = "Standard seal use",
        Nodes =
        [
            new WorkflowNode
            {
                Id = "dept",
                Name = "Department head",
                Approvers = ApproverSpec.DepartmentRole(ApproverRoles.DepartmentHead),
                FallbackApprovers = ApproverSpec.CompanyRole(ApproverRoles.Executive),
                Deadline = new NodeDeadline
                {
                    Normal = WorkingDuration.Days(1),
                    Urgent = WorkingDuration.Hours(2),
                    AfterDeadline = afterDeadline ?? OverdueAction.RemindOnly(),
                },
            },
            new WorkflowNode
            {
                Id = "legal",
                Name = "Legal review",
                Approvers = ApproverSpec.CompanyRole(ApproverRoles.Reviewer, "legal"),
                Mode = ApprovalMode.Countersign,
                AppliesWhen = new RequestCondition { DocumentTypes = ["Contract"] },
            },
            new WorkflowNode
            {
                Id = "finance",
                Name = "Finance review",
                Approvers = ApproverSpec.CompanyRole(ApproverRoles.Reviewer, "finance"),
                AppliesWhen = new RequestCondition { AmountAtLeast = 100_000m },
            },
            new WorkflowNode
            {
                Id = "exec",
                Name = "Executive",
                Approvers = ApproverSpec.CompanyRole(ApproverRoles.Executive),
                AppliesWhen = new RequestCondition { AmountAtLeast = 1_000_000m },
            },
            new WorkflowNode
            {
                Id = "keeper",
                Name = "Seal keeper",
                Approvers = ApproverSpec.SealCustodians(),
                Mode = ApprovalMode.Countersign,
            },
            new WorkflowNode
            {
                Id = "archive",
                Name = "Archive",
                Approvers = ApproverSpec.CompanyRole(ApproverRoles.Archivist),
            },
        ],
    };

    public static WorkflowState Applied(WorkflowResult result)
    {
        Assert.True(result.Outcome == WorkflowOutcome.Applied,
            $"expected Applied, got {result.Outcome}: {result.Refusal?.Code} {result.Refusal?.Message} {result.Notice?.Message}");
        return result.State!;
    }

    public static WorkflowState Start(WorkflowEngine engine, SealRequestFacts facts, WorkflowTemplate template, DateTimeOffset now) =>
        Applied(engine.Start(facts, template, now));

    public static WorkflowResult Approve(WorkflowEngine engine, WorkflowState state, string actor, DateTimeOffset now) =>
        engine.Decide(state, new DecisionCommand(actor, DecisionKind.Approve, null, state.Version), now);

    public static string? CurrentNode(WorkflowState state) => state.Current?.NodeId;
}
