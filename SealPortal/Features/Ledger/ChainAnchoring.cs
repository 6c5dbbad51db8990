using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Sealing;
using SealPortal.Pdf.Signing;

namespace SealPortal.Features.Ledger;

/// <summary>What one anchoring did for one chain: the anchor stored, or why none was (empty chain, head already anchored).</summary>
public sealed record AnchorOutcome(string Chain, long? Sequence, DateTimeOffset? TimestampedAt, string? Skipped);

/// <summary>Anchoring cannot be done: no time-stamp authority configured, or it failed to answer.</summary>
public sealed class AnchoringException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Time-stamps the heads of the ledger and of the audit trail with the configured time-stamp
/// authority (Signing:TsaUrl), on a schedule (<c>chain-anchor</c> job) and on demand (<c>ledger
/// anchor</c>, POST /ledger/anchor). The token's imprint is the head entry's hash, so the authority
/// signs, outside the database, which entry was the head and when; <see cref="IntegrityCheck"/> then
/// holds every entry up to the newest anchor to that. A head that is already anchored is skipped,
/// so running it twice (a retry, two portals) stores nothing twice.
/// </summary>
public sealed class ChainAnchoring(SealPortalDbContext db, IOptions<SigningOptions> signing, IHttpClientFactory httpClients,
    TimeProvider clock, ILogger<ChainAnchoring> logger)
{
    /// <summary>The time-stamp authority anchors are taken from; null when none is configured.</summary>
    public ITimestampClient? TimestampClient()
    {
        var o = signing.Value;
        if (string.IsNullOrWhiteSpace(o.TsaUrl))
            return null;
        if (!Uri.TryCreate(o.TsaUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new AnchoringException($"the time-stamp authority address {o.TsaUrl} (Signing:TsaUrl) is not an http(s) URL");
        var http = httpClients.CreateClient(nameof(ChainAnchoring));
        http.Timeout = TimeSpan.FromSeconds(Math.Max(1, o.TsaTimeoutSeconds));
        return new HttpTimestampClient(http, uri);
    }

    /// <exception cref="AnchoringException">No authority is configured, or it did not give a time-stamp.</exception>
    public async Task<IReadOnlyList<AnchorOutcome>> AnchorAsync(string triggeredBy, CancellationToken ct)
    {
        var tsa = TimestampClient()
            ?? throw new AnchoringException("no time-stamp authority is configured (Signing:TsaUrl), so the chains cannot be anchored");
        var ledger = await HeadAsync(db.LedgerEntries.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new Head(e.Sequence, e.Hash)), ct);
        var audit = await HeadAsync(db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new Head(e.Sequence, e.Hash)), ct);
        return
        [
            await AnchorOneAsync(IntegrityCheck.LedgerChain, ledger, tsa, triggeredBy, ct),
            await AnchorOneAsync(IntegrityCheck.AuditChain, audit, tsa, triggeredBy, ct),
        ];
    }

    private sealed record Head(long Sequence, string Hash);

    private static Task<Head?> HeadAsync(IQueryable<Head> query, CancellationToken ct) => query.FirstOrDefaultAsync(ct);

    private async Task<AnchorOutcome> AnchorOneAsync(string chain, Head? head, ITimestampClient tsa, string triggeredBy, CancellationToken ct)
    {
        if (head is null)
            return new AnchorOutcome(chain, null, null, "the chain is empty");
        if (await db.ChainAnchors.AnyAsync(a => a.Chain == chain && a.Sequence == head.Sequence, ct))
            return new AnchorOutcome(chain, head.Sequence, null, $"entry {head.Sequence} is already anchored");
        byte[] token;
        try
        {
            token = await tsa.RequestTokenAsync(Convert.FromHexString(head.Hash), ct);
        }
        catch (TimestampException ex)
        {
            throw new AnchoringException($"the {chain} head could not be time-stamped: {ex.Message}", ex);
        }
        var at = System.Security.Cryptography.Pkcs.Rfc3161TimestampToken.TryDecode(token, out var decoded, out _) && decoded is not null
            ? decoded.TokenInfo.Timestamp
            : clock.GetUtcNow();
        var anchor = new ChainAnchor
        {
            Chain = chain, Sequence = head.Sequence, HeadHash = head.Hash, Token = token,
            TimestampedAt = ChainCanonicalForm.Normalize(at), TriggeredBy = triggeredBy.Length <= 256 ? triggeredBy : triggeredBy[..256],
        };
        db.ChainAnchors.Add(anchor);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(anchor).State = EntityState.Detached;
            // Another portal anchored the same head between our look and our save.
            if (await AnchoredMeanwhileAsync(chain, head.Sequence, ct))
                return new AnchorOutcome(chain, head.Sequence, null, $"entry {head.Sequence} is already anchored");
            throw;
        }
        logger.LogInformation("Anchored the {Chain} at entry {Sequence} with a time-stamp of {At:u}", chain, head.Sequence, at);
        return new AnchorOutcome(chain, head.Sequence, at, null);
    }

    private Task<bool> AnchoredMeanwhileAsync(string chain, long sequence, CancellationToken ct) =>
        db.ChainAnchors.AsNoTracking().AnyAsync(a => a.Chain == chain && a.Sequence == sequence, ct);
}
