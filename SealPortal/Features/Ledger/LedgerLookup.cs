using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>What periodic audits and the verification page show of one ledger entry.</summary>
public sealed record LedgerEntrySummary(
    long Id, long Sequence, string? RequestNumber, string Seal, SealKind Kind, string Department, string Applicant, string Executor,
    DateTimeOffset ExecutedAt, string DocumentName, string DocumentSha256, int Copies);

/// <summary>
/// The read-only questions other features ask the seal ledger (用印台账): which entries a period
/// holds (audit sampling), what an entry says, and which entries recorded a given file.
/// </summary>
public sealed class LedgerLookup(SealPortalDbContext db)
{
    /// <summary>Ids of the entries executed in [from, toExclusive), in chain order.</summary>
    public async Task<IReadOnlyList<long>> EntryIdsAsync(DateTimeOffset from, DateTimeOffset toExclusive, CancellationToken ct = default)
    {
        var start = from.UtcDateTime;
        var end = toExclusive.UtcDateTime;
        return await db.LedgerEntries.AsNoTracking()
            .Where(e => e.ExecutedAt >= start && e.ExecutedAt < end)
            .OrderBy(e => e.Sequence)
            .Select(e => e.Id)
            .ToListAsync(ct);
    }

    /// <summary>The entries with these ids; an id the ledger does not hold is left out.</summary>
    public async Task<IReadOnlyList<LedgerEntrySummary>> GetAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
            return [];
        var list = ids.Distinct().ToList();
        return await Summaries(db.LedgerEntries.AsNoTracking().Where(e => list.Contains(e.Id))).ToListAsync(ct);
    }

    /// <summary>The entries whose document is exactly the file with this SHA-256 (hex, any case), oldest first.</summary>
    public async Task<IReadOnlyList<LedgerEntrySummary>> FindByDocumentHashAsync(string sha256, CancellationToken ct = default)
    {
        var hash = sha256.Trim().ToLowerInvariant();
        if (hash.Length != 64)
            return [];
        return await Summaries(db.LedgerEntries.AsNoTracking().Where(e => e.DocumentSha256 == hash)).ToListAsync(ct);
    }

    private static IQueryable<LedgerEntrySummary> Summaries(IQueryable<LedgerEntry> entries) =>
        entries.OrderBy(e => e.Sequence).Select(e => new LedgerEntrySummary(
            e.Id, e.Sequence, e.RequestNumber, e.SealName, e.Kind, e.DepartmentName, e.ApplicantName, e.ExecutorName,
            new DateTimeOffset(e.ExecutedAt, TimeSpan.Zero), e.DocumentName, e.DocumentSha256, e.Copies));
}
