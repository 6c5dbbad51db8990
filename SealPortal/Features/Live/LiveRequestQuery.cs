using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Live;

/// <summary>A request's state as a page shows it live: status, sealing progress, why sealing failed.</summary>
public sealed record RequestLiveState(int SealRequestId, SealRequestStatus Status, int DocumentsSealed, int Documents, string? SealingError, Guid Stamp)
{
    public bool Sealing => Status == SealRequestStatus.Approved && Documents > 0 && DocumentsSealed < Documents;
}

/// <summary>Reads <see cref="RequestLiveState"/> with a context of its own; only for people involved in the request.</summary>
public sealed class LiveRequestQuery(IDbContextFactory<SealPortalDbContext> contexts)
{
    /// <summary>Roles that see requests they are not part of (keepers execute them, auditors and admins oversee them).</summary>
    private static readonly string[] Overseers = [Roles.SealKeeper, Roles.Auditor, Roles.Admin];

    /// <returns>Null when there is no such request or the user has no part in it.</returns>
    public async Task<RequestLiveState?> ReadAsync(int sealRequestId, string userId, IReadOnlyCollection<string> roles, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var marker = $"|{userId}|";
        var overseer = roles.Any(Overseers.Contains);
        return await db.SealRequests.AsNoTracking()
            .Where(r => r.Id == sealRequestId && (overseer || r.ApplicantUserId == userId || r.ApproverUserIds.Contains(marker)))
            .Select(r => new RequestLiveState(r.Id, r.Status, r.Documents.Count(d => d.SealedSha256 != null), r.Documents.Count, r.SealingError, r.ConcurrencyStamp))
            .FirstOrDefaultAsync(ct);
    }
}
