using Microsoft.Extensions.Options;

namespace SealPortal.Features.Notifications;

public static class NotificationServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section);
        builder.Services.AddScoped<Notifier>();
        builder.Services.AddScoped<NotificationInbox>();
        builder.Services.AddScoped<OutboxSender>();
        builder.Services.AddSingleton<IEmailTransport, SmtpEmailTransport>();
        builder.Services.AddHostedService<EmailStatusLog>();
        return builder;
    }
}

/// <summary>Says once at start whether e-mail goes out, so a missing Smtp:Host is not a silent surprise.</summary>
internal sealed class EmailStatusLog(IOptions<SmtpOptions> options, ILogger<EmailStatusLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.IsEnabled)
            logger.LogInformation("E-mail notifications go through {Host}:{Port} from {From}", o.Host, o.Port, o.From);
        else
            logger.LogWarning("E-mail notifications are off: Smtp:Host is not set. Notifications appear only in the portal.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
