using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Training;

/// <summary>"Training" in configuration.</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>How long an attended keeper-training session keeps a keeper's training current.</summary>
    public int KeeperValidityMonths { get; set; } = 12;

    /// <summary>How long before a session its audience is reminded.</summary>
    public int ReminderHoursBefore { get; set; } = 24;

    /// <summary>How long before a keeper's training lapses the keeper and the administrators are told.</summary>
    public int LapseWarningDays { get; set; } = 30;
}

/// <summary>A user's keeper training: the last keeper-training session they attended, and until when it counts.</summary>
public sealed record KeeperTrainingStatus(DateTimeOffset? LastAttended, DateTimeOffset? ValidUntil)
{
    public bool IsCurrent(DateTimeOffset now) => ValidUntil is { } until && until > now;
}

/// <summary>
/// The rule the seal registry obeys (issue 15, part 2): a seal is given to a keeper only when that user attended a
/// keeper-training session that started within the last <see cref="TrainingOptions.KeeperValidityMonths"/> months.
/// </summary>
public static class KeeperTraining
{
    public const string None = "{0} has no keeper training: a seal can be given only to a keeper who attended a keeper-training session.";

    public const string Lapsed = "{0}'s keeper training lapsed on {1}: a seal can be given only to a keeper trained within the last {2} months.";

    /// <summary>The last attended keeper-training session (that has started by <paramref name="now"/>) of each of <paramref name="userIds"/>.</summary>
    public static async Task<Dictionary<string, KeeperTrainingStatus>> StatusAsync(SealPortalDbContext db, IReadOnlyCollection<string> userIds,
        DateTimeOffset now, int validityMonths, CancellationToken ct = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var last = await db.TrainingAttendances.AsNoTracking()
            .Where(a => a.Attended && userIds.Contains(a.UserId) && a.Session!.Plan!.Kind == TrainingKind.Keeper && a.Session.StartsUnixMs <= nowMs)
            .GroupBy(a => a.UserId)
            .Select(g => new { UserId = g.Key, Ms = g.Max(a => a.Session!.StartsUnixMs) })
            .ToListAsync(ct);
        var found = last.ToDictionary(x => x.UserId, x => DateTimeOffset.FromUnixTimeMilliseconds(x.Ms));
        return userIds.Distinct().ToDictionary(id => id, id => found.TryGetValue(id, out var at)
            ? new KeeperTrainingStatus(at, at.AddMonths(validityMonths))
            : new KeeperTrainingStatus(null, null));
    }

    public static async Task<KeeperTrainingStatus> StatusAsync(SealPortalDbContext db, string userId, DateTimeOffset now, int validityMonths,
        CancellationToken ct = default) =>
        (await StatusAsync(db, [userId], now, validityMonths, ct))[userId];
}
