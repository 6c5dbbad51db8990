using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SealPortal.Data;

namespace SealPortal.Components.Interactive;

/// <summary>
/// The user behind an action in an open circuit, read again from the database for every action:
/// the circuit's own principal was made when the page opened, so a role taken away, a lock or a
/// sign-out elsewhere would not show in it until the next revalidation.
/// </summary>
public sealed class CircuitUser(AuthenticationStateProvider auth, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
{
    /// <summary>The principal as it was when the circuit's state was last set (for display only).</summary>
    public async Task<ClaimsPrincipal> ShownAsync() => (await auth.GetAuthenticationStateAsync()).User;

    /// <summary>
    /// The user as the database has them now (current roles), or null when the circuit's user is
    /// signed out, locked, deleted or their security stamp changed.
    /// </summary>
    public async Task<ClaimsPrincipal?> CurrentAsync()
    {
        var shown = await ShownAsync();
        if (shown.Identity?.IsAuthenticated != true)
            return null;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (!await RevalidatingAuthenticationState.IsStillValidAsync(users, identity.Value, shown))
            return null;
        var user = await users.GetUserAsync(shown);
        if (user is null)
            return null;
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
    }
}
