using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SealPortal.Data;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Features.Workflows;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Browser;

/// <summary>A portal of its own for the flow tests: this class publishes versions of the standard template.</summary>
public sealed class FlowTestsBrowserPortal : SealPortalFactory;

/// <summary>
/// Flow tests (流程测试) in Chromium: an administrator runs a template's test cases, is refused publishing a
/// version a case fails against, publishes once the cases pass, seeing which path changes, and edits a case.
/// </summary>
public sealed class FlowTestsBrowserTests(BrowserFixture<FlowTestsBrowserPortal> fixture) : IClassFixture<BrowserFixture<FlowTestsBrowserPortal>>
{
    [Fact]
    public async Task An_administrator_runs_a_templates_test_cases_and_publishes_only_a_version_they_pass()
    {
        // Fails now (150 000 reaches the executive), passes without the executive node.
        var midAmount = await CreateCaseAsync("中等金额只需部门负责人", 150_000m, ["department-head"]);
        // Passes now, fails without the executive node.
        var largeAmount = await CreateCaseAsync("大额需高层领导", 300_000m, ["department-head", "executive"]);
        var before = await LatestVersionAsync();

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", SealPortalFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new Uri(fixture.BaseAddress, "/").ToString());

        // Running: one passes, one fails with the node it passed although not expected.
        await page.GotoAsync("/admin/workflows/standard/tests");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await Assertions.Expect(page.Locator("[data-testid=case]")).ToHaveCountAsync(2);
        await page.ClickAsync("[data-testid=run-all]");
        await Assertions.Expect(page.Locator("[data-testid=run-summary]")).ToHaveTextAsync("1 of 2 test cases passed.");
        await Assertions.Expect(page.Locator($"[data-testid=run][data-case='{largeAmount}']")).ToHaveAttributeAsync("data-passed", "true");
        var failing = page.Locator($"[data-testid=run][data-case='{midAmount}']");
        await Assertions.Expect(failing).ToHaveAttributeAsync("data-passed", "false");
        await Assertions.Expect(failing.Locator("[data-testid=run-difference]")).ToContainTextAsync("Passed although not expected: 高层领导审批");
        await Assertions.Expect(page.Locator($"[data-testid=run][data-case='{largeAmount}'] [data-testid=run-approver]")).ToHaveTextAsync(["王芳 Wang Fang", "刘强 Liu Qiang"]);
        await Chromium.ScreenshotAsync(page, "flow-tests-run");

        // A version without the executive node: the large case fails against it, so it is not offered for publishing.
        await RemoveExecutiveAndSaveAsync(page);
        var dialog = page.Locator("[data-testid=publish-dialog]");
        await Assertions.Expect(page.Locator("[data-testid=publish-failing-case]")).ToContainTextAsync("大额需高层领导");
        await Assertions.Expect(page.Locator("[data-testid=publish-confirm]")).ToBeDisabledAsync();
        await Chromium.ScreenshotAsync(page, "flow-tests-publish-refused");
        await page.Locator("[data-testid=publish-cancel]").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(before, await LatestVersionAsync());

        // Without that case the version is published, and the dialog shows the path that changes.
        await page.GotoAsync("/admin/workflows/standard/tests");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await page.Locator($"[data-testid=case][data-case='{largeAmount}'] [data-testid=delete-case]").ClickAsync();
        await page.Locator(".mud-dialog .mud-dialog-actions button").Last.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=case]")).ToHaveCountAsync(1);

        await RemoveExecutiveAndSaveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=publish-passing]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"[data-testid=publish-change][data-case='{midAmount}'] td")).ToHaveTextAsync(["中等金额只需部门负责人", "部门负责人审批 → 高层领导审批", "部门负责人审批"]);
        await Chromium.ScreenshotAsync(page, "flow-tests-publish-changes");
        await page.Locator("[data-testid=publish-confirm]").ClickAsync();
        await page.WaitForURLAsync(new Uri(fixture.BaseAddress, $"/admin/workflows/standard/v/{before + 1}").ToString());
        Assert.Equal(before + 1, await LatestVersionAsync());

        await page.GotoAsync("/admin/workflows/standard/tests");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await page.ClickAsync("[data-testid=run-all]");
        await Assertions.Expect(page.Locator("[data-testid=run-summary]")).ToHaveTextAsync("1 of 1 test cases passed.");

        // Editing the case: the dialog opens with it as saved; the new name and amount are stored and the case runs again.
        await page.Locator($"[data-testid=case][data-case='{midAmount}'] [data-testid=edit-case]").ClickAsync();
        var name = page.Locator("[data-testid=case-dialog] input[data-testid=case-name], [data-testid=case-dialog] [data-testid=case-name] input");
        await Assertions.Expect(name).ToHaveValueAsync("中等金额只需部门负责人");
        await Chromium.ScreenshotAsync(page, "flow-tests-edit");
        await name.FillAsync("中等金额：部门负责人即可");
        var amount = page.Locator("[data-testid=case-dialog] input[data-testid=case-amount], [data-testid=case-dialog] [data-testid=case-amount] input");
        await amount.FillAsync("120000");
        await page.ClickAsync("[data-testid=case-save]");
        await Assertions.Expect(page.Locator("[data-testid=case-dialog]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"[data-testid=case][data-case='{midAmount}']")).ToContainTextAsync("中等金额：部门负责人即可");
        await Assertions.Expect(page.Locator($"[data-testid=case][data-case='{midAmount}']")).ToContainTextAsync("120,000.00");
        await page.ClickAsync("[data-testid=run-all]");
        await Assertions.Expect(page.Locator("[data-testid=run-summary]")).ToHaveTextAsync("1 of 1 test cases passed.");
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().WorkflowTestCases.AsNoTracking().SingleAsync(c => c.Id == midAmount);
        Assert.Equal(("中等金额：部门负责人即可", 120_000m), (stored.Name, stored.Amount));
    }

    private static async Task RemoveExecutiveAndSaveAsync(IPage page)
    {
        await page.GotoAsync("/admin/workflows/standard/edit");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await page.Locator("[data-testid=node][data-node-id=executive] [data-testid=remove-node]").ClickAsync();
        await page.Locator(".mud-dialog .mud-dialog-actions button").Last.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=node]")).ToHaveCountAsync(1);
        await page.ClickAsync("[data-testid=save]");
        await page.WaitForSelectorAsync("[data-testid=publish-dialog]");
    }

    private async Task<int> CreateCaseAsync(string name, decimal amount, IReadOnlyList<string> path)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var (cases, db) = WorkflowTestCaseTests.Services(scope);
        var (id, problem) = await cases.CreateAsync(await WorkflowTestCaseTests.FinanceCaseAsync(db, name, amount, path), WorkflowTestCaseTests.Admin, default);
        Assert.Null(problem);
        return id!.Value;
    }

    private async Task<int> LatestVersionAsync()
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().WorkflowTemplateVersions
            .Where(t => t.Key == DemoWorkflows.Standard).MaxAsync(t => t.Version);
    }
}
