using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Extensions;
using SealPortal.Data;
using SealPortal.Features;
using SealPortal.Features.Authorizations;
using SealPortal.Features.Workflows;
using SealPortal.Resources;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Workflows;

public class ScopeAndDelegationTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Wait = WorkflowPageTests.Wait;

    [Fact]
    public async Task Demo_scopes_let_the_applicant_request_company_and_contract_seals_for_contracts()
    {
        using var scope = portal.Services.CreateScope();
        var (scopes, ids) = await ServicesAsync(scope);
        var applicant = await UserIdAsync(scope, "applicant");

        var allowed = await scopes.AllowedSealIdsAsync(applicant, DocumentTypes.Contract, Now, default);
        Assert.Equal(new[] { ids["公司公章"], ids["公司电子公章"], ids["合同专用章"] }.Order(), allowed);
        Assert.True((await scopes.CheckAsync(applicant, ids["合同专用章"], DocumentTypes.Contract, Now, default)).Allowed);
    }

    [Fact]
    public async Task Refusals_name_the_reason()
    {
        using var scope = portal.Services.CreateScope();
        var (scopes, ids) = await ServicesAsync(scope);
        var applicant = await UserIdAsync(scope, "applicant");
        var L = scope.ServiceProvider.GetRequiredService<IStringLocalizer<SharedResource>>();

        var reviewer = await UserIdAsync(scope, "reviewer");
        var finance = await scopes.CheckAsync(reviewer, ids["财务专用章"], DocumentTypes.Financial, Now, default);
        Assert.False(finance.Allowed);
        Assert.Equal("Your department and roles are not authorized to request the seal 财务专用章.", string.Format(finance.Reason!, finance.Args!));

        var letter = await scopes.CheckAsync(applicant, ids["合同专用章"], DocumentTypes.Letter, Now, default);
        Assert.Equal("The seal 合同专用章 may not be requested for this document type (Letter).", string.Format(letter.Reason!, letter.Args!));

        var suspended = await scopes.CheckAsync(applicant, ids["销售部业务章"], DocumentTypes.Letter, Now, default);
        Assert.Equal("The seal {0} is not in use and cannot be requested.", suspended.Reason);
        Assert.Equal("印章 销售部业务章 未启用，不能申请。", WithCulture("zh-CN", () => suspended.Localize(L)));
    }

    [Fact]
    public async Task A_scope_added_on_the_page_is_valid_only_inside_its_period()
    {
        using var scope = portal.Services.CreateScope();
        var (scopes, ids) = await ServicesAsync(scope);
        var sales = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Departments.Where(d => d.Name == "销售部").Select(d => d.Id).SingleAsync();

        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var page = WorkflowPageTests.WithProviders<Authorizations>(ui);
        var form = page.FindComponent<Authorizations>();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-testid=add-scope]")), Wait);
        await SetAsync(form, Pick(form.FindComponents<MudSelect<int?>>(), "scope-seal"), ids["财务专用章"]);
        await SetAsync(form, Pick(form.FindComponents<MudSelect<int?>>(), "scope-department"), sales);
        await WorkflowPageTests.SetAsync(form, Pick(form.FindComponents<MudSelect<string>>(), "scope-role"), Roles.Applicant);
        var financial = form.FindComponents<MudCheckBox<bool>>()
            .Single(b => b.Instance.UserAttributes.TryGetValue("data-document-type", out var t) && (string?)t == DocumentTypes.Financial);
        await form.InvokeAsync(() => financial.Instance.ValueChanged.InvokeAsync(true));
        await SetDateAsync(form, "scope-from", new DateTime(2030, 1, 1));
        await SetDateAsync(form, "scope-through", new DateTime(2030, 12, 31));
        await WorkflowPageTests.SetAsync(form, Pick(form.FindComponents<MudTextField<string>>(), "scope-reference"), "授权书 2030-07");
        await form.ClickFreshAsync("[data-testid=add-scope]");
        form.WaitForAssertion(() => Assert.Contains("Scope added.", ui.Snackbars), Wait);
        Assert.Contains("授权书 2030-07", form.Find("[data-testid=scope-table]").TextContent);
        // The form is empty again after its action.
        Assert.Null(Pick(form.FindComponents<MudTextField<string>>(), "scope-reference").Instance.GetState(x => x.Value));

        // The days are the company's (Asia/Shanghai by default): the scope runs from 2030-01-01 00:00 there
        // through the whole of 2030-12-31 there.
        var zone = portal.Services.GetRequiredService<CompanyTime>().Zone;
        DateTimeOffset InCompany(int y, int m, int d, int h, int min) => new(new DateTime(y, m, d, h, min, 0), zone.GetUtcOffset(new DateTime(y, m, d, h, min, 0)));
        var applicant = await UserIdAsync(scope, "applicant");
        var clock = new FakeTimeProvider(Now);
        var early = await scopes.CheckAsync(applicant, ids["财务专用章"], DocumentTypes.Financial, clock.GetUtcNow(), default);
        Assert.Equal("Your authorization for the seal 财务专用章 is valid only from 1 Jan 2030 00:00.", string.Format(early.Reason!, early.Args!));

        clock.SetUtcNow(InCompany(2030, 12, 31, 23, 59));
        Assert.True((await scopes.CheckAsync(applicant, ids["财务专用章"], DocumentTypes.Financial, clock.GetUtcNow(), default)).Allowed);
        Assert.Contains(ids["财务专用章"], await scopes.AllowedSealIdsAsync(applicant, DocumentTypes.Financial, clock.GetUtcNow(), default));

        clock.Advance(TimeSpan.FromMinutes(1));
        var late = await scopes.CheckAsync(applicant, ids["财务专用章"], DocumentTypes.Financial, clock.GetUtcNow(), default);
        Assert.Equal("Your authorization for the seal 财务专用章 ended at 1 Jan 2031 00:00.", string.Format(late.Reason!, late.Args!));
        Assert.DoesNotContain(ids["财务专用章"], await scopes.AllowedSealIdsAsync(applicant, DocumentTypes.Financial, clock.GetUtcNow(), default));
    }

    [Fact]
    public async Task A_scope_that_ends_before_it_starts_is_refused_and_revoking_removes_the_right()
    {
        using var scope = portal.Services.CreateScope();
        var (scopes, ids) = await ServicesAsync(scope);
        var countBefore = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealAuthorizations.CountAsync();

        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        WorkflowPageTests.Chinese();
        var page = WorkflowPageTests.WithProviders<Authorizations>(ui);
        var form = page.FindComponent<Authorizations>();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-testid=add-scope]")), Wait);
        await SetAsync(form, Pick(form.FindComponents<MudSelect<int?>>(), "scope-seal"), ids["法定代表人章"]);
        await SetDateAsync(form, "scope-from", new DateTime(2030, 1, 1));
        await SetDateAsync(form, "scope-through", new DateTime(2029, 1, 1));
        await form.ClickFreshAsync("[data-testid=add-scope]");
        form.WaitForAssertion(() => Assert.Contains("有效期的结束时间必须晚于开始时间。", ui.Snackbars), Wait);
        Assert.Equal(countBefore, await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealAuthorizations.CountAsync());

        var executive = await UserIdAsync(scope, "executive");
        Assert.True((await scopes.CheckAsync(executive, ids["法定代表人章"], DocumentTypes.Letter, Now, default)).Allowed);
        await SetAsync(form, Pick(form.FindComponents<MudSelect<int?>>(), "seal-filter"), ids["法定代表人章"]);
        var revoke = form.WaitForElement("[data-testid=scope-table] [data-testid=revoke]", Wait);
        Assert.Single(form.FindAll("[data-testid=scope-table] [data-testid=revoke]"));
        await WorkflowPageTests.ConfirmAsync(page, revoke);
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-testid=scope-table] [data-testid=revoked]")), Wait);
        Assert.False((await scopes.CheckAsync(executive, ids["法定代表人章"], DocumentTypes.Letter, Now, default)).Allowed);
    }

    [Theory]
    [InlineData("applicant")]
    [InlineData("depthead")]
    [InlineData("auditor")]
    [InlineData("keeper")]
    public async Task Other_roles_see_no_scopes_and_cannot_add_or_revoke(string userName)
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, userName);
        var page = ui.Render<Authorizations>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=access-denied]")), Wait);
        Assert.Empty(page.FindAll("[data-testid=scope-table]"));
        Assert.Empty(page.FindAll("[data-testid=add-scope]"));
        Assert.Empty(page.FindAll("[data-testid=revoke]"));
        Assert.DoesNotContain("合同专用章", page.Markup);
    }

    [Fact]
    public async Task Applicants_and_auditors_get_no_deputy_page()
    {
        foreach (var userName in new[] { "applicant", "auditor" })
        {
            await using var ui = await PortalComponents.SignedInAsync(portal, userName);
            var page = ui.Render<DelegationPage>();
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=access-denied]")), Wait);
            Assert.Empty(page.FindAll("[data-testid=delegation-table]"));
            Assert.Empty(page.FindAll("[data-testid=name-deputy]"));
        }
    }

    [Fact]
    public async Task Delegation_rules_on_the_page()
    {
        using var scope = portal.Services.CreateScope();
        var self = await UserIdAsync(scope, "depthead");
        var executive = await UserIdAsync(scope, "executive");
        var reviewer = await UserIdAsync(scope, "reviewer");
        var time = portal.Services.GetRequiredService<CompanyTime>();
        var start = time.CurrentDay.AddDays(10);

        await using var ui = await PortalComponents.SignedInAsync(portal, "depthead");
        WorkflowPageTests.Chinese();
        var page = WorkflowPageTests.WithProviders<DelegationPage>(ui);
        var form = page.FindComponent<DelegationPage>();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-testid=name-deputy]")), Wait);
        // A non-admin names a deputy for themselves only, and cannot pick themselves.
        Assert.Empty(form.FindAll("[data-testid=delegator]"));
        var deputySelect = Pick(form.FindComponents<MudSelect<string>>(), "deputy");
        await form.InvokeAsync(() => deputySelect.Instance.OpenMenu());
        var choices = page.FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value).ToList();
        Assert.Contains(executive, choices);
        Assert.DoesNotContain(self, choices);
        await form.InvokeAsync(() => deputySelect.Instance.CloseMenu());

        async Task<string> NameAsync(string deputy, int from, int through, string? reason = null)
        {
            // MudBlazor shows the same message only once at a time; start from none.
            ui.Context.Services.GetRequiredService<ISnackbar>().Clear();
            await WorkflowPageTests.SetAsync(form, Pick(form.FindComponents<MudSelect<string>>(), "deputy"), deputy);
            await SetDateAsync(form, "from", start.AddDays(from).ToDateTime(TimeOnly.MinValue));
            await SetDateAsync(form, "through", start.AddDays(through).ToDateTime(TimeOnly.MinValue));
            if (reason is not null)
                await WorkflowPageTests.SetAsync(form, Pick(form.FindComponents<MudTextField<string>>(), "reason"), reason);
            await form.ClickFreshAsync("[data-testid=name-deputy]");
            form.WaitForAssertion(() => Assert.NotEmpty(ui.Snackbars), Wait);
            return ui.Snackbars.Single();
        }

        // A forged choice of oneself (not offered in the list) is refused by the service.
        Assert.Equal("不能指定自己为代理人。", await NameAsync(self, 0, 4));
        Assert.Equal("已指定代理人。", await NameAsync(executive, 0, 4, "年假"));
        Assert.Contains("年假", form.Find("[data-testid=delegation-table]").TextContent);
        Assert.Contains("重叠", await NameAsync(reviewer, 4, 8));
        Assert.Equal("已指定代理人。", await NameAsync(reviewer, 5, 8));

        // The executive stands in for the department head on day 0..4, so they cannot also be away then.
        var exec = await scope.ServiceProvider.GetRequiredService<DelegationService>().CreateAsync(
            new DelegationInput(executive, reviewer, time.StartOf(start.AddDays(2)), time.EndOf(start.AddDays(3)), null), executive, false, default);
        Assert.False(exec.Succeeded);

        var all = await scope.ServiceProvider.GetRequiredService<DelegationService>().AllAsync(default);
        var mine = all.Where(d => d.DelegatorUserId == self).OrderBy(d => d.From).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Equal(executive, mine[0].DeputyUserId);
        // Whole days in the company's time zone: the last day counts to its end there.
        Assert.True(mine[0].IsActiveAt(time.StartOf(start.AddDays(4)).AddHours(23)));
        Assert.False(mine[0].IsActiveAt(time.StartOf(start.AddDays(5))));
        Assert.True(mine[1].IsActiveAt(time.StartOf(start.AddDays(5))));
        Assert.Equal(time.StartOf(start), mine[0].From);

        // Cancelling asks first, then the row shows it is cancelled.
        var row = form.FindAll("[data-testid=cancel-delegation]").Count;
        await WorkflowPageTests.ConfirmAsync(page, form.FindAll("[data-testid=cancel-delegation]")[0]);
        form.WaitForAssertion(() => Assert.Contains("委托已取消。", ui.Snackbars), Wait);
        Assert.Equal(row - 1, form.FindAll("[data-testid=cancel-delegation]").Count);
    }

    [Fact]
    public async Task A_department_head_who_loses_the_approver_role_in_an_open_page_names_nobody()
    {
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var name = "head-" + Guid.NewGuid().ToString("N")[..8];
        var user = new ApplicationUser { UserName = name, DisplayName = name, Email = $"{name}@example.com" };
        Assert.True((await users.CreateAsync(user, SealPortalFactory.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.DepartmentHead)).Succeeded);
        var executive = await UserIdAsync(scope, "executive");
        var time = portal.Services.GetRequiredService<CompanyTime>();

        await using var ui = await PortalComponents.SignedInAsync(portal, name);
        var page = WorkflowPageTests.WithProviders<DelegationPage>(ui);
        var form = page.FindComponent<DelegationPage>();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-testid=name-deputy]")), Wait);
        Assert.True((await users.RemoveFromRoleAsync((await users.FindByNameAsync(name))!, Roles.DepartmentHead)).Succeeded);

        await WorkflowPageTests.SetAsync(form, Pick(form.FindComponents<MudSelect<string>>(), "deputy"), executive);
        await SetDateAsync(form, "from", time.CurrentDay.AddDays(3).ToDateTime(TimeOnly.MinValue));
        await SetDateAsync(form, "through", time.CurrentDay.AddDays(4).ToDateTime(TimeOnly.MinValue));
        await form.ClickFreshAsync("[data-testid=name-deputy]");
        form.WaitForAssertion(() => Assert.NotEmpty(ui.Snackbars), Wait);
        Assert.DoesNotContain("Deputy named.", ui.Snackbars);
        Assert.False(await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().ApproverDelegations.AnyAsync(d => d.DelegatorUserId == user.Id));
    }

    [Fact]
    public async Task Only_the_admin_names_deputies_for_others_and_past_or_non_approver_delegations_are_refused()
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var clock = new FakeTimeProvider(Now);
        var service = new DelegationService(portal.Services.GetRequiredService<IDbContextFactory<SealPortalDbContext>>(),
            portal.Services.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>(), clock, NullLogger<DelegationService>.Instance);
        var keeper = await UserIdAsync(scope, "keeper");
        var auditor = await UserIdAsync(scope, "auditor");
        var applicant = await UserIdAsync(scope, "applicant");

        var forOther = await service.CreateAsync(new DelegationInput(keeper, auditor, Now.AddDays(1), Now.AddDays(2), null), applicant, actorIsAdmin: false, default);
        Assert.Equal("You can only name a deputy for yourself.", forOther.Error);

        var past = await service.CreateAsync(new DelegationInput(keeper, auditor, Now.AddDays(-3), Now.AddDays(-1), null), keeper, false, default);
        Assert.Equal("The delegation would already be over.", past.Error);

        var notApprover = await service.CreateAsync(new DelegationInput(applicant, auditor, Now.AddDays(1), Now.AddDays(2), null), applicant, false, default);
        Assert.StartsWith("Only approvers", notApprover.Error);

        var byAdmin = await service.CreateAsync(new DelegationInput(keeper, auditor, Now.AddDays(1), Now.AddDays(2), null), await UserIdAsync(scope, "admin"), true, default);
        Assert.True(byAdmin.Succeeded, byAdmin.Error);

        var id = await db.ApproverDelegations.Where(d => d.DelegatorUserId == keeper).Select(d => d.Id).SingleAsync();
        Assert.Equal("You can only cancel your own delegations.", (await service.CancelAsync(id, auditor, false, default)).Error);
        Assert.True((await service.CancelAsync(id, keeper, false, default)).Succeeded);
        Assert.DoesNotContain(await service.AllAsync(default), d => d.DelegatorUserId == keeper);
        Assert.Contains(await db.AuditEvents.Select(e => e.Action).ToListAsync(), a => a == AuditAction.DelegationChanged);
    }

    private static IRenderedComponent<TField> Pick<TField>(IEnumerable<IRenderedComponent<TField>> fields, string testId) where TField : MudComponentBase =>
        WorkflowPageTests.Pick(fields, testId);

    private static Task SetAsync<TPage>(IRenderedComponent<TPage> page, IRenderedComponent<MudSelect<int?>> select, int? value) where TPage : IComponent =>
        page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));

    private static Task SetDateAsync(IRenderedComponent<IComponent> page, string testId, DateTime day)
    {
        var picker = WorkflowPageTests.Pick(page.FindComponents<MudDatePicker>(), testId);
        return page.InvokeAsync(() => picker.Instance.DateChanged.InvokeAsync(day));
    }

    private static async Task<(SealAuthorizationService, Dictionary<string, int>)> ServicesAsync(IServiceScope scope)
    {
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var ids = await db.Seals.ToDictionaryAsync(s => s.Name, s => s.Id);
        return (scope.ServiceProvider.GetRequiredService<SealAuthorizationService>(), ids);
    }

    private static Task<string> UserIdAsync(IServiceScope scope, string userName) =>
        scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();

    private static T WithCulture<T>(string culture, Func<T> action)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
        try { return action(); }
        finally { System.Globalization.CultureInfo.CurrentUICulture = before; }
    }
}
