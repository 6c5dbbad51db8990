using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Hosting;

namespace SealPortal.Features.Account;

/// <summary>
/// Keeps sign-in tickets in the portal's database (<see cref="UserSession"/>) so the cookie is only a
/// key: signing out deletes the row, and a copy of the cookie replayed later finds nothing and goes
/// to the sign-in page. Every ticket it hands out carries its own key as the
/// <see cref="SessionRevocation.SessionClaim"/> claim, so a principal (in a request or in an open
/// circuit) can always be checked against its row.
/// </summary>
public sealed class SessionStore(IServiceScopeFactory scopes, TimeProvider clock) : ITicketStore
{
    /// <summary>Cookie lifetime when the ticket does not say (it always does: CookieAuthenticationOptions.ExpireTimeSpan).</summary>
    private static readonly TimeSpan FallbackLifetime = TimeSpan.FromHours(8);

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var userId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("A sign-in ticket without a user id cannot become a session.");
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        db.UserSessions.Add(new UserSession
        {
            Id = key,
            UserId = userId,
            CreatedUtc = now,
            ExpiresUtc = ExpiresUtc(ticket, now),
            Ticket = Serialize(ticket, key),
        });
        await db.SaveChangesAsync(cancellationToken);
        // Sessions that simply ran out are never signed out of; sweep this user's on each new sign-in.
        await db.UserSessions.Where(s => s.UserId == userId && s.ExpiresUtc < now).ExecuteDeleteAsync(cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var expires = ExpiresUtc(ticket, clock.GetUtcNow().UtcDateTime);
        var bytes = Serialize(ticket, key);
        await using var scope = scopes.CreateAsyncScope();
        // A row deleted meanwhile (signed out elsewhere, revoked) stays deleted: this updates nothing then.
        await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().UserSessions
            .Where(s => s.Id == key)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, bytes).SetProperty(x => x.ExpiresUtc, expires), cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var bytes = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().UserSessions
            .Where(s => s.Id == key && s.ExpiresUtc > now)
            .Select(s => s.Ticket)
            .SingleOrDefaultAsync(cancellationToken);
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        try
        {
            return await RetrieveAsync(key, cancellationToken);
        }
        catch (Exception ex) when (httpContext.Features.Get<IExceptionHandlerFeature>() is not null && DatabaseUnavailable.Is(ex))
        {
            // The error page for "database unreachable" is being rendered: show it to an anonymous
            // reader rather than fail again here and leave the browser an empty 500. The cookie stays.
            return null;
        }
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().UserSessions
            .Where(s => s.Id == key)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static DateTime ExpiresUtc(AuthenticationTicket ticket, DateTime now) =>
        ticket.Properties.ExpiresUtc?.UtcDateTime ?? now + FallbackLifetime;

    /// <summary>
    /// Stamps the key into the ticket's principal. Renewals bring a principal rebuilt from the user
    /// (the security-stamp check does that), which has lost the claim, so it is put back each time.
    /// </summary>
    private static byte[] Serialize(AuthenticationTicket ticket, string key)
    {
        var identity = ticket.Principal.Identities.First();
        foreach (var stale in identity.FindAll(SessionRevocation.SessionClaim).ToList())
            identity.RemoveClaim(stale);
        identity.AddClaim(new Claim(SessionRevocation.SessionClaim, key));
        return TicketSerializer.Default.Serialize(ticket);
    }

    /// <summary>Hands the store to the Identity cookie.</summary>
    internal sealed class Setup(SessionStore store) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
    {
        public void PostConfigure(string? name, CookieAuthenticationOptions options)
        {
            if (name == Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme)
                options.SessionStore = store;
        }
    }
}
