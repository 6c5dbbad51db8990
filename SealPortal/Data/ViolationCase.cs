using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// A violation case (责任追究): a suspected breach of the seal rules, opened by an auditor or administrator
/// from the evidence that raised it (an audit finding, a ledger entry, an integrity alert, a lost seal).
/// It names the responsible person and department, states the facts, collects evidence and handling steps,
/// and ends with an outcome. A closed case never changes.
/// Times are UTC <see cref="DateTime"/>s (SQLite neither compares nor sorts a DateTimeOffset, and the
/// department assessment counts cases by the time they were opened).
/// </summary>
public class ViolationCase
{
    public int Id { get; set; }

    /// <summary>"V26-0001": V, the two-digit year it was opened (company time), a running number within that year; unique.</summary>
    public string Number { get; set; } = "";

    public ViolationKind Kind { get; set; }

    /// <summary>The person held responsible; null when not known (e.g. a seal lost by nobody yet named).</summary>
    public string? ResponsibleUserId { get; set; }

    public ApplicationUser? ResponsibleUser { get; set; }

    public int DepartmentId { get; set; }

    public Department? Department { get; set; }

    /// <summary>What happened, as established so far; plain text.</summary>
    public string Facts { get; set; } = "";

    public ViolationCaseStatus Status { get; set; } = ViolationCaseStatus.Open;

    /// <summary>Set when the case is closed.</summary>
    public ViolationOutcome? Outcome { get; set; }

    /// <summary>Why this outcome (the decision), written when closing.</summary>
    public string? OutcomeNote { get; set; }

    public DateTime OpenedAt { get; set; }

    public string OpenedBy { get; set; } = "";

    public DateTime? ClosedAt { get; set; }

    public string? ClosedBy { get; set; }

    /// <summary>Changes with every step, evidence and closing, so nothing slips in while the case is being closed.</summary>
    public Guid Version { get; set; }

    public List<ViolationCaseEvidence> Evidence { get; set; } = [];

    public List<ViolationCaseStep> Steps { get; set; } = [];
}

public enum ViolationKind
{
    UseWithoutApproval,
    TamperedRecord,
    OutsideSealScope,
    LostSeal,
    Other,
}

public enum ViolationCaseStatus
{
    Open,
    Closed,
}

public enum ViolationOutcome
{
    Warning,
    Penalty,
    Referral,
    NoViolation,
}

/// <summary>What a piece of evidence refers to; <see cref="ViolationCaseEvidence.ReferenceId"/> is that item's key.</summary>
public enum EvidenceKind
{
    /// <summary>A <see cref="SealAuditItem"/> (its Id).</summary>
    AuditFinding,

    /// <summary>A <see cref="LedgerEntry"/> by its <see cref="LedgerEntry.Sequence"/>, the entry number the ledger shows.</summary>
    LedgerEntry,

    /// <summary>A failed <see cref="IntegrityCheckRun"/> (its Id).</summary>
    IntegrityAlert,

    /// <summary>A <see cref="Seal"/> (its Id).</summary>
    Seal,

    /// <summary>A <see cref="SealRequest"/> (its Id).</summary>
    Request,
}

/// <summary>
/// A link from a case to an item of evidence, checked to exist when it was added. <see cref="Summary"/> is a copy of
/// what the item said then (request number, seal name, …), so the case keeps reading the same after a rename.
/// </summary>
public class ViolationCaseEvidence
{
    public long Id { get; set; }

    public int ViolationCaseId { get; set; }

    public EvidenceKind Kind { get; set; }

    public long ReferenceId { get; set; }

    public string Summary { get; set; } = "";

    public DateTime AddedAt { get; set; }

    public string AddedBy { get; set; } = "";
}

/// <summary>One handling step of a case (an interview, a decision asked for, a remedy), in order: who, when, what.</summary>
public class ViolationCaseStep
{
    public long Id { get; set; }

    public int ViolationCaseId { get; set; }

    /// <summary>1, 2, 3, … within the case.</summary>
    public int Ordinal { get; set; }

    public DateTime At { get; set; }

    public string Actor { get; set; } = "";

    public string Text { get; set; } = "";
}

public static class ViolationCaseLimits
{
    public const int FactsLength = 8000;
    public const int StepLength = 4000;
    public const int OutcomeNoteLength = 4000;
    public const int SummaryLength = 500;
}

public sealed class ViolationCaseConfiguration : IEntityTypeConfiguration<ViolationCase>
{
    public void Configure(EntityTypeBuilder<ViolationCase> c)
    {
        c.ToTable("ViolationCases");
        c.Property(x => x.Number).HasMaxLength(16).IsRequired();
        c.HasIndex(x => x.Number).IsUnique();
        c.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        c.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        c.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        c.Property(x => x.Facts).HasMaxLength(ViolationCaseLimits.FactsLength).IsRequired();
        c.Property(x => x.OutcomeNote).HasMaxLength(ViolationCaseLimits.OutcomeNoteLength);
        c.Property(x => x.OpenedBy).HasMaxLength(256).IsRequired();
        c.Property(x => x.ClosedBy).HasMaxLength(256);
        c.Property(x => x.OpenedAt).HasConversion(UtcTimes.Required);
        c.Property(x => x.ClosedAt).HasConversion(UtcTimes.Optional);
        c.Property(x => x.Version).IsConcurrencyToken();
        c.HasOne(x => x.ResponsibleUser).WithMany().HasForeignKey(x => x.ResponsibleUserId).OnDelete(DeleteBehavior.Restrict);
        c.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        c.HasMany(x => x.Evidence).WithOne().HasForeignKey(e => e.ViolationCaseId).OnDelete(DeleteBehavior.Restrict);
        c.HasMany(x => x.Steps).WithOne().HasForeignKey(s => s.ViolationCaseId).OnDelete(DeleteBehavior.Restrict);
        // The assessment counts a department's cases of a period; the list filters by department and status.
        c.HasIndex(x => new { x.DepartmentId, x.OpenedAt });
        c.HasIndex(x => new { x.Status, x.Id });
        c.HasIndex(x => x.ResponsibleUserId);
    }
}

public sealed class ViolationCaseEvidenceConfiguration : IEntityTypeConfiguration<ViolationCaseEvidence>
{
    public void Configure(EntityTypeBuilder<ViolationCaseEvidence> e)
    {
        e.ToTable("ViolationCaseEvidence");
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Summary).HasMaxLength(ViolationCaseLimits.SummaryLength).IsRequired();
        e.Property(x => x.AddedBy).HasMaxLength(256).IsRequired();
        e.Property(x => x.AddedAt).HasConversion(UtcTimes.Required);
        // The same item is evidence of a case once.
        e.HasIndex(x => new { x.ViolationCaseId, x.Kind, x.ReferenceId }).IsUnique();
        // "Is there a case about this finding / entry / seal?"
        e.HasIndex(x => new { x.Kind, x.ReferenceId });
    }
}

public sealed class ViolationCaseStepConfiguration : IEntityTypeConfiguration<ViolationCaseStep>
{
    public void Configure(EntityTypeBuilder<ViolationCaseStep> s)
    {
        s.ToTable("ViolationCaseSteps");
        s.Property(x => x.Actor).HasMaxLength(256).IsRequired();
        s.Property(x => x.Text).HasMaxLength(ViolationCaseLimits.StepLength).IsRequired();
        s.Property(x => x.At).HasConversion(UtcTimes.Required);
        s.HasIndex(x => new { x.ViolationCaseId, x.Ordinal }).IsUnique();
    }
}
