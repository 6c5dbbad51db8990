using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MudBlazor.Services;

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
        builder.Services.AddOptions<SealPortal.Features.CompanyOptions>().BindConfiguration(SealPortal.Features.CompanyOptions.Section)
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Company:TimeZone is not a known time zone id.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SealPortal.Features.CompanyTime>();
        return builder;
    }
}
