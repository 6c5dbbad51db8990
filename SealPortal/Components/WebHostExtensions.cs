using SealPortal.Features.Requests;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using SealPortal.Components.Interactive;
using SealPortal.Data;
using SealPortal.Features.Account;
using SealPortal.Features.Verification;
using SealPortal.Components.Layout;
using SealPortal.Components.Logging;
using SealPortal.Hosting;

namespace SealPortal.Components;

public static class WebHostExtensions
{
    /// <summary>
    /// Console logs: one plain line per event in Development (<see cref="PortalLineFormatter"/>), one
    /// JSON object per line everywhere else; no scopes in either. "Logging:Console:FormatterName"
    /// ("line", "json" or "simple") overrides the choice. The framework's per-request lines stay at
    /// Warning (appsettings.json); <see cref="RequestLogging"/> reports failed and slow requests instead.
    /// </summary>
    public static WebApplicationBuilder AddSealPortalLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.AddConsole();
        builder.Logging.AddConsoleFormatter<PortalLineFormatter, ConsoleFormatterOptions>();
        var chosen = builder.Configuration["Logging:Console:FormatterName"];
        var formatter = string.IsNullOrWhiteSpace(chosen)
            ? builder.Environment.IsDevelopment() ? PortalLineFormatter.FormatterName : ConsoleFormatterNames.Json
            : chosen;
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = false;
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = false;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        return builder;
    }

    /// <summary>
    /// Razor components: interactive server pages (MudBlazor) and the static account and status pages,
    /// antiforgery and data protection.
    /// </summary>
    public static WebApplicationBuilder AddSealPortalWeb(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Package assets (_framework/blazor.web.js, _content/MudBlazor) are found through the static
        // web assets manifest under `dotnet run` in every environment, not only in Development; after
        // `publish` they sit in wwwroot and the manifest is absent, which this call tolerates.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddSingleton<SealPortal.Components.Layout.ThemeStylesheet>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitCounter>();
        builder.AddSealPortalInteractive();
        // Chinese text goes out as characters, not as &#x...; escapes: half the bytes and readable source.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "SealPortal.Antiforgery");

        // Keys live in the database, so a restart keeps everyone signed in and every instance on the same
        // database reads a cookie, a form or a seal's protected password that another one wrote. Their
        // secrets are encrypted with the configured certificate before they are stored.
        builder.Services.AddDataProtection().SetApplicationName("SealPortal").PersistKeysToDbContext<SealPortalDbContext>();
        builder.Services.AddKeyEncryption();
        builder.AddForwardedHeaders();
        return builder;
    }

    public static WebApplication UseSealPortalWeb(this WebApplication app)
    {
        // Before everything that reads the client's address (logs, sign-in limits, the audit trail).
        app.UseConfiguredForwardedHeaders();
        // Outermost, so it sees the status the error page finally answered with.
        app.UseMiddleware<RequestLogging>();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/error",
                CreateScopeForErrors = true,
                // A malformed request stays a 4xx on the friendly page instead of becoming a 500.
                // An unreachable database is a 503 (come back later), not a fault of the request.
                StatusCodeSelector = ex => ex switch
                {
                    BadHttpRequestException bad => bad.StatusCode,
                    _ when DatabaseUnavailable.Is(ex) => StatusCodes.Status503ServiceUnavailable,
                    _ => StatusCodes.Status500InternalServerError,
                },
            });
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        // Error and status pages are shown by re-running the pipeline. Re-run a failed POST as a GET,
        // or the page would look for the failed request's form (and its antiforgery token) again.
        app.Use((context, next) =>
        {
            if (context.Features.Get<IExceptionHandlerFeature>() is not null || context.Features.Get<IStatusCodeReExecuteFeature>() is not null)
                context.Request.Method = HttpMethods.Get;
            return next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseSignInLimits();
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseQueryValueCheck();
        app.UseUploadLimits();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapSealPortalPages(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions()).AllowAnonymous();
        // Stylesheets, scripts and images are public: the sign-in page's own stylesheet is fetched before
        // anyone signs in, under its fingerprinted name, which only these endpoints (not UseStaticFiles) know.
        app.MapStaticAssets().AllowAnonymous();
        app.MapThemeStylesheet();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
