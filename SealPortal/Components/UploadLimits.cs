using Microsoft.AspNetCore.Http.Features;

namespace SealPortal.Components;

/// <summary>The limits one upload page enforces: each file, the whole body, and room for the form around the files.</summary>
public sealed record UploadLimit(long PerFile, long Total, long FormOverhead);

/// <summary>
/// Marks a page whose POST carries uploads; <see cref="UploadLimits.UseUploadLimits"/> applies the limits the
/// attribute reads from configuration before anything else reads the form.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public abstract class UploadLimitAttribute : Attribute
{
    public abstract UploadLimit Limits(IServiceProvider services);
}

public static class UploadLimits
{
    /// <summary>HttpContext.Items key: the limit that a refused upload exceeded, for the 413 page.</summary>
    public const string UploadLimitItem = "SealPortal.UploadLimit";

    /// <summary>
    /// Reads the form of an <see cref="UploadLimitAttribute"/> page itself with that page's limits, so an oversize
    /// upload gets our 413 page naming the limit instead of Kestrel's 30 MB default or whatever the antiforgery
    /// check makes of a body cut short. Runs after authorization, so strangers' bodies are not read.
    /// </summary>
    public static IApplicationBuilder UseUploadLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<UploadLimitAttribute>() is not { } page)
        {
            await next(context);
            return;
        }
        var limits = page.Limits(context.RequestServices);
        var bodyLimit = limits.Total + limits.FormOverhead;
        if (context.Request.ContentLength > bodyLimit)
        {
            TooLarge(context, limits.Total);
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
                if (form.Files.Any(f => f.Length > limits.PerFile))
                {
                    TooLarge(context, limits.PerFile);
                    return;
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                TooLarge(context, limits.Total);
                return;
            }
            catch (InvalidDataException ex) when (ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
            {
                TooLarge(context, limits.Total);
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
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UploadLimits))
            .LogInformation("Upload by {Actor} refused: {ContentLength} bytes, limit {Limit}, page {Path}",
                context.User.Identity?.Name, context.Request.ContentLength, limit, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
    }
}
