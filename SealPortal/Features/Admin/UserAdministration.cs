using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Account;

namespace SealPortal.Features.Admin;

public sealed record UserRow(
    string Id, string UserName, string DisplayName, string? Email, int? DepartmentId, string? DepartmentName,
    IReadOnlyList<string> Roles, DateTimeOffset? LockoutEnd);

/// <summary>The result of an administrative change: either done, or the reasons it was refused.</summary>
public sealed record AdminResult(bool Succeeded, IReadOnlyList<string> Errors)
{
    public static readonly AdminResult Ok = new(true, []);

    public static AdminResult Fail(params string[] errors) => new(false, errors);

    public static AdminResult From(IdentityResult r) => new(r.Succeeded, r.Errors.Select(e => e.Description).ToList());
}

/// <summary>Users, their roles, department and lockout, as the Admin pages and the reset-password verb need them.</summary>
public sealed class UserAdministration(
    SealPortalDbContext db,
    UserManager<ApplicationUser> users,
    TimeProvider clock,
    SessionRevocation sessions,
    ILogger<UserAdministration> logger)
{
    /// <summary>Columns the user list sorts by; anything else sorts by user name.</summary>
    public static readonly IReadOnlyList<string> Sortable = ["UserName", "DisplayName", "DepartmentName"];

    public async Task<UserRow?> FindAsync(string id, CancellationToken ct = default) => (await QueryAsync(db.Users.AsNoTracking().Where(u => u.Id == id), ct)).SingleOrDefault();

    /// <summary>One page of the user list, searched (user name, display name, email) and sorted in the database.</summary>
    public async Task<ListPage<UserRow>> PageAsync(string? search, GridPageRequest page, CancellationToken ct = default)
    {
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            users = users.Where(u => u.UserName!.Contains(term) || u.DisplayName.Contains(term) || (u.Email != null && u.Email.Contains(term)));
        }
        var total = await users.CountAsync(ct);
        users = (page.SortBy, page.Descending) switch
        {
            ("DisplayName", false) => users.OrderBy(u => u.DisplayName).ThenBy(u => u.UserName),
            ("DisplayName", true) => users.OrderByDescending(u => u.DisplayName).ThenBy(u => u.UserName),
            ("DepartmentName", false) => users.OrderBy(u => u.Department!.Name).ThenBy(u => u.UserName),
            ("DepartmentName", true) => users.OrderByDescending(u => u.Department!.Name).ThenBy(u => u.UserName),
            ("UserName", true) => users.OrderByDescending(u => u.UserName),
            _ => users.OrderBy(u => u.UserName),
        };
        return new(await QueryAsync(users.Skip(page.Skip).Take(page.Take), ct), total);
    }

    private async Task<IReadOnlyList<UserRow>> QueryAsync(IQueryable<ApplicationUser> users, CancellationToken ct)
    {
        var rows = await users
            .Select(u => new { u.Id, u.UserName, u.DisplayName, u.Email, u.DepartmentId, Dept = u.Department!.Name, u.LockoutEnd })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var roleNames = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               where ids.Contains(ur.UserId)
                               select new { ur.UserId, r.Name }).ToListAsync(ct);
        var byUser = roleNames.ToLookup(x => x.UserId, x => x.Name!);
        return rows.Select(u => new UserRow(u.Id, u.UserName!, u.DisplayName, u.Email, u.DepartmentId, u.Dept,
            byUser[u.Id].OrderBy(r => IndexOfRole(r)).ToList(), u.LockoutEnd)).ToList();
    }

    private static int IndexOfRole(string role)
    {
        for (var i = 0; i < Roles.All.Count; i++)
            if (Roles.All[i] == role)
                return i;
        return int.MaxValue;
    }

    public bool IsLockedOut(UserRow user) => user.LockoutEnd is { } end && end > clock.GetUtcNow();

    public async Task<AdminResult> CreateAsync(string userName, string displayName, string? email, int departmentId,
        IReadOnlyCollection<string> roles, string password, string actor)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrWhiteSpace(displayName))
            return AdminResult.Fail("User name and display name are required.");
        if (!await db.Departments.AnyAsync(d => d.Id == departmentId))
            return AdminResult.Fail("Choose a department.");
        if (roles.Count == 0 || roles.Any(r => !Roles.All.Contains(r)))
            return AdminResult.Fail("Choose at least one role.");
        if (!string.IsNullOrWhiteSpace(email) && !System.Net.Mail.MailAddress.TryCreate(email.Trim(), out _))
            return AdminResult.Fail("The email address is not valid.");

        var user = new ApplicationUser
        {
            UserName = userName.Trim(),
            DisplayName = displayName.Trim(),
            Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
            DepartmentId = departmentId,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return AdminResult.From(created);
        var result = AdminResult.From(await users.AddToRolesAsync(user, roles));
        logger.LogInformation("{Actor} created user {UserName} with roles {Roles}", actor, user.UserName, string.Join(",", roles));
        return result;
    }

    public async Task<AdminResult> UpdateAsync(string id, string displayName, int departmentId, IReadOnlyCollection<string> roles, string actor)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return AdminResult.Fail("No such user.");
        if (string.IsNullOrWhiteSpace(displayName))
            return AdminResult.Fail("Display name is required.");
        if (!await db.Departments.AnyAsync(d => d.Id == departmentId))
            return AdminResult.Fail("Choose a department.");
        if (roles.Count == 0 || roles.Any(r => !Roles.All.Contains(r)))
            return AdminResult.Fail("Choose at least one role.");
        if (user.UserName == actor && !roles.Contains(Roles.Admin))
            return AdminResult.Fail("You cannot remove your own Admin role.");

        user.DisplayName = displayName.Trim();
        user.DepartmentId = departmentId;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
            return AdminResult.From(updated);

        var current = await users.GetRolesAsync(user);
        var removed = await users.RemoveFromRolesAsync(user, current.Except(roles));
        if (!removed.Succeeded)
            return AdminResult.From(removed);
        var added = await users.AddToRolesAsync(user, roles.Except(current));
        if (!added.Succeeded)
            return AdminResult.From(added);
        // Role changes must reach the user's cookie at its next validation; sessions opened with the
        // old roles end now rather than at that validation.
        await users.UpdateSecurityStampAsync(user);
        if (!current.Order().SequenceEqual(roles.Order()))
            await sessions.EndSessionsAsync(user.Id);
        logger.LogInformation("{Actor} set roles of {UserName} to {Roles}", actor, user.UserName, string.Join(",", roles));
        return AdminResult.Ok;
    }

    public async Task<AdminResult> SetLockedAsync(string id, bool locked, string actor)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return AdminResult.Fail("No such user.");
        if (locked && user.UserName == actor)
            return AdminResult.Fail("You cannot lock yourself out.");
        var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (result.Succeeded && !locked)
            await users.ResetAccessFailedCountAsync(user);
        if (result.Succeeded && locked)
        {
            await users.UpdateSecurityStampAsync(user);
            await sessions.EndSessionsAsync(user.Id);
        }
        logger.LogInformation("{Actor} {Action} user {UserName}", actor, locked ? "locked" : "unlocked", user.UserName);
        return AdminResult.From(result);
    }

    /// <summary>Gives the user a new random password and returns it, so it can be handed over once.</summary>
    public async Task<(AdminResult Result, string? Password)> ResetPasswordAsync(string userName, string actor)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
            return (AdminResult.Fail($"No user named \"{userName}\"."), null);
        var password = DatabaseInitializer.NewPassword();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
            return (AdminResult.From(result), null);
        await sessions.EndSessionsAsync(user.Id);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        logger.LogInformation("{Actor} reset the password of {UserName}", actor, user.UserName);
        return (AdminResult.Ok, password);
    }
}
