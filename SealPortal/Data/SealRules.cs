using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// One published version of the company's seal-management rules (用印管理制度). Versions are only added,
/// never changed: the highest <see cref="Version"/> is the current one, the others are its history.
/// </summary>
public class SealRulesVersion
{
    public int Id { get; set; }

    /// <summary>1, 2, 3, … in the order of publication; unique.</summary>
    public int Version { get; set; }

    public string Title { get; set; } = "";

    /// <summary>Plain text (paragraphs separated by blank lines); shown as text, never as HTML.</summary>
    public string Body { get; set; } = "";

    public DateTimeOffset PublishedAt { get; set; }

    /// <summary>The user name of the administrator who published it.</summary>
    public string PublishedBy { get; set; } = "";
}

/// <summary>A user's statement that they read and accept one version of the rules, with the time; one per user and version.</summary>
public class RuleAcknowledgement
{
    public int Id { get; set; }

    public string UserId { get; set; } = "";

    public ApplicationUser? User { get; set; }

    public int RulesVersionId { get; set; }

    public SealRulesVersion? RulesVersion { get; set; }

    public DateTimeOffset AcknowledgedAt { get; set; }
}

public sealed class SealRulesVersionConfiguration : IEntityTypeConfiguration<SealRulesVersion>
{
    public void Configure(EntityTypeBuilder<SealRulesVersion> r)
    {
        r.ToTable("SealRules");
        r.HasIndex(x => x.Version).IsUnique();
        r.Property(x => x.Title).HasMaxLength(SealRulesLimits.TitleLength).IsRequired();
        r.Property(x => x.Body).HasMaxLength(SealRulesLimits.BodyLength).IsRequired();
        r.Property(x => x.PublishedBy).HasMaxLength(256).IsRequired();
    }
}

public sealed class RuleAcknowledgementConfiguration : IEntityTypeConfiguration<RuleAcknowledgement>
{
    public void Configure(EntityTypeBuilder<RuleAcknowledgement> a)
    {
        a.ToTable("RuleAcknowledgements");
        a.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        a.HasOne(x => x.RulesVersion).WithMany().HasForeignKey(x => x.RulesVersionId).OnDelete(DeleteBehavior.Restrict);
        a.HasIndex(x => new { x.UserId, x.RulesVersionId }).IsUnique();
        a.HasIndex(x => x.RulesVersionId);
    }
}

public static class SealRulesLimits
{
    public const int TitleLength = 200;
    public const int BodyLength = 20_000;
}
