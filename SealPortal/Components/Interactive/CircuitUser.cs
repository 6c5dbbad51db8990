using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using SealPortal.Data;
using SealPortal.Features.Account;

namespace SealPortal.Components.Interactive;

/// <summary>
/// The user behind an action in an open circuit, read again from the database for every action:
/// the circuit's own principal was made when the page opened, so a sign-out elsewhere, a lock or a
/// role taken away would not show in it until the next revalidation.
/// </summary>
public sealed class CircuitUser(AuthenticationStateProvider auth, SessionRevocation sessions, IServiceScopeFactory scopes)
{
    /// <summary>What an action in an open circuit answers when <see cref="CurrentAsync"/> finds no user (a resource key).</summary>
    public const string SessionEnded = "Your session has ended. Sign in again.";

    /// <summary>
    /// The user as the database has them now (current roles), or null when the circuit's session has
    /// ended, or the user is locked, deleted or their security stamp changed.
    /// </summary>
    public async Task<ClaimsPrincipal?> CurrentAsync()
    {
        var shown = (await auth.GetAuthenticationStateAsync()).User;
        if (shown.Identity?.IsAuthenticated != true || !await sessions.IsActiveAsync(shown))
            return null;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.GetUserAsync(shown);
        if (user is null)
            return null;
        var current = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        // The session claim lives on the cookie's principal, not on one built afresh; keep it for later checks.
        if (shown.FindFirst(SessionRevocation.SessionClaim) is { } session && current.Identity is ClaimsIdentity identity)
            identity.AddClaim(new Claim(session.Type, session.Value));
        return current;
    }
}
