using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using SealPortal.Data;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Infrastructure;
using SealPortal.Workflow;
using static SealPortal.Tests.Features.Workflows.WorkflowPageTests;

namespace SealPortal.Tests.Features.Workflows;

/// <summary>
/// The flow-tests page and the publish dialog (bUnit over a real portal): an administrator runs a template's test
/// cases and sees the template, nodes, approvers and deadlines; adds a case (refused with a message while a field
/// is missing); publishing shows failing cases and changed paths. Nobody else sees a case or can run one.
/// </summary>
public class WorkflowTestsPageTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Theory]
    [InlineData("applicant")]
    [InlineData("depthead")]
    [InlineData("reviewer")]
    [InlineData("executive")]
    [InlineData("auditor")]
    [InlineData("keeper")]
    public async Task Other_roles_see_no_test_case_and_no_action(string userName)
    {
        var id = await CreateCaseAsync("secret case " + userName, 10m, ["department-head"]);
        try
        {
            await using var ui = await PortalComponents.SignedInAsync(portal, userName);
            var page = ui.Render<WorkflowTestsPage>(p => p.Add(c => c.Key, DemoWorkflows.Standard));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=access-denied]")), Wait);
            Assert.Empty(page.FindAll("[data-testid=case-table]"));
            Assert.Empty(page.FindAll("[data-testid=run-all]"));
            Assert.Empty(page.FindAll("[data-testid=add-case]"));
            Assert.DoesNotContain("secret case", page.Markup);
        }
        finally
        {
            await DeleteCaseAsync(id);
        }
    }

    [Fact]
    public async Task The_administrator_runs_a_templates_cases_and_sees_template_nodes_approvers_deadlines_and_the_difference()
    {
        var threshold = await ExecutiveThresholdAsync();
        var passing = await CreateCaseAsync("passes", threshold + 10m, ["department-head", "executive"]);
        var failing = await CreateCaseAsync("expects no executive", threshold + 10m, ["department-head"]);
        try
        {
            await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
            var root = WithProviders<WorkflowTestsPage>(ui, b => b.AddAttribute(3, nameof(WorkflowTestsPage.Key), DemoWorkflows.Standard));
            var page = root.FindComponent<WorkflowTestsPage>();
            page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=case]").Count), Wait);
            page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=run-all]").HasAttribute("disabled")), Wait);
            await page.Find("[data-testid=run-all]").ClickAsync(new());

            page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=run]").Count), Wait);
            Assert.Contains("1 of 2 test cases failed.", ui.Snackbars);
            Assert.Equal("1 of 2 test cases passed.", page.Find("[data-testid=run-summary]").TextContent.Trim());
            var ok = page.Find($"[data-testid=run][data-case='{passing}']");
            Assert.Equal("true", ok.GetAttribute("data-passed"));
            Assert.Contains("standard v", ok.QuerySelector("[data-testid=run-template]")!.TextContent);
            Assert.Equal(["department-head", "executive"], ok.QuerySelectorAll("[data-testid=run-node]").Select(n => n.GetAttribute("data-node-id")));
            Assert.Equal(["王芳 Wang Fang", "刘强 Liu Qiang"], ok.QuerySelectorAll("[data-testid=run-approver]").Select(a => a.TextContent.Trim()));
            // The deadline in company time, as the portal writes times.
            Assert.All(ok.QuerySelectorAll("[data-testid=run-due]"), d => Assert.Matches(@"^\d{1,2} \w{3} \d{4} \d{2}:\d{2}$", d.TextContent.Trim()));

            var bad = page.Find($"[data-testid=run][data-case='{failing}']");
            Assert.Equal("false", bad.GetAttribute("data-passed"));
            Assert.Equal("The path differs from the expected one.", bad.QuerySelector("[data-testid=run-problem]")!.TextContent.Trim());
            Assert.Contains("Passed although not expected: 高层领导审批", bad.QuerySelector("[data-testid=run-difference]")!.TextContent);
        }
        finally
        {
            await DeleteCaseAsync(passing);
            await DeleteCaseAsync(failing);
        }
    }

    [Fact]
    public async Task A_case_with_a_missing_field_is_refused_in_the_dialog_and_a_complete_one_is_saved_and_run()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var root = WithProviders<WorkflowTestsPage>(ui, b => b.AddAttribute(3, nameof(WorkflowTestsPage.Key), DemoWorkflows.Standard));
        var page = root.FindComponent<WorkflowTestsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=add-case]")), Wait);
        var before = await CountAsync();

        var opening = page.Find("[data-testid=add-case]").ClickAsync(new());
        root.WaitForAssertion(() => Assert.NotEmpty(root.FindAll("[data-testid=case-save]")), Wait);
        var dialog = root.FindComponent<TestCaseDialog>();
        await SetAsync(dialog, Pick(dialog.FindComponents<MudTextField<string>>(), "case-name"), "added on the page");
        await dialog.Find("[data-testid=case-save]").ClickAsync(new());
        dialog.WaitForAssertion(() => Assert.Equal("Choose the department of the sample request.", dialog.Find("[data-testid=case-error]").TextContent.Trim()), Wait);
        Assert.Equal(before, await CountAsync());

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            var applicant = await db.Users.Where(u => u.UserName == "applicant").Select(u => u.Id).SingleAsync();
            var seal = await db.Seals.Where(s => s.Name == "财务专用章").Select(s => (int?)s.Id).SingleAsync();
            await SetAsync(dialog, Pick(dialog.FindComponents<MudSelect<string>>(), "case-applicant"), applicant);
            await SetAsync(dialog, Pick(dialog.FindComponents<MudSelect<int?>>(), "case-seal"), seal);
        }
        await SetAsync(dialog, Pick(dialog.FindComponents<MudSelect<string>>(), "case-document-type"), DocumentTypes.Financial);
        await dialog.Find("[data-testid=case-save]").ClickAsync(new());
        // The applicant's department was filled in; the path is still missing.
        dialog.WaitForAssertion(() => Assert.Equal("Give the expected path: the nodes the request should pass, in order.", dialog.Find("[data-testid=case-error]").TextContent.Trim()), Wait);
        await dialog.Find("[data-testid=case-add-node][data-node-id=department-head]").ClickAsync(new());
        await dialog.Find("[data-testid=case-save]").ClickAsync(new());
        await opening;

        page.WaitForAssertion(() => Assert.Contains("Test case saved.", ui.Snackbars), Wait);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=run][data-passed=true]")), Wait);
        Assert.Empty(root.FindAll("[data-testid=case-dialog]"));
        Assert.Equal(before + 1, await CountAsync());
        var id = int.Parse(page.Find("[data-testid=run]").GetAttribute("data-case")!, System.Globalization.CultureInfo.InvariantCulture);
        await DeleteCaseAsync(id);
    }

    [Fact]
    public async Task The_administrator_edits_a_case_in_the_dialog_a_stale_edit_shows_the_conflict_and_delete_asks_first()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var id = await CreateCaseAsync("to edit " + tag, 10m, ["department-head"]);
        try
        {
            await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
            var root = WithProviders<WorkflowTestsPage>(ui, b => b.AddAttribute(3, nameof(WorkflowTestsPage.Key), DemoWorkflows.Standard));
            var page = root.FindComponent<WorkflowTestsPage>();
            var row = $"[data-testid=case][data-case='{id}']";
            page.WaitForAssertion(() => Assert.False(page.Find($"{row} [data-testid=edit-case]").HasAttribute("disabled")), Wait);

            // The dialog opens with the case as saved; a new name is stored and the case is run.
            var editing = page.Find($"{row} [data-testid=edit-case]").ClickAsync(new());
            root.WaitForAssertion(() => Assert.NotEmpty(root.FindAll("[data-testid=case-save]")), Wait);
            var dialog = root.FindComponent<TestCaseDialog>();
            Assert.Contains("Edit test case", root.Find(".mud-dialog-title").TextContent);
            Assert.Equal("to edit " + tag, Pick(dialog.FindComponents<MudTextField<string>>(), "case-name").Instance.GetState(f => f.Value));
            Assert.Single(dialog.FindAll("[data-testid=case-path-node]"));
            await SetAsync(dialog, Pick(dialog.FindComponents<MudTextField<string>>(), "case-name"), "edited " + tag);
            await dialog.Find("[data-testid=case-save]").ClickAsync(new());
            await editing;
            page.WaitForAssertion(() => Assert.Contains("Test case saved.", ui.Snackbars), Wait);
            page.WaitForAssertion(() => Assert.Contains("edited " + tag, page.Find(row).TextContent), Wait);
            page.WaitForAssertion(() => Assert.Equal("true", page.Find($"[data-testid=run][data-case='{id}']").GetAttribute("data-passed")), Wait);

            // Another administrator changes the case while this form is open: saving says so and shows the case as it is now.
            page.WaitForAssertion(() => Assert.False(page.Find($"{row} [data-testid=edit-case]").HasAttribute("disabled")), Wait);
            editing = page.Find($"{row} [data-testid=edit-case]").ClickAsync(new());
            root.WaitForAssertion(() => Assert.NotEmpty(root.FindAll("[data-testid=case-save]")), Wait);
            dialog = root.FindComponent<TestCaseDialog>();
            await using (var scope = portal.Services.CreateAsyncScope())
            {
                var (cases, db) = WorkflowTestCaseTests.Services(scope);
                var current = Assert.Single(await cases.ListAsync(DemoWorkflows.Standard, default), c => c.Id == id);
                var input = await WorkflowTestCaseTests.FinanceCaseAsync(db, "theirs " + tag, 10m, ["department-head"]);
                Assert.Null((await cases.UpdateAsync(id, current.Version, input, WorkflowTestCaseTests.Admin, default)).Problem);
            }
            await SetAsync(dialog, Pick(dialog.FindComponents<MudTextField<string>>(), "case-name"), "mine " + tag);
            await dialog.Find("[data-testid=case-save]").ClickAsync(new());
            dialog.WaitForAssertion(() => Assert.Equal(
                $"Another administrator changed the test case theirs {tag} meanwhile. It is shown as it is now; make your change again.",
                dialog.Find("[data-testid=case-error]").TextContent.Trim()), Wait);
            dialog.WaitForAssertion(() => Assert.Equal("theirs " + tag, Pick(dialog.FindComponents<MudTextField<string>>(), "case-name").Instance.GetState(f => f.Value)), Wait);
            await dialog.Find("[data-testid=case-cancel]").ClickAsync(new());
            await editing;
            page.WaitForAssertion(() => Assert.Contains("theirs " + tag, page.Find(row).TextContent), Wait);

            // Deleting asks first: cancelled, the case stays; confirmed, it is gone.
            var deleting = page.Find($"{row} [data-testid=delete-case]").ClickAsync(new());
            root.WaitForAssertion(() => Assert.Contains($"Delete the test case theirs {tag}?", root.Find(".mud-dialog").TextContent), Wait);
            await root.FindAll(".mud-dialog .mud-dialog-actions button")[0].ClickAsync(new());
            await deleting;
            Assert.NotEmpty(page.FindAll(row));
            await ConfirmAsync(root, page.Find($"{row} [data-testid=delete-case]"));
            page.WaitForAssertion(() => Assert.Contains("Test case deleted.", ui.Snackbars), Wait);
            page.WaitForAssertion(() => Assert.Empty(page.FindAll(row)), Wait);
        }
        finally
        {
            await DeleteCaseAsync(id);
        }
    }

    [Fact]
    public async Task An_administrator_who_loses_the_role_in_an_open_page_runs_nothing()
    {
        var userName = await NewAdminAsync();
        var id = await CreateCaseAsync("run after losing the role", 10m, ["department-head"]);
        try
        {
            await using var ui = await PortalComponents.SignedInAsync(portal, userName);
            var root = WithProviders<WorkflowTestsPage>(ui, b => b.AddAttribute(3, nameof(WorkflowTestsPage.Key), DemoWorkflows.Standard));
            var page = root.FindComponent<WorkflowTestsPage>();
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=case]")), Wait);
            page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=run-all]").HasAttribute("disabled")), Wait);
            await using (var scope = portal.Services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
                Assert.True((await users.RemoveFromRoleAsync((await users.FindByNameAsync(userName))!, Roles.Admin)).Succeeded);
            }
            await page.Find("[data-testid=run-all]").ClickAsync(new());
            page.WaitForAssertion(() => Assert.Contains("Your roles do not allow this page. Ask an administrator if you need it.", ui.Snackbars), Wait);
            Assert.Empty(page.FindAll("[data-testid=run]"));
            await page.Find("[data-testid=add-case]").ClickAsync(new());
            Assert.Empty(root.FindAll("[data-testid=case-dialog]"));
        }
        finally
        {
            await DeleteCaseAsync(id);
        }
    }

    [Fact]
    public async Task The_publish_dialog_refuses_a_version_a_case_fails_against_and_shows_changed_paths_before_and_after()
    {
        var threshold = await ExecutiveThresholdAsync();
        var id = await CreateCaseAsync("needs the executive", threshold + 10m, ["department-head", "executive"]);
        try
        {
            await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
            var root = WithProviders<TemplateEditor>(ui, b => b.AddAttribute(3, nameof(TemplateEditor.Key), DemoWorkflows.Standard));
            var editor = root.FindComponent<TemplateEditor>();
            editor.WaitForAssertion(() => Assert.Equal(2, editor.FindAll("[data-testid=node]").Count), Wait);
            var version = (await LatestAsync()).Version;

            // Without the executive node the case fails: the dialog lists it and offers no publishing.
            var removing = editor.FindAll("[data-testid=remove-node]")[1];
            await ConfirmAsync(root, removing);
            editor.WaitForAssertion(() => Assert.Single(editor.FindAll("[data-testid=node]")), Wait);
            var saving = editor.Find("[data-testid=save]").ClickAsync(new());
            root.WaitForAssertion(() => Assert.NotEmpty(root.FindAll("[data-testid=publish-failing-case]")), Wait);
            Assert.Contains("needs the executive: The path differs from the expected one.", root.Find("[data-testid=publish-failing-case]").TextContent);
            Assert.True(root.Find("[data-testid=publish-confirm]").HasAttribute("disabled"));
            var change = root.Find($"[data-testid=publish-change][data-case='{id}']");
            Assert.Equal(["needs the executive", "部门负责人审批 → 高层领导审批", "部门负责人审批"], change.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
            await root.Find("[data-testid=publish-cancel]").ClickAsync(new());
            await saving;
            Assert.Equal(version, (await LatestAsync()).Version);
        }
        finally
        {
            await DeleteCaseAsync(id);
        }
    }

    private async Task<int> CreateCaseAsync(string name, decimal amount, IReadOnlyList<string> path)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = WorkflowTestCaseTests.Services(scope);
        var (id, problem) = await cases.CreateAsync(await WorkflowTestCaseTests.FinanceCaseAsync(db, name, amount, path), WorkflowTestCaseTests.Admin, default);
        Assert.Null(problem);
        return id!.Value;
    }

    private async Task DeleteCaseAsync(int id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkflowTestCases>().DeleteAsync(id, WorkflowTestCaseTests.Admin, default);
    }

    private async Task<int> CountAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().WorkflowTestCases.CountAsync();
    }

    private async Task<WorkflowTemplate> LatestAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>().GetAsync(DemoWorkflows.Standard, null, default))!;
    }

    private async Task<decimal> ExecutiveThresholdAsync() =>
        (await LatestAsync()).Nodes.Single(n => n.Id == "executive").AppliesWhen!.AmountAtLeast!.Value;

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
}
