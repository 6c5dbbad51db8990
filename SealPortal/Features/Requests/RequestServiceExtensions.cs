using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SealPortal.Features.Archive;
using SealPortal.Features.Verification;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// Marks a page whose POST may carry the PDFs of a request: <see cref="RequestServiceExtensions.UseSealRequestUploadLimit"/>
/// applies <see cref="RequestsOptions"/> to it before anything reads the form.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SealRequestUploadAttribute : Attribute;

public static class RequestServiceExtensions
{
    /// <summary>Room for the multipart framing, the antiforgery token and the request's text fields.</summary>
    private const long FormOverhead = 256 * 1024;

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

    /// <summary>
    /// Reads the form of a <see cref="SealRequestUploadAttribute"/> page itself with the request limits, so an
    /// oversize upload gets the 413 page with the limit instead of Kestrel's 30 MB default or a cut-off body.
    /// Runs after authorization, so strangers' bodies are not read.
    /// </summary>
    public static IApplicationBuilder UseSealRequestUploadLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<SealRequestUploadAttribute>() is null)
        {
            await next(context);
            return;
        }
        var limits = context.RequestServices.GetRequiredService<IOptions<RequestsOptions>>().Value;
        var bodyLimit = limits.MaxTotalUploadBytes + FormOverhead;
        if (context.Request.ContentLength > bodyLimit)
        {
            TooLarge(context, limits.MaxTotalUploadBytes);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = bodyLimit;
        if (context.Request.HasFormContentType)
        {
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { MultipartBodyLengthLimit = bodyLimit }));
            try
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                if (form.Files.Any(f => f.Length > limits.MaxUploadBytes))
                {
                    TooLarge(context, limits.MaxUploadBytes);
                    return;
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                TooLarge(context, limits.MaxTotalUploadBytes);
                return;
            }
            catch (InvalidDataException ex) when (ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
            {
                TooLarge(context, limits.MaxTotalUploadBytes);
                return;
            }
            catch (InvalidDataException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }
        await next(context);
    });

    private static void TooLarge(HttpContext context, long limit)
    {
        // The status page names the limit from this item, as it does for the verification page.
        context.Items[VerificationServiceExtensions.UploadLimitItem] = limit;
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestServiceExtensions))
            .LogInformation("Request upload by {Actor} refused: {ContentLength} bytes, limit {Limit}", context.User.Identity?.Name, context.Request.ContentLength, limit);
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
    }

    /// <summary>GET /requests/{id}/documents/{docId}/original: the uploaded PDF, inline, for people who may see the request.</summary>
    public static WebApplication MapRequestEndpoints(this WebApplication app)
    {
        app.MapGet("/requests/{id:int}/documents/{documentId:int}/original", async (int id, int documentId, HttpContext context, SealRequestService requests) =>
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
