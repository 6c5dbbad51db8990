using System.Net;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Web;

namespace SealPortal.Tests.Hosting;

public class BadInputTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Theory]
    [InlineData("reviewer", "/inbox?seal=x", "seal")]
    [InlineData("reviewer", "/inbox?urgent=maybe", "urgent")]
    [InlineData("applicant", "/notifications?unread=x", "unread")]
    [InlineData("auditor", "/audit-trail?before=x", "before")]
    [InlineData("admin", "/admin/authorizations?seal=x", "seal")]
    [InlineData("admin", "/admin/authorizations?seal=99999999999", "seal")]
    public async Task A_malformed_typed_query_value_is_a_400_naming_it(string userName, string url, string name)
    {
        using var client = await portal.SignInAsync(userName);
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await PortalClient.ParseAsync(response);
        Assert.Equal($"The address has a value the page cannot read: {name}.", page.TextOf("[data-testid=status-message]"));
    }

    [Theory]
    [InlineData("reviewer", "/inbox?seal=1")]
    [InlineData("reviewer", "/inbox?seal=")]
    [InlineData("applicant", "/notifications?unread=1")]
    [InlineData("auditor", "/audit-trail?before=5")]
    [InlineData("admin", "/admin/authorizations?seal=1")]
    public async Task Well_formed_values_still_open_the_page(string userName, string url)
    {
        using var client = await portal.SignInAsync(userName);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("/seals\t")]
    [InlineData("/\t/evil.example")]
    [InlineData("/seals\nSet-Cookie: x=y")]
    [InlineData("/\r\n/evil.example")]
    public async Task A_culture_return_address_with_a_control_character_goes_home(string returnUrl)
    {
        using var client = await portal.SignInAsync("applicant");
        var response = await client.PostHandMadeAsync("/account/culture", null,
            [new("culture", "en"), new("returnUrl", returnUrl)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_sign_in_return_address_with_a_tab_goes_home()
    {
        using var client = portal.CreatePortalClient();
        var response = await client.SubmitNamedFormAsync("/account/login?ReturnUrl=%2F%09%2Fevil.example", "login",
            new Dictionary<string, object> { ["Input.UserName"] = "keeper", ["Input.Password"] = SealPortalFactory.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.LocalTarget());
    }
}
