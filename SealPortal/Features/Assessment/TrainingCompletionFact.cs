using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Training;
using SealPortal.Resources;

namespace SealPortal.Features.Assessment;

/// <summary>
/// How much of the general training meant for the department's people they attended, as it stood at the end of the
/// period (or now, for a period not yet over). Counted in pairs of a person and a plan: for each General plan that
/// existed by then, each user of the department in its audience is one pair, completed when the trainer recorded them
/// present at a session of the plan that had started by then. Audience and completion follow
/// <see cref="TrainingCompletionRule"/>, the rule of the training-completion page. Keeper training is left out: the seal
/// registry already refuses a seal to a keeper whose keeper training is not current. Does not apply when there is no pair.
/// </summary>
public sealed class TrainingCompletionFact(IStringLocalizer<SharedResource> localizer, IOptions<TrainingOptions> options, CompanyTime time)
    : IAssessmentFact
{
    public string Key => "training-completed";

    public string Name => "Training completed";

    public string Counts => "For each general training plan that existed at the end of the period, the department's users in its audience who attended one of its sessions by then, out of all of them (a person counts once per plan).";

    public string Rule => "The share completed, in percent; left out when no general plan is meant for anyone in the department.";

    public int Weight => 15;

    /// <summary>The moment completion is taken: the last instant of the period, or now when that is earlier.</summary>
    private static DateTimeOffset AsOf(AssessmentWindow w) => w.Until.AddMilliseconds(-1) < w.Now ? w.Until.AddMilliseconds(-1) : w.Now;

    private Task<IReadOnlyList<PlanStanding>> StandingAsync(SealPortalDbContext db, AssessmentWindow window, IReadOnlyCollection<int> departmentIds,
        CancellationToken ct) =>
        TrainingCompletionRule.StandingAsync(db, departmentIds, AsOf(window), options.Value.KeeperValidityMonths, TrainingKind.General, ct);

    public async Task<IReadOnlyDictionary<int, FactMeasure>> MeasureAsync(SealPortalDbContext db, AssessmentWindow window,
        IReadOnlyCollection<int> departmentIds, CancellationToken ct)
    {
        var members = (await StandingAsync(db, window, departmentIds, ct)).SelectMany(p => p.Audience).ToList();
        return departmentIds.ToDictionary(id => id, id =>
        {
            var all = members.Count(m => m.DepartmentId == id);
            var done = members.Count(m => m.DepartmentId == id && m.Completed);
            return new FactMeasure(done, all, all == 0 ? null : 100.0 * done / all);
        });
    }

    /// <summary>The people who have not completed a plan meant for them: a line per person and plan, by plan.</summary>
    public async Task<IReadOnlyList<FactItem>> ItemsAsync(SealPortalDbContext db, AssessmentWindow window, int departmentId, CancellationToken ct)
    {
        var asOf = time.Date(AsOf(window));
        return (await StandingAsync(db, window, [departmentId], ct))
            .SelectMany(p => p.Audience.Where(m => !m.Completed).Select(m => new FactItem(p.Title, $"/training/plans/{p.PlanId}",
                OverdueApprovalsFact.Person(m.UserName, m.DisplayName == m.UserName ? null : m.DisplayName),
                string.Format(localizer["Attended no session of this plan by {0}"], asOf), null, null)))
            .ToList();
    }
}
