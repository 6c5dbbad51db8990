using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SealPortal.Data;

namespace SealPortal.Components.Interactive;

/// <summary>
/// The signed-in user of an open circuit, checked again every minute: a user who was deleted,
/// locked, or whose security stamp changed (password change, reset, role change) since the cookie
/// was issued is signed out of the circuit, so the page falls back to the sign-in redirect.
/// Handlers check authorization on each action as well (see <see cref="CircuitUser"/>); this
/// catches the idle page that would otherwise keep showing data.
/// </summary>
public sealed class RevalidatingAuthenticationState(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await IsStillValidAsync(users, identity.Value, state.User);
    }

    /// <summary>True while the principal's user exists, is not locked out and has the stamp the cookie was issued with.</summary>
    public static async Task<bool> IsStillValidAsync(UserManager<ApplicationUser> users, IdentityOptions options, ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
            return true;
        var user = await users.GetUserAsync(principal);
        if (user is null || await users.IsLockedOutAsync(user))
            return false;
        if (!users.SupportsUserSecurityStamp)
            return true;
        var stamp = principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
