using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SealPortal.Data;
using SealPortal.Features.Dashboard;
using SealPortal.Features.Requests;
using SealPortal.Features.Rules;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Rules;

/// <summary>A portal of its own: the versions published here would otherwise stop other classes' applicants.</summary>
public sealed class RulesPortal : SealingPortal;

/// <summary>
/// The seal-management rules (issue #15, part 1) over a real portal and database: only administrators
/// publish; a user who has not accepted the current version can neither make nor submit a request (the
/// handlers refuse, whatever the page does); a new version asks again; department heads see their own
/// department's acknowledgements, auditors every department. Versions published by one test stay for the
/// next, so every test works from the version that is current when it starts.
/// </summary>
public sealed class SealRulesTests(RulesPortal portal) : IClassFixture<RulesPortal>
{
    private SealRulesService Rules => portal.Services.GetRequiredService<SealRulesService>();

    private async Task<ClaimsPrincipal> PrincipalAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
    }

    private async Task<int> PublishAsync(string title = "用印管理制度", string body = "一、先审批后用印。\n\n二、专人保管印章。")
    {
        var published = await Rules.PublishAsync(await PrincipalAsync("admin"), title, body);
        Assert.True(published.Succeeded, published.Message);
        return published.Version!.Value;
    }

    private async Task<T> DbAsync<T>(Func<SealPortalDbContext, Task<T>> read)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>());
    }

    private async Task<CommandResult> CreateDraftAsync(string userId)
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var pdf = PdfTestKit.ClassicPdf(1);
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(userId,
            new SealRequestInput("采购合同盖章", DocumentTypes.Contract, 2, 50_000m, "示例供应商有限公司", false, [physical]),
            [new UploadedPdf("合同.pdf", pdf.Length, () => new MemoryStream(pdf))]);
    }

    private async Task<CommandResult> SubmitAsync(int requestId, string userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(requestId, userId);
    }

    private async Task AcceptCurrentAsync(string userName)
    {
        if (await Rules.CurrentAsync() is { } current)
            Assert.True((await Rules.AcknowledgeAsync(await PrincipalAsync(userName), current.Id)).Succeeded);
    }

    [Fact]
    public async Task Requests_are_refused_by_the_handlers_until_the_current_version_is_accepted_and_a_new_version_asks_again()
    {
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        await AcceptCurrentAsync("applicant");
        var draft = await CreateDraftAsync(applicant);
        Assert.True(draft.Succeeded, draft.ToString());

        var version = await PublishAsync();
        var requests = await DbAsync(db => db.SealRequests.CountAsync());

        var refused = await CreateDraftAsync(applicant);
        Assert.Equal(CommandKind.Forbidden, refused.Kind);
        Assert.Equal(RulesGate.Required, refused.Message);
        Assert.Equal([version], refused.Args!);
        Assert.Equal(requests, await DbAsync(db => db.SealRequests.CountAsync()));
        var notSubmitted = await SubmitAsync(draft.Id!.Value, applicant);
        Assert.Equal(CommandKind.Forbidden, notSubmitted.Kind);
        Assert.Equal(RulesGate.Required, notSubmitted.Message);
        Assert.Equal(SealRequestStatus.Draft, await DbAsync(db => db.SealRequests.Where(r => r.Id == draft.Id).Select(r => r.Status).SingleAsync()));

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var current = (await Rules.CurrentAsync())!;
        // A circuit whose session ended records nothing.
        Assert.Equal(SealRulesService.SessionEnded, (await Rules.AcknowledgeAsync(null, current.Id)).Message);
        Assert.False(await DbAsync(db => db.RuleAcknowledgements.AnyAsync(a => a.UserId == applicant && a.RulesVersionId == current.Id)));
        var accepted = await Rules.AcknowledgeAsync(await PrincipalAsync("applicant"), current.Id);
        Assert.True(accepted.Succeeded, accepted.Message);
        var row = await DbAsync(db => db.RuleAcknowledgements.AsNoTracking().SingleAsync(a => a.UserId == applicant && a.RulesVersionId == current.Id));
        Assert.InRange(row.AcknowledgedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(await DbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == AuditAction.RulesAcknowledged && e.Subject == $"rules v{version}" && e.ActorUserId == applicant)));

        // A second click keeps the first time and stores no second row.
        Assert.True((await Rules.AcknowledgeAsync(await PrincipalAsync("applicant"), current.Id)).Succeeded);
        Assert.Equal(1, await DbAsync(db => db.RuleAcknowledgements.CountAsync(a => a.UserId == applicant && a.RulesVersionId == current.Id)));

        var created = await CreateDraftAsync(applicant);
        Assert.True(created.Succeeded, created.ToString());
        var submitted = await SubmitAsync(draft.Id!.Value, applicant);
        Assert.True(submitted.Succeeded, submitted.ToString());

        // A new version: the acknowledgement of the old one no longer counts, and accepting the old one is refused.
        var next = await PublishAsync("用印管理制度（修订）", "一、先审批后用印。\n\n二、专人保管印章。\n\n三、如实登记台账。");
        Assert.Equal(version + 1, next);
        var again = await CreateDraftAsync(applicant);
        Assert.Equal(CommandKind.Forbidden, again.Kind);
        Assert.Equal([next], again.Args!);
        var stale = await Rules.AcknowledgeAsync(await PrincipalAsync("applicant"), current.Id);
        Assert.False(stale.Succeeded);
        Assert.Equal((await Rules.PendingAsync(await PrincipalAsync("applicant")))!.Version, next);
        await AcceptCurrentAsync("applicant");
        Assert.Null(await Rules.PendingAsync(await PrincipalAsync("applicant")));
        Assert.True((await CreateDraftAsync(applicant)).Succeeded);
    }

    [Fact]
    public async Task A_returned_request_is_not_resubmitted_until_the_new_version_is_accepted()
    {
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        await AcceptCurrentAsync("applicant");
        var id = await SealRequestKit.SubmitAsync(portal, [await portal.SealIdAsync(SealingPortal.PhysicalSeal)], [PdfTestKit.ClassicPdf(1)]);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var request = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealRequests.AsNoTracking().SingleAsync(r => r.Id == id);
            var state = System.Text.Json.JsonSerializer.Deserialize<SealPortal.Workflow.WorkflowState>(request.WorkflowStateJson!)!;
            var returned = await scope.ServiceProvider.GetRequiredService<DecideHandler>().HandleAsync(id,
                SealPortal.Workflow.WorkflowQueries.PendingApprovers(state).First(), SealPortal.Workflow.DecisionKind.Return, "请补充附件", state.Version);
            Assert.True(returned.Succeeded, returned.ToString());
        }

        var version = await PublishAsync("用印管理制度（再版）", "一、先审批后用印。");
        async Task<CommandResult> ResubmitAsync()
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var request = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealRequests.AsNoTracking().SingleAsync(r => r.Id == id);
            var state = System.Text.Json.JsonSerializer.Deserialize<SealPortal.Workflow.WorkflowState>(request.WorkflowStateJson!)!;
            return await scope.ServiceProvider.GetRequiredService<ResubmitRequestHandler>().HandleAsync(id, applicant, state.Version);
        }

        var refused = await ResubmitAsync();
        Assert.Equal(CommandKind.Forbidden, refused.Kind);
        Assert.Equal(RulesGate.Required, refused.Message);
        Assert.Equal([version], refused.Args!);
        Assert.Equal(SealRequestStatus.Returned, await DbAsync(db => db.SealRequests.Where(r => r.Id == id).Select(r => r.Status).SingleAsync()));

        await AcceptCurrentAsync("applicant");
        var resubmitted = await ResubmitAsync();
        Assert.True(resubmitted.Succeeded, resubmitted.ToString());
        Assert.Equal(SealRequestStatus.InApproval, await DbAsync(db => db.SealRequests.Where(r => r.Id == id).Select(r => r.Status).SingleAsync()));
    }

    [Fact]
    public async Task Only_administrators_publish_and_bad_input_gets_a_message_and_stores_nothing()
    {
        var versions = await DbAsync(db => db.SealRules.CountAsync());
        var audit = await DbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.RulesPublished));

        foreach (var userName in new[] { "applicant", "depthead", "reviewer", "executive", "keeper", "auditor" })
        {
            var refused = await Rules.PublishAsync(await PrincipalAsync(userName), "制度", "正文");
            Assert.False(refused.Succeeded);
            Assert.Equal("Only administrators may publish the seal-management rules.", refused.Message);
        }
        Assert.Equal(SealRulesService.SessionEnded, (await Rules.PublishAsync(null, "制度", "正文")).Message);

        var admin = await PrincipalAsync("admin");
        Assert.Equal("Give the rules a title.", (await Rules.PublishAsync(admin, "  ", "正文")).Message);
        Assert.Equal("Write the text of the rules.", (await Rules.PublishAsync(admin, "制度", " \n\n ")).Message);
        Assert.Equal("The title has at most {0} characters.", (await Rules.PublishAsync(admin, new string('制', SealRulesLimits.TitleLength + 1), "正文")).Message);
        Assert.Equal(versions, await DbAsync(db => db.SealRules.CountAsync()));
        Assert.Equal(audit, await DbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.RulesPublished)));

        var version = await PublishAsync("  用印管理制度  ", "正文");
        var stored = await DbAsync(db => db.SealRules.AsNoTracking().SingleAsync(r => r.Version == version));
        Assert.Equal(("用印管理制度", "正文", "admin"), (stored.Title, stored.Body, stored.PublishedBy));
        var published = await DbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditAction.RulesPublished && e.Subject == $"rules v{version}"));
        Assert.Equal("admin", published.Actor);
    }

    [Fact]
    public async Task A_department_head_sees_only_their_department_and_an_auditor_sees_every_department_with_counts()
    {
        await PublishAsync();
        await AcceptCurrentAsync("applicant");

        var headUser = await PrincipalAsync("depthead");
        var head = await Rules.StatusAsync(headUser);
        Assert.NotNull(head);
        Assert.False(head.AllDepartments);
        Assert.Equal(["销售部"], head.Departments.Select(d => d.Department));
        var headUsers = await Rules.UsersPageAsync(headUser, new(), new(PageSize: 100));
        Assert.Equal(2, headUsers.Total);
        Assert.Equal(["applicant", "depthead"], headUsers.Items.Select(u => u.UserName).Order());
        Assert.All(headUsers.Items, u => Assert.Equal("销售部", u.Department));
        Assert.NotNull(headUsers.Items.Single(u => u.UserName == "applicant").AcknowledgedAt);
        Assert.Null(headUsers.Items.Single(u => u.UserName == "depthead").AcknowledgedAt);
        Assert.Equal((2, 1), (head.Departments[0].Users, head.Departments[0].Acknowledged));

        var auditorUser = await PrincipalAsync("auditor");
        var auditor = await Rules.StatusAsync(auditorUser);
        Assert.NotNull(auditor);
        Assert.True(auditor.AllDepartments);
        Assert.Equal(DatabaseInitializer.DemoDepartments.Order(), auditor.Departments.Select(d => d.Department).Order());
        Assert.Equal(DatabaseInitializer.DemoUsers.Count, (await Rules.UsersPageAsync(auditorUser, new(), new(PageSize: 100))).Total);
        Assert.Equal(1, auditor.Departments.Single(d => d.Department == "销售部").Acknowledged);
        Assert.Equal(0, auditor.Departments.Single(d => d.Department == "财务部").Acknowledged);
        Assert.NotNull(await Rules.StatusAsync(await PrincipalAsync("admin")));

        foreach (var userName in new[] { "applicant", "reviewer", "executive", "keeper" })
        {
            Assert.Null(await Rules.StatusAsync(await PrincipalAsync(userName)));
            var refused = await Rules.UsersPageAsync(await PrincipalAsync(userName), new(), new(PageSize: 100));
            Assert.Equal((0, 0), (refused.Total, refused.Items.Count));
        }
        Assert.Null(await Rules.StatusAsync(null));
        Assert.Empty((await Rules.UsersPageAsync(null, new(), new())).Items);
    }

    [Fact]
    public async Task The_user_list_is_filtered_sorted_and_paged_in_the_database_and_a_head_gets_no_other_department_on_any_page()
    {
        await PublishAsync();
        await AcceptCurrentAsync("applicant");
        await AcceptCurrentAsync("reviewer");
        var departments = await DbAsync(db => db.Departments.ToDictionaryAsync(d => d.Name, d => d.Id));
        var all = DatabaseInitializer.DemoUsers.Count;

        // A head, one row per page, under every sort and filter, and asking for other departments outright.
        var head = await PrincipalAsync("depthead");
        var sorts = new (string? By, bool Descending)[] { (null, false) }
            .Concat(SealRulesService.Sortable.SelectMany(c => new (string?, bool)[] { (c, false), (c, true) }));
        var filters = new AcknowledgementFilter[]
        {
            new(), new(Search: "reviewer"), new(Search: "法务"), new(DepartmentId: departments["法务部"]), new(DepartmentId: departments["财务部"], Accepted: false),
            new(Accepted: true), new(Accepted: false), new(Search: "e"),
        };
        foreach (var filter in filters)
        {
            foreach (var (by, descending) in sorts)
            {
                var seen = new List<string>();
                var first = await Rules.UsersPageAsync(head, filter, new(by, descending, 0, 1));
                for (var page = 0; page < Math.Max(1, first.Total) + 1; page++)
                {
                    var rows = await Rules.UsersPageAsync(head, filter, new(by, descending, page, 1));
                    Assert.All(rows.Items, r => Assert.Equal("销售部", r.Department));
                    seen.AddRange(rows.Items.Select(r => r.UserName));
                }
                Assert.True(first.Total <= 2, $"{filter} {by}: {first.Total}");
                Assert.Equal(first.Total, seen.Count);
                Assert.All(seen, u => Assert.Contains(u, new[] { "applicant", "depthead" }));
            }
        }
        Assert.Equal(0, (await Rules.UsersPageAsync(head, new(DepartmentId: departments["法务部"]), new())).Total);
        Assert.Equal(0, (await Rules.UsersPageAsync(head, new(Search: "reviewer"), new())).Total);

        // An auditor: every department, the filters narrow, the sorts order, the pages add up.
        var auditor = await PrincipalAsync("auditor");
        Assert.Equal(all, (await Rules.UsersPageAsync(auditor, new(), new())).Total);
        Assert.Equal(["reviewer"], (await Rules.UsersPageAsync(auditor, new(DepartmentId: departments["法务部"]), new())).Items.Select(r => r.UserName));
        Assert.Equal(["applicant", "reviewer"], (await Rules.UsersPageAsync(auditor, new(Accepted: true), new(PageSize: 100))).Items.Select(r => r.UserName).Order());
        Assert.Equal(all - 2, (await Rules.UsersPageAsync(auditor, new(Accepted: false), new())).Total);
        Assert.Equal(["reviewer"], (await Rules.UsersPageAsync(auditor, new(Search: "REVIEW"), new())).Items.Select(r => r.UserName));
        Assert.Equal(["applicant", "depthead"], (await Rules.UsersPageAsync(auditor, new(Search: "销售"), new(PageSize: 100))).Items.Select(r => r.UserName).Order());
        var byName = await Rules.UsersPageAsync(auditor, new(), new(nameof(AcknowledgementRow.UserName), false, 0, 100));
        Assert.Equal(byName.Items.Select(r => r.UserName).Order(StringComparer.Ordinal), byName.Items.Select(r => r.UserName));
        var byNameDown = await Rules.UsersPageAsync(auditor, new(), new(nameof(AcknowledgementRow.UserName), true, 0, 100));
        Assert.Equal(byName.Items.Select(r => r.UserName).Reverse(), byNameDown.Items.Select(r => r.UserName));
        // Accepted first when sorted down by the time of accepting, in the order they accepted (reviewer last).
        var byAccepted = await Rules.UsersPageAsync(auditor, new(), new(nameof(AcknowledgementRow.AcknowledgedAt), true, 0, 100));
        Assert.Equal(["reviewer", "applicant"], byAccepted.Items.Take(2).Select(r => r.UserName));
        var paged = new List<string>();
        for (var page = 0; page * 3 < all; page++)
            paged.AddRange((await Rules.UsersPageAsync(auditor, new(), new(nameof(AcknowledgementRow.UserName), false, page, 3))).Items.Select(r => r.UserName));
        Assert.Equal(byName.Items.Select(r => r.UserName), paged);
    }

    [Fact]
    public async Task The_acknowledgement_page_shows_a_head_their_department_and_refuses_an_applicant()
    {
        await PublishAsync();
        await AcceptCurrentAsync("applicant");

        await using (var ui = await PortalComponents.SignedInAsync(portal, "depthead"))
        {
            var page = ui.Render<AcknowledgementsPage>();
            page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-user]").Count));
            Assert.Equal(["applicant", "depthead"], page.FindAll("[data-user]").Select(e => e.GetAttribute("data-user")!).Order());
            Assert.Equal("true", page.Find("[data-testid=ack-applicant]").GetAttribute("data-acknowledged"));
            Assert.Equal("false", page.Find("[data-testid=ack-depthead]").GetAttribute("data-acknowledged"));
            Assert.Single(page.FindAll("[data-department]"));
        }

        await using (var ui = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var page = ui.Render<AcknowledgementsPage>();
            page.WaitForAssertion(() => Assert.Equal(DatabaseInitializer.DemoDepartments.Count, page.FindAll("[data-department]").Count));
            page.WaitForAssertion(() => Assert.Equal(DatabaseInitializer.DemoUsers.Count, page.FindAll("[data-user]").Count));
            Assert.NotEmpty(page.FindAll("[data-testid=department-filter]"));
        }

        await using (var ui = await PortalComponents.SignedInAsync(portal, "applicant"))
        {
            var page = ui.Render<AcknowledgementsPage>();
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=refused]")));
            Assert.Empty(page.FindAll("[data-user]"));
        }
    }

    [Fact]
    public async Task A_click_on_a_column_header_sorts_the_user_list_in_the_database()
    {
        await PublishAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var page = ui.Render<AcknowledgementsPage>();
        var users = await DbAsync(db => db.Users.CountAsync(u => u.DepartmentId != null));
        page.WaitForAssertion(() => Assert.Equal(users, page.FindAll("[data-user]").Count));
        List<string> Shown() => page.FindAll("[data-user]").Select(e => e.GetAttribute("data-user")!).ToList();
        var byName = Shown().Order(StringComparer.Ordinal).ToList();
        // The list's own order is by department: not by user name (the demo users are not in name order there).
        Assert.NotEqual(byName, Shown());

        var header = page.FindAll("[data-testid=user-acknowledgements] th").Single(th => th.TextContent.Trim().StartsWith("User", StringComparison.Ordinal));
        await (header.QuerySelector(".sortable-column-header") ?? header).ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(byName, Shown()));
        header = page.FindAll("[data-testid=user-acknowledgements] th").Single(th => th.TextContent.Trim().StartsWith("User", StringComparison.Ordinal));
        await (header.QuerySelector(".sortable-column-header") ?? header).ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(byName.AsEnumerable().Reverse(), Shown()));
    }

    [Fact]
    public async Task The_dashboard_asks_for_the_current_version_and_the_button_records_it()
    {
        var version = await PublishAsync("用印管理制度", "一、先审批后用印。\n\n二、<b>不得</b>转借印章。");
        var keeper = await SealRequestKit.UserIdAsync(portal, "keeper");

        await using var ui = await PortalComponents.SignedInAsync(portal, "keeper");
        var home = ui.Render<Home>();
        home.WaitForAssertion(() => Assert.Equal(version.ToString(), home.Find("[data-testid=rules-alert]").GetAttribute("data-version")));
        // The body is text: the markup typed into it is shown, never rendered.
        Assert.Equal(2, home.FindAll(".rules-paragraph").Count);
        Assert.Contains("<b>不得</b>", home.FindAll(".rules-paragraph")[1].TextContent);
        Assert.Empty(home.FindAll(".rules-paragraph b"));

        await home.ClickFreshAsync("[data-testid=rules-accept]");
        home.WaitForAssertion(() => Assert.Empty(home.FindAll("[data-testid=rules-alert]")));
        Assert.Contains($"You accepted the seal-management rules, version {version}.", ui.Snackbars);
        var current = (await Rules.CurrentAsync())!;
        Assert.True(await DbAsync(db => db.RuleAcknowledgements.AnyAsync(a => a.UserId == keeper && a.RulesVersionId == current.Id)));

        // The new-request page shows it too, to a user who has not accepted.
        await using var applicantUi = await PortalComponents.SignedInAsync(portal, "executive");
        applicantUi.Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var editor = applicantUi.Render<RequestEditor>();
        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll("[data-testid=rules-alert]")));
    }

    [Fact]
    public async Task An_administrator_publishes_through_the_dialog_and_an_empty_title_keeps_the_dialog_with_a_message()
    {
        await using (var ui = await PortalComponents.SignedInAsync(portal, "applicant"))
        {
            var page = ui.Render<RulesPage>();
            page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")));
            Assert.Empty(page.FindAll("[data-testid=rules-publish]"));
        }

        await using var admin = await PortalComponents.SignedInAsync(portal, "admin");
        var (root, rules) = admin.RenderWithDialogs<RulesPage>();
        rules.WaitForAssertion(() => Assert.NotEmpty(rules.FindAll("[data-testid=rules-publish]")));
        var versions = await DbAsync(db => db.SealRules.CountAsync());

        var click = rules.ClickFreshAsync("[data-testid=rules-publish]");
        root.WaitForElement("[data-testid=rules-dialog]");
        var fields = root.FindComponent<PublishRulesDialog>().FindComponents<MudTextField<string>>();
        await root.InvokeAsync(() => fields[0].Instance.ValueChanged.InvokeAsync(" "));
        await root.InvokeAsync(() => fields[1].Instance.ValueChanged.InvokeAsync("一、先审批后用印。"));
        await root.ClickFreshAsync("[data-testid=rules-confirm]");
        root.WaitForAssertion(() => Assert.Contains("Give the rules a title.", root.Find("[data-testid=rules-error]").TextContent));
        Assert.Equal(versions, await DbAsync(db => db.SealRules.CountAsync()));

        await root.InvokeAsync(() => fields[0].Instance.ValueChanged.InvokeAsync("对话框发布的制度"));
        await root.ClickFreshAsync("[data-testid=rules-confirm]");
        await click.WaitAsync(TimeSpan.FromSeconds(10));
        root.WaitForAssertion(() => Assert.Empty(root.FindAll("[data-testid=rules-dialog]")));
        Assert.Equal(versions + 1, await DbAsync(db => db.SealRules.CountAsync()));
        rules.WaitForAssertion(() => Assert.Equal("对话框发布的制度", rules.Find("[data-testid=rules-current] [data-testid=rules-title]").TextContent.Trim()));
        Assert.Contains(admin.Snackbars, s => s.StartsWith("Version ") && s.EndsWith(" of the seal-management rules is published."));
    }
}
