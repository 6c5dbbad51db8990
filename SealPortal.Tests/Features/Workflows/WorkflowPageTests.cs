using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using SealPortal.Data;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Infrastructure;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Workflows;

/// <summary>
/// The interactive template list, editor, version page and rules page (bUnit over a real portal): what an
/// administrator does on them, what they refuse, and that nobody else sees or changes anything.
/// </summary>
public class WorkflowPageTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    /// <summary>How long a page may take to load or answer: the database may be PostgreSQL on a busy machine.</summary>
    internal static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("applicant")]
    [InlineData("depthead")]
    [InlineData("executive")]
    [InlineData("auditor")]
    [InlineData("keeper")]
    public async Task Other_roles_see_no_template_rule_or_version_data(string userName)
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, userName);
        var list = ui.Render<WorkflowList>();
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid=access-denied]")), Wait);
        Assert.Empty(list.FindAll("[data-testid=template-table]"));
        Assert.DoesNotContain(DemoWorkflows.Contract, list.Markup);

        var editor = ui.Render<TemplateEditor>(p => p.Add(c => c.Key, DemoWorkflows.Contract));
        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll("[data-testid=access-denied]")), Wait);
        Assert.Empty(editor.FindAll("[data-testid=node]"));
        Assert.Empty(editor.FindAll("[data-testid=save]"));

        var version = ui.Render<TemplateVersionPage>(p => p.Add(c => c.Key, DemoWorkflows.Contract).Add(c => c.Version, 1));
        version.WaitForAssertion(() => Assert.NotEmpty(version.FindAll("[data-testid=access-denied]")), Wait);
        Assert.Empty(version.FindAll("[data-testid=node-table]"));
        Assert.Empty(version.FindAll("[data-testid=publish]"));

        var rules = ui.Render<WorkflowRules>();
        rules.WaitForAssertion(() => Assert.NotEmpty(rules.FindAll("[data-testid=access-denied]")), Wait);
        Assert.Empty(rules.FindAll("[data-testid=rule]"));
        Assert.Empty(rules.FindAll("[data-testid=save]"));
    }

    [Fact]
    public async Task The_Chinese_demo_company_gets_Chinese_template_and_node_names_and_an_English_one_English_names()
    {
        // The test portal is seeded like a fresh one: the demo company is Chinese unless Demo:Culture says en.
        var seeded = await GetAsync(DemoWorkflows.CompanySeal, 1);
        Assert.Equal("公章审批", seeded!.Name);
        Assert.Equal(["部门负责人审批", "法务审核", "高层领导审批"], seeded.Nodes.Select(n => n.Name));

        var english = DemoWorkflows.TemplatesFor("en").Single(t => t.Key == DemoWorkflows.CompanySeal);
        Assert.Equal("Company seal approval", english.Name);
        Assert.Equal(["Department head", "Legal review", "Executive"], english.Nodes.Select(n => n.Name));
        // Only the names differ.
        Assert.Equal(english.Nodes.Select(n => (n.Id, n.Approvers, n.Mode)), seeded.Nodes.Select(n => (n.Id, n.Approvers, n.Mode)));
    }

    [Fact]
    public async Task Seeded_templates_are_listed_with_their_versions_and_a_new_key_is_checked()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var page = WithProviders<WorkflowList>(ui);
        var list = page.FindComponent<WorkflowList>();
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid=template-table]")), Wait);
        var keys = list.FindAll("[data-testid=template-table] tbody tr code").Select(c => c.TextContent).ToList();
        Assert.Contains(DemoWorkflows.Standard, keys);
        Assert.Contains(DemoWorkflows.Contract, keys);
        Assert.NotEmpty(list.FindAll($"tr[data-template={DemoWorkflows.Standard}] a[data-version='1']"));

        var key = list.FindComponents<MudTextField<string>>().Single();
        await list.InvokeAsync(() => key.Instance.ValueChanged.InvokeAsync("Not A Key"));
        await list.ClickFreshAsync("[data-testid=create-template]");
        list.WaitForAssertion(() => Assert.Contains("lower-case letters, digits and hyphens", list.Markup), Wait);

        await list.InvokeAsync(() => key.Instance.ValueChanged.InvokeAsync(DemoWorkflows.Contract));
        await list.ClickFreshAsync("[data-testid=create-template]");
        list.WaitForAssertion(() => Assert.Contains("A template with this key already exists.", list.Markup), Wait);

        await list.InvokeAsync(() => key.Instance.ValueChanged.InvokeAsync("finance-new"));
        await list.ClickFreshAsync("[data-testid=create-template]");
        Assert.EndsWith("/admin/workflows/finance-new/edit", ui.Context.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task Saving_writes_a_new_version_and_the_old_one_stays_as_it_was()
    {
        var before = await LatestAsync(DemoWorkflows.Contract);
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var page = WithProviders<TemplateEditor>(ui, b => b.AddAttribute(3, nameof(TemplateEditor.Key), DemoWorkflows.Contract));
        var editor = page.FindComponent<TemplateEditor>();
        editor.WaitForAssertion(() => Assert.Equal(before.Nodes.Count, editor.FindAll("[data-testid=node]").Count), Wait);

        await SetAsync(editor, Pick(editor.FindComponents<MudTextField<string>>(), "template-name"), "合同审批（新）");
        await SetAsync(editor, Pick(editor.FindComponents<MudTextField<string>>(), "node-urgent", 1), "3");
        await SetAsync(editor, Pick(editor.FindComponents<MudSelect<WorkingTimeUnit>>(), "node-urgent-unit", 1), WorkingTimeUnit.Hours);
        await ConfirmAsync(page, editor.Find("[data-testid=save]"));

        page.WaitForAssertion(() => Assert.Contains($"Saved as version {before.Version + 1}.", ui.Snackbars), Wait);
        Assert.EndsWith($"/admin/workflows/contract/v/{before.Version + 1}", ui.Context.Services.GetRequiredService<NavigationManager>().Uri);
        var after = await LatestAsync(DemoWorkflows.Contract);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal("合同审批（新）", after.Name);
        Assert.Equal(WorkingDuration.Hours(3), after.Nodes[1].Deadline!.Urgent);
        // Everything the form did not change survives the round trip through the form.
        Assert.Equal(before.Nodes.Select(n => (n.Id, n.Approvers, n.Mode, n.AppliesWhen?.AmountAtLeast)),
            after.Nodes.Select(n => (n.Id, n.Approvers, n.Mode, n.AppliesWhen?.AmountAtLeast)));
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var audit = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().AuditEvents.AsNoTracking()
                .Where(e => e.Subject == "workflow:contract" && e.Action == AuditAction.TemplateChanged).ToListAsync();
            Assert.Equal("admin", audit.OrderBy(e => e.At).Last().Actor);
        }

        // The old version stays readable as it was, marked as older; the new one is current.
        var old = ui.Render<TemplateVersionPage>(p => p.Add(c => c.Key, DemoWorkflows.Contract).Add(c => c.Version, before.Version));
        old.WaitForAssertion(() => Assert.NotEmpty(old.FindAll("[data-testid=older-version]")), Wait);
        Assert.Contains(before.Name, old.Find("h1").TextContent);
        var current = ui.Render<TemplateVersionPage>(p => p.Add(c => c.Key, DemoWorkflows.Contract).Add(c => c.Version, after.Version));
        current.WaitForAssertion(() => Assert.NotEmpty(current.FindAll("[data-testid=current-version]")), Wait);
        Assert.Empty(current.FindAll("[data-testid=publish]"));
        var stored = await GetAsync(DemoWorkflows.Contract, before.Version);
        Assert.Equal(before.Name, stored!.Name);
        Assert.Equal(before.Nodes[1].Deadline!.Urgent, stored.Nodes[1].Deadline!.Urgent);
    }

    [Fact]
    public async Task Publishing_an_older_version_saves_it_as_the_newest_after_a_confirmation()
    {
        var before = await LatestAsync(DemoWorkflows.Standard);
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        // A version to go back from.
        await SaveAsync(before with { Name = before.Name + " (draft)" });
        var page = WithProviders<TemplateVersionPage>(ui, b =>
        {
            b.AddAttribute(3, nameof(TemplateVersionPage.Key), DemoWorkflows.Standard);
            b.AddAttribute(4, nameof(TemplateVersionPage.Version), before.Version);
        });
        var version = page.FindComponent<TemplateVersionPage>();
        version.WaitForAssertion(() => Assert.NotEmpty(version.FindAll("[data-testid=publish]")), Wait);

        // Cancelled: nothing written.
        var click = version.ClickFreshAsync("[data-testid=publish]");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".mud-dialog")), Wait);
        // The dialog first loads the saved test cases of the template and renders again; the click waits for that.
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=publish-confirm]").HasAttribute("disabled")), Wait);
        await page.ClickFreshAsync("[data-testid=publish-cancel]");
        await click;
        Assert.Equal(before.Version + 1, (await LatestAsync(DemoWorkflows.Standard)).Version);

        await ConfirmAsync(page, version.Find("[data-testid=publish]"));
        page.WaitForAssertion(() => Assert.Contains($"Saved as version {before.Version + 2}.", ui.Snackbars), Wait);
        var latest = await LatestAsync(DemoWorkflows.Standard);
        Assert.Equal(before.Version + 2, latest.Version);
        Assert.Equal(before.Name, latest.Name);
        Assert.Equal(before.Nodes.Select(n => n.Id), latest.Nodes.Select(n => n.Id));
    }

    [Fact]
    public async Task An_invalid_template_is_refused_with_the_reason_and_no_version_is_written()
    {
        var before = await LatestAsync(DemoWorkflows.Standard);
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        Chinese();
        var page = WithProviders<TemplateEditor>(ui, b => b.AddAttribute(3, nameof(TemplateEditor.Key), DemoWorkflows.Standard));
        var editor = page.FindComponent<TemplateEditor>();
        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll("[data-testid=node]")), Wait);

        await SetAsync(editor, Pick(editor.FindComponents<MudSelect<ApproverSource>>(), "node-source"), ApproverSource.Users);
        await ConfirmAsync(page, editor.Find("[data-testid=save]"));
        editor.WaitForAssertion(() => Assert.Contains("指定用户时至少需要选择一名用户。", editor.Find("[data-testid=error]").TextContent), Wait);
        // The form stays as typed, so the admin can fix it.
        Assert.Equal(ApproverSource.Users, Pick(editor.FindComponents<MudSelect<ApproverSource>>(), "node-source").Instance.GetState(x => x.Value));
        Assert.NotEmpty(editor.FindAll("[data-testid=node-users]"));

        await SetAsync(editor, Pick(editor.FindComponents<MudSelect<ApproverSource>>(), "node-source"), ApproverSource.DepartmentRole);
        await SetAsync(editor, Pick(editor.FindComponents<MudTextField<string>>(), "node-normal"), "one");
        // A typing error is found before any confirmation is asked.
        await editor.ClickFreshAsync("[data-testid=save]");
        editor.WaitForAssertion(() => Assert.Contains("“one”不是正整数", editor.Find("[data-testid=error]").TextContent), Wait);
        Assert.Empty(page.FindAll(".mud-dialog"));

        Assert.Equal(before.Version, (await LatestAsync(DemoWorkflows.Standard)).Version);
    }

    [Fact]
    public async Task Nodes_are_added_moved_and_removed_without_saving()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var page = WithProviders<TemplateEditor>(ui, b => b.AddAttribute(3, nameof(TemplateEditor.Key), "finance-payments"));
        var editor = page.FindComponent<TemplateEditor>();
        editor.WaitForAssertion(() => Assert.Single(editor.FindAll("[data-testid=node]")), Wait);
        Assert.Contains("Saving creates version 1", editor.Find("[data-testid=version-note]").TextContent);

        await SetAsync(editor, Pick(editor.FindComponents<MudTextField<string>>(), "node-name"), "财务审核");
        await SetAsync(editor, Pick(editor.FindComponents<MudSelect<ApproverSource>>(), "node-source"), ApproverSource.CompanyRole);
        await SetAsync(editor, Pick(editor.FindComponents<MudSelect<string>>(), "node-role"), "Reviewer");
        await editor.ClickFreshAsync("[data-testid=add-node]");
        Assert.Equal(2, editor.FindAll("[data-testid=node]").Count);
        await SetAsync(editor, Pick(editor.FindComponents<MudTextField<string>>(), "node-name", 1), "总经理");
        await SetAsync(editor, Pick(editor.FindComponents<MudSelect<ApproverSource>>(), "node-source", 1), ApproverSource.CompanyRole);
        await SetAsync(editor, Pick(editor.FindComponents<MudSelect<string>>(), "node-role", 1), "Executive");
        await SetAsync(editor, Pick(editor.FindComponents<MudSelect<ApprovalMode>>(), "node-mode", 1), ApprovalMode.Countersign);
        await editor.FindAll("[data-testid=move-up]")[1].ClickAsync(new());
        Assert.Equal(["总经理", "财务审核"], NodeNames(editor));
        await editor.ClickFreshAsync("[data-testid=add-node]");
        Assert.Equal(3, editor.FindAll("[data-testid=node]").Count);

        // Removing asks first; "Cancel" keeps the node.
        var removing = editor.FindAll("[data-testid=remove-node]")[2].ClickAsync(new());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".mud-dialog")), Wait);
        await page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());
        await removing;
        Assert.Equal(3, editor.FindAll("[data-testid=node]").Count);
        await ConfirmAsync(page, editor.FindAll("[data-testid=remove-node]")[2]);
        editor.WaitForAssertion(() => Assert.Equal(["总经理", "财务审核"], NodeNames(editor)), Wait);
        Assert.Null(await GetAsync("finance-payments", null));

        await SetAsync(editor, Pick(editor.FindComponents<MudTextField<string>>(), "template-name"), "付款审批");
        await ConfirmAsync(page, editor.Find("[data-testid=save]"));
        page.WaitForAssertion(() => Assert.Contains("Saved as version 1.", ui.Snackbars), Wait);
        var template = await GetAsync("finance-payments", null);
        Assert.Equal(1, template!.Version);
        Assert.Equal(["总经理", "财务审核"], template.Nodes.Select(n => n.Name));
        Assert.Equal(ApprovalMode.Countersign, template.Nodes[0].Mode);
        Assert.Equal(ApproverSpec.CompanyRole("Executive"), template.Nodes[0].Approvers);
        Assert.NotEqual(template.Nodes[0].Id, template.Nodes[1].Id);
    }

    [Fact]
    public async Task An_administrator_who_loses_the_role_in_an_open_page_saves_nothing()
    {
        var userName = await NewAdminAsync();
        var before = await LatestAsync(DemoWorkflows.Contract);
        await using var ui = await PortalComponents.SignedInAsync(portal, userName);
        var page = WithProviders<TemplateEditor>(ui, b => b.AddAttribute(3, nameof(TemplateEditor.Key), DemoWorkflows.Contract));
        var editor = page.FindComponent<TemplateEditor>();
        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll("[data-testid=node]")), Wait);
        await SetAsync(editor, Pick(editor.FindComponents<MudTextField<string>>(), "template-name"), "changed after losing the role");

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.RemoveFromRoleAsync((await users.FindByNameAsync(userName))!, Roles.Admin)).Succeeded);
        }
        // The save is refused before the publish dialog (which lists saved test cases) opens.
        await editor.Find("[data-testid=save]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Your roles do not allow this page. Ask an administrator if you need it.", ui.Snackbars), Wait);
        Assert.Empty(page.FindAll(".mud-dialog"));
        Assert.DoesNotContain(ui.Snackbars, s => s.StartsWith("Saved as version"));
        Assert.Equal(before.Version, (await LatestAsync(DemoWorkflows.Contract)).Version);
    }

    [Fact]
    public async Task Rules_are_saved_in_order_and_a_rule_without_condition_or_with_a_missing_template_is_refused()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        Chinese();
        var page = WithProviders<WorkflowRules>(ui);
        var rules = page.FindComponent<WorkflowRules>();
        rules.WaitForAssertion(() => Assert.Equal(2, rules.FindAll("[data-testid=rule]").Count), Wait);

        // Rule 1 (seal types 公章/法人章) loses its seal types: no condition left.
        var ticked = rules.FindComponents<MudCheckBox<bool>>()
            .Where(b => b.Instance.UserAttributes.ContainsKey("data-seal-type") && b.Instance.GetState(x => x.Value)).ToList();
        Assert.Equal(2, ticked.Count);
        foreach (var box in ticked)
            await rules.InvokeAsync(() => box.Instance.ValueChanged.InvokeAsync(false));
        await rules.ClickFreshAsync("[data-testid=save]");
        rules.WaitForAssertion(() => Assert.Contains("规则 1 没有条件", rules.Find("[data-testid=error]").TextContent), Wait);

        // Rule 1 gets its seal types back; rule 2 gets an amount, and a rule naming a template that is gone is refused by name.
        foreach (var box in ticked)
            await rules.InvokeAsync(() => box.Instance.ValueChanged.InvokeAsync(true));
        await SetAsync(rules, Pick(rules.FindComponents<MudTextField<string>>(), "amount-at-least", 1), "500000");
        await SetAsync(rules, Pick(rules.FindComponents<MudSelect<string>>(), "rule-template", 1), "gone-template");
        await rules.ClickFreshAsync("[data-testid=save]");
        rules.WaitForAssertion(() => Assert.Contains("规则 2 使用的模板“gone-template”不存在", rules.Find("[data-testid=error]").TextContent), Wait);
        await SetAsync(rules, Pick(rules.FindComponents<MudSelect<string>>(), "rule-template", 1), DemoWorkflows.Contract);
        await SetAsync(rules, Pick(rules.FindComponents<MudSelect<string>>(), "default-template"), DemoWorkflows.Standard);
        await ConfirmAsync(page, rules.Find("[data-testid=save]"));
        page.WaitForAssertion(() => Assert.Contains("规则已保存。", ui.Snackbars), Wait);

        using var scope = portal.Services.CreateScope();
        var catalog = await scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>().LoadCatalogAsync(default);
        Assert.Equal(["company-seal", "contract"], catalog.Rules.Select(r => r.TemplateKey));
        Assert.Equal(500000m, catalog.Rules[1].When.AmountAtLeast);
        var smallContract = new SealRequestFacts("1", "u", "1", [new RequestedSeal("9", "Business")], "Contract", 20m, false);
        Assert.Equal("standard", catalog.SelectKey(smallContract));
        Assert.Equal("contract", catalog.SelectKey(smallContract with { Amount = 600000m }));
        Assert.Equal("company-seal", catalog.SelectKey(smallContract with { Seals = [new RequestedSeal("1", "Official")] }));
    }

    /// <summary>
    /// The rest of the test in Chinese. The culture is set here, in the test's own flow: a culture set inside an
    /// awaited method does not flow back to its caller.
    /// </summary>
    internal static void Chinese() =>
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");

    /// <summary>The page with MudBlazor's popover and dialog providers, as MainLayout has them.</summary>
    internal static IRenderedComponent<Bunit.Rendering.ContainerFragment> WithProviders<T>(PortalComponents ui, Action<Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder>? attributes = null)
        where T : IComponent
    {
        return ui.Context.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
            b.OpenComponent<T>(2);
            attributes?.Invoke(b);
            b.CloseComponent();
        });
    }

    /// <summary>Clicks <paramref name="button"/>, then the confirming button of the dialog it opens.</summary>
    internal static async Task ConfirmAsync(IRenderedComponent<Bunit.Rendering.ContainerFragment> page, AngleSharp.Dom.IElement button)
    {
        var click = button.ClickAsync(new());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".mud-dialog")), Wait);
        // A dialog may load first (publishing runs the saved test cases): its confirming button is enabled once it has.
        page.WaitForAssertion(() => Assert.False(page.FindAll(".mud-dialog .mud-dialog-actions button")[^1].HasAttribute("disabled")), Wait);
        var buttons = page.FindAll(".mud-dialog .mud-dialog-actions button");
        await buttons[^1].ClickAsync(new());
        await click;
    }

    /// <summary>The <paramref name="index"/>th of <paramref name="fields"/> whose data-testid is <paramref name="testId"/>.</summary>
    internal static IRenderedComponent<TField> Pick<TField>(IEnumerable<IRenderedComponent<TField>> fields, string testId, int index = 0) where TField : MudComponentBase =>
        fields.Where(f => f.Instance.UserAttributes.TryGetValue("data-testid", out var id) && (string?)id == testId).ElementAt(index);

    internal static Task SetAsync<TPage, TValue>(IRenderedComponent<TPage> page, IRenderedComponent<MudSelect<TValue>> select, TValue value) where TPage : IComponent =>
        page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));

    internal static Task SetAsync<TPage>(IRenderedComponent<TPage> page, IRenderedComponent<MudTextField<string>> field, string value) where TPage : IComponent =>
        page.InvokeAsync(() => field.Instance.ValueChanged.InvokeAsync(value));

    private static List<string> NodeNames(IRenderedComponent<IComponent> editor) =>
        editor.FindComponents<MudTextField<string>>()
            .Where(f => f.Instance.UserAttributes.TryGetValue("data-testid", out var id) && (string?)id == "node-name")
            .Select(f => f.Instance.GetState(x => x.Value) ?? "").ToList();

    private async Task<string> NewAdminAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var name = "admin-" + Guid.NewGuid().ToString("N")[..8];
        var user = new ApplicationUser { UserName = name, DisplayName = name, Email = $"{name}@example.com" };
        Assert.True((await users.CreateAsync(user, SealPortalFactory.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Admin)).Succeeded);
        return name;
    }

    private async Task SaveAsync(WorkflowTemplate template)
    {
        using var scope = portal.Services.CreateScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>().SaveNewVersionAsync(template, "test", default)).Succeeded);
    }

    private async Task<WorkflowTemplate> LatestAsync(string key) =>
        await GetAsync(key, null) ?? throw new InvalidOperationException($"no template {key}");

    private async Task<WorkflowTemplate?> GetAsync(string key, int? version)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>().GetAsync(key, version, default);
    }
}
