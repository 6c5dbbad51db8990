using Microsoft.AspNetCore.CookiePolicy;

namespace SealPortal.Hosting;

/// <summary>
/// The headers every response carries, static files and error pages included, and the rule that
/// makes every cookie HttpOnly and, in Production, Secure.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// What the pages load: scripts only from the portal's own files (blazor.web.js, MudBlazor's and
    /// pdf.js's modules, never inline), inline styles because MudBlazor sets them on elements, the
    /// circuit's WebSocket and pdf.js's fetches to the same origin, pdf.js's worker from its own file
    /// or a blob, images and fonts it makes as data: or blob: URLs. Nobody may frame a page: an
    /// approve button in someone else's frame is a click-jacking target.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "worker-src 'self' blob:; " +
        "object-src 'none'; " +
        "frame-ancestors 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'";

    /// <summary>The portal uses no device features; a page that is somehow made to ask for one gets nothing.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    /// <summary>
    /// Goes first in the pipeline. The headers are added when the response starts, so the exception
    /// handler clearing the failed response's headers does not take them off the error page.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this WebApplication app)
    {
        // Over plain http a Secure cookie would never come back, so trying the portal on
        // http://localhost keeps SameAsRequest; Production always marks them Secure, because behind a
        // TLS-terminating proxy the request the portal sees is http even though the browser's is https.
        var secure = app.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        app.UseCookiePolicy(new CookiePolicyOptions
        {
            Secure = secure,
            HttpOnly = HttpOnlyPolicy.Always,
            MinimumSameSitePolicy = SameSiteMode.Lax,
        });
        return app;
    }
}
