using System.Security.Claims;
using Microsoft.Extensions.Localization;
using MudBlazor;
using SealPortal.Components.Interactive;
using SealPortal.Resources;

namespace SealPortal.Features.Workflows;

/// <summary>
/// The check every action of the workflow and authorization pages makes first: the user as the database
/// has them now, holding one of <c>roles</c>. A signed-out or locked user, or one who lost the role in
/// another window, gets a message and null, so the action does nothing.
/// </summary>
public static class CircuitAccess
{
    public static async Task<ClaimsPrincipal?> RequireAsync(CircuitUser circuit, ISnackbar snackbar, IStringLocalizer<SharedResource> L, params string[] roles)
    {
        var user = await circuit.CurrentAsync();
        if (user is null)
        {
            snackbar.Add(L[CircuitUser.SessionEnded], Severity.Error);
            return null;
        }
        if (roles.Length > 0 && !roles.Any(user.IsInRole))
        {
            snackbar.Add(L["Your roles do not allow this page. Ask an administrator if you need it."], Severity.Error);
            return null;
        }
        return user;
    }

    /// <summary>The same check without a message, for loading a page: null means show nothing.</summary>
    public static async Task<ClaimsPrincipal?> CurrentInRoleAsync(CircuitUser circuit, params string[] roles)
    {
        var user = await circuit.CurrentAsync();
        return user is not null && (roles.Length == 0 || roles.Any(user.IsInRole)) ? user : null;
    }
}
