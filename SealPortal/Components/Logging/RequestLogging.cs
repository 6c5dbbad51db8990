using System.Diagnostics;
using Microsoft.Extensions.Options;
using SealPortal.Data;

namespace SealPortal.Components.Logging;

/// <summary>
/// The portal's own request log: the framework's per-request lines (Microsoft.AspNetCore.* at
/// Information) are filtered out, and this writes one line only for a request that failed (5xx, at
/// Warning) or was slow (over <see cref="SealPortalOptions.SlowRequestMilliseconds"/>, at Information).
/// A normal request leaves no line, so the console shows what needs looking at.
/// </summary>
public sealed class RequestLogging(RequestDelegate next, IOptionsMonitor<SealPortalOptions> options, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            if (status >= StatusCodes.Status500InternalServerError)
                logger.LogWarning("{Method} {Path} answered {Status} after {Milliseconds:0} ms", context.Request.Method, context.Request.Path.Value, status, elapsed.TotalMilliseconds);
            else if (elapsed.TotalMilliseconds > options.CurrentValue.SlowRequestMilliseconds)
                logger.LogInformation("{Method} {Path} answered {Status} slowly, after {Milliseconds:0} ms", context.Request.Method, context.Request.Path.Value, status, elapsed.TotalMilliseconds);
        }
    }
}
