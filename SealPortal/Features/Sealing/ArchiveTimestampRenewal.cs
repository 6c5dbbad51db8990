using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;

namespace SealPortal.Features.Sealing;

/// <summary>
/// Keeps B-LTA documents verifiable (issue 12): before the certificate chain of a sealed
/// document's newest document time-stamp expires, adds validation data for that time-stamp and
/// a new document time-stamp over everything. The renewed file is stored in the archive beside
/// the old one (content-addressed, so earlier hashes still resolve) and the document points to it.
/// Meant to be called by a recurring job (<see cref="RenewDueAsync"/>); idempotent: a document
/// renewed once is no longer due.
/// </summary>
public sealed class ArchiveTimestampRenewal(
    SealPortalDbContext db,
    ArchiveStore archive,
    DocumentSealer sealer,
    Microsoft.Extensions.Options.IOptions<SealPortalOptions> portal,
    TimeProvider clock,
    ILogger<ArchiveTimestampRenewal> logger)
{
    /// <summary>How long before the expiry a renewal is due by default: time for retries and holidays.</summary>
    public static readonly TimeSpan DefaultMargin = TimeSpan.FromDays(90);

    /// <summary>What one run did.</summary>
    /// <param name="Renewed">Documents that received a new document time-stamp.</param>
    /// <param name="Failed">Documents whose renewal failed (logged; tried again next run).</param>
    public sealed record Outcome(int Checked, int Renewed, int Failed);

    /// <summary>
    /// Renews every sealed document whose newest document time-stamp's chain expires within
    /// <paramref name="margin"/> (null: <see cref="DefaultMargin"/>). Documents without a document
    /// time-stamp (sealed below B-LTA) are left alone.
    /// </summary>
    public async Task<Outcome> RenewDueAsync(TimeSpan? margin = null, CancellationToken ct = default)
    {
        var dueBefore = clock.GetUtcNow() + (margin ?? DefaultMargin);
        var documents = await db.SealRequests.SelectMany(r => r.Documents).Where(d => d.SealedSha256 != null).ToListAsync(ct);
        var tsa = sealer.TimestampClient();
        int renewed = 0, failed = 0;
        foreach (var document in documents)
        {
            ct.ThrowIfCancellationRequested();
            DateTimeOffset? expiry;
            try
            {
                using var pdf = PdfFile.Open(archive.OpenRead(document.SealedSha256!));
                expiry = LongTermValidation.ArchiveTimestampExpiry(pdf);
            }
            catch (Exception ex) when (ex is PdfFormatException or IOException)
            {
                logger.LogWarning("Archive time-stamp check of document {DocumentId} failed: {Reason}", document.Id, ex.Message);
                failed++;
                continue;
            }
            if (expiry is null || expiry > dueBefore) continue;
            if (tsa is null)
            {
                logger.LogError("Document {DocumentId} needs a new archive time-stamp before {Expiry}, but no time-stamp authority is configured", document.Id, expiry);
                failed++;
                continue;
            }
            try
            {
                document.SealedSha256 = (await RenewAsync(document.SealedSha256!, tsa, ct)).Sha256;
                await db.SaveChangesAsync(ct);
                renewed++;
                logger.LogInformation("Renewed the archive time-stamp of document {DocumentId} (the last one's chain expired {Expiry})", document.Id, expiry);
            }
            catch (Exception ex) when (ex is RevocationException or TimestampException or PdfFormatException or PdfSigningException or IOException or SealingException)
            {
                logger.LogWarning("Archive time-stamp renewal of document {DocumentId} failed: {Reason}", document.Id, ex.Message);
                failed++;
            }
        }
        return new Outcome(documents.Count, renewed, failed);
    }

    private async Task<ArchivedFile> RenewAsync(string sha256, ITimestampClient tsa, CancellationToken ct)
    {
        var folder = Path.Combine(portal.Value.DataFolder, "tmp", $"renewal-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "renewed.pdf");
            await using (var source = archive.OpenRead(sha256))
            await using (var copy = File.Create(path))
                await source.CopyToAsync(copy, ct);
            await LongTermValidation.RenewArchiveTimestampAsync(path, sealer.RevocationSources(), tsa, ct);
            await using var renewed = File.OpenRead(path);
            return await archive.StoreAsync(renewed, ct);
        }
        finally
        {
            DocumentSealer.DeleteFolder(folder);
        }
    }
}
