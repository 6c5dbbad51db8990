using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// One approval a request waits for now: the current step's pending slot of <see cref="ApproverUserId"/>.
/// Written in the same save as the request's workflow state (RequestWorkflowStore), so the inbox and the
/// dashboard read who is waited for from here instead of replaying every request's workflow. Deputies are
/// not stored: a delegation can start, end or be cancelled without any save of the request, so the inbox
/// adds the rows of the approvers who delegate to the reader at the moment it reads (as the engine decides).
/// </summary>
public class PendingApproval
{
    public long Id { get; set; }

    public int SealRequestId { get; set; }

    /// <summary>The node's id in the request's template.</summary>
    public string NodeId { get; set; } = "";

    public string NodeName { get; set; } = "";

    /// <summary>"template/version#index": requests with the same key wait at the same step and can be approved together.</summary>
    public string NodeKey { get; set; } = "";

    /// <summary>The slot's position at the node, to keep the engine's order of approvers.</summary>
    public int Slot { get; set; }

    public string ApproverUserId { get; set; } = "";

    /// <summary>The workflow state's version a decision must be based on.</summary>
    public long WorkflowVersion { get; set; }

    /// <summary>When the request entered the node.</summary>
    public DateTimeOffset Since { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>
    /// <see cref="Since"/> and <see cref="DueAt"/> as Unix milliseconds, so that the inbox filters, sorts and pages
    /// in the database on every provider (SQLite neither compares nor sorts a DateTimeOffset).
    /// </summary>
    public long SinceUnixMs { get; set; }

    /// <inheritdoc cref="SinceUnixMs"/>
    public long? DueUnixMs { get; set; }

    /// <summary>
    /// <see cref="DueUnixMs"/>, or <see cref="long.MaxValue"/> without a deadline: the inbox's own order (overdue first,
    /// then by deadline, none last) is this column ascending, so it pages straight off the approver's index.
    /// </summary>
    public long DueOrder { get; set; }

    // The request's facts the inbox filters on, copied from the workflow state. They cannot change while rows exist:
    // a request is edited only as a draft or when returned, and then it has no pending approvals.

    public string ApplicantUserId { get; set; } = "";

    public string DocumentType { get; set; } = "";

    public bool Urgent { get; set; }

    /// <summary>
    /// The request's <see cref="SealRequest.Number"/>, so the inbox sorted by number pages off the approver's index instead of
    /// joining and sorting every waiting request. A number is given when the request is created and never changes; it is
    /// written with the other facts in the save that writes the workflow state.
    /// </summary>
    public string RequestNumber { get; set; } = "";
}

internal sealed class PendingApprovalConfiguration : IEntityTypeConfiguration<PendingApproval>
{
    public void Configure(EntityTypeBuilder<PendingApproval> p)
    {
        p.Property(x => x.NodeId).HasMaxLength(200).IsRequired();
        p.Property(x => x.NodeName).HasMaxLength(400).IsRequired();
        p.Property(x => x.NodeKey).HasMaxLength(200).IsRequired();
        p.Property(x => x.ApproverUserId).HasMaxLength(450).IsRequired();
        p.HasOne<SealRequest>().WithMany().HasForeignKey(x => x.SealRequestId).OnDelete(DeleteBehavior.Cascade);
        p.Property(x => x.ApplicantUserId).HasMaxLength(450).IsRequired();
        p.Property(x => x.DocumentType).HasMaxLength(32).IsRequired();
        // Covers the inbox: its count, its filters on the request's facts and its default order, page after page,
        // without reading the requests (whose rows carry the workflow state and are wide).
        p.HasIndex(x => new { x.ApproverUserId, x.DueOrder, x.SinceUnixMs, x.SealRequestId, x.ApplicantUserId, x.Urgent, x.DocumentType })
            .HasDatabaseName("IX_PendingApprovals_Inbox");
        p.Property(x => x.RequestNumber).HasMaxLength(16).IsRequired();
        // The inbox sorted by number, and the urgent filter in the inbox's own order: each pages and counts off one index,
        // with the columns the other filters read, so neither reads the requests nor sorts.
        p.HasIndex(x => new { x.ApproverUserId, x.RequestNumber, x.SealRequestId, x.ApplicantUserId, x.Urgent, x.DocumentType, x.DueOrder })
            .HasDatabaseName("IX_PendingApprovals_Number");
        p.HasIndex(x => new { x.ApproverUserId, x.Urgent, x.DueOrder, x.SinceUnixMs, x.SealRequestId, x.ApplicantUserId, x.DocumentType })
            .HasDatabaseName("IX_PendingApprovals_Urgent");
        p.HasIndex(x => x.SealRequestId);
    }
}
