using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
using SealPortal.Features.Authorizations;
using SealPortal.Features.Seals;
using SealPortal.Resources;

namespace SealPortal.Features.Requests;

/// <summary>
/// The checks of what an applicant fills in (create, update, submit, resubmit): the fields, and whether each
/// chosen seal is usable and the applicant is authorized to request it. Also the seal choices a form offers.
/// </summary>
public sealed class DraftChecks(
    SealPortalDbContext db,
    SealRegistry seals,
    SealAuthorizationService authorizations,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock)
{
    /// <summary>Null when the input is acceptable, else why not.</summary>
    public async Task<CommandResult?> CheckInputAsync(string userId, SealRequestInput input, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Purpose))
            return CommandResult.Invalid("Say what the seal is needed for.");
        if (input.Purpose.Trim().Length > 1000)
            return CommandResult.Invalid("The purpose is longer than {0} characters.", 1000);
        if (input.DocumentType is null || !DocumentTypes.All.Contains(input.DocumentType))
            return CommandResult.Invalid("Choose a document type.");
        if (input.Copies is < 1 or > 1000)
            return CommandResult.Invalid("Copies must be between 1 and 1000.");
        if (input.Amount is < 0 or > 1_000_000_000_000m)
            return CommandResult.Invalid("The amount must be between 0 and 1 000 000 000 000.");
        if (input.Counterparty is { Length: > 200 })
            return CommandResult.Invalid("The counterparty is longer than {0} characters.", 200);
        if (input.SealIds.Count == 0)
            return CommandResult.Invalid("Choose at least one seal.");
        return await CheckSealsAsync(userId, input.SealIds.Distinct().ToList(), input.DocumentType, ct);
    }

    /// <summary>Null when every seal is usable now and the user may request it for this document type.</summary>
    public async Task<CommandResult?> CheckSealsAsync(string userId, IReadOnlyList<int> sealIds, string documentType, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var sealId in sealIds)
        {
            if (await seals.CheckUsableAsync(sealId, now, ct) is { } unusable)
                return CommandResult.Conflict("{0}", unusable);
            if (await AuthorizationRefusalAsync(userId, sealId, documentType, now, ct) is { } refused)
                return CommandResult.Forbidden("{0}", refused);
        }
        return null;
    }

    /// <summary>Every seal, with the reason for each one the user may not ask for now (null when they may).</summary>
    public async Task<IReadOnlyList<(int Id, string Name, SealType Type, SealKind Kind, string? Unusable)>> SealChoicesAsync(string userId, string? documentType, CancellationToken ct = default)
    {
        var all = await db.Seals.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, s.Type, s.Kind }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        // Without a document type the answer is one set for all seals: read it once, not per seal.
        var allowed = documentType is null ? await authorizations.AllowedSealIdsAsync(userId, null, now, ct) : null;
        var choices = new List<(int, string, SealType, SealKind, string?)>();
        foreach (var s in all)
        {
            var reason = await seals.CheckUsableAsync(s.Id, now, ct)
                ?? (allowed is not null ? NotAllowed(allowed, s.Id) : await AuthorizationRefusalAsync(userId, s.Id, documentType, now, ct));
            choices.Add((s.Id, s.Name, s.Type, s.Kind, reason));
        }
        return choices;
    }

    /// <summary>Copies the form's fields onto the request; seals no longer chosen go, newly chosen ones come unplaced.</summary>
    public static void Apply(SealRequest request, SealRequestInput input)
    {
        request.Purpose = input.Purpose!.Trim();
        request.DocumentType = input.DocumentType!;
        request.Copies = input.Copies;
        request.Amount = input.Amount;
        request.Counterparty = string.IsNullOrWhiteSpace(input.Counterparty) ? null : input.Counterparty.Trim();
        request.Urgent = input.Urgent;
        var wanted = input.SealIds.Distinct().ToHashSet();
        request.Seals.RemoveAll(s => !wanted.Contains(s.SealId));
        foreach (var id in wanted.Where(id => request.Seals.All(s => s.SealId != id)).Order())
            request.Seals.Add(new SealRequestSeal { SealId = id });
    }

    public static void ClearPlacement(SealRequestSeal s)
    {
        s.DocumentId = null;
        s.Page = null;
        s.X = s.Y = s.Width = s.Height = null;
        s.CrossPage = false;
    }

    /// <summary>The one place that asks the authorization scopes whether the user may request this seal; null when allowed, else the localized reason.</summary>
    private async Task<string?> AuthorizationRefusalAsync(string userId, int sealId, string? documentType, DateTimeOffset at, CancellationToken ct)
    {
        if (documentType is null)
            return NotAllowed(await authorizations.AllowedSealIdsAsync(userId, null, at, ct), sealId);
        var decision = await authorizations.CheckAsync(userId, sealId, documentType, at, ct);
        return decision.Allowed ? null : decision.Localize(localizer);
    }

    private string? NotAllowed(IReadOnlyList<int> allowedSealIds, int sealId) =>
        allowedSealIds.Contains(sealId) ? null : localizer["You are not authorized to request this seal."].Value;
}
