using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// One signed-in browser. The sign-in cookie carries only <see cref="Id"/>; the ticket with the
/// user's claims stays here, so deleting the row ends the session whatever copy of the cookie exists.
/// </summary>
public class UserSession
{
    /// <summary>256 random bits in hex, the key the cookie carries.</summary>
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    /// <summary>When the ticket expires unless a request slides it on; a row past it is no longer a session.</summary>
    public DateTime ExpiresUtc { get; set; }

    /// <summary>The authentication ticket as ASP.NET Core serializes it.</summary>
    public byte[] Ticket { get; set; } = [];
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> s)
    {
        s.Property(x => x.Id).HasMaxLength(64);
        s.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        s.HasOne<ApplicationUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        s.HasIndex(x => x.UserId);
        s.HasIndex(x => x.ExpiresUtc);
    }
}
