using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SealPortal.Data;

namespace SealPortal.Features.Account;

/// <summary>
/// Ends sessions on the server and answers whether one is still open. A password change, an
/// administrator's reset, lock or role change calls <see cref="EndSessionsAsync"/>; anything that
/// holds a principal for a long time (a Blazor circuit's revalidating authentication state provider)
/// calls <see cref="IsActiveAsync"/>.
/// </summary>
public sealed class SessionRevocation(IServiceScopeFactory scopes, TimeProvider clock, IOptions<IdentityOptions> identity)
{
    /// <summary>The claim that names the principal's <see cref="UserSession"/> row.</summary>
    public const string SessionClaim = "sealportal:session";

    /// <summary>
    /// Deletes every session of the user but <paramref name="keep"/> (the principal whose request asks,
    /// when users end their own other sessions), so each other cookie goes to the sign-in page at its
    /// next request. The caller's own request still completes: its ticket was read before.
    /// </summary>
    public async Task<int> EndSessionsAsync(string userId, ClaimsPrincipal? keep = null, CancellationToken ct = default)
    {
        var kept = keep?.FindFirstValue(SessionClaim);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().UserSessions
            .Where(s => s.UserId == userId && s.Id != kept)
            .ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// True while the principal's session row exists and has not expired, the user still exists, is
    /// not locked, and has the security stamp the principal was issued with (a password change,
    /// reset or role change replaces it).
    /// </summary>
    public async Task<bool> IsActiveAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var session = principal.FindFirstValue(SessionClaim);
        var userId = principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        if (session is null || userId is null)
            return false;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        if (!await db.UserSessions.AnyAsync(s => s.Id == session && s.UserId == userId && s.ExpiresUtc > now, ct))
            return false;
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null || await users.IsLockedOutAsync(user))
            return false;
        return principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
