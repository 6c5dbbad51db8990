using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using SealPortal.Features.Account;

namespace SealPortal.Components.Interactive;

/// <summary>
/// The signed-in user of an open circuit, checked again every minute against the server-side session
/// (<see cref="SessionRevocation"/>): a session ended by sign-out elsewhere, a lock, a deleted user or a
/// changed security stamp (password change, reset, role change) signs the circuit out, so the page falls
/// back to the sign-in redirect. Actions check again on their own (see <see cref="CircuitUser"/>); this
/// catches the idle page that would otherwise keep showing data.
/// </summary>
public sealed class RevalidatingAuthenticationState(ILoggerFactory loggerFactory, SessionRevocation sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) =>
        sessions.IsActiveAsync(state.User, ct);
}
