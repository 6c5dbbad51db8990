using SealPortal.Data;

namespace SealPortal.Features.Assessment;

/// <summary>
/// One measured fact of the department assessment (责任考核), e.g. overdue approvals. A fact counts per
/// department in the database (one grouped query for all departments), turns its count into a sub-score
/// from 0 to 100, and lists the items behind a department's count. The assessment weighs the sub-scores
/// (see <see cref="AssessmentScore"/>). Adding a fact is one class implementing this, registered with
/// <c>services.AddSingleton&lt;IAssessmentFact, TheFact&gt;()</c> in AssessmentServiceExtensions: the page,
/// the formula shown on it and the export pick it up from there.
/// </summary>
public interface IAssessmentFact
{
    /// <summary>A stable key for links, tests and the export, e.g. "overdue-approvals".</summary>
    string Key { get; }

    /// <summary>Resource key of the fact's name, e.g. "Overdue approvals".</summary>
    string Name { get; }

    /// <summary>Resource key: what is counted, and for which department and period.</summary>
    string Counts { get; }

    /// <summary>Resource key: how the sub-score follows from the count.</summary>
    string Rule { get; }

    /// <summary>How much the sub-score weighs in the department's score, relative to the other facts' weights.</summary>
    int Weight { get; }

    /// <summary>The measure of each of <paramref name="departmentIds"/> (every one of them has an entry) in <paramref name="window"/>.</summary>
    Task<IReadOnlyDictionary<int, FactMeasure>> MeasureAsync(SealPortalDbContext db, AssessmentWindow window,
        IReadOnlyCollection<int> departmentIds, CancellationToken ct);

    /// <summary>The items behind one department's count, as the page and the export list them.</summary>
    Task<IReadOnlyList<FactItem>> ItemsAsync(SealPortalDbContext db, AssessmentWindow window, int departmentId, CancellationToken ct);
}

/// <summary>
/// A fact's value for one department: <see cref="Count"/> (of <see cref="OutOf"/> where a share is meant) and the
/// sub-score it gives; a null sub-score means the fact does not apply (e.g. no rules published) and is left out of the score.
/// </summary>
public sealed record FactMeasure(int Count, int? OutOf, double? SubScore);

/// <summary>
/// One item behind a count: <see cref="Reference"/> (a request number, an audit, a user name) with a portal link,
/// the person it concerns, what happened, the deadline where one applies and when it happened. Texts are already
/// in the reader's language.
/// </summary>
public sealed record FactItem(string Reference, string? Link, string Person, string Detail, DateTimeOffset? Due, DateTimeOffset? At);

/// <summary>The score of a department: the weighted mean of the sub-scores of the facts that apply.</summary>
public static class AssessmentScore
{
    /// <summary>
    /// Σ(weight × sub-score) ÷ Σ(weight) over the facts whose sub-score is not null, rounded to a whole number
    /// (halves up); null when no fact applies.
    /// </summary>
    public static int? Of(IEnumerable<(int Weight, double? SubScore)> facts)
    {
        double weighted = 0, weights = 0;
        foreach (var (weight, sub) in facts)
        {
            if (sub is not { } s || weight <= 0)
                continue;
            weighted += weight * Math.Clamp(s, 0, 100);
            weights += weight;
        }
        return weights == 0 ? null : (int)Math.Round(weighted / weights, MidpointRounding.AwayFromZero);
    }

    /// <summary>100 less <paramref name="perItem"/> for each item, not below 0: the sub-score of a fact where every item counts against.</summary>
    public static double Deduct(int count, int perItem) => Math.Max(0, 100 - (double)count * perItem);

    /// <summary>The entry for every department, 0 where the grouped query found none.</summary>
    public static IReadOnlyDictionary<int, FactMeasure> PerDepartment(IReadOnlyCollection<int> departmentIds,
        IReadOnlyDictionary<int, int> counts, Func<int, FactMeasure> measure) =>
        departmentIds.ToDictionary(id => id, id => measure(counts.GetValueOrDefault(id)));
}
