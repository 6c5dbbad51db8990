using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SealPortal.Data;

namespace SealPortal.Features.Notifications;

/// <summary>
/// The one way to tell a user something. <see cref="AddAsync"/> and <see cref="AddLocalizedAsync"/> only add rows to
/// the caller's <see cref="SealPortalDbContext"/>, so the notification and its e-mail (an outbox row, sent
/// later by the outbox job) are stored exactly when the caller's own change is: nothing is announced that
/// was rolled back, and nothing stored goes unannounced.
/// </summary>
public sealed class Notifier(SealPortalDbContext db, TimeProvider clock, IOptions<SmtpOptions> smtp,
    Microsoft.Extensions.Localization.IStringLocalizer<SealPortal.Resources.SharedResource> text, CompanyTime time)
{
    /// <summary>
    /// As <see cref="AddAsync"/>, with subject and body given as resource keys (English text) and format
    /// arguments, written in the recipient's own language (their preferred culture, else Chinese). With a
    /// <paramref name="dedupKey"/> the user already has (stored or pending), nothing is added.
    /// </summary>
    /// <returns>False when the dedup key made it a repeat and nothing was added.</returns>
    public async Task<bool> AddLocalizedAsync(string userId, NotificationKind kind, string subjectKey, string bodyKey, object?[] args,
        string? link = null, string? dedupKey = null, CancellationToken ct = default)
    {
        if (dedupKey is not null && await AlreadySentAsync(userId, dedupKey, ct))
            return false;
        var recipient = await RecipientQuery(userId).FirstOrDefaultAsync(ct);
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        var previousFormat = System.Globalization.CultureInfo.CurrentCulture;
        string subject, body;
        try
        {
            var c = System.Globalization.CultureInfo.GetCultureInfo(string.IsNullOrEmpty(recipient?.Culture) ? "zh-CN" : recipient.Culture);
            System.Globalization.CultureInfo.CurrentUICulture = c;
            System.Globalization.CultureInfo.CurrentCulture = c;
            // Moments read as the company reads them: its time zone, the recipient's language.
            var shown = args.Select(a => a is DateTimeOffset t ? time.DateTime(t) : a).ToArray();
            subject = string.Format(c, text[subjectKey], shown);
            body = string.Format(c, text[bodyKey], shown);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
            System.Globalization.CultureInfo.CurrentCulture = previousFormat;
        }
        Stage(userId, kind, subject, body, link, dedupKey, EmailEnabled ? recipient : null);
        return true;
    }

    public async Task AddAsync(string userId, NotificationKind kind, string subject, string body, string? link = null,
        string? dedupKey = null, CancellationToken ct = default)
    {
        var recipient = EmailEnabled ? await RecipientQuery(userId).FirstOrDefaultAsync(ct) : null;
        Stage(userId, kind, subject, body, link, dedupKey, recipient);
    }

    /// <summary>Adds the notification and saves at once, for callers that have no change of their own.</summary>
    public async Task NotifyAsync(string userId, NotificationKind kind, string subject, string body, string? link = null,
        CancellationToken ct = default)
    {
        await AddAsync(userId, kind, subject, body, link, ct: ct);
        await db.SaveChangesAsync(ct);
    }

    public Task NotifyAsync(string userId, string subject, string body, string? link = null, CancellationToken ct = default) =>
        NotifyAsync(userId, NotificationKind.General, subject, body, link, ct);

    /// <summary>True when this user already has a notification with <paramref name="dedupKey"/> (stored or pending).</summary>
    private async Task<bool> AlreadySentAsync(string userId, string dedupKey, CancellationToken ct = default) =>
        db.Notifications.Local.Any(n => n.UserId == userId && n.DedupKey == dedupKey) ||
        await db.Notifications.AnyAsync(n => n.UserId == userId && n.DedupKey == dedupKey, ct);

    /// <summary>The ids of active users in any of <paramref name="roles"/>.</summary>
    public async Task<IReadOnlyList<string>> UsersInRolesAsync(IReadOnlyCollection<string> roles, CancellationToken ct = default) =>
        await (from ur in db.UserRoles
               join r in db.Roles on ur.RoleId equals r.Id
               where roles.Contains(r.Name!)
               select ur.UserId).Distinct().ToListAsync(ct);

    private bool EmailEnabled => smtp.Value.IsEnabled;

    private IQueryable<Recipient> RecipientQuery(string userId) =>
        from u in db.Users.AsNoTracking()
        where u.Id == userId
        join p in db.NotificationPreferences.AsNoTracking() on u.Id equals p.UserId into prefs
        from p in prefs.DefaultIfEmpty()
        select new Recipient(u.Email, p == null ? null : (bool?)p.EmailEnabled, p == null ? null : p.EmailMutedKinds, u.PreferredCulture);

    private void Stage(string userId, NotificationKind kind, string subject, string body, string? link, string? dedupKey, Recipient? recipient)
    {
        var now = clock.GetUtcNow();
        db.Notifications.Add(new Notification
        {
            UserId = userId, Kind = kind, Subject = Clip(subject, 300), Body = Clip(body, 4000), Link = link,
            CreatedAt = now, DedupKey = dedupKey,
        });
        if (recipient is not { Email: { Length: > 0 } email })
            return;
        var preference = new NotificationPreference { EmailEnabled = recipient.EmailEnabled ?? true, EmailMutedKinds = recipient.MutedKinds ?? "" };
        if (!preference.WantsEmail(kind))
            return;
        db.OutboxMessages.Add(new OutboxMessage
        {
            To = email, Subject = Clip(subject, 300), Body = Clip(EmailBody(body, link), 8000), CreatedAt = now, NextAttemptAt = now.UtcDateTime,
        });
    }

    private string EmailBody(string body, string? link) =>
        link is null ? body : $"{body}\n\n{(smtp.Value.PortalUrl is { Length: > 0 } url ? url.TrimEnd('/') : "")}{link}";

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private sealed record Recipient(string? Email, bool? EmailEnabled, string? MutedKinds, string? Culture);
}
