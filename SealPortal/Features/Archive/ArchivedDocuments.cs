using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Archive;

/// <summary>A sealed document kept in the archive, as the verification page lists it.</summary>
public sealed record ArchivedDocument(int DocumentId, int RequestId, string RequestNumber, string FileName, long Length, string SealedSha256, DateTimeOffset? CompletedAt);

/// <summary>
/// The sealed documents of the archive, found through the requests they belong to, so an auditor
/// can verify one without uploading it.
/// </summary>
public sealed class ArchivedDocuments(SealPortalDbContext db, ArchiveStore store)
{
    /// <summary>
    /// The most recently added sealed documents whose request number or file name contains
    /// <paramref name="query"/>, or whose sealed SHA-256 starts with it; all of them when it is empty.
    /// </summary>
    public async Task<IReadOnlyList<ArchivedDocument>> SearchAsync(string? query, int take, CancellationToken ct = default)
    {
        var documents = Sealed();
        var q = query?.Trim();
        if (!string.IsNullOrEmpty(q))
        {
            var hex = q.ToLowerInvariant();
            documents = documents.Where(d => d.Number.Contains(q) || d.FileName.Contains(q) || d.SealedSha256.StartsWith(hex));
        }
        var rows = await documents.OrderByDescending(d => d.DocumentId).Take(take).ToListAsync(ct);
        return rows.Select(Map).ToList();
    }

    public async Task<ArchivedDocument?> FindAsync(int documentId, CancellationToken ct = default)
    {
        var row = await Sealed().SingleOrDefaultAsync(d => d.DocumentId == documentId, ct);
        return row is null ? null : Map(row);
    }

    /// <summary>The sealed file's bytes; throws <see cref="FileNotFoundException"/> when the archive lost it.</summary>
    public Stream OpenSealed(ArchivedDocument document) => store.OpenRead(document.SealedSha256);

    // Properties, not a positional record: EF translates filters over a member-initialised projection, not over constructor arguments.
    private sealed class Row
    {
        public int DocumentId { get; init; }
        public int RequestId { get; init; }
        public string Number { get; init; } = "";
        public string FileName { get; init; } = "";
        public long Length { get; init; }
        public string SealedSha256 { get; init; } = "";
        public DateTimeOffset? CompletedAt { get; init; }
    }

    private IQueryable<Row> Sealed() =>
        from r in db.SealRequests.AsNoTracking()
        from d in r.Documents
        where d.SealedSha256 != null
        select new Row
        {
            DocumentId = d.Id, RequestId = r.Id, Number = r.Number, FileName = d.FileName, Length = d.Length,
            SealedSha256 = d.SealedSha256!, CompletedAt = r.CompletedAt,
        };

    private static ArchivedDocument Map(Row r) => new(r.DocumentId, r.RequestId, r.Number, r.FileName, r.Length, r.SealedSha256, r.CompletedAt);
}
