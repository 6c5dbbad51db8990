using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Infrastructure;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Workflows;

public class WorkflowAdminPageTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Theory]
    [InlineData("applicant", "/admin/workflows")]
    [InlineData("depthead", "/admin/workflows/standard/edit")]
    [InlineData("executive", "/admin/workflows/rules")]
    [InlineData("auditor", "/admin/workflows/standard/v/1")]
    [InlineData("keeper", "/admin/authorizations")]
    [InlineData("applicant", "/delegations")]
    [InlineData("reviewer", "/admin/workflows/tests")]
    [InlineData("auditor", "/admin/workflows/standard/tests")]
    public async Task Other_roles_are_refused(string userName, string url)
    {
        using var client = await portal.SignInAsync(userName);
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(response.Headers.Location!.OriginalString)).StatusCode);
    }

    [Fact]
    public async Task The_template_pages_render_in_the_portal_layout_for_the_admin()
    {
        using var admin = await portal.SignInAsync("admin");
        var list = await admin.GetDocumentAsync("/admin/workflows");
        Assert.NotNull(list.QuerySelector("nav a[href='/admin/workflows']"));
        // Prerendered with the data, before the circuit starts.
        var keys = list.QuerySelectorAll("[data-testid=template-table] tbody tr code").Select(c => c.TextContent).ToList();
        Assert.Contains(DemoWorkflows.Standard, keys);
        Assert.Contains(DemoWorkflows.Contract, keys);
        foreach (var url in new[] { "/admin/workflows/contract/edit", "/admin/workflows/rules", "/admin/workflows/tests", "/admin/workflows/contract/tests", "/admin/workflows/contract/v/1", "/admin/authorizations", "/delegations" })
            Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("/admin/workflows/contract/v/999")]
    [InlineData("/admin/workflows/no-such-template/v/1")]
    [InlineData("/admin/workflows/Not%20A%20Key/edit")]
    public async Task A_version_or_key_that_does_not_exist_is_a_404_with_a_message(string url)
    {
        using var admin = await portal.SignInAsync("admin");
        var response = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await PortalClient.ParseAsync(response);
        // The portal's own not-found page answers (the status page re-executes for a 404), with its message.
        Assert.NotNull(page.QuerySelector("[data-testid=not-found], [data-testid=bad-key], [data-testid=status-message]"));
    }

    [Theory]
    [InlineData("/admin/workflows/contract/edit")]
    [InlineData("/admin/workflows/rules")]
    [InlineData("/admin/authorizations")]
    [InlineData("/delegations")]
    [InlineData("/admin/workflows/contract/tests")]
    public async Task A_plain_form_post_to_an_interactive_page_is_refused_and_changes_nothing(string url)
    {
        using var admin = await portal.SignInAsync("admin");
        var before = await LatestAsync("contract");
        var response = await admin.Http.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "template", ["action"] = "save", ["Name"] = "forged", ["count"] = "1",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before.Version, (await LatestAsync("contract")).Version);
    }

    private async Task<WorkflowTemplate> LatestAsync(string key)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>().GetAsync(key, null, default)
            ?? throw new InvalidOperationException($"no template {key}");
    }
}
