using Microsoft.Extensions.DependencyInjection.Extensions;
using SealPortal.Features.Archive;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

public static class RequestServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalRequests(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestsOptions>().BindConfiguration(RequestsOptions.Section)
            .Validate(o => o.MaxUploadBytes > 0 && o.MaxTotalUploadBytes >= o.MaxUploadBytes && o.MaxDocuments > 0,
                "Requests:MaxUploadBytes must be positive, Requests:MaxTotalUploadBytes at least as large, Requests:MaxDocuments positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<ArchiveStore>();
        builder.Services.TryAddSingleton(new WorkingCalendar());
        builder.Services.AddScoped<ApproverDirectoryLoader>();
        builder.Services.AddScoped<SealRequestService>();
        return builder;
    }
}
