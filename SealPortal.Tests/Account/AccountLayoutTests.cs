using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using SealPortal.Tests.Hosting;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Account;

/// <summary>
/// The pages that stay static server-rendered (sign-in, change password, access denied, error and
/// status pages) share the plain account layout: its own stylesheet, no Bootstrap, no MudBlazor, no
/// script. Every asset a page references is served, in Development and in Production.
/// </summary>
public class AccountLayoutTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    public static TheoryData<string?, string, HttpStatusCode> StaticPages => new()
    {
        { null, "/account/login", HttpStatusCode.OK },
        { null, "/error", HttpStatusCode.OK },
        { null, "/status/413", HttpStatusCode.OK },
        { "applicant", "/account/password", HttpStatusCode.OK },
        { "applicant", "/account/access-denied", HttpStatusCode.Forbidden },
        { "applicant", "/no-such-page", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(StaticPages))]
    public async Task Static_pages_render_in_the_account_layout_without_Bootstrap(string? user, string url, HttpStatusCode expected)
    {
        using var client = user is null ? portal.CreatePortalClient() : await portal.SignInAsync(user);
        var response = await client.GetAsync(url);
        Assert.True(expected == response.StatusCode, $"{url}: {(int)response.StatusCode} {response.Headers.Location}");
        var page = await PortalClient.ParseAsync(response);

        Assert.NotNull(page.QuerySelector(".account-shell [data-testid=account-card] h1"));
        var styles = Stylesheets(page);
        var sheet = Assert.Single(styles);
        Assert.Matches(@"^/?css/account(\.[a-z0-9]+)?\.css$", sheet);
        Assert.Empty(page.QuerySelectorAll("script[src]"));
        AssertNoBootstrap(page);
        Assert.NotNull(page.QuerySelector("[data-testid=language-switch] button[value=zh-CN]"));
        // Signed in, the bar names the user and offers to sign out; before sign-in it does not.
        Assert.Equal(user, page.QuerySelector("[data-testid=account-user]")?.TextContent);
        Assert.Equal(user is not null, page.QuerySelector("form[action='/account/logout'] [data-testid=sign-out]") is not null);

        var css = await client.GetAsync("/" + sheet.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        var text = await css.Content.ReadAsStringAsync();
        Assert.Contains(".account-card", text);
        Assert.DoesNotContain("bootstrap", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_failed_sign_in_and_a_refused_password_show_their_message_in_the_layout()
    {
        using var anonymous = portal.CreatePortalClient();
        anonymous.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var failed = await anonymous.SignInAsync("applicant", "not-the-password");
        var login = await PortalClient.ParseAsync(failed);
        Assert.Contains("Sign-in failed", login.TextOf(".account-card .account-notice-error[role=alert]"));

        using var client = await portal.SignInAsync("applicant");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var refused = await client.SubmitNamedFormAsync("/account/password", "change-password", new Dictionary<string, object>
        {
            ["Input.CurrentPassword"] = "not-the-password",
            ["Input.NewPassword"] = "Another-Pass-2026x",
            ["Input.ConfirmPassword"] = "Another-Pass-2026x",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await PortalClient.ParseAsync(refused);
        Assert.NotEmpty(page.QuerySelectorAll(".account-card .account-notice-error[role=alert]"));
        Assert.Empty(page.QuerySelectorAll(".account-notice-success"));
        AssertNoBootstrap(page);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/inbox")]
    [InlineData("/requests/new")]
    public async Task Interactive_pages_load_MudBlazor_and_no_Bootstrap_and_every_asset_they_name_is_served(string url)
    {
        using var client = await portal.SignInAsync("depthead");
        var page = await client.GetDocumentAsync(url);
        AssertNoBootstrap(page);
        var styles = Stylesheets(page);
        Assert.Contains(styles, s => s.Contains("_content/MudBlazor/MudBlazor.min", StringComparison.Ordinal));
        Assert.Contains(styles, s => s.Contains("css/portal", StringComparison.Ordinal));
        Assert.DoesNotContain(styles, s => s.Contains("account", StringComparison.Ordinal));
        await AssertServedAsync(client, [.. styles, .. Scripts(page)]);
    }

    /// <summary>Scripts and modules the pages load by themselves (imports of JS interop included).</summary>
    [Theory]
    [InlineData("/js/pdf-viewer.js", "text/javascript")]
    [InlineData("/js/seal-overlay.js", "text/javascript")]
    [InlineData("/js/seal-placement.js", "text/javascript")]
    [InlineData("/lib/pdfjs/build/pdf.min.mjs", "text/javascript")]
    [InlineData("/lib/pdfjs/build/pdf.worker.min.mjs", "text/javascript")]
    [InlineData("/css/account.css", "text/css")]
    [InlineData("/css/portal.css", "text/css")]
    [InlineData("/css/print.css", "text/css")]
    [InlineData("/img/favicon.svg", "image/svg+xml")]
    [InlineData("/img/seal-frame.svg", "image/svg+xml")]
    public async Task Static_assets_the_pages_use_are_served(string url, string mediaType)
    {
        using var client = portal.CreatePortalClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    internal static string[] Stylesheets(IHtmlDocument page) =>
        page.QuerySelectorAll("link[rel=stylesheet]").Select(l => l.GetAttribute("href")!).ToArray();

    internal static string[] Scripts(IHtmlDocument page) =>
        page.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).ToArray();

    internal static async Task AssertServedAsync(PortalClient client, IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            var response = await client.GetAsync("/" + url.TrimStart('/'));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        }
    }

    /// <summary>No Bootstrap file is referenced, and no markup leans on its classes or icons.</summary>
    internal static void AssertNoBootstrap(IHtmlDocument page)
    {
        var references = page.QuerySelectorAll("link[href], script[src]")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src") ?? "").ToList();
        Assert.DoesNotContain(references, r => r.Contains("bootstrap", StringComparison.OrdinalIgnoreCase));
        string[] bootstrapClasses = ["btn", "btn-primary", "alert", "alert-danger", "form-control", "form-label", "card", "card-body", "badge", "dropdown-menu", "text-bg-secondary", "visually-hidden", "bi"];
        var used = page.QuerySelectorAll("[class]").SelectMany(e => e.ClassList).ToHashSet();
        Assert.Empty(used.Intersect(bootstrapClasses));
        Assert.DoesNotContain(used, c => c.StartsWith("bi-", StringComparison.Ordinal));
        Assert.Empty(page.QuerySelectorAll("[data-bs-toggle]"));
    }
}

/// <summary>The same pages in the Production environment, as the README's production section runs the portal.</summary>
public class ProductionAccountLayoutTests(ProductionPortalFactory portal) : IClassFixture<ProductionPortalFactory>
{
    [Fact]
    public async Task In_Production_the_sign_in_page_and_its_stylesheet_are_served_without_Bootstrap()
    {
        // The browser speaks https to the portal (plain http is redirected there in Production).
        using var client = new PortalClient(portal.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
        }));
        var page = await client.GetDocumentAsync("/account/login");
        AccountLayoutTests.AssertNoBootstrap(page);
        var styles = AccountLayoutTests.Stylesheets(page);
        Assert.Single(styles);
        await AccountLayoutTests.AssertServedAsync(client, [.. styles, "/js/pdf-viewer.js", "/lib/pdfjs/build/pdf.min.mjs", "/_content/MudBlazor/MudBlazor.min.css", "/_framework/blazor.web.js"]);
    }
}
