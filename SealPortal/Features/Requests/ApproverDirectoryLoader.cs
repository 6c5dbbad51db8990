using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Workflows;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// Answers the workflow engine's questions about people from the database: a snapshot of who holds which
/// approver role in which department and who keeps which seal, loaded once per operation so the engine stays pure.
/// </summary>
public sealed class ApproverDirectoryLoader(SealPortalDbContext db, DelegationService delegations)
{
    public async Task<ApproverDirectorySnapshot> LoadAsync(CancellationToken ct)
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
        return new ApproverDirectorySnapshot
        {
            Roles = assignments
                .Select(a => new RoleAssignment(a.Id, a.Role, a.DepartmentId?.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .ToList(),
            Custodians = custodians.ToDictionary(
                s => s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                s => (IReadOnlyList<string>)[s.CustodianUserId!]),
            Delegations = await delegations.AllAsync(ct),
        };
    }
}
