using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using SealPortal.Components.Pdf;

namespace SealPortal.Tests.Components;

/// <summary>
/// The placement editor's PDF viewer: MudBlazor's toolbar with the data-pdf-* hooks that
/// wwwroot/js/pdf-viewer.js and the browser tests rely on, and no Bootstrap markup.
/// </summary>
public sealed class PdfViewerTests : IAsyncDisposable
{
    private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;
    private readonly BunitContext _context = new();

    public PdfViewerTests()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("en");
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddLocalization();
        _context.Services.AddMudServices();
    }

    [Fact]
    public void The_toolbar_is_MudBlazor_hidden_until_the_script_reads_the_document()
    {
        var viewer = _context.Render<PdfViewer>(p => p.Add(v => v.Url, "/requests/7/documents/3/original"));

        var root = viewer.Find("[data-testid=pdf-viewer]");
        Assert.Equal("/requests/7/documents/3/original", root.GetAttribute("data-pdf-viewer"));
        var toolbar = viewer.Find("[data-pdf-toolbar]");
        Assert.Contains("mud-toolbar", toolbar.ClassList);
        Assert.True(toolbar.HasAttribute("hidden"));
        Assert.True(viewer.Find("[data-pdf-error]").HasAttribute("hidden"));
        Assert.NotNull(viewer.Find("[data-pdf-pages]"));

        foreach (var (action, label) in new[] { ("prev", "Previous page"), ("next", "Next page"), ("zoom-out", "Zoom out"), ("zoom-in", "Zoom in") })
        {
            var button = viewer.Find($"button[data-pdf-action={action}]");
            Assert.Contains("mud-icon-button", button.ClassList);
            // Inside the request form a click must not submit it.
            Assert.Equal("button", button.GetAttribute("type"));
            Assert.Equal(label, button.GetAttribute("aria-label"));
        }
        // The script and the browser tests type into the page field itself and read its value.
        var input = viewer.Find("input[data-pdf-page-input]");
        Assert.Equal("number", input.GetAttribute("type"));
        Assert.Equal("1", input.GetAttribute("min"));
        Assert.Equal("Page", input.GetAttribute("aria-label"));
        Assert.NotNull(toolbar.QuerySelector("[data-pdf-page-count]"));
        Assert.NotNull(toolbar.QuerySelector("[data-pdf-zoom]"));
        var open = toolbar.QuerySelector("a[href='/requests/7/documents/3/original']")!;
        Assert.Equal("_blank", open.GetAttribute("target"));
        Assert.Equal("Open the PDF", open.GetAttribute("aria-label"));

        var classes = viewer.FindAll("[class]").SelectMany(e => e.ClassList).ToHashSet();
        Assert.Empty(classes.Intersect(["btn", "btn-group", "btn-outline-secondary", "form-control", "alert", "alert-danger", "visually-hidden", "bi", "ms-auto"]));
        Assert.DoesNotContain(classes, c => c.StartsWith("bi-", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        CultureInfo.CurrentUICulture = _previous;
    }
}
