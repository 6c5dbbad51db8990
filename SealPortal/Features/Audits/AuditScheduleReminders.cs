using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Notifications;

namespace SealPortal.Features.Audits;

/// <summary>
/// Reminds auditors to run the periodic audit (定期检查) when none has been opened in the last
/// "Audits:ScheduleDays" days (default 90), or none ever. While no audit is opened the reminder comes
/// again once per further schedule period. The dedup key names the period (counted from when the last
/// audit fell due), so a second run, a restart or another cluster node in the same period adds nothing,
/// and opening an audit starts a new count.
/// </summary>
public sealed class AuditScheduleReminders(SealPortalDbContext db, Notifier notifier, TimeProvider clock, IConfiguration configuration)
{
    public int ScheduleDays => Math.Max(1, configuration.GetValue("Audits:ScheduleDays", 90));

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var key = await DueKeyAsync(ct);
        if (key is null)
            return 0;
        var added = 0;
        foreach (var userId in await notifier.UsersInRolesAsync([Roles.Auditor], ct))
        {
            if (await notifier.AddLocalizedAsync(userId, NotificationKind.AuditSchedule,
                    "A periodic audit is due", "No periodic audit has been opened in the last {0} days. Open one for the past period.",
                    [ScheduleDays], "/audits", key, ct))
                added++;
        }
        await db.SaveChangesAsync(ct);
        return added;
    }

    /// <summary>The key of the due period the clock is in, or null when an audit was opened recently enough.</summary>
    private async Task<string?> DueKeyAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var every = TimeSpan.FromDays(ScheduleDays);
        // Read as a list because SQLite cannot order or aggregate DateTimeOffset; audits are a handful a year.
        var opened = await db.SealAudits.AsNoTracking().Select(a => a.OpenedAt).ToListAsync(ct);
        if (opened.Count == 0)
        {
            // Never audited: periods counted from 1970-01-01 UTC, so every node and restart agrees which one it is.
            return $"audit-schedule:never:{ScheduleDays}:{(long)Math.Floor((now - DateTimeOffset.UnixEpoch) / every)}";
        }
        var dueAt = opened.Max() + every;
        if (now < dueAt)
            return null;
        return $"audit-schedule:{dueAt.UtcTicks}:{(long)Math.Floor((now - dueAt) / every)}";
    }
}
