using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Requests;

/// <summary>
/// Places the request's seals (the applicant while the request is a draft, returned or in approval; the
/// custodian of a seal while the request is approved and not yet sealed). Replaces all placements.
/// </summary>
public sealed class SetPlacementsHandler(RequestWorkflowStore store)
{
    public async Task<CommandResult> HandleAsync(int requestId, string userId, IReadOnlyList<SealPlacementInput> placements, CancellationToken ct = default)
    {
        var request = await store.LoadAsync(requestId, ct);
        if (request is null)
            return CommandResult.NotFound("No such request.");
        var sealIds = request.Seals.Select(s => s.SealId).Distinct().ToList();
        var isCustodian = await store.Db.Seals.AnyAsync(s => sealIds.Contains(s.Id) && s.CustodianUserId == userId, ct);
        if (!RequestRules.MayPlace(request.ApplicantUserId, request.Status, isCustodian, userId))
            return CommandResult.Forbidden("You may not place seals on this request now.");

        var requested = sealIds.ToHashSet();
        foreach (var p in placements)
        {
            if (!requested.Contains(p.SealId))
                return CommandResult.Invalid("The seal {0} is not part of this request.", p.SealId);
            var document = request.Documents.FirstOrDefault(d => d.Id == p.DocumentId);
            if (document is null)
                return CommandResult.Invalid("The document {0} is not part of this request.", p.DocumentId);
            if (p.Page < 1 || p.Page > document.PageCount)
                return CommandResult.Invalid("Page {0} does not exist; the document has {1} pages.", p.Page, document.PageCount);
            if (!(p.Width > 0 && p.Height > 0) || !double.IsFinite(p.X) || !double.IsFinite(p.Y) || !double.IsFinite(p.Width) || !double.IsFinite(p.Height))
                return CommandResult.Invalid("A seal needs a position and a positive width and height.");
        }

        // One row per placement; a seal without placement keeps one unplaced row so the request still names it.
        store.Db.SealRequestSeals.RemoveRange(request.Seals.ToList());
        request.Seals.Clear();
        foreach (var sealId in sealIds)
        {
            var mine = placements.Where(p => p.SealId == sealId).ToList();
            if (mine.Count == 0)
            {
                request.Seals.Add(new SealRequestSeal { SealId = sealId });
                continue;
            }
            foreach (var p in mine)
            {
                request.Seals.Add(new SealRequestSeal
                {
                    SealId = sealId, DocumentId = p.DocumentId, Page = p.Page, X = p.X, Y = p.Y, Width = p.Width, Height = p.Height, CrossPage = p.CrossPage,
                });
            }
        }
        request.ConcurrencyStamp = Guid.NewGuid();
        return await store.SaveAsync(request, ct);
    }
}
