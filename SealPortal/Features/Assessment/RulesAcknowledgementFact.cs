using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
using SealPortal.Resources;

namespace SealPortal.Features.Assessment;

/// <summary>
/// The share of the department's users who accepted the current version of the seal-management rules, as it
/// stands now whatever the period (a new version asks everyone again). Does not apply while no version is
/// published or the department has no users.
/// </summary>
public sealed class RulesAcknowledgementFact(IStringLocalizer<SharedResource> localizer) : IAssessmentFact
{
    public string Key => "rules-acknowledged";

    public string Name => "Rules accepted";

    public string Counts => "The department's users who accepted the current version of the seal-management rules, out of all its users (as of now).";

    public string Rule => "The share accepted, in percent; left out while no rules are published or the department has no users.";

    public int Weight => 15;

    private static Task<int?> CurrentAsync(SealPortalDbContext db, CancellationToken ct) =>
        db.SealRules.OrderByDescending(r => r.Version).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);

    public async Task<IReadOnlyDictionary<int, FactMeasure>> MeasureAsync(SealPortalDbContext db, AssessmentWindow window,
        IReadOnlyCollection<int> departmentIds, CancellationToken ct)
    {
        var users = await db.Users.Where(u => u.DepartmentId != null && departmentIds.Contains(u.DepartmentId.Value))
            .GroupBy(u => u.DepartmentId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        if (await CurrentAsync(db, ct) is not { } current)
            return departmentIds.ToDictionary(id => id, id => new FactMeasure(0, users.GetValueOrDefault(id), null));
        var accepted = await db.RuleAcknowledgements.Where(a => a.RulesVersionId == current)
            .Join(db.Users, a => a.UserId, u => u.Id, (a, u) => u.DepartmentId)
            .Where(dep => dep != null && departmentIds.Contains(dep.Value))
            .GroupBy(dep => dep!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return departmentIds.ToDictionary(id => id, id =>
        {
            var all = users.GetValueOrDefault(id);
            var yes = accepted.GetValueOrDefault(id);
            return new FactMeasure(yes, all, all == 0 ? null : 100.0 * yes / all);
        });
    }

    /// <summary>The users who have not accepted the current version (none while no version is published).</summary>
    public async Task<IReadOnlyList<FactItem>> ItemsAsync(SealPortalDbContext db, AssessmentWindow window, int departmentId, CancellationToken ct)
    {
        if (await CurrentAsync(db, ct) is not { } current)
            return [];
        var version = await db.SealRules.Where(r => r.Id == current).Select(r => r.Version).SingleAsync(ct);
        var missing = await db.Users
            .Where(u => u.DepartmentId == departmentId && !db.RuleAcknowledgements.Any(a => a.UserId == u.Id && a.RulesVersionId == current))
            .OrderBy(u => u.UserName).Select(u => new { u.Id, u.UserName, u.DisplayName })
            .ToListAsync(ct);
        return missing.Select(u => new FactItem(u.UserName ?? "", null, OverdueApprovalsFact.Person(u.UserName, u.DisplayName),
            string.Format(localizer["Has not accepted version {0}"], version), null, null)).ToList();
    }
}
