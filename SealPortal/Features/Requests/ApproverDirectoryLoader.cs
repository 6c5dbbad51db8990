using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Workflows;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// Answers the workflow engine's questions about people from the database: a snapshot of who holds which
/// approver role in which department, who keeps which seal and who deputizes for whom, loaded once per
/// operation so the engine stays pure.
/// </summary>
public sealed class ApproverDirectoryLoader(SealPortalDbContext db)
{
    public Task<ApproverDirectorySnapshot> LoadAsync(CancellationToken ct) => LoadAsync(db, ct);

    /// <summary>
    /// A snapshot holding only the delegations to <paramref name="deputyUserId"/>: enough for
    /// <see cref="WorkflowEngine.RightsOf"/> of that user, which asks nothing else of the directory.
    /// </summary>
    public static async Task<ApproverDirectorySnapshot> DelegationsToAsync(SealPortalDbContext db, string deputyUserId, CancellationToken ct)
    {
        var delegations = await db.ApproverDelegations.AsNoTracking().Where(d => d.CancelledAt == null && d.DeputyUserId == deputyUserId)
            .Select(d => new { d.DelegatorUserId, d.DeputyUserId, d.From, d.Until }).ToListAsync(ct);
        return new ApproverDirectorySnapshot
        {
            Delegations = delegations.Select(d => new Delegation(d.DelegatorUserId, d.DeputyUserId, d.From, d.Until)).ToList(),
        };
    }

    /// <summary>The snapshot read through <paramref name="db"/> (a query's own context).</summary>
    public static async Task<ApproverDirectorySnapshot> LoadAsync(SealPortalDbContext db, CancellationToken ct)
    {
        var assignments = await (
                from ur in db.UserRoles
                join r in db.Roles on ur.RoleId equals r.Id
                join u in db.Users on ur.UserId equals u.Id
                where DelegationService.ApproverRoles.Contains(r.Name!)
                select new { u.Id, Role = r.Name!, u.DepartmentId })
            .ToListAsync(ct);
        var custodians = await db.Seals.AsNoTracking().Where(s => s.CustodianUserId != null)
            .Select(s => new { s.Id, s.CustodianUserId }).ToListAsync(ct);
        var delegations = await db.ApproverDelegations.AsNoTracking().Where(d => d.CancelledAt == null)
            .Select(d => new { d.DelegatorUserId, d.DeputyUserId, d.From, d.Until }).ToListAsync(ct);
        return new ApproverDirectorySnapshot
        {
            Roles = assignments
                .Select(a => new RoleAssignment(a.Id, a.Role, a.DepartmentId?.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .ToList(),
            Custodians = custodians.ToDictionary(
                s => s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                s => (IReadOnlyList<string>)[s.CustodianUserId!]),
            Delegations = delegations.Select(d => new Delegation(d.DelegatorUserId, d.DeputyUserId, d.From, d.Until)).ToList(),
        };
    }
}
