using Microsoft.EntityFrameworkCore;
using SealPortal.Features.Workflows;

namespace SealPortal.Data.Demo;

/// <summary>
/// Test cases (流程测试) for the demo templates, so the flow-tests page has something to run: each is a request of
/// the demo applicant (销售部) that passes with the demo templates and rules as seeded.
/// </summary>
public static class DemoWorkflowTests
{
    /// <summary>Template key, case name, seal name, document type, amount, urgent, expected node ids.</summary>
    public static readonly IReadOnlyList<(string Template, string Name, string Seal, string DocumentType, decimal? Amount, bool Urgent, string[] Path)> Cases =
    [
        (DemoWorkflows.Standard, "小额付款：部门负责人即可", "财务专用章", DocumentTypes.Financial, 5_000m, false, ["department-head"]),
        (DemoWorkflows.Standard, "大额付款：需高层领导审批", "财务专用章", DocumentTypes.Financial, 200_000m, true, ["department-head", "executive"]),
        (DemoWorkflows.Contract, "普通合同：法务审核", "合同专用章", DocumentTypes.Contract, 50_000m, false, ["department-head", "legal"]),
        (DemoWorkflows.CompanySeal, "公章用于函件：不经法务", "公司电子公章", DocumentTypes.Letter, null, false, ["department-head", "executive"]),
    ];

    /// <summary>Adds the cases unless any test case exists; the demo company (its applicant and seals) must exist.</summary>
    public static async Task SeedAsync(SealPortalDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.WorkflowTestCases.AnyAsync(ct))
            return;
        var applicant = await db.Users.AsNoTracking().Where(u => u.UserName == "applicant").Select(u => new { u.Id, u.DepartmentId }).SingleOrDefaultAsync(ct);
        if (applicant?.DepartmentId is not { } department)
            return;
        var seals = await db.Seals.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.Id, ct);
        foreach (var c in Cases.Where(c => seals.ContainsKey(c.Seal)))
        {
            db.WorkflowTestCases.Add(new WorkflowTestCase
            {
                TemplateKey = c.Template,
                Name = c.Name,
                DepartmentId = department,
                SealId = seals[c.Seal],
                DocumentType = c.DocumentType,
                Amount = c.Amount,
                Urgent = c.Urgent,
                ApplicantUserId = applicant.Id,
                ExpectedPath = string.Join(WorkflowTestCase.PathSeparator, c.Path),
                ExpectedTemplateKey = c.Template,
                CreatedAt = clock.GetUtcNow(),
                CreatedBy = "system",
            });
        }
        await db.SaveChangesAsync(ct);
    }
}
