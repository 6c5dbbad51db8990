using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// What a notification is about. A user can turn e-mail off per kind; the in-app notification
/// (the bell) is always written. Stored by name.
/// </summary>
public enum NotificationKind
{
    General,
    /// <summary>Deadlines, reminders, escalations and transfers of approvals.</summary>
    Approval,
    /// <summary>A seal certificate is about to expire.</summary>
    Certificate,
    /// <summary>The ledger or audit-trail integrity check found a broken chain.</summary>
    Integrity,
    /// <summary>A periodic audit is due.</summary>
    AuditSchedule,
    /// <summary>A request reached this user (an approver) for a decision.</summary>
    Assigned,
    /// <summary>The user's own request was approved, returned, rejected, sealed, or its sealing failed.</summary>
    Outcome,
}

/// <summary>An in-app notification shown under the bell in the top bar.</summary>
public class Notification
{
    public long Id { get; set; }

    public string UserId { get; set; } = "";

    public NotificationKind Kind { get; set; }

    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>A local path in the portal ("/requests/12"), never an outside address.</summary>
    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>
    /// Set by jobs that must notify once per fact (e.g. "cert:3:ABCD:30"); unique per user, so a
    /// job that runs twice, or on two cluster nodes at once, cannot notify twice.
    /// </summary>
    public string? DedupKey { get; set; }
}

/// <summary>
/// An e-mail waiting to be sent. Written in the same transaction as the event, sent by the outbox
/// job; a failed attempt moves <see cref="NextAttemptAt"/> later, so a mail-server outage loses nothing.
/// </summary>
public class OutboxMessage
{
    public long Id { get; set; }

    public string To { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>UTC. A DateTime rather than a DateTimeOffset because SQLite can compare only the former in queries.</summary>
    public DateTime NextAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>True when the server refused the message for good (5xx) or the attempts ran out.</summary>
    public bool GaveUp { get; set; }
}

/// <summary>A user's notification settings; a user without a row gets the defaults (e-mail on, every kind).</summary>
public class NotificationPreference
{
    public string UserId { get; set; } = "";

    public bool EmailEnabled { get; set; } = true;

    /// <summary>Kinds the user wants no e-mail for, comma-separated names of <see cref="NotificationKind"/>.</summary>
    public string EmailMutedKinds { get; set; } = "";

    public bool WantsEmail(NotificationKind kind) => EmailEnabled && !IsMuted(kind);

    public bool IsMuted(NotificationKind kind) => EmailMutedKinds.Split(',', StringSplitOptions.RemoveEmptyEntries).Contains(kind.ToString());
}

/// <summary>The last result of the ledger and audit-trail integrity check, one row per run.</summary>
public class IntegrityCheckRun
{
    public long Id { get; set; }

    public DateTimeOffset CheckedAt { get; set; }

    public bool Intact { get; set; }

    /// <summary>The first broken entry, in plain words, when the chain is broken; otherwise a short summary.</summary>
    public string Summary { get; set; } = "";

    /// <summary>
    /// How many entries each chain had. A chain that is intact but shorter than at the last check lost
    /// its newest entries, which a walk over the chain alone cannot see.
    /// </summary>
    public long LedgerEntries { get; set; }

    public long AuditEvents { get; set; }

    /// <summary>"schedule" or the user name of whoever pressed "Run check now".</summary>
    public string TriggeredBy { get; set; } = "";
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> n)
    {
        n.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        n.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        n.Property(x => x.Subject).HasMaxLength(300).IsRequired();
        n.Property(x => x.Body).HasMaxLength(4000).IsRequired();
        n.Property(x => x.Link).HasMaxLength(500);
        n.Property(x => x.DedupKey).HasMaxLength(200);
        n.HasOne<ApplicationUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        // The bell counts unread rows of one user on every page.
        n.HasIndex(x => new { x.UserId, x.ReadAt });
        n.HasIndex(x => new { x.UserId, x.DedupKey }).IsUnique();
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> o)
    {
        o.Property(x => x.To).HasMaxLength(320).IsRequired();
        o.Property(x => x.Subject).HasMaxLength(300).IsRequired();
        o.Property(x => x.Body).HasMaxLength(8000).IsRequired();
        o.Property(x => x.LastError).HasMaxLength(1000);
        o.Property(x => x.NextAttemptAt).HasConversion(v => DateTime.SpecifyKind(v, DateTimeKind.Utc), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        o.HasIndex(x => new { x.SentAt, x.GaveUp, x.NextAttemptAt });
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> p)
    {
        p.HasKey(x => x.UserId);
        p.Property(x => x.UserId).HasMaxLength(450);
        p.Property(x => x.EmailMutedKinds).HasMaxLength(200);
        p.HasOne<ApplicationUser>().WithOne().HasForeignKey<NotificationPreference>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IntegrityCheckRunConfiguration : IEntityTypeConfiguration<IntegrityCheckRun>
{
    public void Configure(EntityTypeBuilder<IntegrityCheckRun> r)
    {
        r.Property(x => x.Summary).HasMaxLength(2000).IsRequired();
        r.Property(x => x.TriggeredBy).HasMaxLength(256).IsRequired();
        r.HasIndex(x => x.CheckedAt);
    }
}
