using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Ledger;

namespace SealPortal.Features.Verification;

/// <summary>
/// Marks a page whose POST carries a PDF upload: <see cref="VerificationServiceExtensions.UseUploadLimit"/>
/// enforces <see cref="VerificationOptions.MaxUploadBytes"/> on it before anything reads the form.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PdfUploadAttribute : Attribute;

public static class VerificationServiceExtensions
{
    /// <summary>Auditors check documents; administrators and seal keepers may need to answer the same question.</summary>
    public const string AllowedRoles = Roles.Auditor + "," + Roles.Admin + "," + Roles.SealKeeper;

    /// <summary>HttpContext.Items key: the limit that a refused upload exceeded, for the 413 page.</summary>
    public const string UploadLimitItem = "SealPortal.UploadLimit";

    /// <summary>Room for the multipart framing and the antiforgery token around the file itself.</summary>
    private const long FormOverhead = 64 * 1024;

    public static WebApplicationBuilder AddSealPortalVerification(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section)
            .Validate(o => o.MaxUploadBytes > 0, "Verification:MaxUploadBytes must be positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<TrustAnchors>();
        builder.Services.AddScoped<DocumentVerifier>();
        builder.Services.TryAddScoped<LedgerLookup>();
        builder.Services.TryAddScoped<ArchivedDocuments>();
        return builder;
    }

    /// <summary>
    /// Reads the form of a <see cref="PdfUploadAttribute"/> page itself, with the configured limit,
    /// so that an oversize upload gets our 413 page instead of whatever the antiforgery check or
    /// Kestrel would make of a body cut short. Runs after authorization: strangers are not read.
    /// </summary>
    public static IApplicationBuilder UseUploadLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<PdfUploadAttribute>() is null)
        {
            await next(context);
            return;
        }
        var limit = context.RequestServices.GetRequiredService<IOptions<VerificationOptions>>().Value.MaxUploadBytes;
        var bodyLimit = limit + FormOverhead;
        if (context.Request.ContentLength > bodyLimit)
        {
            TooLarge(context, limit);
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
                if (form.Files.Any(f => f.Length > limit))
                {
                    TooLarge(context, limit);
                    return;
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                TooLarge(context, limit);
                return;
            }
            catch (InvalidDataException ex) when (ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
            {
                TooLarge(context, limit);
                return;
            }
            catch (InvalidDataException)
            {
                // A broken multipart body: the status page says the request was not understood.
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }
        await next(context);
    });

    private static void TooLarge(HttpContext context, long limit)
    {
        context.Items[UploadLimitItem] = limit;
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(VerificationServiceExtensions))
            .LogInformation("Upload by {Actor} refused: {ContentLength} bytes, limit {Limit}", context.User.Identity?.Name, context.Request.ContentLength, limit);
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
    }

    /// <summary>
    /// The two downloads of a shown report. The report comes back in the protected token the page
    /// put into its form, so nothing of the upload is stored; binding a [FromForm] value makes the
    /// antiforgery middleware check the token.
    /// </summary>
    public static IEndpointRouteBuilder MapVerificationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/verify/report.json", IResult ([FromForm] string? report, DocumentVerifier verifier) =>
        {
            var doc = verifier.Unprotect(report);
            if (doc is null)
                return Expired();
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(doc.ToJson()), "application/json; charset=utf-8", DocumentVerifier.DownloadName(doc, ".json"));
        }).RequireAuthorization(p => p.RequireRole(AllowedRoles.Split(',')));

        app.MapPost("/verify/print", IResult ([FromForm] string? report, DocumentVerifier verifier) =>
        {
            var doc = verifier.Unprotect(report);
            return doc is null ? Expired() : new RazorComponentResult<PrintReport>(new { Document = doc });
        }).RequireAuthorization(p => p.RequireRole(AllowedRoles.Split(',')));

        return app;
    }

    private static RazorComponentResult<PrintReport> Expired() =>
        new(new { Document = (VerifiedDocument?)null }) { StatusCode = StatusCodes.Status400BadRequest };
}
