using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Notifications;

namespace SealPortal.Features.Seals;

/// <summary>
/// Warns a seal's custodian and the administrators when its signing certificate is about to expire,
/// once per threshold (30, 7 and 1 days) per certificate. A run that finds a certificate already past
/// several thresholds (the portal was off) sends only the most urgent one. Safe to run twice: the
/// notification's dedup key is the seal, the certificate's thumbprint and the threshold.
/// </summary>
public sealed class CertificateExpiryWarnings(SealPortalDbContext db, Notifier notifier, TimeProvider clock)
{
    public static readonly IReadOnlyList<int> ThresholdDays = [30, 7, 1];

    /// <returns>The number of notifications added.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var horizon = now.AddDays(ThresholdDays.Max());
        // Lost and destroyed seals no longer sign, so their certificates need no renewal.
        var expiring = await db.Seals.AsNoTracking()
            .Where(s => s.CertificateNotAfter != null && s.CertificateThumbprint != null
                        && (s.Status == SealStatus.Active || s.Status == SealStatus.Suspended))
            .Select(s => new { s.Id, s.Name, s.CustodianUserId, s.CertificateThumbprint, s.CertificateNotAfter })
            .ToListAsync(ct);
        var admins = await notifier.UsersInRolesAsync([Roles.Admin], ct);
        var added = 0;
        foreach (var seal in expiring.Where(s => s.CertificateNotAfter!.Value <= horizon && s.CertificateNotAfter.Value > now))
        {
            var left = seal.CertificateNotAfter!.Value - now;
            var threshold = ThresholdDays.Where(d => left <= TimeSpan.FromDays(d)).Min();
            var key = $"cert-expiry:{seal.Id}:{seal.CertificateThumbprint}:{threshold}";
            var days = Math.Max(1, (int)Math.Ceiling(left.TotalDays));
            var recipients = admins.Append(seal.CustodianUserId).OfType<string>().Distinct();
            foreach (var userId in recipients)
            {
                if (await notifier.AddLocalizedAsync(userId, NotificationKind.Certificate,
                        "Certificate of {0} expires in {1} days",
                        "The signing certificate of the seal {0} expires on {2} ({1} days). Bind a renewed certificate before then, or the seal cannot sign.",
                        [seal.Name, days, seal.CertificateNotAfter.Value], $"/seals/{seal.Id}", key, ct))
                    added++;
            }
        }
        await db.SaveChangesAsync(ct);
        return added;
    }
}
