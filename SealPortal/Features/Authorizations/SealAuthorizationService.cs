using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using SealPortal.Data;

namespace SealPortal.Features.Authorizations;

/// <summary>
/// Whether a user may request a seal. <see cref="Reason"/> is English text that is also a resource key,
/// formatted with <see cref="Args"/>; use <see cref="Localize"/> to show it.
/// </summary>
public sealed record AuthorizationDecision(bool Allowed, string? Reason, object[]? Args = null)
{
    public static readonly AuthorizationDecision Allow = new(true, null);

    public static AuthorizationDecision Refuse(string reason, params object[] args) => new(false, reason, args);

    public string? Localize(IStringLocalizer localizer) =>
        Reason is null ? null : localizer[Reason, Args ?? []].Value;
}

public sealed record AuthorizationRow(
    int Id, int SealId, string SealName, int? DepartmentId, string? DepartmentName, string? Role,
    IReadOnlyList<string> DocumentTypes, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil,
    string? DocumentReference, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

public sealed record AuthorizationInput(
    int SealId, int? DepartmentId, string? Role, IReadOnlyList<string> DocumentTypes,
    DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil, string? DocumentReference);

/// <summary>
/// Authorization scopes (授权范围): which departments and roles may request which seal, for which document
/// types and in which period. A user is allowed when one unrevoked scope of the seal matches their department,
/// one of their roles, the document type and the moment; otherwise the refusal names the closest miss.
/// </summary>
public sealed class SealAuthorizationService(SealPortalDbContext db, TimeProvider clock, ILogger<SealAuthorizationService> logger)
{
    public async Task<AuthorizationDecision> CheckAsync(string userId, int sealId, string documentType, DateTimeOffset at, CancellationToken ct)
    {
        var seal = await db.Seals.AsNoTracking().Where(s => s.Id == sealId).Select(s => new { s.Name, s.Status }).FirstOrDefaultAsync(ct);
        if (seal is null)
            return AuthorizationDecision.Refuse("No such seal.");
        if (seal.Status != SealStatus.Active)
            return AuthorizationDecision.Refuse("The seal {0} is not in use and cannot be requested.", seal.Name);
        var user = await LoadUserAsync(userId, ct);
        if (user is null)
            return AuthorizationDecision.Refuse("No such user.");
        var scopes = await ActiveScopesAsync(sealId, ct);
        return Decide(scopes, user, seal.Name, documentType, at);
    }

    /// <summary>The seals the user may request now for <paramref name="documentType"/> (any type when null); only seals in use.</summary>
    public async Task<IReadOnlyList<int>> AllowedSealIdsAsync(string userId, string? documentType, DateTimeOffset at, CancellationToken ct)
    {
        var user = await LoadUserAsync(userId, ct);
        if (user is null)
            return [];
        var activeSeals = await db.Seals.AsNoTracking().Where(s => s.Status == SealStatus.Active).Select(s => s.Id).ToListAsync(ct);
        var scopes = await db.SealAuthorizations.AsNoTracking().Where(a => a.RevokedAt == null && activeSeals.Contains(a.SealId)).ToListAsync(ct);
        return scopes.Where(a => Covers(a, user) && (documentType is null || AllowsType(a, documentType)) && IsValidAt(a, at))
            .Select(a => a.SealId).Distinct().Order().ToList();
    }

    public async Task<IReadOnlyList<AuthorizationRow>> ListAsync(int? sealId, CancellationToken ct)
    {
        var query = db.SealAuthorizations.AsNoTracking();
        if (sealId is { } id)
            query = query.Where(a => a.SealId == id);
        var rows = await query.Select(a => new
        {
            a.Id, a.SealId, SealName = a.Seal!.Name, a.DepartmentId, DepartmentName = a.Department == null ? null : a.Department.Name,
            a.Role, a.DocumentTypes, a.ValidFrom, a.ValidUntil, a.DocumentReference, a.CreatedAt, a.CreatedBy, a.RevokedAt,
        }).ToListAsync(ct);
        return rows.Select(a => new AuthorizationRow(a.Id, a.SealId, a.SealName, a.DepartmentId, a.DepartmentName, a.Role,
                a.DocumentTypes.Split(',', StringSplitOptions.RemoveEmptyEntries), a.ValidFrom, a.ValidUntil, a.DocumentReference,
                a.CreatedAt, a.CreatedBy, a.RevokedAt))
            .OrderBy(a => a.RevokedAt is not null).ThenBy(a => a.SealId).ThenBy(a => a.Id).ToList();
    }

    /// <summary>Adds a scope; the error (a resource key) says what is wrong with the input.</summary>
    public async Task<(bool Succeeded, string? Error)> AddAsync(AuthorizationInput input, string actor, CancellationToken ct)
    {
        if (!await db.Seals.AnyAsync(s => s.Id == input.SealId, ct))
            return (false, "No such seal.");
        if (input.DepartmentId is { } dep && !await db.Departments.AnyAsync(d => d.Id == dep, ct))
            return (false, "No such department.");
        if (input.Role is not null && !Roles.All.Contains(input.Role))
            return (false, "No such role.");
        if (input.DocumentTypes.Any(t => !DocumentTypes.IsKnown(t)))
            return (false, "Unknown document type.");
        if (input.ValidUntil is { } until && until <= input.ValidFrom)
            return (false, "The validity must end after it starts.");
        if (input.DocumentReference is { Length: > 200 })
            return (false, "The document reference has at most 200 characters.");
        db.SealAuthorizations.Add(new SealAuthorization
        {
            SealId = input.SealId,
            DepartmentId = input.DepartmentId,
            Role = input.Role,
            DocumentTypes = string.Join(',', input.DocumentTypes.Distinct()),
            ValidFrom = input.ValidFrom.ToUniversalTime(),
            ValidUntil = input.ValidUntil?.ToUniversalTime(),
            DocumentReference = string.IsNullOrWhiteSpace(input.DocumentReference) ? null : input.DocumentReference.Trim(),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = actor,
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} added an authorization scope for seal {Seal}", actor, input.SealId);
        return (true, null);
    }

    public async Task<(bool Succeeded, string? Error)> RevokeAsync(int id, string actor, CancellationToken ct)
    {
        var scope = await db.SealAuthorizations.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (scope is null)
            return (false, "No such authorization scope.");
        if (scope.RevokedAt is not null)
            return (false, "This authorization scope is already revoked.");
        scope.RevokedAt = clock.GetUtcNow();
        scope.RevokedBy = actor;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} revoked authorization scope {Id} of seal {Seal}", actor, id, scope.SealId);
        return (true, null);
    }

    /// <summary>
    /// The refusal names the first check the best candidate scopes failed, in the order a user would fix it:
    /// department and role, then document type, then the validity period.
    /// </summary>
    internal static AuthorizationDecision Decide(IReadOnlyList<SealAuthorization> scopes, ScopeUser user, string sealName, string documentType, DateTimeOffset at)
    {
        var covering = scopes.Where(a => Covers(a, user)).ToList();
        if (covering.Count == 0)
            return AuthorizationDecision.Refuse("Your department and roles are not authorized to request the seal {0}.", sealName);
        var forType = covering.Where(a => AllowsType(a, documentType)).ToList();
        if (forType.Count == 0)
            return AuthorizationDecision.Refuse("The seal {0} may not be requested for this document type ({1}).", sealName, documentType);
        if (forType.Any(a => IsValidAt(a, at)))
            return AuthorizationDecision.Allow;
        var upcoming = forType.Where(a => a.ValidFrom > at).OrderBy(a => a.ValidFrom).FirstOrDefault();
        if (upcoming is not null)
            return AuthorizationDecision.Refuse("Your authorization for the seal {0} is valid only from {1:yyyy-MM-dd}.", sealName, upcoming.ValidFrom);
        var expired = forType.Max(a => a.ValidUntil!.Value);
        return AuthorizationDecision.Refuse("Your authorization for the seal {0} expired on {1:yyyy-MM-dd}.", sealName, expired);
    }

    internal sealed record ScopeUser(int? DepartmentId, IReadOnlyList<string> Roles);

    private static bool Covers(SealAuthorization a, ScopeUser user) =>
        (a.DepartmentId is null || a.DepartmentId == user.DepartmentId) && (a.Role is null || user.Roles.Contains(a.Role));

    private static bool AllowsType(SealAuthorization a, string documentType) =>
        a.DocumentTypeList.Count == 0 || a.DocumentTypeList.Contains(documentType, StringComparer.Ordinal);

    private static bool IsValidAt(SealAuthorization a, DateTimeOffset at) =>
        a.ValidFrom <= at && (a.ValidUntil is null || at < a.ValidUntil);

    private async Task<List<SealAuthorization>> ActiveScopesAsync(int sealId, CancellationToken ct) =>
        await db.SealAuthorizations.AsNoTracking().Where(a => a.SealId == sealId && a.RevokedAt == null).ToListAsync(ct);

    private async Task<ScopeUser?> LoadUserAsync(string userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DepartmentId }).FirstOrDefaultAsync(ct);
        if (user is null)
            return null;
        var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync(ct);
        return new ScopeUser(user.DepartmentId, roles);
    }
}
