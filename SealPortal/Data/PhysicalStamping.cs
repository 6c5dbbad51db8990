using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// The keeper's record that a physical seal of an approved request was stamped on paper: when,
/// how many copies, by whom, and optionally the scan of the stamped document (kept in the archive).
/// One per seal and request; it is never changed afterwards.
/// </summary>
public class PhysicalStamping
{
    public int Id { get; set; }

    public int SealRequestId { get; set; }

    public int SealId { get; set; }

    public Seal? Seal { get; set; }

    /// <summary>When the seal was pressed on the paper, as the keeper reports it.</summary>
    public DateTimeOffset StampedAt { get; set; }

    public int Copies { get; set; }

    /// <summary>Who pressed the seal (the keeper by default, or a colleague).</summary>
    public string ExecutorUserId { get; set; } = "";

    public ApplicationUser? Executor { get; set; }

    /// <summary>The custodian who filled in the record.</summary>
    public string RecordedByUserId { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>Lower-case hex SHA-256 of the uploaded scan in the archive; null when none was uploaded.</summary>
    public string? ScanSha256 { get; set; }

    public string? ScanFileName { get; set; }

    /// <summary>application/pdf, image/png or image/jpeg, decided from the bytes, not from the upload.</summary>
    public string? ScanContentType { get; set; }
}

internal sealed class PhysicalStampingConfiguration : IEntityTypeConfiguration<PhysicalStamping>
{
    public void Configure(EntityTypeBuilder<PhysicalStamping> p)
    {
        p.HasOne<SealRequest>().WithMany().HasForeignKey(x => x.SealRequestId).OnDelete(DeleteBehavior.Restrict);
        p.HasOne(x => x.Seal).WithMany().HasForeignKey(x => x.SealId).OnDelete(DeleteBehavior.Restrict);
        p.HasOne(x => x.Executor).WithMany().HasForeignKey(x => x.ExecutorUserId).OnDelete(DeleteBehavior.Restrict);
        p.HasOne<ApplicationUser>().WithMany().HasForeignKey(x => x.RecordedByUserId).OnDelete(DeleteBehavior.Restrict);
        // The unique pair is what makes a second "record" click (or two keepers at once) a no-op.
        p.HasIndex(x => new { x.SealRequestId, x.SealId }).IsUnique();
        p.Property(x => x.ScanSha256).HasMaxLength(64);
        p.Property(x => x.ScanFileName).HasMaxLength(255);
        p.Property(x => x.ScanContentType).HasMaxLength(32);
    }
}
