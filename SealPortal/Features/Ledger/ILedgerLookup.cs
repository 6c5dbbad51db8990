namespace SealPortal.Features.Ledger;

/// <summary>What audits and verification show of one ledger entry.</summary>
public sealed record LedgerEntrySummary(
    long Id, string RequestNumber, string Seal, string Department, string Applicant,
    DateTimeOffset ExecutedAt, string DocumentName, string? DocumentSha256, int Copies);

/// <summary>The read-only questions other features ask the seal ledger (用印台账).</summary>
public interface ILedgerLookup
{
    /// <summary>Ids of the entries executed in [from, toExclusive).</summary>
    Task<IReadOnlyList<long>> EntryIdsAsync(DateTimeOffset from, DateTimeOffset toExclusive, CancellationToken ct = default);

    /// <summary>The entries with these ids (missing ids are left out).</summary>
    Task<IReadOnlyList<LedgerEntrySummary>> GetAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default);

    /// <summary>The entries whose document has this SHA-256 (lower-case hex), oldest first.</summary>
    Task<IReadOnlyList<LedgerEntrySummary>> FindByDocumentHashAsync(string sha256, CancellationToken ct = default);
}
