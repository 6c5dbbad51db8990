using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Authorizations;
using SealPortal.Features.Workflows;
using SealPortal.Resources;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Workflows;

public class ScopeAndDelegationTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

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
        using var admin = await portal.SignInAsync("admin");
        using var scope = portal.Services.CreateScope();
        var (scopes, ids) = await ServicesAsync(scope);
        var sales = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Departments.Where(d => d.Name == "销售部").Select(d => d.Id).SingleAsync();

        var added = await admin.SubmitNamedFormAsync("/admin/authorizations", "add-scope", new Dictionary<string, object>
        {
            ["SealId"] = ids["财务专用章"].ToString(),
            ["DepartmentId"] = sales.ToString(),
            ["Role"] = Roles.Applicant,
            ["DocumentTypes"] = new[] { DocumentTypes.Financial },
            ["ValidFrom"] = "2030-01-01",
            ["ValidThrough"] = "2030-12-31",
            ["DocumentReference"] = "授权书 2030-07",
        });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("授权书 2030-07", (await PortalClient.ParseAsync(added)).TextOf("[data-testid=scope-table]"));

        var applicant = await UserIdAsync(scope, "applicant");
        var clock = new FakeTimeProvider(Now);
        var early = await scopes.CheckAsync(applicant, ids["财务专用章"], DocumentTypes.Financial, clock.GetUtcNow(), default);
        Assert.Equal("Your authorization for the seal 财务专用章 is valid only from 2030-01-01 00:00 UTC.", string.Format(early.Reason!, early.Args!));

        clock.SetUtcNow(new DateTimeOffset(2030, 12, 31, 23, 59, 0, TimeSpan.Zero));
        Assert.True((await scopes.CheckAsync(applicant, ids["财务专用章"], DocumentTypes.Financial, clock.GetUtcNow(), default)).Allowed);
        Assert.Contains(ids["财务专用章"], await scopes.AllowedSealIdsAsync(applicant, DocumentTypes.Financial, clock.GetUtcNow(), default));

        clock.Advance(TimeSpan.FromMinutes(1));
        var late = await scopes.CheckAsync(applicant, ids["财务专用章"], DocumentTypes.Financial, clock.GetUtcNow(), default);
        Assert.Equal("Your authorization for the seal 财务专用章 ended at 2031-01-01 00:00 UTC.", string.Format(late.Reason!, late.Args!));
        Assert.DoesNotContain(ids["财务专用章"], await scopes.AllowedSealIdsAsync(applicant, DocumentTypes.Financial, clock.GetUtcNow(), default));
    }

    [Fact]
    public async Task A_scope_that_ends_before_it_starts_is_refused_and_revoking_removes_the_right()
    {
        using var admin = await portal.SignInAsync("admin");
        using var scope = portal.Services.CreateScope();
        var (scopes, ids) = await ServicesAsync(scope);

        var backwards = await admin.SubmitNamedFormAsync("/admin/authorizations", "add-scope", new Dictionary<string, object>
        {
            ["SealId"] = ids["法定代表人章"].ToString(), ["ValidFrom"] = "2030-01-01", ["ValidThrough"] = "2029-01-01",
        });
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Equal("有效期的结束时间必须晚于开始时间。", (await PortalClient.ParseAsync(backwards)).TextOf("[data-testid=error]"));

        var executive = await UserIdAsync(scope, "executive");
        Assert.True((await scopes.CheckAsync(executive, ids["法定代表人章"], DocumentTypes.Letter, Now, default)).Allowed);
        var page = await admin.GetDocumentAsync($"/admin/authorizations?seal={ids["法定代表人章"]}");
        var row = page.QuerySelectorAll("[data-testid=scope-table] tbody tr").Single();
        var revoked = await admin.SubmitNamedFormAsync($"/admin/authorizations?seal={ids["法定代表人章"]}", $"revoke-{row.GetAttribute("data-scope-id")}", new Dictionary<string, object>());
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.False((await scopes.CheckAsync(executive, ids["法定代表人章"], DocumentTypes.Letter, Now, default)).Allowed);
    }

    [Fact]
    public async Task Delegation_rules_on_the_page()
    {
        using var depthead = await portal.SignInAsync("depthead");
        var page = await depthead.GetDocumentAsync("/delegations");
        var deputies = page.QuerySelectorAll("#deputy option").ToDictionary(o => o.TextContent, o => o.GetAttribute("value")!);
        Assert.DoesNotContain(deputies.Keys, k => k.Contains("(depthead)"));
        using var scope = portal.Services.CreateScope();
        var self = await UserIdAsync(scope, "depthead");
        var executive = deputies.Single(d => d.Key.Contains("(executive)")).Value;
        var reviewer = deputies.Single(d => d.Key.Contains("(reviewer)")).Value;
        var start = DateTime.UtcNow.Date.AddDays(10);
        string Day(int offset) => start.AddDays(offset).ToString("yyyy-MM-dd");

        var own = await depthead.SubmitNamedFormAsync("/delegations", "add-delegation", new Dictionary<string, object>
        {
            ["DeputyUserId"] = self, ["From"] = Day(0), ["Through"] = Day(4),
        });
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        Assert.Equal("不能指定自己为代理人。", (await PortalClient.ParseAsync(own)).TextOf("[data-testid=error]"));

        var named = await depthead.SubmitNamedFormAsync("/delegations", "add-delegation", new Dictionary<string, object>
        {
            ["DeputyUserId"] = executive, ["From"] = Day(0), ["Through"] = Day(4), ["Reason"] = "年假",
        });
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);

        var overlapping = await depthead.SubmitNamedFormAsync("/delegations", "add-delegation", new Dictionary<string, object>
        {
            ["DeputyUserId"] = reviewer, ["From"] = Day(4), ["Through"] = Day(8),
        });
        Assert.Equal(HttpStatusCode.BadRequest, overlapping.StatusCode);
        Assert.Contains("重叠", (await PortalClient.ParseAsync(overlapping)).TextOf("[data-testid=error]"));

        var after = await depthead.SubmitNamedFormAsync("/delegations", "add-delegation", new Dictionary<string, object>
        {
            ["DeputyUserId"] = reviewer, ["From"] = Day(5), ["Through"] = Day(8),
        });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);

        // The executive stands in for the department head on day 0..4, so they cannot also be away then.
        using var exec = await portal.SignInAsync("executive");
        var away = await exec.SubmitNamedFormAsync("/delegations", "add-delegation", new Dictionary<string, object>
        {
            ["DeputyUserId"] = reviewer, ["From"] = Day(2), ["Through"] = Day(3),
        });
        Assert.Equal(HttpStatusCode.BadRequest, away.StatusCode);

        var all = await scope.ServiceProvider.GetRequiredService<DelegationService>().AllAsync(default);
        var mine = all.Where(d => d.DelegatorUserId == self).OrderBy(d => d.From).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Equal(executive, mine[0].DeputyUserId);
        Assert.True(mine[0].IsActiveAt(new DateTimeOffset(start.AddDays(4).AddHours(23), TimeSpan.Zero)));
        Assert.False(mine[0].IsActiveAt(new DateTimeOffset(start.AddDays(5), TimeSpan.Zero)));
        Assert.True(mine[1].IsActiveAt(new DateTimeOffset(start.AddDays(5), TimeSpan.Zero)));
    }

    [Fact]
    public async Task Only_the_admin_names_deputies_for_others_and_past_or_non_approver_delegations_are_refused()
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var clock = new FakeTimeProvider(Now);
        var service = new DelegationService(db, scope.ServiceProvider.GetRequiredService<SealPortal.Features.AuditTrail.AuditTrail>(), clock, NullLogger<DelegationService>.Instance);
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
