using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SealPortal.Data;

/// <summary>
/// One use of a seal in the seal ledger (用印台账), electronic or physical. Append-only and
/// hash-chained: <see cref="Hash"/> covers every content field and <see cref="PreviousHash"/>
/// (see SealPortal.Features.Ledger.ChainCanonicalForm). Names are copied in, not joined, so the
/// entry keeps saying what was true when the seal was used even after a user or seal is renamed.
/// The database refuses UPDATE and DELETE on the table (triggers from <see cref="AppendOnlyTables"/>),
/// so a stored entry is never changed, only followed by new ones.
/// Times are UTC, truncated to microseconds (PostgreSQL's precision), so they come back from
/// either database exactly as they were hashed.
/// </summary>
public class LedgerEntry : IChainLink
{
    public long Id { get; set; }

    /// <summary>Position in the chain, 1, 2, 3, ... without gaps.</summary>
    public long Sequence { get; set; }

    /// <summary>Which canonical serialization <see cref="Hash"/> was computed with.</summary>
    public int FormatVersion { get; set; }

    public DateTime RecordedAt { get; set; }

    public int? SealRequestId { get; set; }

    public string? RequestNumber { get; set; }

    public int SealId { get; set; }

    public string SealName { get; set; } = "";

    public SealKind Kind { get; set; }

    public string? ApplicantUserId { get; set; }

    public string ApplicantName { get; set; } = "";

    public int DepartmentId { get; set; }

    public string DepartmentName { get; set; } = "";

    public DateTime? AppliedAt { get; set; }

    /// <summary>The approvers and their decision times as canonical JSON (see LedgerApprovals).</summary>
    public string ApproversJson { get; set; } = "[]";

    public DateTime? ApprovedAt { get; set; }

    public string? ExecutorUserId { get; set; }

    public string ExecutorName { get; set; } = "";

    public DateTime ExecutedAt { get; set; }

    public int? DocumentId { get; set; }

    public string DocumentName { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the document as sealed (or as scanned for a physical seal).</summary>
    public string DocumentSha256 { get; set; } = "";

    public int Copies { get; set; }

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";

    /// <summary>Who took part in this use, for the person filter (see <see cref="LedgerParticipant"/>).</summary>
    public List<LedgerParticipant> Participants { get; set; } = [];

    /// <summary>Not stored: the order Append was called in, so one SaveChanges chains several entries in that order.</summary>
    internal long AppendOrder { get; set; }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> e)
    {
        e.ToTable("LedgerEntries");
        e.Ignore(x => x.AppendOrder);
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.RequestNumber).HasMaxLength(32);
        e.Property(x => x.SealName).HasMaxLength(200).IsRequired();
        e.Property(x => x.ApplicantUserId).HasMaxLength(450);
        e.Property(x => x.ApplicantName).HasMaxLength(256).IsRequired();
        e.Property(x => x.DepartmentName).HasMaxLength(100).IsRequired();
        e.Property(x => x.ExecutorUserId).HasMaxLength(450);
        e.Property(x => x.ExecutorName).HasMaxLength(256).IsRequired();
        e.Property(x => x.DocumentName).HasMaxLength(260).IsRequired();
        e.Property(x => x.DocumentSha256).HasMaxLength(64).IsRequired();
        e.Property(x => x.PreviousHash).HasMaxLength(64).IsRequired();
        e.Property(x => x.Hash).HasMaxLength(64).IsRequired();
        foreach (var p in new[] { nameof(LedgerEntry.RecordedAt), nameof(LedgerEntry.ExecutedAt) })
            e.Property<DateTime>(p).HasConversion(UtcTimes.Required);
        foreach (var p in new[] { nameof(LedgerEntry.AppliedAt), nameof(LedgerEntry.ApprovedAt) })
            e.Property<DateTime?>(p).HasConversion(UtcTimes.Optional);

        // The unique sequence is the last line of defence against a forked chain; the append lock
        // (ChainInterceptor) is what normally keeps two writers from picking the same number.
        e.HasIndex(x => x.Sequence).IsUnique();
        // The ledger is listed newest execution first: "WHERE <column> = @v [AND ExecutedAt in period]
        // ORDER BY ExecutedAt DESC, Sequence DESC LIMIT n". One index per filter column, ending in
        // (ExecutedAt, Sequence), lets the database read exactly that range in that order.
        e.HasIndex(x => new { x.ExecutedAt, x.Sequence });
        e.HasIndex(x => new { x.SealId, x.ExecutedAt, x.Sequence });
        e.HasIndex(x => new { x.DepartmentId, x.ExecutedAt, x.Sequence });
        e.HasIndex(x => new { x.ApplicantUserId, x.ExecutedAt, x.Sequence });
        e.HasIndex(x => new { x.ExecutorUserId, x.ExecutedAt, x.Sequence });
        e.HasIndex(x => new { x.Kind, x.ExecutedAt, x.Sequence });
        // Department and kind together (an auditor's "the physical seals department X used"): the grid counts its
        // matches, and without both columns in one index that count looked up every entry of the department.
        e.HasIndex(x => new { x.DepartmentId, x.Kind, x.ExecutedAt, x.Sequence });
        e.HasIndex(x => x.DocumentSha256);
        e.HasIndex(x => x.SealRequestId);
        e.HasMany(x => x.Participants).WithOne().HasForeignKey(p => p.LedgerEntryId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>How someone took part in a ledger entry; one person can hold several of these on one entry.</summary>
[Flags]
public enum LedgerParticipation
{
    Applicant = 1,
    Approver = 2,
    Executor = 4,
}

/// <summary>
/// One person who took part in a ledger entry (applicant, approver or executor), one row per
/// person and entry. It exists so "everything person X touched" is one index range read, newest
/// first, like the other ledger filters: approvers live inside the entry's approvers JSON, which
/// no index can search. It is derived from the entry (written with it, in the same save) and is
/// not part of the hash; the entry stays the record.
/// <see cref="ExecutedAt"/> and <see cref="Sequence"/> are copies of the entry's, so the index on
/// (UserId, ExecutedAt, Sequence) gives the ledger's order without touching the entries table.
/// </summary>
public class LedgerParticipant
{
    public long LedgerEntryId { get; set; }

    public string UserId { get; set; } = "";

    public DateTime ExecutedAt { get; set; }

    public long Sequence { get; set; }

    /// <summary>
    /// A copy of the entry's seal, so "person X on seal Y" is one range of the (UserId, SealId, ExecutedAt,
    /// Sequence) index: counted and paged without looking up each of the person's entries (an approver of
    /// every use of a seal has 50,000 of them in a million).
    /// </summary>
    public int SealId { get; set; }

    public LedgerParticipation Participation { get; set; }
}

internal sealed class LedgerParticipantConfiguration : IEntityTypeConfiguration<LedgerParticipant>
{
    public void Configure(EntityTypeBuilder<LedgerParticipant> e)
    {
        e.ToTable("LedgerParticipants");
        e.HasKey(x => new { x.LedgerEntryId, x.UserId });
        e.Property(x => x.UserId).HasMaxLength(450);
        e.Property(x => x.ExecutedAt).HasConversion(UtcTimes.Required);
        e.HasIndex(x => new { x.UserId, x.ExecutedAt, x.Sequence });
        e.HasIndex(x => new { x.UserId, x.SealId, x.ExecutedAt, x.Sequence });
    }
}

/// <summary>
/// SQLite hands DateTime back as Unspecified; the ledger's times are always UTC, so say so on the
/// way out. PostgreSQL (timestamptz) already returns UTC and requires it on the way in.
/// </summary>
internal static class UtcTimes
{
    public static readonly ValueConverter<DateTime, DateTime> Required =
        new(v => DateTime.SpecifyKind(v, DateTimeKind.Utc), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    public static readonly ValueConverter<DateTime?, DateTime?> Optional =
        new(v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v,
            v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

/// <summary>What the ledger and the audit trail share as links of a hash chain; the chain code links both through it.</summary>
public interface IChainLink
{
    long Sequence { get; set; }
    int FormatVersion { get; set; }
    string PreviousHash { get; set; }
    string Hash { get; set; }
}

/// <summary>
/// Fills LedgerParticipants for entries written before the table existed, from the entries' own
/// applicant, approvers (inside the approvers JSON) and executor, as SealLedger.Append does for new ones.
/// </summary>
public static class LedgerParticipantBackfill
{
    public static void Run(MigrationBuilder migration, DatabaseProvider provider) => migration.Sql(Sql(provider));

    /// <summary>
    /// Copies each entry's seal onto its participant rows (LedgerParticipant.SealId), for rows written before the
    /// column existed. The table is append-only, so its guard is lifted for this one statement and put back.
    /// </summary>
    public static void CopySealIds(MigrationBuilder migration, DatabaseProvider provider)
    {
        AppendOnlyTables.Unprotect(migration, provider, "LedgerParticipants");
        migration.Sql(SealIdSql);
        AppendOnlyTables.Protect(migration, provider, "LedgerParticipants");
    }

    /// <summary>The statement of <see cref="CopySealIds"/>, the same on every provider.</summary>
    public const string SealIdSql =
        """UPDATE "LedgerParticipants" SET "SealId" = (SELECT e."SealId" FROM "LedgerEntries" e WHERE e."Id" = "LedgerParticipants"."LedgerEntryId")""";

    /// <summary>
    /// The participants of entries written straight into the table (the ledger bench), seal copy included; the
    /// migration of 2026-11-23 ran <see cref="Sql(DatabaseProvider)"/>, from before the seal copy existed.
    /// </summary>
    public static string SqlWithSeal(DatabaseProvider provider) => Sql(provider, withSeal: true);

    public static string Sql(DatabaseProvider provider) => Sql(provider, withSeal: false);

    private static string Sql(DatabaseProvider provider, bool withSeal)
    {
        var approvers = provider == DatabaseProvider.Postgres
            ? """SELECT e."Id", a.value->>'userId', e."ExecutedAt", e."Sequence", 2, e."SealId" FROM "LedgerEntries" e CROSS JOIN LATERAL jsonb_array_elements(e."ApproversJson"::jsonb) a"""
            : """SELECT e."Id", json_extract(a.value, '$.userId'), e."ExecutedAt", e."Sequence", 2, e."SealId" FROM "LedgerEntries" e, json_each(e."ApproversJson") a""";
        // One row per entry and person; MAX per flag then adding them ORs the ways a person took part.
        return $"""
            INSERT INTO "LedgerParticipants" ("LedgerEntryId", "UserId", "ExecutedAt", "Sequence", "Participation"{(withSeal ? ", \"SealId\"" : "")})
            SELECT id, uid, MIN(at), MIN(seq),
                   MAX(CASE WHEN how = 1 THEN 1 ELSE 0 END) + MAX(CASE WHEN how = 2 THEN 2 ELSE 0 END) + MAX(CASE WHEN how = 4 THEN 4 ELSE 0 END){(withSeal ? ", MIN(seal)" : "")}
            FROM (
                SELECT "Id" AS id, "ApplicantUserId" AS uid, "ExecutedAt" AS at, "Sequence" AS seq, 1 AS how, "SealId" AS seal FROM "LedgerEntries"
                UNION ALL {approvers}
                UNION ALL SELECT "Id", "ExecutorUserId", "ExecutedAt", "Sequence", 4, "SealId" FROM "LedgerEntries"
            ) AS taking_part
            WHERE uid IS NOT NULL AND uid <> ''
            GROUP BY id, uid
            """;
    }
}
