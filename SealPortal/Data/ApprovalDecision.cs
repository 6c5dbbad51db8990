using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>What became of one approver's part in a step: decided (approve, reject, return) or transferred after its deadline.</summary>
public enum ApprovalOutcome
{
    Approved,
    Rejected,
    Returned,
    Transferred,
}

/// <summary>
/// One approver's part in a step that ended, with the deadline it had, written in the same save as the
/// request's workflow state (RequestWorkflowStore), as <see cref="PendingApproval"/> is for the parts still
/// open. The workflow state keeps decisions but not the deadline each was made against (a transfer moves
/// it), and it is JSON no index can search; this row lets the assessment count late approvals per
/// department in the database. A request's rows go with the request.
/// </summary>
public class ApprovalDecision
{
    public long Id { get; set; }

    public int SealRequestId { get; set; }

    public string NodeId { get; set; } = "";

    public string NodeName { get; set; } = "";

    /// <summary>Whose part it was: the approver the step asked (also when a deputy decided for them).</summary>
    public string ApproverUserId { get; set; } = "";

    /// <summary>Who decided: the approver, or their deputy; for a transfer, the approver it left.</summary>
    public string ActorUserId { get; set; } = "";

    public ApprovalOutcome Outcome { get; set; }

    public DateTimeOffset DecidedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>
    /// <see cref="DecidedAt"/> and <see cref="DueAt"/> as Unix milliseconds, so periods and lateness are compared
    /// in the database on every provider (SQLite does not compare a DateTimeOffset).
    /// </summary>
    public long DecidedUnixMs { get; set; }

    /// <inheritdoc cref="DecidedUnixMs"/>
    public long? DueUnixMs { get; set; }
}

internal sealed class ApprovalDecisionConfiguration : IEntityTypeConfiguration<ApprovalDecision>
{
    public void Configure(EntityTypeBuilder<ApprovalDecision> d)
    {
        d.Property(x => x.NodeId).HasMaxLength(200).IsRequired();
        d.Property(x => x.NodeName).HasMaxLength(400).IsRequired();
        d.Property(x => x.ApproverUserId).HasMaxLength(450).IsRequired();
        d.Property(x => x.ActorUserId).HasMaxLength(450).IsRequired();
        d.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        d.HasOne<SealRequest>().WithMany().HasForeignKey(x => x.SealRequestId).OnDelete(DeleteBehavior.Cascade);
        // The assessment reads "deadline in the period": one range on DueUnixMs.
        d.HasIndex(x => x.DueUnixMs);
        d.HasIndex(x => x.SealRequestId);
    }
}
