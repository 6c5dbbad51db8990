using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Workflows;

public sealed record DelegationRow(
    int Id, string DelegatorUserId, string DelegatorName, string DeputyUserId, string DeputyName,
    DateTimeOffset From, DateTimeOffset Until, string? Reason, DateTimeOffset? CancelledAt);

/// <summary>What a user asks for on the delegation page.</summary>
public sealed record DelegationInput(string DelegatorUserId, string DeputyUserId, DateTimeOffset From, DateTimeOffset Until, string? Reason);

/// <summary>Outcome of a delegation change; <see cref="Error"/> is a resource key, formatted with <see cref="Args"/>.</summary>
public sealed record DelegationResult(bool Succeeded, string? Error = null, object[]? Args = null)
{
    public static readonly DelegationResult Ok = new(true);

    public static DelegationResult Fail(string error, params object[] args) => new(false, error, args);
}

/// <summary>
/// Deputies for absent approvers. The engine reads the active delegations through the approver directory
/// (<see cref="AllAsync"/>); this service guards the rules: nobody is their own deputy, one deputy per person
/// at a time, and a deputy who is away in that period cannot stand in. Each method uses a context of its own.
/// </summary>
public sealed class DelegationService(IDbContextFactory<SealPortalDbContext> contexts, IHttpContextAccessor http, TimeProvider clock, ILogger<DelegationService> logger)
{
    /// <summary>Roles whose holders decide on requests and so may name a deputy.</summary>
    public static readonly IReadOnlyList<string> ApproverRoles =
        [Roles.DepartmentHead, Roles.Reviewer, Roles.Executive, Roles.SealKeeper];

    /// <summary>Users that can be picked as deputies or named approvers: id, display name, user name.</summary>
    public async Task<IReadOnlyList<(string Id, string DisplayName, string UserName)>> UserChoicesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(ct);
        return users.OrderBy(u => u.UserName, StringComparer.Ordinal).Select(u => (u.Id, u.DisplayName, u.UserName!)).ToList();
    }

    /// <summary>Every delegation that is not cancelled, past ones included (the engine asks for the moment it needs).</summary>
    public async Task<IReadOnlyList<Delegation>> AllAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.ApproverDelegations.AsNoTracking().Where(d => d.CancelledAt == null)
            .Select(d => new { d.DelegatorUserId, d.DeputyUserId, d.From, d.Until }).ToListAsync(ct);
        return rows.Select(d => new Delegation(d.DelegatorUserId, d.DeputyUserId, d.From, d.Until)).ToList();
    }

    /// <summary>Delegations given by or to <paramref name="userId"/>, or all when null (admins), newest first.</summary>
    public async Task<IReadOnlyList<DelegationRow>> ListAsync(string? userId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.ApproverDelegations.AsNoTracking();
        if (userId is not null)
            query = query.Where(d => d.DelegatorUserId == userId || d.DeputyUserId == userId);
        var rows = await query.Select(d => new DelegationRow(d.Id, d.DelegatorUserId, d.Delegator!.DisplayName, d.DeputyUserId, d.Deputy!.DisplayName,
            d.From, d.Until, d.Reason, d.CancelledAt)).ToListAsync(ct);
        return rows.OrderByDescending(r => r.From).ThenByDescending(r => r.Id).ToList();
    }

    public async Task<DelegationResult> CreateAsync(DelegationInput input, string actorUserId, bool actorIsAdmin, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!actorIsAdmin && input.DelegatorUserId != actorUserId)
            return DelegationResult.Fail("You can only name a deputy for yourself.");
        if (input.DeputyUserId == input.DelegatorUserId)
            return DelegationResult.Fail("Nobody can be their own deputy.");
        if (input.Until <= input.From)
            return DelegationResult.Fail("The delegation must end after it starts.");
        if (input.Until <= clock.GetUtcNow())
            return DelegationResult.Fail("The delegation would already be over.");
        if (input.Reason is { Length: > 500 })
            return DelegationResult.Fail("The reason has at most 500 characters.");

        var delegator = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == input.DelegatorUserId, ct);
        var deputy = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == input.DeputyUserId, ct);
        if (delegator is null || deputy is null)
            return DelegationResult.Fail("No such user.");
        if (deputy.LockoutEnd is { } lockout && lockout > clock.GetUtcNow())
            return DelegationResult.Fail("The deputy's account is locked.");
        var approverRoleIds = await db.Roles.Where(r => ApproverRoles.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        if (!await db.UserRoles.AnyAsync(ur => ur.UserId == delegator.Id && approverRoleIds.Contains(ur.RoleId), ct))
            return DelegationResult.Fail("Only approvers (department heads, reviewers, executives, seal keepers) can name a deputy.");

        // Date comparisons run in memory: SQLite cannot compare DateTimeOffset columns in SQL.
        var involved = await db.ApproverDelegations.AsNoTracking()
            .Where(d => d.CancelledAt == null && (d.DelegatorUserId == delegator.Id || d.DelegatorUserId == deputy.Id || d.DeputyUserId == delegator.Id))
            .Include(d => d.Deputy).Include(d => d.Delegator)
            .ToListAsync(ct);
        bool Overlaps(ApproverDelegation d) => d.From < input.Until && input.From < d.Until;

        if (involved.FirstOrDefault(d => d.DelegatorUserId == delegator.Id && Overlaps(d)) is { } own)
            return DelegationResult.Fail("This overlaps the delegation to {0} from {1} until {2}; cancel that one first.",
                own.Deputy!.DisplayName, own.From, own.Until);
        if (involved.Any(d => d.DelegatorUserId == deputy.Id && Overlaps(d)))
            return DelegationResult.Fail("{0} is away in this period and has a deputy of their own.", deputy.DisplayName);
        if (involved.FirstOrDefault(d => d.DeputyUserId == delegator.Id && Overlaps(d)) is { } standing)
            return DelegationResult.Fail("You stand in for {0} in this period; while you are away nobody would decide for them.", standing.Delegator!.DisplayName);

        db.ApproverDelegations.Add(new ApproverDelegation
        {
            DelegatorUserId = delegator.Id,
            DeputyUserId = deputy.Id,
            From = input.From.ToUniversalTime(),
            Until = input.Until.ToUniversalTime(),
            Reason = string.IsNullOrWhiteSpace(input.Reason) ? null : input.Reason.Trim(),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = actorUserId,
        });
        AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.DelegationChanged, $"{delegator.UserName} -> {deputy.UserName} {input.From:u} .. {input.Until:u}", $"user:{delegator.UserName}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Delegation from {Delegator} to {Deputy} {From:u} to {Until:u} created by {Actor}",
            delegator.UserName, deputy.UserName, input.From, input.Until, actorUserId);
        return DelegationResult.Ok;
    }

    public async Task<DelegationResult> CancelAsync(int id, string actorUserId, bool actorIsAdmin, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var delegation = await db.ApproverDelegations.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delegation is null)
            return DelegationResult.Fail("No such delegation.");
        if (!actorIsAdmin && delegation.DelegatorUserId != actorUserId)
            return DelegationResult.Fail("You can only cancel your own delegations.");
        if (delegation.CancelledAt is not null)
            return DelegationResult.Fail("This delegation is already cancelled.");
        delegation.CancelledAt = clock.GetUtcNow();
        delegation.CancelledBy = actorUserId;
        AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.DelegationChanged, $"cancelled delegation {id}", $"delegation:{id}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Delegation {Id} cancelled by {Actor}", id, actorUserId);
        return DelegationResult.Ok;
    }
}
