using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>Sends a request that was returned for revision into approval again, with its current fields and PDFs.</summary>
public sealed class ResubmitRequestHandler(RequestWorkflowStore store, DraftChecks checks, AuditTrail.AuditTrail audit)
{
    public async Task<CommandResult> HandleAsync(int requestId, string userId, long basedOnVersion, CancellationToken ct = default)
    {
        var request = await store.LoadAsync(requestId, ct);
        if (request is null)
            return CommandResult.NotFound("No such request.");
        if (request.ApplicantUserId != userId)
            return CommandResult.Forbidden("Only the applicant may resubmit this request.");
        if (RequestWorkflowStore.State(request) is not { } state)
            return CommandResult.Conflict("Only a request returned for revision can be resubmitted.");
        if (await Rules.RulesGate.RefusalAsync(store.Db, userId, ct) is { } rulesFirst)
            return rulesFirst;
        if (request.Documents.Count == 0)
            return CommandResult.Invalid("Upload at least one PDF.");
        if (request.Status == SealRequestStatus.Returned
            && await checks.CheckSealsAsync(userId, request.Seals.Select(s => s.SealId).Distinct().ToList(), request.DocumentType, ct) is { } refused)
            return refused;
        var facts = await store.FactsAsync(request, ct);
        var result = (await store.EngineAsync(ct)).Resubmit(state, userId, basedOnVersion, facts, store.Now);
        if (result.Outcome != WorkflowOutcome.Applied)
            return RequestWorkflowStore.Refused(result);
        audit.Add(AuditAction.RequestResubmitted, $"round {result.State!.Round}", request.Number);
        return await store.StoreAsync(request, result, ct);
    }
}
