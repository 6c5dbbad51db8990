using System.Security.Claims;
using SealPortal.Data;

namespace SealPortal.Features.Admin;

/// <summary>
/// What the interactive administration pages read and do. A circuit lives long, so every call opens a
/// scope of its own (its own context and UserManager) for <see cref="UserAdministration"/> and
/// <see cref="DepartmentAdministration"/>, which keep every rule of the static pages. Every call takes
/// the user as the database has them now (<c>CircuitUser.CurrentAsync</c>): null (signed out, locked)
/// or no longer an administrator gets nothing read and nothing done.
/// </summary>
public sealed class AdminCommands(IServiceScopeFactory scopes)
{
    public const string SessionEnded = SealPortal.Components.Interactive.CircuitUser.SessionEnded;
    public const string NotAdmin = "Only administrators may do this.";

    /// <summary>Null when <paramref name="user"/> may administer; otherwise the refusal.</summary>
    public static AdminResult? Refusal(ClaimsPrincipal? user) =>
        user is null ? AdminResult.Fail(SessionEnded) : !user.IsInRole(Roles.Admin) ? AdminResult.Fail(NotAdmin) : null;

    public async Task<ListPage<UserRow>> UsersAsync(ClaimsPrincipal? user, string? search, GridPageRequest page, CancellationToken ct = default)
    {
        if (Refusal(user) is not null)
            return new([], 0);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>().PageAsync(search, page, ct);
    }

    public async Task<UserRow?> UserAsync(ClaimsPrincipal? user, string id, CancellationToken ct = default)
    {
        if (Refusal(user) is not null)
            return null;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>().FindAsync(id, ct);
    }

    public async Task<IReadOnlyList<DepartmentRow>> DepartmentsAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (Refusal(user) is not null)
            return [];
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DepartmentAdministration>().ListAsync(ct);
    }

    /// <summary>Creates the user with a new random password, returned to be handed over once.</summary>
    public async Task<(AdminResult Result, string? Password)> CreateUserAsync(ClaimsPrincipal? user, string userName, string displayName, string? email,
        int departmentId, IReadOnlyCollection<string> roles)
    {
        if (Refusal(user) is { } refused)
            return (refused, null);
        var password = DatabaseInitializer.NewPassword();
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(userName, displayName, email, departmentId, roles, password, user!.Identity!.Name!);
        return (result, result.Succeeded ? password : null);
    }

    public Task<AdminResult> UpdateUserAsync(ClaimsPrincipal? user, string id, string displayName, int departmentId, IReadOnlyCollection<string> roles) =>
        RunAsync<UserAdministration>(user, (admin, actor) => admin.UpdateAsync(id, displayName, departmentId, roles, actor));

    public Task<AdminResult> SetLockedAsync(ClaimsPrincipal? user, string id, bool locked) =>
        RunAsync<UserAdministration>(user, (admin, actor) => admin.SetLockedAsync(id, locked, actor));

    public async Task<(AdminResult Result, string? Password)> ResetPasswordAsync(ClaimsPrincipal? user, string userName)
    {
        if (Refusal(user) is { } refused)
            return (refused, null);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>().ResetPasswordAsync(userName, user!.Identity!.Name!);
    }

    public Task<AdminResult> CreateDepartmentAsync(ClaimsPrincipal? user, string name) =>
        RunAsync<DepartmentAdministration>(user, (admin, actor) => admin.CreateAsync(name, actor));

    public Task<AdminResult> RenameDepartmentAsync(ClaimsPrincipal? user, int id, string name) =>
        RunAsync<DepartmentAdministration>(user, (admin, actor) => admin.RenameAsync(id, name, actor));

    private async Task<AdminResult> RunAsync<TAdmin>(ClaimsPrincipal? user, Func<TAdmin, string, Task<AdminResult>> action) where TAdmin : notnull
    {
        if (Refusal(user) is { } refused)
            return refused;
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TAdmin>(), user!.Identity!.Name!);
    }
}
