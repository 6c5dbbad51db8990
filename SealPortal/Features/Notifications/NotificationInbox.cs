using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Notifications;

public sealed record NotificationRow(long Id, NotificationKind Kind, string Subject, string Body, string? Link, DateTimeOffset CreatedAt, bool Read);

/// <summary>
/// What one user sees of their notifications: the bell, the list, marking read, preferences.
/// Each call uses a context of its own, so the layout's bell and a page (or an open circuit) can
/// read at the same time.
/// </summary>
public sealed class NotificationInbox(IDbContextFactory<SealPortalDbContext> contexts, TimeProvider clock)
{
    public const int PageSize = 50;

    /// <summary>Kinds a user can mute for e-mail, in the order the preferences page shows them.</summary>
    public static readonly IReadOnlyList<NotificationKind> MutableKinds =
        [NotificationKind.Assigned, NotificationKind.Outcome, NotificationKind.Approval, NotificationKind.Certificate, NotificationKind.Integrity, NotificationKind.AuditSchedule, NotificationKind.General];

    /// <summary>The bell's count.</summary>
    public async Task<int> UnreadCountAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }

    public async Task<IReadOnlyList<NotificationRow>> ListAsync(string userId, bool unreadOnly, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (unreadOnly)
            query = query.Where(n => n.ReadAt == null);
        return await query.OrderByDescending(n => n.Id).Take(PageSize)
            .Select(n => new NotificationRow(n.Id, n.Kind, n.Subject, n.Body, n.Link, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(ct);
    }

    /// <returns>False when the notification is not this user's (or does not exist).</returns>
    public async Task<bool> MarkReadAsync(string userId, long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var n = await db.Notifications.FirstOrDefaultAsync(x => x.Id == id && x.UserId == userId, ct);
        if (n is null)
            return false;
        n.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<int> MarkAllReadAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        return await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    public async Task<NotificationPreference> PreferenceAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId, ct)
            ?? new NotificationPreference { UserId = userId };
    }

    public async Task SavePreferenceAsync(string userId, bool emailEnabled, IEnumerable<NotificationKind> mutedKinds, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var p = await db.NotificationPreferences.FirstOrDefaultAsync(x => x.UserId == userId, ct);
        if (p is null)
        {
            p = new NotificationPreference { UserId = userId };
            db.NotificationPreferences.Add(p);
        }
        p.EmailEnabled = emailEnabled;
        p.EmailMutedKinds = string.Join(',', mutedKinds.Distinct().Order());
        await db.SaveChangesAsync(ct);
    }
}
