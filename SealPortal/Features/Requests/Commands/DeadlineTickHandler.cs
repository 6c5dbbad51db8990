using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// Runs the workflow's deadline processing over every request in approval and stores what changed; used by
/// <see cref="DeadlineNotifications"/> (the deadline job). Returns the events (reminders, missed deadlines,
/// escalations, transfers) for whoever notifies. A request that an approver changed meanwhile is skipped;
/// the next run picks it up.
/// </summary>
public sealed class DeadlineTickHandler(RequestWorkflowStore store)
{
    public async Task<IReadOnlyList<WorkflowEvent>> HandleAsync(CancellationToken ct = default)
    {
        var db = store.Db;
        var ids = await db.SealRequests.AsNoTracking().Where(r => r.Status == SealRequestStatus.InApproval).Select(r => r.Id).ToListAsync(ct);
        if (ids.Count == 0)
            return [];
        var engine = await store.EngineAsync(ct);
        var now = store.Now;
        var events = new List<WorkflowEvent>();
        foreach (var id in ids)
        {
            var request = await db.SealRequests.SingleAsync(r => r.Id == id, ct);
            if (request.Status != SealRequestStatus.InApproval || RequestWorkflowStore.State(request) is not { } state)
                continue;
            var result = engine.Tick(state, now);
            if (result.Outcome != WorkflowOutcome.Applied)
                continue;
            var stored = await store.StoreAsync(request, result, ct);
            if (stored.Succeeded)
                events.AddRange(result.Events);
            db.ChangeTracker.Clear();
        }
        return events;
    }
}
