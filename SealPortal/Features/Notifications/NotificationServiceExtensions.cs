namespace SealPortal.Features.Notifications;

public static class NotificationServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section);
        builder.Services.AddScoped<Notifier>();
        return builder;
    }
}
