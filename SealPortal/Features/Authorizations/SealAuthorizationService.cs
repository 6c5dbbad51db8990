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
/// Each method uses a context of its own, so the service serves an open circuit as well as a request.
/// </summary>
public sealed class SealAuthorizationService(IDbContextFactory<SealPortalDbContext> contexts, IHttpContextAccessor http, CompanyTime time, TimeProvider clock, ILogger<SealAuthorizationService> logger)
{
    public async Task<AuthorizationDecision> CheckAsync(string userId, int sealId, string documentType, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seal = await db.Seals.AsNoTracking().Where(s => s.Id == sealId).Select(s => new { s.Name, s.Status }).FirstOrDefaultAsync(ct);
        if (seal is null)
            return AuthorizationDecision.Refuse("No such seal.");
        if (seal.Status != SealStatus.Active)
            return AuthorizationDecision.Refuse("The seal {0} is not in use and cannot be requested.", seal.Name);
        var user = await LoadUserAsync(db, userId, ct);
        if (user is null)
            return AuthorizationDecision.Refuse("No such user.");
        var scopes = await ActiveScopesAsync(db, sealId, ct);
        var decision = Decide(scopes, user, seal.Name, documentType, at);
        // Moments are shown as the company reads them (its time zone, the reader's language).
        return decision.Args is { } args ? decision with { Args = args.Select(a => a is DateTimeOffset t ? time.DateTime(t) : a).ToArray() } : decision;
    }

    /// <summary>The seals the user may request now for <paramref name="documentType"/> (any type when null); only seals in use.</summary>
    public async Task<IReadOnlyList<int>> AllowedSealIdsAsync(string userId, string? documentType, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await LoadUserAsync(db, userId, ct);
        if (user is null)
            return [];
        var activeSeals = await db.Seals.AsNoTracking().Where(s => s.Status == SealStatus.Active).Select(s => s.Id).ToListAsync(ct);
        var scopes = await db.SealAuthorizations.AsNoTracking().Where(a => a.RevokedAt == null && activeSeals.Contains(a.SealId)).ToListAsync(ct);
        return scopes.Where(a => Covers(a, user) && (documentType is null || AllowsType(a, documentType)) && IsValidAt(a, at))
            .Select(a => a.SealId).Distinct().Order().ToList();
    }

    /// <summary>The seals and departments a scope can name, for the page's choices.</summary>
    public async Task<(IReadOnlyList<(int Id, string Name)> Seals, IReadOnlyList<(int Id, string Name)> Departments)> ChoicesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seals = await db.Seals.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Id).Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        return (seals.Select(s => (s.Id, s.Name)).ToList(), departments.Select(d => (d.Id, d.Name)).ToList());
    }

    public async Task<IReadOnlyList<AuthorizationRow>> ListAsync(int? sealId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
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
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Seals.AnyAsync(s => s.Id == input.SealId, ct))
            return (false, "The seal no longer exists. Reload the page and choose another.");
        if (input.DepartmentId is { } dep && !await db.Departments.AnyAsync(d => d.Id == dep, ct))
            return (false, "The department no longer exists. Reload the page and choose another.");
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
        AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.AuthorizationChanged,
            $"added: department {input.DepartmentId?.ToString() ?? "any"}, role {input.Role ?? "any"}, types [{string.Join(",", input.DocumentTypes)}], {input.ValidFrom:u} .. {input.ValidUntil?.ToString("u") ?? "open"}",
            $"seal:{input.SealId}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} added an authorization scope for seal {Seal}", actor, input.SealId);
        return (true, null);
    }

    public async Task<(bool Succeeded, string? Error)> RevokeAsync(int id, string actor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var scope = await db.SealAuthorizations.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (scope is null)
            return (false, "No such authorization scope.");
        if (scope.RevokedAt is not null)
            return (false, "This authorization scope is already revoked.");
        scope.RevokedAt = clock.GetUtcNow();
        scope.RevokedBy = actor;
        AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.AuthorizationChanged, $"revoked scope {id}", $"seal:{scope.SealId}");
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
            return AuthorizationDecision.Refuse("Your authorization for the seal {0} is valid only from {1}.", sealName, upcoming.ValidFrom);
        var expired = forType.Max(a => a.ValidUntil!.Value);
        return AuthorizationDecision.Refuse("Your authorization for the seal {0} ended at {1}.", sealName, expired);
    }

    internal sealed record ScopeUser(int? DepartmentId, IReadOnlyList<string> Roles);

    private static bool Covers(SealAuthorization a, ScopeUser user) =>
        (a.DepartmentId is null || a.DepartmentId == user.DepartmentId) && (a.Role is null || user.Roles.Contains(a.Role));

    private static bool AllowsType(SealAuthorization a, string documentType) =>
        a.DocumentTypeList.Count == 0 || a.DocumentTypeList.Contains(documentType, StringComparer.Ordinal);

    private static bool IsValidAt(SealAuthorization a, DateTimeOffset at) =>
        a.ValidFrom <= at && (a.ValidUntil is null || at < a.ValidUntil);

    private static async Task<List<SealAuthorization>> ActiveScopesAsync(SealPortalDbContext db, int sealId, CancellationToken ct) =>
        await db.SealAuthorizations.AsNoTracking().Where(a => a.SealId == sealId && a.RevokedAt == null).ToListAsync(ct);

    private static async Task<ScopeUser?> LoadUserAsync(SealPortalDbContext db, string userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DepartmentId }).FirstOrDefaultAsync(ct);
        if (user is null)
            return null;
        var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync(ct);
        return new ScopeUser(user.DepartmentId, roles);
    }
}
