using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Notifications;

namespace SealPortal.Features.Ledger;

/// <summary>The verdict of one walk over the ledger and audit-trail chains.</summary>
public sealed record IntegrityVerdict(bool Intact, string Summary, long LedgerEntries = 0, long AuditEvents = 0);

/// <summary>
/// Runs the integrity check (daily from the job, or when an auditor presses "Run check now"), keeps
/// every result, and tells administrators and auditors when the chain has just broken. The last result
/// drives the dashboard alert.
/// </summary>
public sealed class IntegrityMonitor(SealPortalDbContext db, IntegrityCheck check, Notifier notifier,
    TimeProvider clock, CompanyTime time, ILogger<IntegrityMonitor> logger)
{
    public const string Scheduled = "schedule";

    public static readonly IReadOnlyList<string> AlertRoles = [Roles.Admin, Roles.Auditor];

    /// <returns>The stored result.</returns>
    public async Task<IntegrityCheckRun> RunAsync(string triggeredBy, CancellationToken ct)
    {
        var previous = await LatestAsync(ct);
        var verdict = await VerifyAsync(ct);
        var lastIntact = await db.IntegrityCheckRuns.AsNoTracking().Where(r => r.Intact).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (verdict.Intact && lastIntact is not null && (verdict.LedgerEntries < lastIntact.LedgerEntries || verdict.AuditEvents < lastIntact.AuditEvents))
        {
            verdict = verdict with
            {
                Intact = false,
                Summary = $"entries were removed from the end of a chain: ledger {lastIntact.LedgerEntries} → {verdict.LedgerEntries}, " +
                          $"audit trail {lastIntact.AuditEvents} → {verdict.AuditEvents} since the check of {time.Iso(lastIntact.CheckedAt)}",
            };
        }
        var run = new IntegrityCheckRun
        {
            CheckedAt = clock.GetUtcNow(), Intact = verdict.Intact, Summary = Clip(verdict.Summary), TriggeredBy = triggeredBy,
            LedgerEntries = verdict.LedgerEntries, AuditEvents = verdict.AuditEvents,
        };
        db.IntegrityCheckRuns.Add(run);
        if (!verdict.Intact)
        {
            logger.LogError("Ledger integrity check failed: {Summary}", verdict.Summary);
            // Tell people once when the chain breaks, not on every daily run while it stays broken.
            if (previous is null || previous.Intact)
            {
                foreach (var userId in await notifier.UsersInRolesAsync(AlertRoles, ct))
                {
                    await notifier.AddLocalizedAsync(userId, NotificationKind.Integrity,
                        "The ledger integrity check failed", "The integrity check found a broken chain: {0}",
                        [verdict.Summary], "/", ct: ct);
                }
            }
        }
        await db.SaveChangesAsync(ct);
        return run;
    }

    internal static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>
    /// Runs the check, one at a time in this process (the job server's lock does the same across
    /// portals). "Run check now" passes <paramref name="lastSeenRunId"/>, the latest run when the button
    /// was pressed (0 for none): a run newer than that answers the click, so clicks made while a check
    /// ran do not start one each. The schedule passes null and always runs.
    /// </summary>
    public async Task<IntegrityCheckRun> RunOnceAsync(string requestedBy, long? lastSeenRunId, CancellationToken ct)
    {
        await OneAtATime.WaitAsync(ct);
        try
        {
            if (lastSeenRunId is { } seen && await LatestAsync(ct) is { } latest && latest.Id > seen)
            {
                logger.LogInformation("Integrity check asked for by {User} is answered by the check of {CheckedAt:u}", requestedBy, latest.CheckedAt);
                return latest;
            }
            return await RunAsync(requestedBy, ct);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    public Task<IntegrityCheckRun?> LatestAsync(CancellationToken ct) =>
        db.IntegrityCheckRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    /// <summary>Both chains walked, in one line for the dashboard and the log.</summary>
    private async Task<IntegrityVerdict> VerifyAsync(CancellationToken ct)
    {
        var report = await check.VerifyAsync(ct);
        var summary = report.Intact
            ? string.Join("; ", report.Chains.Select(c => $"{c.Chain}: {c.EntriesChecked} entries intact"))
            : string.Join("; ", report.Chains.Where(c => !c.Intact).Select(c => $"{c.Chain}: entry {c.BrokenSequence} (id {c.BrokenId}): {c.Problem}"));
        return new IntegrityVerdict(report.Intact, summary, report.Ledger.EntriesChecked, report.AuditTrail.EntriesChecked);
    }

    private static string Clip(string text) => text.Length <= 2000 ? text : text[..2000];
}
