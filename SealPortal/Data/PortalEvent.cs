using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>What changed, as far as an open page cares. Stored by name.</summary>
public enum PortalEventKind
{
    /// <summary>A request's status, approval state, sealing or stamping changed (or a request was created).</summary>
    RequestChanged,
    /// <summary>A user got a notification (the bell).</summary>
    Notification,
}

/// <summary>
/// "Something changed for these people", written in the same save as the change itself (by
/// <c>PortalEventInterceptor</c>), so an event exists exactly when its change was committed. Every portal
/// instance reads new rows and tells its open circuits; the rows are kept for a day only. An event
/// carries no content: a page that hears of it reads again, with its own authorization.
/// </summary>
public class PortalEvent
{
    public long Id { get; set; }

    public PortalEventKind Kind { get; set; }

    /// <summary>The request that changed; null for a request not yet saved (its id is unknown) and for notifications.</summary>
    public int? SealRequestId { get; set; }

    /// <summary>The request's status after the change, by name; null when not about a request.</summary>
    public string? Status { get; set; }

    /// <summary>Who is told, as "|id1|id2|".</summary>
    public string UserIds { get; set; } = "|";

    /// <summary>Roles whose members are all told, as "|SealKeeper|Admin|" (dashboards of keepers, auditors).</summary>
    public string Roles { get; set; } = "|";

    /// <summary>UTC. A DateTime because SQLite compares only that in queries (retention deletes by it).</summary>
    public DateTime CreatedAt { get; set; }
}

internal sealed class PortalEventConfiguration : IEntityTypeConfiguration<PortalEvent>
{
    public void Configure(EntityTypeBuilder<PortalEvent> e)
    {
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.UserIds).HasMaxLength(8000).IsRequired();
        e.Property(x => x.Roles).HasMaxLength(200).IsRequired();
        e.Property(x => x.CreatedAt).HasConversion(v => DateTime.SpecifyKind(v, DateTimeKind.Utc), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        e.HasIndex(x => x.CreatedAt);
    }
}
