using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;


namespace SealPortal.Features.Sealing;

public sealed record SealingDocumentRow(int Id, string FileName, long Length, string OriginalSha256, string? SealedSha256);

public sealed record StampingRow(int Id, DateTimeOffset StampedAt, int Copies, string Executor, string RecordedBy, DateTimeOffset RecordedAt,
    string? ScanSha256, string? ScanFileName);

/// <summary>A physical seal of the request: its stamping once recorded, and whether the reader may record it.</summary>
public sealed record PhysicalSealRow(int SealId, string Name, string? Custodian, StampingRow? Stamping, bool MayRecord);

/// <summary>The request's columns the sealing panel needs.</summary>
internal sealed record SealingPanelRequest(int Id, SealRequestStatus Status, string? SealingError, int Copies, string? DecisionRecordSha256, string ApplicantUserId);

/// <summary>A seal of the request as the sealing panel needs it: its keeper's id and name.</summary>
internal sealed record SealingPanelSeal(int SealId, string Name, SealKind Kind, string? CustodianUserId, string? Custodian);

/// <summary>The panel as its page already read it; <see cref="View"/> null means the request has no panel (not approved yet).</summary>
public sealed record SealingPanelRead(SealingPanelView? View);

/// <summary>Everything the request page shows about sealing, already filtered by what the reader may do.</summary>
public sealed record SealingPanelView(
    int RequestId,
    SealRequestStatus Status,
    string? SealingError,
    int Copies,
    IReadOnlyList<string> ElectronicSeals,
    IReadOnlyList<SealingDocumentRow> Documents,
    IReadOnlyList<PhysicalSealRow> PhysicalSeals,
    string? DecisionRecordSha256,
    bool MayRetry,
    bool MayDownload,
    IReadOnlyList<(string Id, string Name)> Executors);

/// <summary>
/// Read side of sealing: the request page's panel and the download permissions. Each call opens a
/// context of its own and disposes it, so an open circuit and an endpoint use the same service and
/// neither holds a context between operations.
/// </summary>
public sealed class SealingQueries(IDbContextFactory<SealPortalDbContext> contexts)
{
    /// <summary>
    /// Who may download what sealing produced: the applicant, the custodians of the request's seals, auditors and
    /// administrators. One query for the download endpoints: null when there is no such request (a 404 for everybody,
    /// before any permission check), else whether <paramref name="user"/> may download its files.
    /// </summary>
    public async Task<bool?> DownloadAccessAsync(int requestId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var readsAll = user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Auditor);
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await db.SealRequests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new { May = readsAll || userId != "" && (r.ApplicantUserId == userId || r.Seals.Any(s => s.Seal!.CustodianUserId == userId)) })
            .FirstOrDefaultAsync(ct);
        return found?.May;
    }

    /// <summary>The sealed file of a document: its archive name, a download name and the request's number; null when not sealed (or no such document).</summary>
    public async Task<(string Sha256, string FileName, string Number)?> SealedFileAsync(int requestId, int documentId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var d = await db.SealRequestDocuments.AsNoTracking().Where(x => x.Id == documentId && x.SealRequestId == requestId)
            .Select(x => new { x.FileName, x.SealedSha256, db.SealRequests.First(r => r.Id == x.SealRequestId).Number }).SingleOrDefaultAsync(ct);
        if (d?.SealedSha256 is null)
            return null;
        var stem = Path.GetFileNameWithoutExtension(d.FileName);
        return (d.SealedSha256, $"{(stem.Length == 0 ? "document" : stem)}-sealed.pdf", d.Number);
    }

    public async Task<(string Sha256, string FileName, string ContentType, string Number)?> ScanAsync(int requestId, int stampingId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var s = await db.PhysicalStampings.AsNoTracking().Where(x => x.Id == stampingId && x.SealRequestId == requestId && x.ScanSha256 != null)
            .Select(x => new { x.ScanSha256, x.ScanFileName, x.ScanContentType, db.SealRequests.First(r => r.Id == x.SealRequestId).Number }).SingleOrDefaultAsync(ct);
        return s is null ? null : (s.ScanSha256!, s.ScanFileName ?? "scan", s.ScanContentType ?? "application/octet-stream", s.Number);
    }

    /// <summary>Null when there is no such request or it has not been approved yet.</summary>
    public async Task<SealingPanelView?> PanelAsync(int requestId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var r = await db.SealRequests.AsNoTracking().Where(x => x.Id == requestId)
            .Select(x => new SealingPanelRequest(x.Id, x.Status, x.SealingError, x.Copies, x.DecisionRecordSha256, x.ApplicantUserId))
            .SingleOrDefaultAsync(ct);
        if (r is null || !ShowsPanel(r.Status))
            return null;
        var seals = await db.SealRequestSeals.AsNoTracking().Where(s => s.SealRequestId == requestId)
            .Select(s => new SealingPanelSeal(s.SealId, s.Seal!.Name, s.Seal.Kind, s.Seal.CustodianUserId, s.Seal.Custodian!.DisplayName))
            .ToListAsync(ct);
        var documents = await db.SealRequestDocuments.AsNoTracking().Where(d => d.SealRequestId == requestId).OrderBy(d => d.Id)
            .Select(d => new SealingDocumentRow(d.Id, d.FileName, d.Length, d.OriginalSha256, d.SealedSha256)).ToListAsync(ct);
        return await PanelAsync(db, r, seals, documents, user, ct);
    }

    /// <summary>Whether a request in this status has a sealing panel: once approved.</summary>
    public static bool ShowsPanel(SealRequestStatus status) =>
        status is SealRequestStatus.Approved or SealRequestStatus.SealingFailed or SealRequestStatus.Completed;

    /// <summary>
    /// The panel from the request's row, seals and documents as a caller already read them (the request page reads
    /// them for itself): only the stampings, and the keepers when the reader may record one, are read here.
    /// </summary>
    internal static async Task<SealingPanelView> PanelAsync(SealPortalDbContext db, SealingPanelRequest r, IEnumerable<SealingPanelSeal> requestSeals,
        IReadOnlyList<SealingDocumentRow> documents, ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var isKeeper = user.IsInRole(Roles.SealKeeper);
        var seals = requestSeals.DistinctBy(s => s.SealId).ToList();
        var stampings = !seals.Any(s => s.Kind == SealKind.Physical) ? [] : await db.PhysicalStampings.AsNoTracking().Where(p => p.SealRequestId == r.Id)
            .Select(p => new
            {
                p.SealId,
                Row = new StampingRow(p.Id, p.StampedAt, p.Copies, p.Executor!.DisplayName,
                    db.Users.Where(u => u.Id == p.RecordedByUserId).Select(u => u.DisplayName).FirstOrDefault() ?? "",
                    p.RecordedAt, p.ScanSha256, p.ScanFileName),
            }).ToListAsync(ct);

        var open = r.Status is SealRequestStatus.Approved or SealRequestStatus.SealingFailed;
        var electronic = seals.Where(s => s.Kind == SealKind.Electronic).ToList();
        var physical = seals.Where(s => s.Kind == SealKind.Physical).Select(s =>
        {
            var stamping = stampings.FirstOrDefault(p => p.SealId == s.SealId)?.Row;
            return new PhysicalSealRow(s.SealId, s.Name, s.Custodian, stamping,
                MayRecord: open && stamping is null && isKeeper && userId is not null && s.CustodianUserId == userId);
        }).ToList();
        var mayRetry = open && electronic.Count > 0 && documents.Any(d => d.SealedSha256 is null) &&
            (user.IsInRole(Roles.Admin) || isKeeper && electronic.Any(s => s.CustodianUserId == userId));
        // DownloadAccessAsync's rule, from the rows already read (the applicant and every seal's custodian).
        var mayDownload = user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Auditor) ||
            userId is not null && (r.ApplicantUserId == userId || seals.Any(s => s.CustodianUserId == userId));

        IReadOnlyList<(string, string)> executors = [];
        if (physical.Any(p => p.MayRecord))
        {
            // Keepers may execute a stamping; the reader comes first, since recording one's own stamping is the usual case.
            var keepers = await db.Users.AsNoTracking()
                .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(x => x.Id == ur.RoleId && x.Name == Roles.SealKeeper)))
                .OrderBy(u => u.UserName).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
            executors = keepers.OrderBy(k => k.Id == userId ? 0 : 1).Select(k => (k.Id, k.DisplayName)).ToList();
        }

        return new SealingPanelView(r.Id, r.Status, r.SealingError, r.Copies, electronic.Select(s => s.Name).ToList(), documents, physical,
            r.DecisionRecordSha256, mayRetry, mayDownload, executors);
    }
}
