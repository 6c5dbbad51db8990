using System.Security.Claims;
using SealPortal.Data;

namespace SealPortal.Features.Seals;

/// <summary>
/// The seal registry as the interactive pages use it. Every call runs in a scope of its own (its own
/// context), and every change first checks the user as the database has them now: a circuit whose
/// session ended, or whose user is no longer an administrator, changes nothing.
/// </summary>
public sealed class SealCommands(IServiceScopeFactory scopes)
{
    /// <summary>The answer for a circuit whose user is signed out, locked or deleted.</summary>
    public static SealResult SignedOut => SealResult.Fail(StatusCodes.Status401Unauthorized, SealPortal.Components.Interactive.CircuitUser.SessionEnded);

    /// <summary>The seal's record for <paramref name="user"/>: null when there is no such seal; Allowed false when the user may not open it.</summary>
    public async Task<(SealDetail? Seal, bool Allowed, string? Unusable)> GetAsync(ClaimsPrincipal user, int id, DateTimeOffset now)
    {
        await using var scope = scopes.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
        var seal = await registry.GetAsync(id);
        if (seal is null)
            return (null, true, null);
        if (!SealCatalog.MayOpen(user, seal.CustodianUserId))
            return (null, false, null);
        return (seal, true, await registry.CheckUsableAsync(id, now));
    }

    /// <summary>Departments and custodian candidates for the seal form.</summary>
    public async Task<(IReadOnlyList<(int Id, string Name)> Departments, IReadOnlyList<(string Id, string DisplayName)> Custodians)> ChoicesAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
        return (await registry.DepartmentsAsync(), await registry.CustodianCandidatesAsync());
    }

    public Task<SealResult> CreateAsync(ClaimsPrincipal? user, SealInput input) =>
        RunAsync(user, (registry, actor) => registry.CreateAsync(input, actor));

    public Task<SealResult> EditAsync(ClaimsPrincipal? user, int id, SealInput input) =>
        RunAsync(user, (registry, actor) => registry.EditAsync(id, input, actor));

    public Task<SealResult> ChangeStatusAsync(ClaimsPrincipal? user, int id, SealStatus to, string? reason) =>
        RunAsync(user, (registry, actor) => registry.ChangeStatusAsync(id, to, reason, actor));

    public Task<SealResult> SetImageAsync(ClaimsPrincipal? user, int id, byte[] png) =>
        RunAsync(user, (registry, actor) => registry.SetImageAsync(id, png, actor));

    public Task<SealResult> GenerateImageAsync(ClaimsPrincipal? user, int id) =>
        RunAsync(user, (registry, actor) => registry.GenerateImageAsync(id, actor));

    public Task<SealResult> BindCertificateAsync(ClaimsPrincipal? user, int id, byte[] pfx, string fileName, string password) =>
        RunAsync(user, (registry, actor) => registry.BindCertificateAsync(id, pfx, fileName, password, actor));

    /// <summary>Every change to the registry is for administrators only, whoever may view a seal.</summary>
    private async Task<SealResult> RunAsync(ClaimsPrincipal? user, Func<SealRegistry, string, Task<SealResult>> change)
    {
        if (user is null)
            return SignedOut;
        if (!user.IsInRole(Roles.Admin))
            return SealResult.Fail(StatusCodes.Status403Forbidden, "Only administrators may change seals.");
        await using var scope = scopes.CreateAsyncScope();
        // No HttpContext in a circuit: the audit trail learns the administrator from here.
        using var acting = AuditTrail.AuditTrail.ActingAs(user);
        return await change(scope.ServiceProvider.GetRequiredService<SealRegistry>(), user.Identity!.Name!);
    }
}
