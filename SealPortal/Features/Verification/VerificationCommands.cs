using System.Security.Claims;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Archive;

namespace SealPortal.Features.Verification;

/// <summary>What the verification page shows after an attempt; <see cref="StatusCode"/> is what a plain upload was answered with.</summary>
/// <param name="Refusal">Why nothing was checked for this user (signed out, wrong role, no such archived document).</param>
/// <param name="Token">The protected report for the two downloads (JSON and printable), when a report is shown.</param>
public sealed record VerificationAttempt(int StatusCode, VerificationRefusal Refusal, VerificationOutcome? Outcome = null, string? Token = null)
{
    public VerifiedDocument? Document => Outcome?.Document;
}

public enum VerificationRefusal
{
    None,
    SignedOut,
    Forbidden,
    ArchiveForbidden,
    UnknownDocument,
}

/// <summary>
/// Verification as the interactive page uses it. Each call checks the user as the database has them now
/// (the page passes <c>CircuitUser.CurrentAsync()</c>) and runs in a scope of its own, so the circuit holds
/// no database context. Uploads are for auditors, administrators and seal keepers; picking from the archive,
/// which lists every sealed document of the company, is for auditors and administrators only.
/// </summary>
public sealed class VerificationCommands(IServiceScopeFactory scopes, IOptions<VerificationOptions> options)
{
    public const int ArchiveListLimit = 25;

    public VerificationOptions Options => options.Value;

    public static bool MayVerify(ClaimsPrincipal? user) =>
        user is not null && VerificationServiceExtensions.AllowedRoles.Split(',').Any(user.IsInRole);

    public static bool MayPickArchived(ClaimsPrincipal? user) =>
        user is not null && (user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin));

    /// <summary>The newest archived sealed documents matching <paramref name="query"/>; empty for a user who may not pick them.</summary>
    public async Task<IReadOnlyList<ArchivedDocument>> SearchArchiveAsync(ClaimsPrincipal? user, string? query, CancellationToken ct = default)
    {
        if (!MayPickArchived(user))
            return [];
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ArchivedDocuments>().SearchAsync(query, ArchiveListLimit, ct);
    }

    /// <summary>Whether a file of this size may be sent at all; null when it may, else the refusal (413 or 401/403).</summary>
    public async Task<VerificationAttempt?> AdmitAsync(ClaimsPrincipal? user, string fileName, long size)
    {
        if (Refuse(user, MayVerify) is { } refused)
            return refused;
        await using var scope = scopes.CreateAsyncScope();
        var tooLarge = scope.ServiceProvider.GetRequiredService<DocumentVerifier>().RefuseIfTooLarge(fileName, size, user!.Identity!.Name!);
        return tooLarge is null ? null : new(StatusCodes.Status413PayloadTooLarge, VerificationRefusal.None, tooLarge);
    }

    /// <summary>Checks a received file (seekable, e.g. the page's temporary copy); nothing of it is stored.</summary>
    public async Task<VerificationAttempt> VerifyUploadAsync(ClaimsPrincipal? user, Stream file, string fileName, long length, CancellationToken ct = default)
    {
        if (Refuse(user, MayVerify) is { } refused)
            return refused;
        await using var scope = scopes.CreateAsyncScope();
        // No HttpContext in a circuit: the audit trail learns who verified from here.
        using var acting = AuditTrail.AuditTrail.ActingAs(user!);
        var verifier = scope.ServiceProvider.GetRequiredService<DocumentVerifier>();
        return Shown(verifier, await verifier.VerifyAsync(file, fileName, length, user!.Identity!.Name!, ct));
    }

    public async Task<VerificationAttempt> VerifyArchivedAsync(ClaimsPrincipal? user, int documentId, CancellationToken ct = default)
    {
        if (user is null)
            return new(StatusCodes.Status401Unauthorized, VerificationRefusal.SignedOut);
        if (!MayPickArchived(user))
            return new(StatusCodes.Status403Forbidden, VerificationRefusal.ArchiveForbidden);
        await using var scope = scopes.CreateAsyncScope();
        using var acting = AuditTrail.AuditTrail.ActingAs(user);
        var verifier = scope.ServiceProvider.GetRequiredService<DocumentVerifier>();
        var outcome = await verifier.VerifyArchivedAsync(documentId, user.Identity!.Name!, ct);
        // 400, not 404: the choice is wrong, as a posted form with an unknown document was answered.
        return outcome is null ? new(StatusCodes.Status400BadRequest, VerificationRefusal.UnknownDocument) : Shown(verifier, outcome);
    }

    private static VerificationAttempt? Refuse(ClaimsPrincipal? user, Func<ClaimsPrincipal?, bool> may) =>
        user is null ? new(StatusCodes.Status401Unauthorized, VerificationRefusal.SignedOut)
        : !may(user) ? new(StatusCodes.Status403Forbidden, VerificationRefusal.Forbidden)
        : null;

    private static VerificationAttempt Shown(DocumentVerifier verifier, VerificationOutcome outcome) =>
        outcome.Document is { } document
            ? new(StatusCodes.Status200OK, VerificationRefusal.None, outcome, verifier.Protect(document))
            : new(outcome.Problem switch
            {
                UploadProblem.MissingFromArchive => StatusCodes.Status410Gone,
                UploadProblem.TooLarge => StatusCodes.Status413PayloadTooLarge,
                _ => StatusCodes.Status400BadRequest,
            }, VerificationRefusal.None, outcome);
}
