using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
using SealPortal.Features.Cases;
using SealPortal.Resources;

namespace SealPortal.Features.Assessment;

/// <summary>
/// Violation cases (责任追究) that name the department as responsible and were opened in the period, open or closed,
/// except those closed as "no violation" (the rule of <see cref="ViolationCases.Counted"/>).
/// </summary>
public sealed class ViolationsFact(IStringLocalizer<SharedResource> localizer) : IAssessmentFact
{
    public const int PerItem = 25;

    public string Key => "violations";

    public string Name => "Violations";

    public string Counts => "Violation cases naming the department as responsible that were opened in the period, open or closed, except those closed as no violation.";

    public string Rule => "100 − 25 per case, not below 0.";

    public int Weight => 25;

    public async Task<IReadOnlyDictionary<int, FactMeasure>> MeasureAsync(SealPortalDbContext db, AssessmentWindow window,
        IReadOnlyCollection<int> departmentIds, CancellationToken ct)
    {
        var counts = await ViolationCases.CountByDepartmentAsync(db, departmentIds, window.From, window.Until, ct);
        return AssessmentScore.PerDepartment(departmentIds, counts, n => new FactMeasure(n, null, AssessmentScore.Deduct(n, PerItem)));
    }

    public async Task<IReadOnlyList<FactItem>> ItemsAsync(SealPortalDbContext db, AssessmentWindow window, int departmentId, CancellationToken ct)
    {
        var rows = await ViolationCases.Counted(db, window.From, window.Until).Where(c => c.DepartmentId == departmentId)
            .OrderBy(c => c.OpenedAt).ThenBy(c => c.Id)
            .Select(c => new
            {
                c.Id, c.Number, c.Kind, c.Status, c.Outcome, c.OpenedAt,
                UserName = c.ResponsibleUser == null ? null : c.ResponsibleUser.UserName,
                DisplayName = c.ResponsibleUser == null ? null : c.ResponsibleUser.DisplayName,
            })
            .ToListAsync(ct);
        return rows.Select(c => new FactItem(c.Number, $"/cases/{c.Id}",
            c.UserName is null ? localizer["No one named"] : OverdueApprovalsFact.Person(c.UserName, c.DisplayName),
            $"{localizer.Enum(c.Kind)} · {(c.Outcome is { } outcome ? localizer.Enum(outcome) : localizer.Enum(c.Status))}",
            null, new DateTimeOffset(DateTime.SpecifyKind(c.OpenedAt, DateTimeKind.Utc)))).ToList();
    }
}
