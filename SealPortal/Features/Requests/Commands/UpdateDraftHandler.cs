using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Requests;

/// <summary>
/// Changes a draft, or a request returned for revision. New PDFs, when given, replace the request's
/// documents (the old files stay in the archive) and clear the placements that pointed at them.
/// </summary>
public sealed class UpdateDraftHandler(RequestWorkflowStore store, PdfIntake intake, DraftChecks checks)
{
    public async Task<CommandResult> HandleAsync(int requestId, string userId, SealRequestInput input, IReadOnlyList<UploadedPdf> replacementFiles, CancellationToken ct = default)
    {
        var request = await store.LoadAsync(requestId, ct);
        if (request is null)
            return CommandResult.NotFound("No such request.");
        if (request.ApplicantUserId != userId)
            return CommandResult.Forbidden("Only the applicant may change this request.");
        if (request.Status is not (SealRequestStatus.Draft or SealRequestStatus.Returned))
            return CommandResult.Conflict("Only a draft or a request returned for revision can be changed.");
        if (await checks.CheckInputAsync(userId, input, ct) is { } invalid)
            return invalid;

        if (replacementFiles.Count > 0)
        {
            var documents = await intake.AcceptAsync(replacementFiles, ct);
            if (documents.Error is not null)
                return documents.Error;
            store.Db.SealRequestDocuments.RemoveRange(request.Documents);
            request.Documents.Clear();
            request.Documents.AddRange(documents.Documents);
            // Placements pointed at the replaced documents.
            foreach (var s in request.Seals)
                DraftChecks.ClearPlacement(s);
        }
        DraftChecks.Apply(request, input);
        request.ConcurrencyStamp = Guid.NewGuid();
        return await store.SaveAsync(request, ct);
    }
}
