using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// A seal-use request (用印申请): who asks to use which seals on which PDFs, and why. The approval
/// state lives in <see cref="WorkflowStateJson"/> (a serialized <see cref="SealPortal.Workflow.WorkflowState"/>).
/// </summary>
public class SealRequest
{
    public int Id { get; set; }

    /// <summary>"YY-NNNNN", e.g. "26-00042": the year the request was created and its sequence in that year.</summary>
    public string Number { get; set; } = "";

    public string ApplicantUserId { get; set; } = "";

    public ApplicationUser? Applicant { get; set; }

    public int DepartmentId { get; set; }

    public Department? Department { get; set; }

    public string Purpose { get; set; } = "";

    /// <summary>A stable key from <see cref="DocumentTypes"/>.</summary>
    public string DocumentType { get; set; } = DocumentTypes.Other;

    public int Copies { get; set; } = 1;

    public decimal? Amount { get; set; }

    public string? Counterparty { get; set; }

    public bool Urgent { get; set; }

    public SealRequestStatus Status { get; set; } = SealRequestStatus.Draft;

    /// <summary>The serialized workflow state; null while the request is a draft that was never submitted.</summary>
    public string? WorkflowStateJson { get; set; }

    /// <summary>
    /// Everyone the workflow ever asked to decide on this request (also those whose turn was cancelled by a
    /// withdrawal or taken by a colleague), as "|id1|id2|", so they keep seeing the request they were shown.
    /// </summary>
    public string ApproverUserIds { get; set; } = "|";

    /// <summary>
    /// Optimistic-concurrency token: every save that changes the request gives it a new value, so two
    /// approvers saving decisions based on the same row cannot both succeed.
    /// </summary>
    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Why the last sealing attempt failed, for the applicant and the keeper; null otherwise.</summary>
    public string? SealingError { get; set; }

    /// <summary>Lower-case hex SHA-256 of the decision record (JSON) in the archive, written when the request is completed.</summary>
    public string? DecisionRecordSha256 { get; set; }

    public List<SealRequestDocument> Documents { get; set; } = [];

    public List<SealRequestSeal> Seals { get; set; } = [];
}

/// <summary>Where a request stands; the UI strings are "SealRequestStatus.{name}".</summary>
public enum SealRequestStatus
{
    Draft,
    InApproval,
    Returned,
    Rejected,
    Withdrawn,
    Approved,
    SealingFailed,
    Completed,
}

/// <summary>One uploaded PDF of a request. The bytes live in the archive under <see cref="OriginalSha256"/>.</summary>
public class SealRequestDocument
{
    public int Id { get; set; }

    public int SealRequestId { get; set; }

    public string FileName { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the uploaded file: its name in the archive.</summary>
    public string OriginalSha256 { get; set; } = "";

    public long Length { get; set; }

    public int PageCount { get; set; }

    /// <summary>
    /// Active content found at upload ("JavaScript", "OpenAction", "Launch", comma-separated), null
    /// when none: approvers see a warning, since such a PDF may show something other than its pages.
    /// </summary>
    public string? ActiveContent { get; set; }

    /// <summary>Lower-case hex SHA-256 of the sealed file in the archive, once sealed.</summary>
    public string? SealedSha256 { get; set; }
}

/// <summary>
/// A seal asked for in a request and, once placed, where it goes: <see cref="Page"/> (1-based) and the
/// rectangle in PDF points of the page as shown (origin bottom-left, rotation already applied).
/// </summary>
public class SealRequestSeal
{
    public int Id { get; set; }

    public int SealRequestId { get; set; }

    public int SealId { get; set; }

    public Seal? Seal { get; set; }

    /// <summary>The document the placement is on; null while the seal is not placed.</summary>
    public int? DocumentId { get; set; }

    public int? Page { get; set; }

    public double? X { get; set; }

    public double? Y { get; set; }

    public double? Width { get; set; }

    public double? Height { get; set; }

    /// <summary>骑缝章: the seal is split across the edges of all pages instead of placed on one.</summary>
    public bool CrossPage { get; set; }
}

internal sealed class SealRequestConfiguration : IEntityTypeConfiguration<SealRequest>
{
    public void Configure(EntityTypeBuilder<SealRequest> r)
    {
        r.Property(x => x.Number).HasMaxLength(16).IsRequired();
        r.HasIndex(x => x.Number).IsUnique();
        r.Property(x => x.ApplicantUserId).IsRequired();
        r.HasOne(x => x.Applicant).WithMany().HasForeignKey(x => x.ApplicantUserId).OnDelete(DeleteBehavior.Restrict);
        r.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        r.Property(x => x.Purpose).HasMaxLength(1000).IsRequired();
        r.Property(x => x.DocumentType).HasMaxLength(32).IsRequired();
        r.Property(x => x.Amount).HasPrecision(18, 2);
        r.Property(x => x.Counterparty).HasMaxLength(200);
        r.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        r.Property(x => x.ConcurrencyStamp).IsConcurrencyToken();
        r.Property(x => x.SealingError).HasMaxLength(2000);
        r.Property(x => x.DecisionRecordSha256).HasMaxLength(64);
        r.Property(x => x.ApproverUserIds).HasMaxLength(4000).IsRequired();
        // "My requests" pages newest first straight off these, with or without a status (the id is the creation order).
        r.HasIndex(x => new { x.ApplicantUserId, x.Status, x.Id });
        r.HasIndex(x => new { x.ApplicantUserId, x.Id });
        // "My requests" sorted by number.
        r.HasIndex(x => new { x.ApplicantUserId, x.Number });
        r.HasIndex(x => x.Status);
        r.HasMany(x => x.Documents).WithOne().HasForeignKey(d => d.SealRequestId).OnDelete(DeleteBehavior.Cascade);
        r.HasMany(x => x.Seals).WithOne().HasForeignKey(s => s.SealRequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SealRequestDocumentConfiguration : IEntityTypeConfiguration<SealRequestDocument>
{
    public void Configure(EntityTypeBuilder<SealRequestDocument> d)
    {
        d.Property(x => x.FileName).HasMaxLength(255).IsRequired();
        d.Property(x => x.OriginalSha256).HasMaxLength(64).IsRequired();
        d.Property(x => x.SealedSha256).HasMaxLength(64);
        d.Property(x => x.ActiveContent).HasMaxLength(64);
    }
}

internal sealed class SealRequestSealConfiguration : IEntityTypeConfiguration<SealRequestSeal>
{
    public void Configure(EntityTypeBuilder<SealRequestSeal> s)
    {
        s.HasOne(x => x.Seal).WithMany().HasForeignKey(x => x.SealId).OnDelete(DeleteBehavior.Restrict);
        s.HasIndex(x => new { x.SealRequestId, x.SealId });
    }
}
