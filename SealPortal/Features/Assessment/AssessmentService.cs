using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Assessment;

/// <summary>A fact as the page explains it: name, what it counts, how it scores, its weight.</summary>
public sealed record AssessmentFactInfo(string Key, string Name, string Counts, string Rule, int Weight);

/// <summary>One department's line: its score (null when no fact applies) and each fact's measure, by fact key.</summary>
public sealed record DepartmentAssessment(int DepartmentId, string Department, int? Score, IReadOnlyDictionary<string, FactMeasure> Facts);

public sealed record AssessmentReport(AssessmentWindow Window, bool AllDepartments, IReadOnlyList<AssessmentFactInfo> Facts,
    IReadOnlyList<DepartmentAssessment> Departments);

/// <summary>
/// The department assessment (责任考核) of a period, computed from the registered <see cref="IAssessmentFact"/>s
/// whenever it is read; nothing is typed in or stored. Executives, auditors and administrators see every
/// department; a department head sees their own department only; anyone else gets nothing (null), and nothing is read.
/// </summary>
public sealed class AssessmentService(IDbContextFactory<SealPortalDbContext> dbs, IEnumerable<IAssessmentFact> facts,
    CompanyTime time, TimeProvider clock)
{
    public const string Readers = $"{Roles.Executive},{Roles.Auditor},{Roles.Admin},{Roles.DepartmentHead}";

    private readonly IReadOnlyList<IAssessmentFact> _facts = facts.ToList();

    public IReadOnlyList<AssessmentFactInfo> Facts => _facts.Select(f => new AssessmentFactInfo(f.Key, f.Name, f.Counts, f.Rule, f.Weight)).ToList();

    /// <summary>Whether <paramref name="user"/> may see every department (true), their own (false), or nothing (null).</summary>
    public static bool? SeesAll(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
            return null;
        if (user.IsInRole(Roles.Executive) || user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin))
            return true;
        return user.IsInRole(Roles.DepartmentHead) ? false : null;
    }

    /// <summary>The period's instants in the company's time zone; the measure is taken now.</summary>
    public AssessmentWindow Window(AssessmentPeriod period) =>
        new(period, time.StartOf(period.FirstDay), time.EndOf(period.LastDay), clock.GetUtcNow());

    /// <summary>The departments <paramref name="user"/> may see, by name; null when none at all.</summary>
    private static async Task<List<(int Id, string Name)>?> DepartmentsAsync(SealPortalDbContext db, ClaimsPrincipal? user, CancellationToken ct)
    {
        var all = SeesAll(user);
        if (all is null || user!.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        int? only = null;
        if (all == false)
        {
            only = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DepartmentId).FirstOrDefaultAsync(ct);
            if (only is null)
                return [];
        }
        var rows = await db.Departments.AsNoTracking().Where(d => only == null || d.Id == only)
            .OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        return rows.Select(d => (d.Id, d.Name)).ToList();
    }

    public async Task<AssessmentReport?> ReportAsync(ClaimsPrincipal? user, AssessmentPeriod period, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await DepartmentsAsync(db, user, ct) is not { } departments)
            return null;
        var window = Window(period);
        var ids = departments.Select(d => d.Id).ToList();
        var measures = new Dictionary<string, IReadOnlyDictionary<int, FactMeasure>>();
        foreach (var fact in _facts)
            measures[fact.Key] = ids.Count == 0 ? new Dictionary<int, FactMeasure>() : await fact.MeasureAsync(db, window, ids, ct);
        var rows = departments.Select(d =>
        {
            var byFact = _facts.ToDictionary(f => f.Key, f => measures[f.Key][d.Id]);
            var score = AssessmentScore.Of(_facts.Select(f => (f.Weight, byFact[f.Key].SubScore)));
            return new DepartmentAssessment(d.Id, d.Name, score, byFact);
        }).ToList();
        return new AssessmentReport(window, SeesAll(user) == true, Facts, rows);
    }

    /// <summary>
    /// The items behind one department's count of one fact; null when the user may not see that department
    /// (or the fact or department does not exist), so a forged department id learns nothing.
    /// </summary>
    public async Task<IReadOnlyList<FactItem>?> ItemsAsync(ClaimsPrincipal? user, AssessmentPeriod period, int departmentId, string factKey,
        CancellationToken ct = default)
    {
        if (_facts.FirstOrDefault(f => f.Key == factKey) is not { } fact)
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await DepartmentsAsync(db, user, ct) is not { } departments || departments.All(d => d.Id != departmentId))
            return null;
        return await fact.ItemsAsync(db, Window(period), departmentId, ct);
    }

    /// <summary>Every item behind every count of the report, for the export: department, fact, item.</summary>
    public async IAsyncEnumerable<(DepartmentAssessment Department, AssessmentFactInfo Fact, FactItem Item)> AllItemsAsync(AssessmentReport report,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        foreach (var department in report.Departments)
        {
            foreach (var fact in _facts)
            {
                var info = report.Facts.Single(f => f.Key == fact.Key);
                foreach (var item in await fact.ItemsAsync(db, report.Window, department.DepartmentId, ct))
                    yield return (department, info, item);
            }
        }
    }
}
