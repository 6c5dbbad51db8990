using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Notifications;

namespace SealPortal.Features.Training;

/// <summary>
/// The training jobs' work. <see cref="RemindSessionsAsync"/> tells a session's audience (and its trainer) once, a day
/// before it starts; <see cref="WarnLapsesAsync"/> tells a keeper and the administrators once when the keeper's
/// training will lapse within <see cref="TrainingOptions.LapseWarningDays"/> days, and once more when it has lapsed.
/// Both are safe to run twice: every notification has a dedup key (the session; the keeper, the lapse date and the stage).
/// </summary>
public sealed class TrainingReminders(SealPortalDbContext db, Notifier notifier, TimeProvider clock, IOptions<TrainingOptions> options)
{
    /// <returns>The number of notifications added.</returns>
    public async Task<int> RemindSessionsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var fromMs = now.ToUnixTimeMilliseconds();
        var toMs = now.AddHours(options.Value.ReminderHoursBefore).ToUnixTimeMilliseconds();
        var sessions = await db.TrainingSessions.AsNoTracking().Include(s => s.Plan)
            .Where(s => s.StartsUnixMs > fromMs && s.StartsUnixMs <= toMs).OrderBy(s => s.StartsUnixMs).ToListAsync(ct);
        if (sessions.Count == 0)
            return 0;
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DepartmentId }).ToListAsync(ct);
        var roles = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct))
            .ToLookup(r => r.UserId, r => r.Name!);
        var added = 0;
        foreach (var session in sessions)
        {
            var audience = users.Where(u => Audience.Includes(session.Plan!, roles[u.Id].ToList(), u.DepartmentId)).Select(u => u.Id)
                .Append(session.TrainerUserId).Distinct();
            foreach (var userId in audience)
            {
                if (await notifier.AddLocalizedAsync(userId, NotificationKind.General,
                        "Training reminder: {0}",
                        "The training session {0} starts at {1} in {2}.",
                        [session.Plan!.Title, session.StartsAt, session.Place], $"/training/plans/{session.PlanId}",
                        $"training-session:{session.Id}", ct))
                    added++;
            }
        }
        await db.SaveChangesAsync(ct);
        return added;
    }

    /// <returns>The number of notifications added.</returns>
    public async Task<int> WarnLapsesAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var keepers = await notifier.UsersInRolesAsync([Roles.SealKeeper], ct);
        if (keepers.Count == 0)
            return 0;
        var status = await KeeperTraining.StatusAsync(db, keepers, now, options.Value.KeeperValidityMonths, ct);
        var admins = await notifier.UsersInRolesAsync([Roles.Admin], ct);
        var names = await db.Users.AsNoTracking().Where(u => keepers.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var horizon = now.AddDays(options.Value.LapseWarningDays);
        var added = 0;
        foreach (var (keeper, s) in status)
        {
            // A keeper never trained is refused by the registry when given a seal; there is no lapse to announce.
            if (s.ValidUntil is not { } until || until > horizon)
                continue;
            var lapsed = until <= now;
            var key = $"keeper-training:{keeper}:{until.ToUnixTimeMilliseconds()}:{(lapsed ? "lapsed" : "soon")}";
            foreach (var userId in admins.Append(keeper).Distinct())
            {
                var self = userId == keeper;
                var (subject, body) = (lapsed, self) switch
                {
                    (true, true) => ("Your keeper training has lapsed", "Your keeper training lapsed on {1}. No seal can be given to you until you attend a keeper-training session."),
                    (true, false) => ("Keeper training of {0} has lapsed", "The keeper training of {0} lapsed on {1}. No seal can be given to them until they attend a keeper-training session."),
                    (false, true) => ("Your keeper training lapses on {1}", "Your keeper training lapses on {1}. Attend a keeper-training session before then."),
                    (false, false) => ("Keeper training of {0} lapses on {1}", "The keeper training of {0} lapses on {1}. Plan a keeper-training session for them before then."),
                };
                if (await notifier.AddLocalizedAsync(userId, NotificationKind.General, subject, body, [names.GetValueOrDefault(keeper, ""), until],
                        "/training", key, ct))
                    added++;
            }
        }
        await db.SaveChangesAsync(ct);
        return added;
    }
}
