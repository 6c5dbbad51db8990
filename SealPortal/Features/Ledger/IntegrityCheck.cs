using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>What the check found in one chain. <see cref="Problem"/> is null when the chain is intact.</summary>
public sealed record ChainReport(string Chain, long EntriesChecked, long? BrokenSequence, long? BrokenId, string? Problem)
{
    public bool Intact => Problem is null;

    /// <summary>Time-stamped anchors of this chain that were checked.</summary>
    public int Anchors { get; init; }

    /// <summary>The newest anchor's entry and time: every entry up to it is what the time-stamp authority saw then.</summary>
    public long? AnchoredThrough { get; init; }

    public DateTimeOffset? AnchoredAt { get; init; }

    /// <summary>Why the anchors prove less than they could (no trusted roots configured), without the chain being broken.</summary>
    public string? AnchorWarning { get; init; }
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
/// Deleting the newest entries leaves a shorter chain that is intact in itself; a remembered head
/// (count and hash from the last check, kept by the job that runs this) catches that, and so does
/// an anchor past the new end.
/// Rewriting the whole chain consistently (every hash recomputed) passes the walk; the anchors
/// (<see cref="ChainAnchor"/>, time-stamps of the head taken by <see cref="ChainAnchoring"/>) catch
/// it for every entry up to the newest anchor: each anchor's token must be a valid time-stamp by an
/// authority that chains to the configured roots (Signing:TrustedRootsPath), and the entry at the
/// anchor's sequence must still have the hash the authority signed. Entries after the newest
/// anchor are only as safe as the database until the next anchor.
/// </remarks>
public sealed class IntegrityCheck(SealPortalDbContext db, TimeProvider clock, Verification.TrustAnchors trust)
{
    public const string LedgerChain = "ledger";
    public const string AuditChain = "audit-trail";

    public async Task<IntegrityReport> VerifyAsync(CancellationToken ct = default)
    {
        var ledgerAnchors = await AnchorsAsync(LedgerChain, ct);
        var auditAnchors = await AnchorsAsync(AuditChain, ct);
        var ledger = await WalkAsync(LedgerChain,
            ReadAhead.Of(db.LedgerEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable(), ct),
            e => (e.Id, e.Sequence, e.PreviousHash, e.Hash), ChainCanonicalForm.Hash, ledgerAnchors, ct);
        var audit = await WalkAsync(AuditChain,
            ReadAhead.Of(db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable(), ct),
            e => (e.Id, e.Sequence, e.PreviousHash, e.Hash), ChainCanonicalForm.Hash, auditAnchors, ct);
        return new IntegrityReport(ledger, audit, clock.GetUtcNow());
    }

    /// <summary>One anchor as the walk needs it, its token already checked (<see cref="Problem"/> null when valid).</summary>
    private sealed record CheckedAnchor(long Sequence, string HeadHash, DateTimeOffset At, string? Problem, bool? Trusted);

    /// <summary>
    /// The chain's anchors in sequence order, each token checked as it is read (tokens are a few KB;
    /// only the small results are kept).
    /// </summary>
    private async Task<CheckedAnchors> AnchorsAsync(string chain, CancellationToken ct)
    {
        var list = new List<CheckedAnchor>();
        await foreach (var a in db.ChainAnchors.AsNoTracking().Where(a => a.Chain == chain).OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            string? problem = null;
            bool? trusted = null;
            var at = new DateTimeOffset(a.TimestampedAt, TimeSpan.Zero);
            byte[] imprint;
            try
            {
                imprint = Convert.FromHexString(a.HeadHash);
            }
            catch (FormatException)
            {
                imprint = [];
            }
            var result = Pdf.Validation.TimestampTokenCheck.Check(a.Token, imprint, trust.Certificates);
            if (!result.Valid)
                problem = string.Join("; ", result.Problems);
            else if (result.Trusted == false)
                problem = "its time-stamp authority is not trusted: " + string.Join("; ", result.Problems);
            else
                trusted = result.Trusted;
            if (result.Time is { } t)
                at = t;
            list.Add(new CheckedAnchor(a.Sequence, a.HeadHash, at, problem, trusted));
        }
        return new CheckedAnchors(list);
    }

    private sealed class CheckedAnchors(List<CheckedAnchor> list)
    {
        private int _next;

        public int Count => list.Count;

        public CheckedAnchor? LastPassed { get; private set; }

        /// <summary>The anchors at this sequence (normally at most one), in order.</summary>
        public IEnumerable<CheckedAnchor> At(long sequence)
        {
            while (_next < list.Count && list[_next].Sequence <= sequence)
            {
                var a = list[_next++];
                yield return a;
                LastPassed = a;
            }
        }

        /// <summary>Anchors beyond the last entry read: the chain lost its end.</summary>
        public CheckedAnchor? Beyond => _next < list.Count ? list[_next] : null;

        public bool AnyUntrustedUnchecked => list.Any(a => a.Problem is null && a.Trusted is null);
    }

    private static async Task<ChainReport> WalkAsync<T>(string chain, IAsyncEnumerable<T> rows,
        Func<T, (long Id, long Sequence, string PreviousHash, string Hash)> links, Func<T, string> hash, CheckedAnchors anchors, CancellationToken ct)
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
            var since = anchors.LastPassed;
            foreach (var anchor in anchors.At(sequence))
            {
                if (anchor.Problem is not null)
                    return Broken(chain, count, sequence, id,
                        $"the anchor of entry {anchor.Sequence} time-stamped {anchor.At:u} is not a valid time-stamp: {anchor.Problem}");
                if (anchor.Sequence != sequence || !string.Equals(anchor.HeadHash, stored, StringComparison.Ordinal))
                    return Broken(chain, count, sequence, id,
                        $"entry {sequence} is not the entry time-stamped at {anchor.At:u}: the chain was rewritten " +
                        $"somewhere in entries {(since?.Sequence ?? 0) + 1}–{sequence} after that time (every hash after the change recomputed)");
            }
            previous = stored;
            expected++;
            count++;
        }
        if (anchors.Beyond is { } lost)
            return Broken(chain, count, count + 1, 0,
                $"the chain ends at entry {count}, but entry {lost.Sequence} was time-stamped at {lost.At:u}: entries were removed from its end");
        return new ChainReport(chain, count, null, null, null)
        {
            Anchors = anchors.Count,
            AnchoredThrough = anchors.LastPassed?.Sequence,
            AnchoredAt = anchors.LastPassed?.At,
            AnchorWarning = anchors.AnyUntrustedUnchecked
                ? "the anchors' time-stamp authority was not checked against trusted roots (Signing:TrustedRootsPath is empty), so anchors made with any key would pass"
                : null,
        };
    }

    private static ChainReport Broken(string chain, long count, long sequence, long id, string problem) =>
        new(chain, count, sequence, id, problem);
}
