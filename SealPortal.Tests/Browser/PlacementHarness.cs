using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SealPortal.Components.Pdf;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Browser;

/// <summary>
/// The portal plus a few test-only addresses in front of it, so the viewer and the placement
/// editor can be driven in a browser on their own: /test-harness/{name}.pdf and seal.png serve
/// inputs, /test-harness/editor?pdf=NAME renders <see cref="SealPlacementEditor"/> with
/// HtmlRenderer inside a bare page that loads the interactive portal's stylesheets (MudBlazor's and
/// the portal's) and the placement module, which starts every editor it finds.
/// </summary>
public sealed class PlacementHarnessPortal : Infrastructure.SealPortalFactory
{
    public static readonly byte[] FivePages = PdfTestKit.ClassicPdf(5);
    public static readonly byte[] RotatedPages = PdfTestKit.ClassicPdf(2, rotate: 90);

    /// <summary>A square red disc on transparency, like a seal image.</summary>
    public static readonly byte[] SealPng = PdfTestKit.Png(120, 120, 6, (x, y) =>
        (x - 60) * (x - 60) + (y - 60) * (y - 60) < 55 * 55 ? [200, 16, 46, 255] : [0, 0, 0, 0]);

    protected override IDictionary<string, string?> ExtraSettings => Features.Requests.RequestSeeding.SampleCertificates;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new HarnessFilter()));
    }

    private sealed class HarnessFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/test-harness", harness => harness.Run(ServeAsync));
            next(app);
        };
    }

    private static async Task ServeAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/five.pdf":
                context.Response.ContentType = "application/pdf";
                await context.Response.Body.WriteAsync(FivePages);
                return;
            case "/rotated.pdf":
                context.Response.ContentType = "application/pdf";
                await context.Response.Body.WriteAsync(RotatedPages);
                return;
            case "/seal.png":
                context.Response.ContentType = "image/png";
                await context.Response.Body.WriteAsync(SealPng);
                return;
            case "/editor":
                var pdf = context.Request.Query["pdf"].ToString();
                var html = await RenderEditorAsync(context.RequestServices, $"/test-harness/{pdf}.pdf");
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync($"""
                    <!DOCTYPE html>
                    <html lang="en"><head><meta charset="utf-8" /><base href="/" />
                    <link rel="stylesheet" href="_content/MudBlazor/MudBlazor.min.css" />
                    <link rel="stylesheet" href="css/portal.css" />
                    <title>placement harness</title></head>
                    <body class="pa-3"><form method="post" action="test-harness/echo" id="harness-form">{html}<button type="submit">Save</button></form>
                    <script type="module" src="js/seal-placement.js"></script></body></html>
                    """);
                return;
            case "/echo":
                var form = await context.Request.ReadFormAsync();
                await context.Response.WriteAsync(string.Join("\n", form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")));
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private static async Task<string> RenderEditorAsync(IServiceProvider services, string pdfUrl)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("en");
        try
        {
            await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
            return await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var output = await renderer.RenderComponentAsync<SealPlacementEditor>(ParameterView.FromDictionary(new Dictionary<string, object?>
                {
                    [nameof(SealPlacementEditor.PdfUrl)] = pdfUrl,
                    [nameof(SealPlacementEditor.Slots)] = new List<SealPlacementSlot>
                    {
                        new("Items[0]", 7, "合同专用章", "/test-harness/seal.png", SealPlacementFields.Empty),
                        new("Items[1]", 9, "公章", "/test-harness/seal.png", SealPlacementFields.From(2, 300, 100, 80, 80, false)),
                    },
                    [nameof(SealPlacementEditor.PageCount)] = pdfUrl.Contains("five") ? 5 : 2,
                }));
                return output.ToHtmlString();
            });
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
