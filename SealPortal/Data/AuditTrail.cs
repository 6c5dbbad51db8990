using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// One action in the audit trail: who did what, when, from where. Append-only and hash-chained
/// like <see cref="LedgerEntry"/>, in a chain of its own.
/// </summary>
public class AuditEvent : IChainLink
{
    public long Id { get; set; }

    public long Sequence { get; set; }

    public int FormatVersion { get; set; }

    public DateTime At { get; set; }

    public AuditAction Action { get; set; }

    /// <summary>The user's id when the actor is a signed-in user; null for the system or an unknown name.</summary>
    public string? ActorUserId { get; set; }

    /// <summary>The user name (or the name typed at a failed sign-in, or "system").</summary>
    public string Actor { get; set; } = "";

    public string? SourceAddress { get; set; }

    /// <summary>What the action was about, e.g. "seal 3" or "request 26-00012".</summary>
    public string? Subject { get; set; }

    public string? Detail { get; set; }

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";

    internal long AppendOrder { get; set; }
}

/// <summary>The actions the audit trail records; stored by name, UI strings are "AuditAction.{name}".</summary>
public enum AuditAction
{
    SignIn,
    SignInFailed,
    RequestCreated,
    RequestSubmitted,
    RequestWithdrawn,
    RequestResubmitted,
    DecisionMade,
    SealApplied,
    SealingFailed,
    PhysicalStampRecorded,
    SealChanged,
    CertificateChanged,
    LedgerExported,
    DocumentVerified,
    AuditOpened,
    AuditClosed,
    TemplateChanged,
    AuthorizationChanged,
    DelegationChanged,
    /// <summary>A sealed document or a stamping scan of a request was downloaded.</summary>
    DocumentDownloaded,
    /// <summary>An administrator published a new version of the seal-management rules.</summary>
    RulesPublished,
    /// <summary>A user acknowledged a version of the seal-management rules.</summary>
    RulesAcknowledged,
    /// <summary>An administrator created a training plan, added a session or attached a material.</summary>
    TrainingChanged,
    /// <summary>A trainer recorded a user's attendance of a training session.</summary>
    TrainingAttendanceRecorded,
    /// <summary>The department assessment of a period was exported.</summary>
    AssessmentExported,
    /// <summary>An auditor or administrator opened a violation case.</summary>
    CaseOpened,
    /// <summary>A handling step was added to a violation case.</summary>
    CaseStepAdded,
    /// <summary>Evidence was linked to a violation case.</summary>
    CaseEvidenceAdded,
    /// <summary>A violation case was closed with its outcome.</summary>
    CaseClosed,
    /// <summary>An administrator created, edited or deleted a test case of an approval template.</summary>
    WorkflowTestCaseChanged,
    /// <summary>The responsible person or department, the facts or the kind of an open violation case were edited.</summary>
    CaseEdited,
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.ToTable("AuditEvents");
        e.Ignore(x => x.AppendOrder);
        e.Property(x => x.At).HasConversion(UtcTimes.Required);
        e.Property(x => x.Action).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.ActorUserId).HasMaxLength(450);
        e.Property(x => x.Actor).HasMaxLength(256).IsRequired();
        e.Property(x => x.SourceAddress).HasMaxLength(64);
        e.Property(x => x.Subject).HasMaxLength(256);
        e.Property(x => x.Detail).HasMaxLength(4000);
        e.Property(x => x.PreviousHash).HasMaxLength(64).IsRequired();
        e.Property(x => x.Hash).HasMaxLength(64).IsRequired();
        e.HasIndex(x => x.Sequence).IsUnique();
        e.HasIndex(x => new { x.Action, x.Sequence });
        e.HasIndex(x => new { x.Actor, x.Sequence });
        e.HasIndex(x => x.At);
        // A request's timeline reads its downloads and failures by subject (the request's number), latest first.
        e.HasIndex(x => new { x.Subject, x.Action, x.Sequence });
    }
}
