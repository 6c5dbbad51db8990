using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Training;

/// <summary>One member of a plan's audience (in a department) and the start of the last session of the plan they attended that counts.</summary>
public sealed record AudienceMember(string UserId, string UserName, string DisplayName, int DepartmentId, DateTimeOffset? AttendedAt)
{
    public bool Completed => AttendedAt is not null;
}

/// <summary>A plan and its audience in the departments asked for, each member with whether they completed it.</summary>
public sealed record PlanStanding(int PlanId, string Title, TrainingKind Kind, IReadOnlyList<AudienceMember> Audience);

/// <summary>
/// The one rule for "who completed which training", read by the completion page (<see cref="TrainingService.CompletionAsync"/>)
/// and by the department assessment's training fact, so both count alike. As of a moment <c>asOf</c>:
/// a plan's audience is the users (with a department) who have one of its roles and are in one of its departments
/// (none named: any), as users are now; a member completed the plan when the trainer recorded them present at one
/// of its sessions that had started by <c>asOf</c> (keeper training: one that started within the validity before
/// <c>asOf</c>). Plans created after <c>asOf</c> are left out. The audience is stored as names and ids in a column
/// of the plan, so the audience is matched here, in memory, over the users of the departments asked for.
/// </summary>
public static class TrainingCompletionRule
{
    internal sealed record Person(string Id, string UserName, string DisplayName, int? DepartmentId, string? Department, IReadOnlyList<string> Roles);

    /// <summary>The users (all, or those of <paramref name="departmentIds"/>, or the one <paramref name="only"/>) with their roles.</summary>
    internal static async Task<List<Person>> PeopleAsync(SealPortalDbContext db, CancellationToken ct, string? only = null,
        IReadOnlyCollection<int>? departmentIds = null)
    {
        var scope = db.Users.AsNoTracking()
            .Where(u => only == null || u.Id == only)
            .Where(u => departmentIds == null || u.DepartmentId != null && departmentIds.Contains(u.DepartmentId.Value));
        var users = await scope.Select(u => new { u.Id, u.UserName, u.DisplayName, u.DepartmentId, Department = u.Department!.Name }).ToListAsync(ct);
        var roles = await (from u in scope
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var byUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        return users.Select(u => new Person(u.Id, u.UserName ?? "", string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? "" : u.DisplayName,
            u.DepartmentId, u.Department, byUser[u.Id].ToList())).ToList();
    }

    /// <summary>
    /// Every plan (of <paramref name="kind"/> when given; of <paramref name="planIds"/> when given) that existed at <paramref name="asOf"/>, by id, with its audience among
    /// the users of <paramref name="departmentIds"/> (null: every department) and whether each completed it by then.
    /// </summary>
    public static async Task<IReadOnlyList<PlanStanding>> StandingAsync(SealPortalDbContext db, IReadOnlyCollection<int>? departmentIds,
        DateTimeOffset asOf, int keeperValidityMonths, TrainingKind? kind = null, CancellationToken ct = default, IReadOnlyCollection<int>? planIds = null)
    {
        var plans = (await db.TrainingPlans.AsNoTracking().Where(p => kind == null || p.Kind == kind)
                .Where(p => planIds == null || planIds.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync(ct))
            .Where(p => p.CreatedAt <= asOf).ToList();
        if (plans.Count == 0)
            return [];
        var people = (await PeopleAsync(db, ct, departmentIds: departmentIds)).Where(p => p.DepartmentId is not null).ToList();
        var asOfMs = asOf.ToUnixTimeMilliseconds();
        var keeperFromMs = asOf.AddMonths(-keeperValidityMonths).ToUnixTimeMilliseconds();
        var ids = plans.Select(p => p.Id).ToList();
        var attended = await db.TrainingAttendances.AsNoTracking()
            .Where(a => a.Attended && a.Session!.StartsUnixMs <= asOfMs && ids.Contains(a.Session.PlanId)
                        && (departmentIds == null || a.User!.DepartmentId != null && departmentIds.Contains(a.User.DepartmentId.Value)))
            .GroupBy(a => new { a.UserId, a.Session!.PlanId })
            .Select(g => new { g.Key.UserId, g.Key.PlanId, Last = g.Max(a => a.Session!.StartsUnixMs) })
            .ToListAsync(ct);
        var last = attended.ToDictionary(a => (a.UserId, a.PlanId), a => a.Last);
        return plans.Select(p => new PlanStanding(p.Id, p.Title, p.Kind, people
            .Where(u => Audience.Includes(p, u.Roles, u.DepartmentId))
            .OrderBy(u => u.UserName, StringComparer.Ordinal)
            .Select(u => new AudienceMember(u.Id, u.UserName, u.DisplayName, u.DepartmentId!.Value,
                last.TryGetValue((u.Id, p.Id), out var ms) && (p.Kind != TrainingKind.Keeper || ms >= keeperFromMs)
                    ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null))
            .ToList())).ToList();
    }
}
