using System.Net;
using AngleSharp.Html.Dom;
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
    public async Task Other_roles_are_refused(string userName, string url)
    {
        using var client = await portal.SignInAsync(userName);
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(response.Headers.Location!.OriginalString)).StatusCode);
    }

    [Fact]
    public async Task Seeded_templates_are_listed_with_their_versions()
    {
        using var admin = await portal.SignInAsync("admin");
        var list = await admin.GetDocumentAsync("/admin/workflows");
        var keys = list.QuerySelectorAll("[data-testid=template-table] tbody tr code").Select(c => c.TextContent).ToList();
        Assert.Contains(DemoWorkflows.Standard, keys);
        Assert.Contains(DemoWorkflows.Contract, keys);
        Assert.NotNull(list.QuerySelector("nav a[href='/admin/workflows']"));
    }

    [Fact]
    public async Task Saving_writes_a_new_version_and_the_old_one_stays_as_it_was()
    {
        using var admin = await portal.SignInAsync("admin");
        var before = await LatestAsync("contract");

        var saved = await admin.SubmitNamedFormAsync("/admin/workflows/contract/edit", "template", new Dictionary<string, object>
        {
            ["action"] = "save",
            ["Name"] = "合同审批（新）",
            ["n1.UrgentAmount"] = "3",
            ["n1.UrgentUnit"] = "Hours",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/admin/workflows/contract/v/{before.Version + 1}?saved=true", saved.LocalTarget());

        var after = await LatestAsync("contract");
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal("合同审批（新）", after.Name);
        Assert.Equal(WorkingDuration.Hours(3), after.Nodes[1].Deadline!.Urgent);
        // Everything the form did not change survives the round trip through the form.
        Assert.Equal(before.Nodes.Select(n => (n.Id, n.Approvers, n.Mode, n.AppliesWhen?.AmountAtLeast)),
            after.Nodes.Select(n => (n.Id, n.Approvers, n.Mode, n.AppliesWhen?.AmountAtLeast)));

        var old = await admin.GetDocumentAsync($"/admin/workflows/contract/v/{before.Version}");
        Assert.NotNull(old.QuerySelector("[data-testid=older-version]"));
        using var scope = portal.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>();
        var stored = await store.GetAsync("contract", before.Version, default);
        Assert.Equal(before.Name, stored!.Name);
        Assert.Equal(before.Nodes[1].Deadline!.Urgent, stored.Nodes[1].Deadline!.Urgent);
    }

    [Fact]
    public async Task An_invalid_template_is_refused_with_the_reason_and_no_version_is_written()
    {
        using var admin = await portal.SignInAsync("admin");
        var before = await LatestAsync("standard");

        var response = await admin.SubmitNamedFormAsync("/admin/workflows/standard/edit", "template", new Dictionary<string, object>
        {
            ["action"] = "save",
            ["n0.Source"] = "Users",
            ["n0.Users"] = Array.Empty<string>(),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await PortalClient.ParseAsync(response);
        Assert.Contains("指定用户时至少需要选择一名用户。", page.TextOf("[data-testid=error]"));
        // The form comes back as typed, so the admin can fix it.
        Assert.Equal("Users", ((IHtmlSelectElement)page.QuerySelector("select[name='n0.Source']")!).Value);

        var typo = await admin.SubmitNamedFormAsync("/admin/workflows/standard/edit", "template", new Dictionary<string, object>
        {
            ["action"] = "save",
            ["n0.NormalAmount"] = "one",
        });
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        Assert.Contains("“one”不是正整数", (await PortalClient.ParseAsync(typo)).TextOf("[data-testid=error]"));

        Assert.Equal(before.Version, (await LatestAsync("standard")).Version);
    }

    [Fact]
    public async Task Nodes_are_added_moved_and_removed_without_saving()
    {
        using var admin = await portal.SignInAsync("admin");
        var created = await admin.SubmitNamedFormAsync("/admin/workflows", "new-template", new Dictionary<string, object> { ["key"] = "finance-payments" });
        Assert.Equal("/admin/workflows/finance-payments/edit", created.LocalTarget());

        // A browser posts the whole form with every button, so each step posts what the previous one rendered.
        var page = await admin.GetDocumentAsync("/admin/workflows/finance-payments/edit");
        page = await PostAsync(admin, page, new() { ["n0.Name"] = "财务审核", ["n0.Source"] = "CompanyRole", ["n0.Role"] = "Reviewer", ["action"] = "add" });
        Assert.Equal(2, page.QuerySelectorAll("[data-testid=node]").Length);
        page = await PostAsync(admin, page, new() { ["n1.Name"] = "总经理", ["n1.Source"] = "CompanyRole", ["n1.Role"] = "Executive", ["n1.Mode"] = "Countersign", ["action"] = "up:1" });
        Assert.Equal(["总经理", "财务审核"], NodeNames(page));
        page = await PostAsync(admin, page, new() { ["action"] = "add" });
        page = await PostAsync(admin, page, new() { ["action"] = "remove:2" });
        Assert.Equal(["总经理", "财务审核"], NodeNames(page));
        Assert.Null(await LatestOrNullAsync("finance-payments"));

        var saved = await admin.Http.PostAsync("/admin/workflows/finance-payments/edit", new FormUrlEncodedContent(Fields(page, new() { ["action"] = "save", ["Name"] = "付款审批" })));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var template = await LatestOrNullAsync("finance-payments");
        Assert.Equal(1, template!.Version);
        Assert.Equal(["总经理", "财务审核"], template.Nodes.Select(n => n.Name));
        Assert.Equal(ApprovalMode.Countersign, template.Nodes[0].Mode);
        Assert.Equal(ApproverSpec.CompanyRole("Executive"), template.Nodes[0].Approvers);
        Assert.NotEqual(template.Nodes[0].Id, template.Nodes[1].Id);
    }

    [Fact]
    public async Task Rules_are_saved_in_order_and_a_rule_without_condition_is_refused()
    {
        using var admin = await portal.SignInAsync("admin");
        var empty = await admin.SubmitNamedFormAsync("/admin/workflows/rules", "rules", new Dictionary<string, object>
        {
            ["action"] = "save",
            ["r0.SealTypes"] = Array.Empty<string>(),
        });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("规则 1 没有条件", (await PortalClient.ParseAsync(empty)).TextOf("[data-testid=error]"));

        var saved = await admin.SubmitNamedFormAsync("/admin/workflows/rules", "rules", new Dictionary<string, object>
        {
            ["action"] = "save",
            ["r1.AmountAtLeast"] = "500000",
            ["DefaultTemplateKey"] = "standard",
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.NotNull((await PortalClient.ParseAsync(saved)).QuerySelector("[data-testid=message]"));

        using var scope = portal.Services.CreateScope();
        var catalog = await scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>().LoadCatalogAsync(default);
        Assert.Equal(["company-seal", "contract"], catalog.Rules.Select(r => r.TemplateKey));
        Assert.Equal(500000m, catalog.Rules[1].When.AmountAtLeast);
        var smallContract = new SealRequestFacts("1", "u", "1", [new RequestedSeal("9", "Business")], "Contract", 20m, false);
        Assert.Equal("standard", catalog.SelectKey(smallContract));
        Assert.Equal("contract", catalog.SelectKey(smallContract with { Amount = 600000m }));
        Assert.Equal("company-seal", catalog.SelectKey(smallContract with { Seals = [new RequestedSeal("1", "Official")] }));
    }

    private async Task<WorkflowTemplate> LatestAsync(string key) =>
        await LatestOrNullAsync(key) ?? throw new InvalidOperationException($"no template {key}");

    private async Task<WorkflowTemplate?> LatestOrNullAsync(string key)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>().GetAsync(key, null, default);
    }

    private static List<string> NodeNames(IHtmlDocument page) =>
        page.QuerySelectorAll("input[name$='.Name']").Cast<IHtmlInputElement>().Select(i => i.Value).ToList();

    private static async Task<IHtmlDocument> PostAsync(PortalClient client, IHtmlDocument page, Dictionary<string, string> values)
    {
        var action = page.QuerySelector("form input[name='_handler'][value='template']")!.ParentElement!.GetAttribute("action");
        var response = await client.Http.PostAsync(string.IsNullOrEmpty(action) ? page.Url : action, new FormUrlEncodedContent(Fields(page, values)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await PortalClient.ParseAsync(response);
    }

    /// <summary>The template form's fields as a browser would post them, with <paramref name="values"/> replacing or adding fields.</summary>
    private static List<KeyValuePair<string, string>> Fields(IHtmlDocument page, Dictionary<string, string> values)
    {
        var form = page.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .First(f => f.QuerySelector("input[name='_handler'][value='template']") is not null);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || values.ContainsKey(name))
                continue;
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box when box.IsChecked:
                    fields.Add(new(name, box.Value));
                    break;
                case IHtmlInputElement { Type: "checkbox" or "radio" or "submit" }:
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlSelectElement select:
                    fields.AddRange(select.Options.Where(o => o.IsSelected).Select(o => new KeyValuePair<string, string>(name, o.Value)));
                    break;
            }
        }
        fields.AddRange(values.Select(v => new KeyValuePair<string, string>(v.Key, v.Value)));
        return fields;
    }
}
