using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Web;

public class AntiforgeryTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task Login_post_without_token_is_refused()
    {
        using var client = portal.CreatePortalClient();
        var response = await client.Http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.UserName"] = "admin",
            ["Input.Password"] = SealPortalFactory.DemoPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("SealPortal.Auth")));
    }

    [Fact]
    public async Task Admin_form_post_without_token_is_refused_even_when_signed_in()
    {
        using var client = await portal.SignInAsync("admin");
        var response = await client.Http.PostAsync("/admin/departments", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "create-department",
            ["name"] = "伪造部门",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // The page is interactive now: its departments are read by the circuit, so the database says what was created.
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<SealPortal.Data.SealPortalDbContext>().Departments.AnyAsync(d => d.Name == "伪造部门"));
    }

    [Theory]
    [InlineData("/account/logout")]
    [InlineData("/account/culture")]
    public async Task Endpoint_post_without_token_is_refused(string url)
    {
        using var client = await portal.SignInAsync("applicant");
        var response = await client.Http.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
