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

/// <summary>
/// An administrator's test case for a template (流程测试): a sample request and the path it is expected to take.
/// The department, seal and applicant are plain ids, not foreign keys, so a case naming one that was removed
/// stays readable and fails with that reason instead of vanishing.
/// </summary>
public class WorkflowTestCase
{
    public int Id { get; set; }

    /// <summary>The template the case belongs to (its key, as rules name it).</summary>
    public string TemplateKey { get; set; } = "";

    public string Name { get; set; } = "";

    public int DepartmentId { get; set; }

    public int SealId { get; set; }

    /// <summary>A key of <see cref="DocumentTypes"/>.</summary>
    public string DocumentType { get; set; } = "";

    public decimal? Amount { get; set; }

    public bool Urgent { get; set; }

    public string ApplicantUserId { get; set; } = "";

    /// <summary>The node ids the request is expected to pass, in order, separated by <see cref="PathSeparator"/>.</summary>
    public string ExpectedPath { get; set; } = "";

    /// <summary>The template the rules are expected to choose; null when any template may be chosen.</summary>
    public string? ExpectedTemplateKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    /// <summary>Turns with every edit, so an edit made from a form loaded before another administrator's change is refused, not lost.</summary>
    public Guid Version { get; set; }

    public const char PathSeparator = '|';
}

public sealed class WorkflowTestCaseConfiguration : IEntityTypeConfiguration<WorkflowTestCase>
{
    public void Configure(EntityTypeBuilder<WorkflowTestCase> c)
    {
        c.Property(x => x.TemplateKey).HasMaxLength(64).IsRequired();
        c.Property(x => x.Name).HasMaxLength(200).IsRequired();
        c.Property(x => x.DocumentType).HasMaxLength(64).IsRequired();
        c.Property(x => x.Amount).HasPrecision(18, 2);
        c.Property(x => x.ApplicantUserId).HasMaxLength(450).IsRequired();
        c.Property(x => x.ExpectedPath).HasMaxLength(2000).IsRequired();
        c.Property(x => x.ExpectedTemplateKey).HasMaxLength(64);
        c.Property(x => x.CreatedBy).HasMaxLength(256).IsRequired();
        c.Property(x => x.Version).IsConcurrencyToken();
        c.HasIndex(x => x.TemplateKey);
    }
}
