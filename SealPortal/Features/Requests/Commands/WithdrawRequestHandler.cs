using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>The applicant takes the request back: a draft at any time, a request in approval before the first decision of the current round.</summary>
public sealed class WithdrawRequestHandler(RequestWorkflowStore store, AuditTrail.AuditTrail audit)
{
    public async Task<CommandResult> HandleAsync(int requestId, string userId, long basedOnVersion, CancellationToken ct = default)
    {
        var request = await store.LoadAsync(requestId, ct);
        if (request is null)
            return CommandResult.NotFound("No such request.");
        if (request.ApplicantUserId != userId)
            return CommandResult.Forbidden("Only the applicant may withdraw this request.");
        if (request.Status == SealRequestStatus.Draft)
        {
            request.Status = SealRequestStatus.Withdrawn;
            request.ConcurrencyStamp = Guid.NewGuid();
            audit.Add(AuditAction.RequestWithdrawn, "draft", request.Number);
            return await store.SaveAsync(request, ct);
        }
        if (RequestWorkflowStore.State(request) is not { } state)
            return CommandResult.Conflict("This request can no longer be withdrawn.");
        // Said before any version check: a page from before the decision should learn why, not only that it is old.
        if (state.Status == RequestStatus.InApproval && state.Decisions.Any(d => d.Round == state.Round))
            return CommandResult.Conflict("An approver has already decided on this request; it can no longer be withdrawn.");
        var result = (await store.EngineAsync(ct)).Withdraw(state, userId, basedOnVersion, store.Now);
        if (result.Outcome != WorkflowOutcome.Applied)
            return RequestWorkflowStore.Refused(result);
        audit.Add(AuditAction.RequestWithdrawn, null, request.Number);
        return await store.StoreAsync(request, result, ct);
    }
}
