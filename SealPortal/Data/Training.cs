using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>What a training is for: keeper training is what a seal's custodian needs (see the registry's gate).</summary>
public enum TrainingKind
{
    General,
    Keeper,
}

/// <summary>
/// A training plan (培训计划): its content, a note on its schedule, and its audience. The audience is the users
/// who have one of <see cref="AudienceRoles"/> (none named: any role) and belong to one of
/// <see cref="AudienceDepartmentIds"/> (none named: any department).
/// </summary>
public class TrainingPlan
{
    public int Id { get; set; }

    public string Title { get; set; } = "";

    /// <summary>Plain text, shown as text.</summary>
    public string Description { get; set; } = "";

    public TrainingKind Kind { get; set; }

    /// <summary>How often or when the plan runs, in words ("each quarter", "before a seal is handed over").</summary>
    public string? Schedule { get; set; }

    /// <summary>Role names, comma-separated; empty: every role.</summary>
    public string AudienceRoles { get; set; } = "";

    /// <summary>Department ids, comma-separated; empty: every department.</summary>
    public string AudienceDepartmentIds { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";
}

/// <summary>One session of a plan: when, where and who trains.</summary>
public class TrainingSession
{
    public int Id { get; set; }

    public int PlanId { get; set; }

    public TrainingPlan? Plan { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    /// <summary><see cref="StartsAt"/> as Unix milliseconds, so every provider filters and sorts by it (SQLite compares no DateTimeOffset).</summary>
    public long StartsUnixMs { get; set; }

    public int DurationMinutes { get; set; }

    public string Place { get; set; } = "";

    /// <summary>The trainer, the one user who records the session's attendance.</summary>
    public string TrainerUserId { get; set; } = "";

    public ApplicationUser? Trainer { get; set; }
}

/// <summary>Whether one user attended one session, as the trainer recorded it (last record wins; the time is the record's).</summary>
public class TrainingAttendance
{
    public int Id { get; set; }

    public int SessionId { get; set; }

    public TrainingSession? Session { get; set; }

    public string UserId { get; set; } = "";

    public ApplicationUser? User { get; set; }

    public bool Attended { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = "";
}

/// <summary>A PDF attached to a plan (or one of its sessions). Its bytes are in <see cref="TrainingMaterialContent"/>.</summary>
public class TrainingMaterial
{
    public int Id { get; set; }

    public int PlanId { get; set; }

    public int? SessionId { get; set; }

    public string FileName { get; set; } = "";

    public long Length { get; set; }

    public string Sha256 { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }

    public string UploadedBy { get; set; } = "";
}

/// <summary>The bytes of a <see cref="TrainingMaterial"/>, in a table of their own that only the download endpoint reads.</summary>
public class TrainingMaterialContent
{
    /// <summary>The material's id.</summary>
    public int Id { get; set; }

    public byte[] Content { get; set; } = [];
}

public static class TrainingLimits
{
    public const int TitleLength = 200;
    public const int DescriptionLength = 4000;
    public const int ScheduleLength = 200;
    public const int PlaceLength = 200;
}

public sealed class TrainingPlanConfiguration : IEntityTypeConfiguration<TrainingPlan>
{
    public void Configure(EntityTypeBuilder<TrainingPlan> p)
    {
        p.ToTable("TrainingPlans");
        p.Property(x => x.Title).HasMaxLength(TrainingLimits.TitleLength).IsRequired();
        p.Property(x => x.Description).HasMaxLength(TrainingLimits.DescriptionLength).IsRequired();
        p.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        p.Property(x => x.Schedule).HasMaxLength(TrainingLimits.ScheduleLength);
        p.Property(x => x.AudienceRoles).HasMaxLength(400).IsRequired();
        p.Property(x => x.AudienceDepartmentIds).HasMaxLength(400).IsRequired();
        p.Property(x => x.CreatedBy).HasMaxLength(256).IsRequired();
    }
}

public sealed class TrainingSessionConfiguration : IEntityTypeConfiguration<TrainingSession>
{
    public void Configure(EntityTypeBuilder<TrainingSession> s)
    {
        s.ToTable("TrainingSessions");
        s.Property(x => x.Place).HasMaxLength(TrainingLimits.PlaceLength).IsRequired();
        s.HasOne(x => x.Plan).WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
        s.HasOne(x => x.Trainer).WithMany().HasForeignKey(x => x.TrainerUserId).OnDelete(DeleteBehavior.Restrict);
        s.HasIndex(x => new { x.PlanId, x.StartsUnixMs });
        s.HasIndex(x => new { x.TrainerUserId, x.StartsUnixMs });
        s.HasIndex(x => x.StartsUnixMs);
    }
}

public sealed class TrainingAttendanceConfiguration : IEntityTypeConfiguration<TrainingAttendance>
{
    public void Configure(EntityTypeBuilder<TrainingAttendance> a)
    {
        a.ToTable("TrainingAttendances");
        a.Property(x => x.RecordedBy).HasMaxLength(256).IsRequired();
        a.HasOne(x => x.Session).WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        a.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        a.HasIndex(x => new { x.SessionId, x.UserId }).IsUnique();
        a.HasIndex(x => new { x.UserId, x.Attended });
    }
}

public sealed class TrainingMaterialConfiguration : IEntityTypeConfiguration<TrainingMaterial>
{
    public void Configure(EntityTypeBuilder<TrainingMaterial> m)
    {
        m.ToTable("TrainingMaterials");
        m.Property(x => x.FileName).HasMaxLength(255).IsRequired();
        m.Property(x => x.Sha256).HasMaxLength(64).IsRequired();
        m.Property(x => x.UploadedBy).HasMaxLength(256).IsRequired();
        m.HasOne<TrainingPlan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
        m.HasOne<TrainingSession>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Restrict);
        m.HasIndex(x => x.PlanId);
        m.HasIndex(x => x.SessionId);
    }
}

public sealed class TrainingMaterialContentConfiguration : IEntityTypeConfiguration<TrainingMaterialContent>
{
    public void Configure(EntityTypeBuilder<TrainingMaterialContent> c)
    {
        c.ToTable("TrainingMaterialContents");
        c.Property(x => x.Id).ValueGeneratedNever();
        c.HasOne<TrainingMaterial>().WithOne().HasForeignKey<TrainingMaterialContent>(x => x.Id).OnDelete(DeleteBehavior.Cascade);
        c.Property(x => x.Content).IsRequired();
    }
}
