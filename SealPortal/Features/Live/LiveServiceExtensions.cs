using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SealPortal.Features.Live;

public static class LiveServiceExtensions
{
    /// <summary>Events written with each change, and their delivery to open pages on every instance.</summary>
    public static WebApplicationBuilder AddSealPortalLive(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section);
        services.AddSingleton<LiveSignal>();
        services.AddSingleton<LiveEvents>();
        services.AddSingleton<WorkflowNotifications>();
        services.AddSingleton<PortalEventInterceptor>();
        // Every context the portal makes gets it (see DataServiceExtensions: the app's IInterceptor services).
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<PortalEventInterceptor>());
        services.AddSingleton<LiveEventDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveEventDispatcher>());
        services.AddScoped<LiveRequestQuery>();
        return builder;
    }
}
