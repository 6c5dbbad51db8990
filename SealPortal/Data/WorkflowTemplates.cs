using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// One version of an approval template. A row is written once and never changed: editing a template
/// adds a row with the next <see cref="Version"/>, so the snapshot a running request took stays explainable.
/// </summary>
public class WorkflowTemplateVersion
{
    public int Id { get; set; }

    /// <summary>Stable key rules refer to, e.g. "standard".</summary>
    public string Key { get; set; } = "";

    public int Version { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The serialized <see cref="SealPortal.Workflow.WorkflowTemplate"/> (see WorkflowJson).</summary>
    public string TemplateJson { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>User name of whoever saved this version ("system" for the seed).</summary>
    public string CreatedBy { get; set; } = "";
}

/// <summary>
/// An ordered rule choosing a template: the first rule whose condition holds wins. Exactly one row has
/// <see cref="IsDefault"/> set; it names the template used when no rule holds and has no condition.
/// </summary>
public class WorkflowTemplateRule
{
    public int Id { get; set; }

    public int Position { get; set; }

    public bool IsDefault { get; set; }

    public string TemplateKey { get; set; } = "";

    /// <summary>The serialized <see cref="SealPortal.Workflow.RequestCondition"/>; null for the default row.</summary>
    public string? ConditionJson { get; set; }
}

public sealed class WorkflowTemplateVersionConfiguration : IEntityTypeConfiguration<WorkflowTemplateVersion>
{
    public void Configure(EntityTypeBuilder<WorkflowTemplateVersion> t)
    {
        t.Property(x => x.Key).HasMaxLength(64).IsRequired();
        t.Property(x => x.Name).HasMaxLength(200).IsRequired();
        t.Property(x => x.TemplateJson).IsRequired();
        t.Property(x => x.CreatedBy).HasMaxLength(256).IsRequired();
        t.HasIndex(x => new { x.Key, x.Version }).IsUnique();
    }
}

public sealed class WorkflowTemplateRuleConfiguration : IEntityTypeConfiguration<WorkflowTemplateRule>
{
    public void Configure(EntityTypeBuilder<WorkflowTemplateRule> r)
    {
        r.Property(x => x.TemplateKey).HasMaxLength(64).IsRequired();
        r.Property(x => x.ConditionJson).HasMaxLength(4000);
        r.HasIndex(x => x.Position);
    }
}
