using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Requests;

/// <summary>
/// Fills the pending-approvals table for requests in approval that have no rows: those submitted before the
/// table existed (the migration cannot read the workflow state, which is JSON). Runs at every start after
/// the migrations; a request with rows is left alone, so a second run finds nothing to do.
/// </summary>
public static class PendingApprovalsBackfill
{
    public static async Task<int> RunAsync(SealPortalDbContext db, ILogger logger, CancellationToken ct)
    {
        var ids = await db.SealRequests.AsNoTracking()
            .Where(r => r.Status == SealRequestStatus.InApproval && r.WorkflowStateJson != null
                        && !db.PendingApprovals.Any(p => p.SealRequestId == r.Id))
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var chunk in ids.Chunk(200))
        {
            var states = await db.SealRequests.AsNoTracking().Where(r => chunk.Contains(r.Id))
                .Select(r => new { r.Id, r.Number, r.WorkflowStateJson }).ToListAsync(ct);
            foreach (var r in states)
                db.PendingApprovals.AddRange(RequestWorkflowStore.PendingOf(r.Id, r.Number, RequestWorkflowStore.Deserialize(r.WorkflowStateJson!)));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        if (ids.Count > 0)
            logger.LogInformation("Pending approvals written for {Count} request(s) in approval", ids.Count);
        return ids.Count;
    }
}
