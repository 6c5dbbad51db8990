using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// A periodic audit (定期检查): an auditor samples the ledger entries of a period, records a
/// finding per sampled entry and closes the audit with a conclusion. A closed audit never changes.
/// </summary>
public class SealAudit
{
    public int Id { get; set; }

    /// <summary>First day of the audited period (calendar day in the company's time zone, inclusive).</summary>
    public DateOnly PeriodFrom { get; set; }

    /// <summary>Last day of the audited period (calendar day in the company's time zone, inclusive).</summary>
    public DateOnly PeriodTo { get; set; }

    /// <summary>User name of the auditor who opened it.</summary>
    public string OpenedBy { get; set; } = "";

    public DateTimeOffset OpenedAt { get; set; }

    /// <summary>The rule the auditor asked for: a count ("10") or a share of the period's entries ("5%").</summary>
    public string SampleRule { get; set; } = "";

    /// <summary>How many entries were drawn (the rule applied to <see cref="PopulationCount"/>).</summary>
    public int SampleSize { get; set; }

    /// <summary>How many ledger entries the period held when the sample was drawn.</summary>
    public int PopulationCount { get; set; }

    /// <summary>What the sample was drawn with, so anyone can draw the same sample again.</summary>
    public string SamplingSeed { get; set; } = "";

    public SealAuditStatus Status { get; set; } = SealAuditStatus.Open;

    public string? Conclusion { get; set; }

    public string? ClosedBy { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Changes with every finding and with closing, so a finding cannot slip in while the audit is being closed.</summary>
    public Guid Version { get; set; }

    public List<SealAuditItem> Items { get; set; } = [];
}

public enum SealAuditStatus
{
    Open,
    Closed,
}

/// <summary>One sampled ledger entry of an audit and what the auditor found about it.</summary>
public class SealAuditItem
{
    public long Id { get; set; }

    public int SealAuditId { get; set; }

    /// <summary>Position in the drawn sample (1-based), the order the auditor works through.</summary>
    public int Ordinal { get; set; }

    public long LedgerEntryId { get; set; }

    public SealAuditFinding Finding { get; set; } = SealAuditFinding.NotChecked;

    public string? Note { get; set; }

    public string? RecordedBy { get; set; }

    public DateTimeOffset? RecordedAt { get; set; }
}

public enum SealAuditFinding
{
    NotChecked,
    Ok,
    Issue,
}

public sealed class SealAuditConfiguration : IEntityTypeConfiguration<SealAudit>
{
    public void Configure(EntityTypeBuilder<SealAudit> a)
    {
        a.Property(x => x.OpenedBy).HasMaxLength(256).IsRequired();
        a.Property(x => x.SampleRule).HasMaxLength(16).IsRequired();
        a.Property(x => x.SamplingSeed).HasMaxLength(64).IsRequired();
        a.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        a.Property(x => x.Conclusion).HasMaxLength(4000);
        a.Property(x => x.ClosedBy).HasMaxLength(256);
        a.Property(x => x.Version).IsConcurrencyToken();
        a.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.SealAuditId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class SealAuditItemConfiguration : IEntityTypeConfiguration<SealAuditItem>
{
    public void Configure(EntityTypeBuilder<SealAuditItem> i)
    {
        i.Property(x => x.Finding).HasConversion<string>().HasMaxLength(16);
        i.Property(x => x.Note).HasMaxLength(2000);
        i.Property(x => x.RecordedBy).HasMaxLength(256);
        i.HasIndex(x => new { x.SealAuditId, x.LedgerEntryId }).IsUnique();
        // A sampled entry must exist; the ledger never deletes entries, and this keeps anyone else from doing so unnoticed.
        i.HasOne<LedgerEntry>().WithMany().HasForeignKey(x => x.LedgerEntryId).OnDelete(DeleteBehavior.Restrict);
    }
}
