using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// An approver lets a deputy decide for them from <see cref="From"/> (inclusive) until <see cref="Until"/>
/// (exclusive), e.g. while on leave. Named apart from the engine's <see cref="SealPortal.Workflow.Delegation"/>,
/// which is what this row becomes once loaded. A cancelled delegation stays for the record.
/// </summary>
public class ApproverDelegation
{
    public int Id { get; set; }

    public string DelegatorUserId { get; set; } = "";

    public ApplicationUser? Delegator { get; set; }

    public string DeputyUserId { get; set; } = "";

    public ApplicationUser? Deputy { get; set; }

    public DateTimeOffset From { get; set; }

    public DateTimeOffset Until { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset? CancelledAt { get; set; }

    public string? CancelledBy { get; set; }
}

public sealed class ApproverDelegationConfiguration : IEntityTypeConfiguration<ApproverDelegation>
{
    public void Configure(EntityTypeBuilder<ApproverDelegation> d)
    {
        d.HasOne(x => x.Delegator).WithMany().HasForeignKey(x => x.DelegatorUserId).OnDelete(DeleteBehavior.Restrict);
        d.HasOne(x => x.Deputy).WithMany().HasForeignKey(x => x.DeputyUserId).OnDelete(DeleteBehavior.Restrict);
        d.Property(x => x.Reason).HasMaxLength(500);
        d.Property(x => x.CreatedBy).HasMaxLength(256).IsRequired();
        d.Property(x => x.CancelledBy).HasMaxLength(256);
        d.HasIndex(x => x.DelegatorUserId);
    }
}
