using SealPortal.Data;
using SealPortal.Features.Notifications;

namespace SealPortal.Features.Audits;

/// <summary>
/// Reminds auditors to run the periodic audit (定期检查) every "Audits:ScheduleDays" days (default 90).
/// The portal has no record of audits yet, so the reminder follows the calendar: one per period,
/// periods counted from 1970-01-01 UTC, so every node and every restart agrees which period it is
/// and a second run in the same period adds nothing.
/// </summary>
public sealed class AuditScheduleReminders(SealPortalDbContext db, Notifier notifier, TimeProvider clock, IConfiguration configuration)
{
    public int ScheduleDays => Math.Max(1, configuration.GetValue("Audits:ScheduleDays", 90));

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var period = (long)Math.Floor((now - DateTimeOffset.UnixEpoch).TotalDays / ScheduleDays);
        var key = $"audit-schedule:{ScheduleDays}:{period}";
        var added = 0;
        foreach (var userId in await notifier.UsersInRolesAsync([Roles.Auditor], ct))
        {
            if (await notifier.AlreadySentAsync(userId, key, ct))
                continue;
            await notifier.AddLocalizedAsync(userId, NotificationKind.AuditSchedule,
                "A periodic audit is due", "Audits are scheduled every {0} days. Open a periodic audit of the ledger for the past period.",
                [ScheduleDays], "/", key, ct);
            added++;
        }
        await db.SaveChangesAsync(ct);
        return added;
    }
}
