using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>What the check found in one chain. <see cref="Problem"/> is null when the chain is intact.</summary>
public sealed record ChainReport(string Chain, long EntriesChecked, long? BrokenSequence, long? BrokenId, string? Problem)
{
    public bool Intact => Problem is null;
}

public sealed record IntegrityReport(ChainReport Ledger, ChainReport AuditTrail, DateTimeOffset CheckedAt)
{
    public bool Intact => Ledger.Intact && AuditTrail.Intact;

    public IEnumerable<ChainReport> Chains => [Ledger, AuditTrail];
}

/// <summary>
/// Walks the ledger and the audit trail in sequence order and recomputes every link, reading the
/// rows as a stream (a bounded buffer ahead of the hashing, see <see cref="ReadAhead"/>) so memory
/// stays flat however long the chains are. Per entry, in this order:
/// its sequence follows the previous one (a gap means an entry was deleted), its PreviousHash is
/// the previous entry's stored hash (a mismatch means entries were reordered or a predecessor's
/// hash was rewritten), and its own hash matches its content (a mismatch means it was edited).
/// The first failure stops that chain's walk and is named.
/// </summary>
/// <remarks>
/// Deleting the newest entries leaves a shorter chain that is intact in itself; only a
/// remembered head (count and hash from the last check, kept by the job that runs this) catches that.
/// </remarks>
public sealed class IntegrityCheck(SealPortalDbContext db, TimeProvider clock)
{
    public const string LedgerChain = "ledger";
    public const string AuditChain = "audit-trail";

    public async Task<IntegrityReport> VerifyAsync(CancellationToken ct = default)
    {
        var ledger = await WalkAsync(LedgerChain,
            ReadAhead.Of(db.LedgerEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable(), ct),
            e => (e.Id, e.Sequence, e.PreviousHash, e.Hash), ChainCanonicalForm.Hash, ct);
        var audit = await WalkAsync(AuditChain,
            ReadAhead.Of(db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable(), ct),
            e => (e.Id, e.Sequence, e.PreviousHash, e.Hash), ChainCanonicalForm.Hash, ct);
        return new IntegrityReport(ledger, audit, clock.GetUtcNow());
    }

    private static async Task<ChainReport> WalkAsync<T>(string chain, IAsyncEnumerable<T> rows,
        Func<T, (long Id, long Sequence, string PreviousHash, string Hash)> links, Func<T, string> hash, CancellationToken ct)
    {
        long expected = 1, count = 0;
        var previous = ChainCanonicalForm.Genesis;
        await foreach (var row in rows.WithCancellation(ct))
        {
            var (id, sequence, previousHash, stored) = links(row);
            if (sequence != expected)
                return Broken(chain, count, sequence, id, sequence > expected
                    ? $"entry {expected}{(sequence - expected > 1 ? $"–{sequence - 1}" : "")} is missing: the chain jumps from {expected - 1} to {sequence}"
                    : $"entry {sequence} appears twice or out of order (expected {expected})");
            if (!string.Equals(previousHash, previous, StringComparison.Ordinal))
                return Broken(chain, count, sequence, id,
                    $"entry {sequence} does not follow entry {sequence - 1}: its previous-hash does not match (reordered, or entry {sequence - 1} was rewritten)");
            string actual;
            try
            {
                actual = hash(row);
            }
            catch (NotSupportedException ex)
            {
                return Broken(chain, count, sequence, id, $"entry {sequence}: {ex.Message}");
            }
            if (!string.Equals(actual, stored, StringComparison.Ordinal))
                return Broken(chain, count, sequence, id, $"entry {sequence} was edited: its content no longer matches its hash");
            previous = stored;
            expected++;
            count++;
        }
        return new ChainReport(chain, count, null, null, null);
    }

    private static ChainReport Broken(string chain, long count, long sequence, long id, string problem) =>
        new(chain, count, sequence, id, problem);
}
