using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// An approver (or their active deputy) approves, rejects or returns. <c>basedOnVersion</c> is the version the
/// approver's page showed: a stale page or a second click changes nothing and says why. After the final
/// approval is committed, every <see cref="IRequestApprovedHandler"/> runs.
/// </summary>
public sealed class DecideHandler(
    RequestWorkflowStore store,
    AuditTrail.AuditTrail audit,
    IEnumerable<IRequestApprovedHandler> approvedHandlers,
    ILogger<DecideHandler> logger)
{
    public async Task<CommandResult> HandleAsync(int requestId, string userId, DecisionKind kind, string? comment, long basedOnVersion,
        string? onBehalfOfUserId = null, CancellationToken ct = default)
    {
        var request = await store.LoadAsync(requestId, ct);
        if (request is null)
            return CommandResult.NotFound("No such request.");
        if (RequestWorkflowStore.State(request) is not { } state)
            return CommandResult.Conflict("This request is not waiting for a decision.");
        var command = new DecisionCommand(userId, kind, comment, basedOnVersion) { OnBehalfOfUserId = onBehalfOfUserId };
        var result = (await store.EngineAsync(ct)).Decide(state, command, store.Now);
        if (result.Outcome != WorkflowOutcome.Applied)
            return RequestWorkflowStore.Refused(result);
        var decision = result.State!.Decisions[^1];
        audit.Add(AuditAction.DecisionMade,
            $"{decision.Kind} at {decision.NodeId}" + (decision.OnBehalfOfUserId is null ? "" : $" on behalf of {decision.OnBehalfOfUserId}")
            + (decision.Comment is null ? "" : $": {(decision.Comment.Length > 2000 ? decision.Comment[..2000] : decision.Comment)}"),
            request.Number);
        var stored = await store.StoreAsync(request, result, ct);
        if (stored.Succeeded && result.State!.Status == RequestStatus.Approved)
            await RunApprovedHandlersAsync(request.Id, ct);
        return stored;
    }

    private async Task RunApprovedHandlersAsync(int requestId, CancellationToken ct)
    {
        foreach (var handler in approvedHandlers)
        {
            try
            {
                await handler.HandleAsync(requestId, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Seal request {Id}: {Handler} failed after approval", requestId, handler.GetType().Name);
            }
        }
    }
}
