using System.Security.Claims;
using Microsoft.Extensions.Options;
using SealPortal.Pdf.Incremental;
using SealPortal.Data;

namespace SealPortal.Features.Requests;

/// <summary>A seal the applicant may choose, with the reason when they may not.</summary>
public sealed record SealChoice(int Id, string Name, SealType Type, SealKind Kind, string? Unusable);

/// <summary>
/// What the request editor (form, placement, submit on one page) does from an open circuit. Every call
/// takes the user as read again for this action, runs in a scope of its own (one context per
/// operation, nothing bound to the page's lifetime), and names that user in the audit trail.
/// Creating, changing and submitting need an applying role; the service checks ownership and status.
/// </summary>
public sealed class DraftCommands(IServiceScopeFactory scopes, IOptions<RequestsOptions> options)
{
    public RequestsOptions Limits => options.Value;

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    private static RequestResult NotApplicant() =>
        RequestResult.Fail(StatusCodes.Status403Forbidden, "Only applicants may create or change seal requests.");

    private async Task<RequestResult> RunAsync(ClaimsPrincipal user, bool applying, Func<SealRequestService, string, Task<RequestResult>> command)
    {
        if (applying && !SealRequestService.MayApply(user))
            return NotApplicant();
        await using var scope = scopes.CreateAsyncScope();
        using var acting = AuditTrail.AuditTrail.ActingAs(user);
        return await command(scope.ServiceProvider.GetRequiredService<SealRequestService>(), UserId(user));
    }

    public Task<RequestResult> CreateAsync(ClaimsPrincipal user, SealRequestInput input, IReadOnlyList<UploadedPdf> files) =>
        RunAsync(user, true, (s, id) => s.CreateDraftAsync(id, input, files, CancellationToken.None));

    public Task<RequestResult> UpdateAsync(ClaimsPrincipal user, int requestId, SealRequestInput input, IReadOnlyList<UploadedPdf> replacementFiles) =>
        RunAsync(user, true, (s, id) => s.UpdateDraftAsync(requestId, id, input, replacementFiles, CancellationToken.None));

    public Task<RequestResult> SubmitAsync(ClaimsPrincipal user, int requestId) =>
        RunAsync(user, true, (s, id) => s.SubmitAsync(requestId, id, CancellationToken.None));

    public Task<RequestResult> ResubmitAsync(ClaimsPrincipal user, int requestId, long basedOnVersion) =>
        RunAsync(user, true, (s, id) => s.ResubmitAsync(requestId, id, basedOnVersion, CancellationToken.None));

    /// <summary>Placements are also set by a seal's custodian after approval: the service decides who may.</summary>
    public Task<RequestResult> SetPlacementsAsync(ClaimsPrincipal user, int requestId, IReadOnlyList<SealPlacementInput> placements) =>
        RunAsync(user, false, (s, id) => s.SetPlacementsAsync(requestId, id, placements, CancellationToken.None));

    /// <summary>The request as <paramref name="user"/> may see it; View null and Allowed true means it does not exist.</summary>
    public async Task<(SealRequestView? View, bool Allowed)> GetAsync(ClaimsPrincipal user, int requestId)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealRequestService>().GetAsync(requestId, user, CancellationToken.None);
    }

    public async Task<IReadOnlyList<SealChoice>> SealChoicesAsync(ClaimsPrincipal user)
    {
        await using var scope = scopes.CreateAsyncScope();
        var choices = await scope.ServiceProvider.GetRequiredService<SealRequestService>().SealChoicesAsync(UserId(user), null, CancellationToken.None);
        return choices.Select(c => new SealChoice(c.Id, c.Name, c.Type, c.Kind, c.Unusable)).ToList();
    }

    /// <summary>The pages of a stored original as shown, or null when its file is missing from the archive.</summary>
    /// <exception cref="PdfFormatException">The file cannot be read.</exception>
    public async Task<IReadOnlyList<PageBox>?> PagesAsync(SealRequestDocumentView document)
    {
        await using var scope = scopes.CreateAsyncScope();
        var content = scope.ServiceProvider.GetRequiredService<SealRequestService>().OpenOriginal(document);
        if (content is null)
            return null;
        await using (content)
            return PageBox.Read(content);
    }
}
