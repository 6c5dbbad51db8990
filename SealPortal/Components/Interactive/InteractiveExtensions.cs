using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MudBlazor.Services;
using SealPortal.Features;

namespace SealPortal.Components.Interactive;

public static class InteractiveExtensions
{
    /// <summary>
    /// What the interactive (circuit) pages need: MudBlazor with the portal's translations of its
    /// built-in texts, and an authentication state that is checked again while the circuit lives.
    /// </summary>
    public static WebApplicationBuilder AddSealPortalInteractive(this WebApplicationBuilder builder)
    {
        builder.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            o.SnackbarConfiguration.PreventDuplicates = false;
            o.SnackbarConfiguration.VisibleStateDuration = 6000;
            o.SnackbarConfiguration.ShowCloseIcon = true;
        });
        builder.Services.AddTransient<MudLocalizer, PortalMudLocalizer>();
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationState>();
        builder.Services.AddScoped<CircuitUser>();
        builder.Services.AddCompanyTime();
        return builder;
    }
}
