using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SealPortal.Hosting;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Hosting;

public class SecurityHeadersTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Theory]
    [InlineData("/", false, HttpStatusCode.Redirect)]
    [InlineData("/account/login", false, HttpStatusCode.OK)]
    [InlineData("/css/account.css", false, HttpStatusCode.OK)]
    [InlineData("/js/pdf-viewer.js", false, HttpStatusCode.OK)]
    [InlineData("/", true, HttpStatusCode.OK)]
    [InlineData("/no-such-page", true, HttpStatusCode.NotFound)]
    [InlineData("/inbox?seal=x", true, HttpStatusCode.BadRequest)]
    public async Task Every_response_carries_the_security_headers(string url, bool signedIn, HttpStatusCode expected)
    {
        using var client = signedIn ? await portal.SignInAsync("reviewer") : portal.CreatePortalClient();
        var response = await client.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        SecurityHeaderAssert.Present(response);
    }

    [Fact]
    public async Task Cookies_are_HttpOnly_and_not_Secure_over_plain_http_outside_Production()
    {
        using var client = portal.CreatePortalClient();
        var signIn = await client.SignInAsync("reviewer", SealPortalFactory.DemoPassword);
        var cookies = signIn.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith("SealPortal.Auth="));
        Assert.All(cookies, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, c => Assert.DoesNotContain("secure", c.Replace("samesite", ""), StringComparison.OrdinalIgnoreCase));
    }
}

internal static class SecurityHeaderAssert
{
    public static void Present(HttpResponseMessage response)
    {
        string Header(string name) => string.Join(",", response.Headers.TryGetValues(name, out var v) ? v : []);
        var csp = Header("Content-Security-Policy");
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("'unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src")));
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.Contains("base-uri 'self'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.Equal("DENY", Header("X-Frame-Options"));
        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Equal("same-origin", Header("Referrer-Policy"));
        Assert.Contains("camera=()", Header("Permissions-Policy"));
    }
}

/// <summary>The portal in the Production environment, as the README's production section runs it.</summary>
public sealed class ProductionPortalFactory : SealPortalFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

public class ProductionCookieTests(ProductionPortalFactory portal) : IClassFixture<ProductionPortalFactory>
{
    [Fact]
    public async Task In_Production_every_cookie_is_Secure_even_when_a_proxy_passes_plain_http()
    {
        // The browser's request was https; the proxy in front of the portal forwards it as http.
        using var client = new PortalClient(portal.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false, HandleCookies = false,
        }));
        var login = await client.GetAsync("/account/login");
        var cookies = login.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.Contains(cookies, c => c.StartsWith("SealPortal.Antiforgery="));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
        SecurityHeaderAssert.Present(login);
    }
}
