using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Notifications;

namespace SealPortal.Features.Ledger;

/// <summary>The verdict of one walk over the ledger and audit-trail chains.</summary>
public sealed record IntegrityVerdict(bool Intact, string Summary);

/// <summary>Walks the hash chains; implemented over the ledger's IntegrityCheck.</summary>
public interface IIntegrityVerifier
{
    Task<IntegrityVerdict> VerifyAsync(CancellationToken ct);
}

/// <summary>
/// Runs the integrity check (daily from the job, or when an auditor presses "Run check now"), keeps
/// every result, and tells administrators and auditors when the chain has just broken. The last result
/// drives the dashboard alert.
/// </summary>
public sealed class IntegrityMonitor(SealPortalDbContext db, IEnumerable<IIntegrityVerifier> verifiers, Notifier notifier,
    TimeProvider clock, ILogger<IntegrityMonitor> logger)
{
    public const string Scheduled = "schedule";

    public static readonly IReadOnlyList<string> AlertRoles = [Roles.Admin, Roles.Auditor];

    /// <returns>The stored result, or null when no verifier is registered.</returns>
    public async Task<IntegrityCheckRun?> RunAsync(string triggeredBy, CancellationToken ct)
    {
        var verifier = verifiers.LastOrDefault();
        if (verifier is null)
        {
            logger.LogWarning("The ledger integrity check is not available in this build; nothing was checked");
            return null;
        }
        var previous = await LatestAsync(ct);
        var verdict = await verifier.VerifyAsync(ct);
        var run = new IntegrityCheckRun
        {
            CheckedAt = clock.GetUtcNow(), Intact = verdict.Intact, Summary = Clip(verdict.Summary), TriggeredBy = triggeredBy,
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

    public Task<IntegrityCheckRun?> LatestAsync(CancellationToken ct) =>
        db.IntegrityCheckRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    private static string Clip(string text) => text.Length <= 2000 ? text : text[..2000];
}
