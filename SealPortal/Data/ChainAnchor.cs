using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SealPortal.Data;

/// <summary>
/// The head of the ledger or of the audit trail, time-stamped by the configured RFC 3161
/// time-stamp authority (issue 12, part 4): the token's message imprint is the head entry's
/// hash (the 32 bytes of <see cref="HeadHash"/>), and the token is signed by the authority, outside
/// the database. Whoever rewrites a chain consistently (every hash recomputed) cannot make the
/// entry at <see cref="Sequence"/> hash to what the authority signed, so every entry up to the
/// newest anchor is covered. Append-only like the chains (triggers from <see cref="AppendOnlyTables"/>).
/// </summary>
public class ChainAnchor
{
    public long Id { get; set; }

    /// <summary>"ledger" or "audit-trail" (SealPortal.Features.Ledger.IntegrityCheck's chain names).</summary>
    public string Chain { get; set; } = "";

    /// <summary>The head entry's sequence when the anchor was taken.</summary>
    public long Sequence { get; set; }

    /// <summary>The head entry's hash (lower-case hex SHA-256), the token's message imprint.</summary>
    public string HeadHash { get; set; } = "";

    /// <summary>The token's genTime, UTC (as the token says; the token is the proof, this is for listing).</summary>
    public DateTime TimestampedAt { get; set; }

    /// <summary>The DER RFC 3161 TimeStampToken (a CMS ContentInfo).</summary>
    public byte[] Token { get; set; } = [];

    /// <summary>"schedule", "cli", or the user name that asked for it.</summary>
    public string TriggeredBy { get; set; } = "";
}

internal sealed class ChainAnchorConfiguration : IEntityTypeConfiguration<ChainAnchor>
{
    public void Configure(EntityTypeBuilder<ChainAnchor> e)
    {
        e.ToTable("ChainAnchors");
        e.Property(x => x.Chain).HasMaxLength(16).IsRequired();
        e.Property(x => x.HeadHash).HasMaxLength(64).IsRequired();
        e.Property(x => x.TimestampedAt).HasConversion(UtcTimes.Required);
        e.Property(x => x.Token).IsRequired();
        e.Property(x => x.TriggeredBy).HasMaxLength(256).IsRequired();
        // One anchor per head: a second anchoring of an unchanged head is skipped, and two racing
        // portals cannot both store one.
        e.HasIndex(x => new { x.Chain, x.Sequence }).IsUnique();
    }
}
