using System.Net;
using System.Text.RegularExpressions;
using SealPortal.Components.Layout;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Hosting;

public class ThemeStylesheetTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task A_portal_page_links_the_theme_as_a_file_that_holds_the_company_red()
    {
        using var client = await portal.SignInAsync("reviewer");
        var page = await (await client.GetAsync("/")).Content.ReadAsStringAsync();
        // The theme's variables are no longer written into the page; the page links the versioned file instead.
        Assert.DoesNotContain("--mud-palette-primary:", page);
        var href = Regex.Match(page, "<link rel=\"stylesheet\" href=\"(css/theme\\.css\\?v=[0-9a-f]{12})\"").Groups[1].Value;
        Assert.NotEmpty(href);

        using var anonymous = portal.CreatePortalClient();
        var response = await anonymous.GetAsync("/" + href);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
        var css = await response.Content.ReadAsStringAsync();
        // PortalTheme.SealRed, #C8102E, as MudBlazor writes colours.
        Assert.Equal("#C8102E", PortalTheme.SealRed);
        Assert.Contains("--mud-palette-primary: rgba(200,16,46,1);", css);
        Assert.Contains("--mud-drawer-width-left: 248px", css);
        Assert.DoesNotContain("<style", css);
        SecurityHeaderAssert.Present(response);
    }

    [Fact]
    public async Task The_sign_in_page_does_not_load_the_theme()
    {
        using var client = portal.CreatePortalClient();
        var page = await (await client.GetAsync("/account/login")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("css/theme.css", page);
    }

    [Fact]
    public void Only_style_elements_are_taken_and_anything_else_is_refused()
    {
        Assert.Equal("a{}\nb{}\n", ThemeStylesheet.StylesOf("<style class='x'> a{} </style>\n<style>b{}</style>"));
        Assert.Throws<InvalidOperationException>(() => ThemeStylesheet.StylesOf("<style>a{}</style><div>lost</div>"));
        Assert.Throws<InvalidOperationException>(() => ThemeStylesheet.StylesOf(""));
    }
}
