using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Seals;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Web;

/// <summary>
/// A portal whose database can be switched off and whose Seals page fails, to see what users
/// and monitors get when things break.
/// </summary>
public sealed class FailingPortalFactory : SealPortalFactory
{
    public volatile bool DatabaseDown;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddScoped<SealCatalog>(_ => throw new InvalidOperationException("secret internal detail"));
            services.AddScoped<SealPortalDbContext>(sp => DatabaseDown
                ? new SqliteSealPortalDbContext(new DbContextOptionsBuilder<SqliteSealPortalDbContext>()
                    .UseSqlite("Data Source=/nonexistent-folder/none.db;Mode=ReadOnly").Options)
                : Database.Provider == "Postgres"
                    ? sp.GetRequiredService<PostgresSealPortalDbContext>()
                    : sp.GetRequiredService<SqliteSealPortalDbContext>());
        });
    }
}

public class FailureTests(FailingPortalFactory portal) : IClassFixture<FailingPortalFactory>
{
    [Fact]
    public async Task An_exception_shows_the_error_page_without_details()
    {
        using var client = await portal.SignInAsync("keeper");
        var response = await client.GetAsync("/seals");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("出错了", html);
        Assert.DoesNotContain("secret internal detail", html);
        Assert.DoesNotContain("InvalidOperationException", html);
        Assert.DoesNotContain(" at SealPortal", html);
        Assert.Contains(portal.Logs.Entries, e => e.Category == typeof(SealPortal.Components.Logging.RequestLogging).FullName
            && e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.StartsWith("GET /seals answered 500 after "));
    }

    [Fact]
    public async Task With_the_database_down_a_signed_in_page_is_a_friendly_503_with_the_security_headers()
    {
        using var client = await portal.SignInAsync("keeper");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        portal.DatabaseDown = true;
        try
        {
            var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var page = await PortalClient.ParseAsync(response);
            Assert.Contains("The portal cannot reach its database", page.TextOf("[data-testid=error-page]"));
            Assert.DoesNotContain("SqliteException", page.DocumentElement.OuterHtml);
            SealPortal.Tests.Hosting.SecurityHeaderAssert.Present(response);
        }
        finally
        {
            portal.DatabaseDown = false;
        }
        // The session survived the outage.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_failing_page_is_a_500_with_the_security_headers()
    {
        using var client = await portal.SignInAsync("keeper");
        SealPortal.Tests.Hosting.SecurityHeaderAssert.Present(await client.GetAsync("/seals"));
    }

    [Fact]
    public async Task Health_turns_503_when_the_database_is_unreachable()
    {
        using var client = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        portal.DatabaseDown = true;
        try
        {
            var response = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            portal.DatabaseDown = false;
        }
    }
}
