using SealPortal.Data;
using SealPortal.Features.Workflows;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>Sends a draft into approval: the rules choose a template and the workflow enters its first node.</summary>
public sealed class SubmitRequestHandler(SealPortalDbContext db, RequestWorkflowStore store, DraftChecks checks, WorkflowTemplateStore templates, AuditTrail.AuditTrail audit)
{
    public async Task<CommandResult> HandleAsync(int requestId, string userId, CancellationToken ct = default)
    {
        var request = await store.LoadAsync(requestId, ct);
        if (request is null)
            return CommandResult.NotFound("No such request.");
        if (request.ApplicantUserId != userId)
            return CommandResult.Forbidden("Only the applicant may submit this request.");
        if (request.Status == SealRequestStatus.InApproval && request.WorkflowStateJson is not null)
            return CommandResult.Conflict("This request was already submitted.");
        if (request.Status != SealRequestStatus.Draft)
            return CommandResult.Conflict("Only a draft can be submitted.");
        if (await Rules.RulesGate.RefusalAsync(db, userId, ct) is { } rulesFirst)
            return rulesFirst;
        if (request.Documents.Count == 0)
            return CommandResult.Invalid("Upload at least one PDF.");
        if (await checks.CheckSealsAsync(userId, request.Seals.Select(s => s.SealId).Distinct().ToList(), request.DocumentType, ct) is { } refused)
            return refused;

        var now = store.Now;
        var facts = await store.FactsAsync(request, ct);
        var engine = await store.EngineAsync(ct);
        var result = engine.Start(facts, await templates.LoadCatalogAsync(ct), now);
        if (result.Outcome != WorkflowOutcome.Applied)
            return RequestWorkflowStore.Refused(result);
        request.SubmittedAt = now;
        var template = result.State!.Template;
        audit.Add(AuditAction.RequestSubmitted, $"template {template.Key} v{template.Version}", request.Number);
        return await store.StoreAsync(request, result, ct);
    }
}
