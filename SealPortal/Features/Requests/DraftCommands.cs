using System.Security.Claims;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Features.Requests;

/// <summary>A seal the applicant may choose, with the reason when they may not.</summary>
public sealed record SealChoice(int Id, string Name, SealType Type, SealKind Kind, string? Unusable);

/// <summary>
/// What the request editor (form, placement, submit on one page) does from an open circuit: the handlers
/// of Features/Requests/Commands run through <see cref="RequestCommands"/> (a scope of their own, as the
/// user read again for this action, named in the audit trail), reads through <see cref="RequestQueries"/>.
/// Creating, changing and submitting need an applying role; the handlers check ownership and status.
/// </summary>
public sealed class DraftCommands(RequestCommands commands, RequestQueries queries, IServiceScopeFactory scopes, IOptions<RequestsOptions> options)
{
    public RequestsOptions Limits => options.Value;

    private static CommandResult NotApplicant() => CommandResult.Forbidden("Only applicants may create or change seal requests.");

    public Task<CommandResult> CreateAsync(ClaimsPrincipal user, SealRequestInput input, IReadOnlyList<UploadedPdf> files) =>
        RequestRules.MayApply(user)
            ? commands.RunAsync<CreateDraftHandler>(user, (h, userId) => h.HandleAsync(userId, input, files, CancellationToken.None))
            : Task.FromResult(NotApplicant());

    public Task<CommandResult> UpdateAsync(ClaimsPrincipal user, int requestId, SealRequestInput input, IReadOnlyList<UploadedPdf> replacementFiles) =>
        RequestRules.MayApply(user)
            ? commands.RunAsync<UpdateDraftHandler>(user, (h, userId) => h.HandleAsync(requestId, userId, input, replacementFiles, CancellationToken.None))
            : Task.FromResult(NotApplicant());

    public Task<CommandResult> SubmitAsync(ClaimsPrincipal user, int requestId) =>
        RequestRules.MayApply(user)
            ? commands.RunAsync<SubmitRequestHandler>(user, (h, userId) => h.HandleAsync(requestId, userId, CancellationToken.None))
            : Task.FromResult(NotApplicant());

    public Task<CommandResult> ResubmitAsync(ClaimsPrincipal user, int requestId, long basedOnVersion) =>
        RequestRules.MayApply(user)
            ? commands.RunAsync<ResubmitRequestHandler>(user, (h, userId) => h.HandleAsync(requestId, userId, basedOnVersion, CancellationToken.None))
            : Task.FromResult(NotApplicant());

    /// <summary>Placements are also set by a seal's custodian after approval: the handler decides who may.</summary>
    public Task<CommandResult> SetPlacementsAsync(ClaimsPrincipal user, int requestId, IReadOnlyList<SealPlacementInput> placements) =>
        commands.RunAsync<SetPlacementsHandler>(user, (h, userId) => h.HandleAsync(requestId, userId, placements, CancellationToken.None));

    /// <summary>The request as <paramref name="user"/> may see it; View null and Allowed true means it does not exist.</summary>
    public Task<(SealRequestView? View, bool Allowed)> GetAsync(ClaimsPrincipal user, int requestId) =>
        queries.DetailsAsync(requestId, user, CancellationToken.None);

    public async Task<IReadOnlyList<SealChoice>> SealChoicesAsync(ClaimsPrincipal user)
    {
        await using var scope = scopes.CreateAsyncScope();
        var choices = await scope.ServiceProvider.GetRequiredService<DraftChecks>()
            .SealChoicesAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", null, CancellationToken.None);
        return choices.Select(c => new SealChoice(c.Id, c.Name, c.Type, c.Kind, c.Unusable)).ToList();
    }

    /// <summary>The pages of a stored original as shown, or null when its file is missing from the archive.</summary>
    /// <exception cref="PdfFormatException">The file cannot be read.</exception>
    public async Task<IReadOnlyList<PageBox>?> PagesAsync(SealRequestDocumentView document)
    {
        var content = queries.OpenOriginal(document);
        if (content is null)
            return null;
        await using (content)
            return PageBox.Read(content);
    }
}
