using Microsoft.Extensions.Options;
using SealPortal.Components;
using SealPortal.Features.Archive;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>Marks a page whose POST may carry the PDFs of a request, limited by <see cref="RequestsOptions"/>.</summary>
public sealed class SealRequestUploadAttribute : UploadLimitAttribute
{
    /// <summary>Room for the multipart framing, the antiforgery token and the request's text fields.</summary>
    private const long FormOverhead = 256 * 1024;

    public override UploadLimit Limits(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RequestsOptions>>().Value;
        return new UploadLimit(options.MaxUploadBytes, options.MaxTotalUploadBytes, FormOverhead);
    }
}

public static class RequestServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalRequests(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestsOptions>().BindConfiguration(RequestsOptions.Section)
            .Validate(o => o.MaxUploadBytes > 0 && o.MaxTotalUploadBytes >= o.MaxUploadBytes && o.MaxDocuments > 0,
                "Requests:MaxUploadBytes must be positive, Requests:MaxTotalUploadBytes at least as large, Requests:MaxDocuments positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<ArchiveStore>();
        // Working hours, deadlines and off-hours flags are counted in the company's time zone (Company:TimeZone).
        builder.Services.AddSingleton(sp => new WorkingCalendar
        {
            TimeZoneId = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SealPortal.Features.CompanyOptions>>().Value.TimeZone,
        });
        builder.Services.AddScoped<ApproverDirectoryLoader>();
        builder.Services.AddScoped<RequestNumberSource>();
        // One handler per use case (Features/Requests/Commands), each over the scope's context.
        builder.Services.AddScoped<RequestWorkflowStore>();
        builder.Services.AddScoped<DraftChecks>();
        builder.Services.AddScoped<PdfIntake>();
        builder.Services.AddScoped<CreateDraftHandler>();
        builder.Services.AddScoped<UpdateDraftHandler>();
        builder.Services.AddScoped<SubmitRequestHandler>();
        builder.Services.AddScoped<DecideHandler>();
        builder.Services.AddScoped<WithdrawRequestHandler>();
        builder.Services.AddScoped<ResubmitRequestHandler>();
        builder.Services.AddScoped<SetPlacementsHandler>();
        builder.Services.AddScoped<DeadlineTickHandler>();
        // Reads open a context per call, so circuits, endpoints and jobs share one instance.
        builder.Services.AddSingleton<RequestQueries>();
        builder.Services.AddSingleton<RequestCommands>();
        builder.Services.AddSingleton<DraftCommands>();
        builder.Services.AddSingleton<RequestTimelines>();
        return builder;
    }

    /// <summary>GET /requests/{id}/documents/{docId}/original: the uploaded PDF, inline, for people who may see the request.</summary>
    public static WebApplication MapRequestEndpoints(this WebApplication app)
    {
        // The placement page became a step of the request editor; links in mails and notifications still lead there.
        app.MapGet("/requests/{id:int}/placement", (int id) => Results.Redirect($"/requests/{id}/edit?step=placement")).RequireAuthorization();
        app.MapGet("/requests/{id:int}/documents/{documentId:int}/original", async (int id, int documentId, HttpContext context, RequestQueries requests) =>
        {
            var (content, fileName, allowed) = await requests.OpenOriginalAsync(id, documentId, context.User, context.RequestAborted);
            if (!allowed)
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            if (content is null)
                return Results.NotFound();
            context.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { Inline = true, FileName = fileName }.ToString();
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            return Results.Stream(content, "application/pdf");
        }).RequireAuthorization();
        return app;
    }
}
