using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace SealPortal.Components.Layout;

/// <summary>
/// The portal theme's stylesheet: what <see cref="MudThemeProvider"/> writes for <see cref="PortalTheme.Theme"/>
/// (the palette as CSS variables, typography, the scrollbar), rendered once, on first use, and served as a
/// file under an address that changes with its content (<see cref="Href"/>), so a browser keeps it.
/// Rendered into each page instead, the same 13,000 characters were rebuilt for every prerendered page
/// (about 5% of a dashboard request's CPU) and sent with it.
/// </summary>
public sealed partial class ThemeStylesheet(IServiceProvider services)
{
    public const string Path = "/css/theme.css";

    private readonly Lazy<Task<(string Css, string Version)>> _rendered = new(() => RenderAsync(services));

    /// <summary>The stylesheet's text.</summary>
    public async Task<string> CssAsync() => (await _rendered.Value).Css;

    /// <summary>The address of this version of the stylesheet, relative to the document's base.</summary>
    public async Task<string> HrefAsync() => $"{Path.TrimStart('/')}?v={(await _rendered.Value).Version}";

    private static async Task<(string, string)> RenderAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(
                new Dictionary<string, object?> { [nameof(MudThemeProvider.Theme)] = PortalTheme.Theme }));
            return output.ToHtmlString();
        });
        var css = StylesOf(html);
        return (css, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(css)).AsSpan(0, 6)));
    }

    /// <summary>
    /// The text of the &lt;style&gt; elements of <paramref name="html"/>, in order. Anything else in it would be lost
    /// from the page, so it is refused: a MudBlazor that writes more than styles must be looked at, not half served.
    /// </summary>
    internal static string StylesOf(string html)
    {
        var css = new StringBuilder();
        var rest = StyleElement().Replace(html, m =>
        {
            css.Append(m.Groups[1].Value.Trim()).Append('\n');
            return "";
        });
        if (!string.IsNullOrWhiteSpace(rest) || css.Length == 0)
            throw new InvalidOperationException($"the theme provider wrote more than style elements: {rest.Trim()[..Math.Min(200, rest.Trim().Length)]}");
        return css.ToString();
    }

    [GeneratedRegex(@"<style\b[^>]*>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();
}

public static class ThemeStylesheetEndpoint
{
    /// <summary>Serves the theme's stylesheet to anyone (the sign-in page does not use it, but it holds no secret).</summary>
    public static void MapThemeStylesheet(this IEndpointRouteBuilder app) =>
        app.MapGet(ThemeStylesheet.Path, async (ThemeStylesheet theme, HttpContext context) =>
        {
            // The address names the version, so the file never changes under it.
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Text(await theme.CssAsync(), "text/css; charset=utf-8");
        }).AllowAnonymous();
}
