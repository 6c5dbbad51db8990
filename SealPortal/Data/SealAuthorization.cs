using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// An authorization scope (授权范围): who may request <see cref="SealId"/> (a department and/or a role; null
/// means any), for which document types (empty means all), from <see cref="ValidFrom"/> (inclusive) until
/// <see cref="ValidUntil"/> (exclusive; null means open-ended). A revoked scope stays for the record.
/// </summary>
public class SealAuthorization
{
    public int Id { get; set; }

    public int SealId { get; set; }

    public Seal? Seal { get; set; }

    public int? DepartmentId { get; set; }

    public Department? Department { get; set; }

    /// <summary>A role name from <see cref="Roles"/>; null means any role.</summary>
    public string? Role { get; set; }

    /// <summary>Comma-separated <see cref="DocumentTypes"/> keys; empty means every type.</summary>
    public string DocumentTypes { get; set; } = "";

    public DateTimeOffset ValidFrom { get; set; }

    public DateTimeOffset? ValidUntil { get; set; }

    /// <summary>Reference to the signed authorization document (e.g. its number or file name).</summary>
    public string? DocumentReference { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public IReadOnlyList<string> DocumentTypeList =>
        DocumentTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class SealAuthorizationConfiguration : IEntityTypeConfiguration<SealAuthorization>
{
    public void Configure(EntityTypeBuilder<SealAuthorization> a)
    {
        a.HasOne(x => x.Seal).WithMany().HasForeignKey(x => x.SealId).OnDelete(DeleteBehavior.Restrict);
        a.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        a.Property(x => x.Role).HasMaxLength(64);
        a.Property(x => x.DocumentTypes).HasMaxLength(500).IsRequired();
        a.Property(x => x.DocumentReference).HasMaxLength(200);
        a.Property(x => x.CreatedBy).HasMaxLength(256).IsRequired();
        a.Property(x => x.RevokedBy).HasMaxLength(256);
        a.Ignore(x => x.DocumentTypeList);
        a.HasIndex(x => x.SealId);
    }
}
