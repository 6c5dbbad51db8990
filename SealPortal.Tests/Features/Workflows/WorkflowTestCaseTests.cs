using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Infrastructure;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Workflows;

/// <summary>
/// Test cases of approval templates (流程测试) against the real portal's database: a run is a dry run of the
/// engine with today's approvers and deadlines, a failing case blocks publishing, and publishing lists the
/// cases whose path changes. The publishing tests build their versions from whatever version is current, so
/// they do not depend on the order the tests of this class run in.
/// </summary>
public class WorkflowTestCaseTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task A_case_whose_path_is_the_expected_one_passes_and_shows_template_approvers_and_deadlines()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var threshold = await ExecutiveThresholdAsync(scope);
        var input = await FinanceCaseAsync(db, "big payment", threshold + 1000m, ["department-head", "executive"]) with { Urgent = true };
        var id = await CreateAsync(cases, input);
        try
        {
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var from = clock.GetUtcNow();
            var run = Assert.Single(await cases.RunAsync(DemoWorkflows.Standard, id, default));
            var until = clock.GetUtcNow();
            Assert.True(run.Passed, run.Problem?.ToString());
            Assert.Equal(DemoWorkflows.Standard, run.TemplateKey);
            Assert.Equal(["department-head", "executive"], run.ActualPath);
            Assert.Equal(["王芳 Wang Fang"], run.Nodes[0].Approvers.Select(a => a.Name));
            Assert.Equal(["刘强 Liu Qiang"], run.Nodes[1].Approvers.Select(a => a.Name));
            // An urgent request gets the node's urgent deadline (2 working hours at the department head), in working time.
            var calendar = scope.ServiceProvider.GetRequiredService<WorkingCalendar>();
            Assert.InRange(run.Nodes[0].DueAt!.Value, calendar.Add(from, WorkingDuration.Hours(2)), calendar.Add(until, WorkingDuration.Hours(2)));
            Assert.InRange(run.Nodes[1].DueAt!.Value, calendar.Add(from, WorkingDuration.Hours(4)), calendar.Add(until, WorkingDuration.Hours(4)));
            Assert.Empty(run.Missing);
            Assert.Empty(run.Unexpected);
        }
        finally
        {
            await cases.DeleteAsync(id, WorkflowTestCaseTests.Admin, default);
        }
    }

    [Fact]
    public async Task An_approver_with_a_deputy_in_effect_now_is_shown_with_the_deputy()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var ids = await db.Users.Where(u => u.UserName == "depthead" || u.UserName == "reviewer").ToDictionaryAsync(u => u.UserName!, u => u.Id);
        var delegation = new ApproverDelegation
        {
            DelegatorUserId = ids["depthead"], DeputyUserId = ids["reviewer"], From = now.AddHours(-1), Until = now.AddDays(1),
            CreatedAt = now, CreatedBy = "test",
        };
        db.ApproverDelegations.Add(delegation);
        await db.SaveChangesAsync();
        var id = await CreateAsync(cases, await FinanceCaseAsync(db, "deputy", 10m, ["department-head"]));
        try
        {
            var run = Assert.Single(await cases.RunAsync(DemoWorkflows.Standard, id, default));
            var approver = Assert.Single(Assert.Single(run.Nodes).Approvers);
            Assert.Equal("王芳 Wang Fang", approver.Name);
            Assert.Equal(["李娜 Li Na"], approver.DeputyNames);
        }
        finally
        {
            await cases.DeleteAsync(id, WorkflowTestCaseTests.Admin, default);
            await db.ApproverDelegations.Where(d => d.Id == delegation.Id).ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task A_case_whose_path_differs_fails_with_the_difference()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var threshold = await ExecutiveThresholdAsync(scope);
        var id = await CreateAsync(cases, await FinanceCaseAsync(db, "wrong expectation", threshold + 1000m, ["department-head"]));
        var wrongTemplate = await CreateAsync(cases, await FinanceCaseAsync(db, "wrong template", 10m, ["department-head"]) with { ExpectedTemplateKey = DemoWorkflows.Contract });
        try
        {
            var runs = await cases.RunAsync(DemoWorkflows.Standard, null, default);
            var run = runs.Single(r => r.Case.Id == id);
            Assert.False(run.Passed);
            Assert.Equal("The path differs from the expected one.", run.Problem!.Key);
            Assert.Equal(["executive"], run.Unexpected);
            Assert.Empty(run.Missing);

            var template = runs.Single(r => r.Case.Id == wrongTemplate);
            Assert.False(template.Passed);
            Assert.Equal("The rules chose template standard, not the expected contract.", template.Problem!.ToString());
        }
        finally
        {
            await cases.DeleteAsync(id, WorkflowTestCaseTests.Admin, default);
            await cases.DeleteAsync(wrongTemplate, WorkflowTestCaseTests.Admin, default);
        }
    }

    [Fact]
    public async Task Running_cases_writes_no_request_decision_notification_or_pending_approval()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var threshold = await ExecutiveThresholdAsync(scope);
        var id = await CreateAsync(cases, await FinanceCaseAsync(db, "dry run", threshold + 5m, ["department-head", "executive"]));
        try
        {
            var before = await CountsAsync(db);
            var runs = await cases.RunAsync(DemoWorkflows.Standard, null, default);
            Assert.Contains(runs, r => r.Case.Id == id && r.Passed && r.Nodes.Count == 2);
            Assert.Equal(before, await CountsAsync(db));
        }
        finally
        {
            await cases.DeleteAsync(id, WorkflowTestCaseTests.Admin, default);
        }
    }

    [Fact]
    public async Task Publishing_is_refused_while_a_saved_case_fails_against_the_new_version()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var store = scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>();
        var current = (await store.GetAsync(DemoWorkflows.Standard, null, default))!;
        var threshold = await ExecutiveThresholdAsync(scope);
        var id = await CreateAsync(cases, await FinanceCaseAsync(db, "needs the executive", threshold + 1000m, ["department-head", "executive"]));
        try
        {
            var withoutExecutive = current with { Nodes = current.Nodes.Where(n => n.Id != "executive").ToList() };
            var refused = await store.SaveNewVersionAsync(withoutExecutive, "test", default);
            Assert.False(refused.Succeeded);
            Assert.StartsWith("This version cannot be published while saved test cases fail against it: needs the executive", Assert.Single(refused.Problems));
            var failing = Assert.Single(refused.FailingCases);
            Assert.Equal(id, failing.Case.Id);
            Assert.Equal(["executive"], failing.Missing);
            Assert.Equal(current.Version, (await store.GetAsync(DemoWorkflows.Standard, null, default))!.Version);

            // Without that case the same version is published.
            await cases.DeleteAsync(id, WorkflowTestCaseTests.Admin, default);
            var published = await store.SaveNewVersionAsync(withoutExecutive, "test", default);
            Assert.True(published.Succeeded);
            // The executive node back, for the other tests.
            Assert.True((await store.SaveNewVersionAsync(current, "test", default)).Succeeded);
        }
        finally
        {
            await cases.DeleteAsync(id, WorkflowTestCaseTests.Admin, default);
        }
    }

    [Fact]
    public async Task Publishing_lists_the_cases_whose_path_changes_before_and_after()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var store = scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>();
        var current = (await store.GetAsync(DemoWorkflows.Standard, null, default))!;
        var threshold = await ExecutiveThresholdAsync(scope);
        var raised = threshold + 100_000m;
        // Fails now (the executive decides at this amount), passes once the threshold is raised.
        var changing = await CreateAsync(cases, await FinanceCaseAsync(db, "mid amount", threshold + 50_000m, ["department-head"]));
        var stable = await CreateAsync(cases, await FinanceCaseAsync(db, "large amount", raised + 1_000m, ["department-head", "executive"]));
        try
        {
            var candidate = current with
            {
                Nodes = current.Nodes.Select(n => n.Id == "executive" ? n with { AppliesWhen = new RequestCondition { AmountAtLeast = raised } } : n).ToList(),
            };
            var preview = await scope.ServiceProvider.GetRequiredService<WorkflowTestCases>().PreviewAsync(candidate, default);
            var change = Assert.Single(preview.Changes);
            Assert.Equal(changing, change.Case.Id);
            Assert.Equal(["department-head", "executive"], change.Before);
            Assert.Equal(["department-head"], change.After);
            Assert.True(change.PassesAfter);
            Assert.Empty(preview.Failing);

            var published = await store.SaveNewVersionAsync(candidate, "test", default);
            Assert.True(published.Succeeded, string.Join("; ", published.Problems));
            Assert.All(await cases.RunAsync(DemoWorkflows.Standard, null, default), r => Assert.True(r.Passed, r.Problem?.ToString()));
        }
        finally
        {
            await cases.DeleteAsync(changing, WorkflowTestCaseTests.Admin, default);
            await cases.DeleteAsync(stable, WorkflowTestCaseTests.Admin, default);
        }
    }

    [Fact]
    public async Task A_case_naming_a_department_that_no_longer_exists_fails_with_that_reason()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var gone = new Department { Name = "临时部门 " + Guid.NewGuid().ToString("N")[..6] };
        db.Departments.Add(gone);
        await db.SaveChangesAsync();
        var input = await FinanceCaseAsync(db, "stale department", 10m, ["department-head"]) with { DepartmentId = gone.Id };
        var id = await CreateAsync(cases, input);
        try
        {
            await db.Departments.Where(d => d.Id == gone.Id).ExecuteDeleteAsync();
            var run = Assert.Single(await cases.RunAsync(DemoWorkflows.Standard, id, default));
            Assert.False(run.Passed);
            Assert.Equal($"The department of this test case (id {gone.Id}) no longer exists.", run.Problem!.ToString());
            Assert.Null(run.TemplateKey);
            Assert.Empty(run.Nodes);
            Assert.Null(Assert.Single(await cases.ListAsync(DemoWorkflows.Standard, default), c => c.Id == id).DepartmentName);
        }
        finally
        {
            await cases.DeleteAsync(id, WorkflowTestCaseTests.Admin, default);
        }
    }

    [Fact]
    public async Task A_case_with_missing_fields_or_a_seal_out_of_use_is_refused_with_a_message()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var valid = await FinanceCaseAsync(db, "valid", 10m, ["department-head"]);
        var before = await db.WorkflowTestCases.CountAsync();

        Assert.Equal("A test case needs a name of at most {0} characters.", (await cases.CreateAsync(valid with { Name = " " }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);
        Assert.Equal("Choose the department of the sample request.", (await cases.CreateAsync(valid with { DepartmentId = null }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);
        Assert.Equal("Choose the seal of the sample request.", (await cases.CreateAsync(valid with { SealId = null }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);
        Assert.Equal("Choose a document type.", (await cases.CreateAsync(valid with { DocumentType = null }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);
        Assert.Equal("Choose the applicant of the sample request.", (await cases.CreateAsync(valid with { ApplicantUserId = null }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);
        Assert.Equal("Give the expected path: the nodes the request should pass, in order.", (await cases.CreateAsync(valid with { ExpectedPath = [" "] }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);
        Assert.Equal("There is no template with this key.", (await cases.CreateAsync(valid with { TemplateKey = "no-such-template" }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);
        Assert.Equal("The document type of this test case ({0}) no longer exists.", (await cases.CreateAsync(valid with { DocumentType = "Poem" }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);
        var suspended = await db.Seals.Where(s => s.Name == "销售部业务章").Select(s => s.Id).SingleAsync();
        Assert.Equal("The seal of this test case, 销售部业务章, is not in use (SealStatus.Suspended).",
            (await cases.CreateAsync(valid with { SealId = suspended }, WorkflowTestCaseTests.Admin, default)).Problem!.ToString());
        Assert.Equal("The seal of this test case (id {0}) no longer exists.", (await cases.CreateAsync(valid with { SealId = 987654 }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);
        Assert.Equal("The applicant of this test case no longer exists.", (await cases.CreateAsync(valid with { ApplicantUserId = "nobody" }, WorkflowTestCaseTests.Admin, default)).Problem!.Key);

        Assert.Equal(before, await db.WorkflowTestCases.CountAsync());
    }

    [Fact]
    public async Task An_edit_changes_the_case_and_each_change_is_in_the_audit_trail_while_a_stale_edit_is_refused()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var input = await FinanceCaseAsync(db, "edit me " + tag, 10m, ["department-head"]);
        var id = await CreateAsync(cases, input);
        var loaded = Assert.Single(await cases.ListAsync(DemoWorkflows.Standard, default), c => c.Id == id);

        var (edited, problem) = await cases.UpdateAsync(id, loaded.Version, input with { Name = "edited " + tag, Amount = 20m, Urgent = true }, Admin, default);
        Assert.Null(problem);
        Assert.Equal(id, edited);
        var now = Assert.Single(await cases.ListAsync(DemoWorkflows.Standard, default), c => c.Id == id);
        Assert.Equal(("edited " + tag, 20m, true), (now.Name, now.Amount, now.Urgent));
        Assert.NotEqual(loaded.Version, now.Version);

        // A second administrator's form, loaded before the edit above, is refused and changes nothing.
        (_, problem) = await cases.UpdateAsync(id, loaded.Version, input with { Name = "stale " + tag }, Admin, default);
        Assert.Equal($"Another administrator changed the test case edited {tag} meanwhile. It is shown as it is now; make your change again.", problem!.ToString());
        Assert.Equal("edited " + tag, Assert.Single(await cases.ListAsync(DemoWorkflows.Standard, default), c => c.Id == id).Name);

        Assert.Null(await cases.DeleteAsync(id, Admin, default));
        Assert.Equal(WorkflowTestCases.NoSuchCase, (await cases.DeleteAsync(id, Admin, default))!.Key);
        Assert.Equal(WorkflowTestCases.NoSuchCase, (await cases.UpdateAsync(id, now.Version, input, Admin, default)).Problem!.Key);

        var trail = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditAction.WorkflowTestCaseChanged && e.Subject == "workflow:" + DemoWorkflows.Standard && e.Detail!.Contains(tag))
            .OrderBy(e => e.Sequence).Select(e => new { e.Detail, e.Actor }).ToListAsync();
        Assert.Equal([$"test case created: edit me {tag}", $"test case edited: edit me {tag} → edited {tag}", $"test case deleted: edited {tag}"], trail.Select(t => t.Detail));
        Assert.All(trail, t => Assert.Equal("admin", t.Actor));
    }

    [Fact]
    public async Task An_edit_with_bad_input_is_refused_with_a_message_and_changes_nothing()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var first = await CreateAsync(cases, await FinanceCaseAsync(db, "first " + tag, 10m, ["department-head"]));
        var input = await FinanceCaseAsync(db, "second " + tag, 10m, ["department-head"]);
        var second = await CreateAsync(cases, input);
        var gone = new Department { Name = "撤销部门 " + tag };
        db.Departments.Add(gone);
        await db.SaveChangesAsync();
        await db.Departments.Where(d => d.Id == gone.Id).ExecuteDeleteAsync();
        try
        {
            // The same name as another case of the template, in any case of letters, on creating and on editing.
            Assert.Equal($"The template already has a test case named FIRST {tag}.",
                (await cases.CreateAsync(input with { Name = "FIRST " + tag }, Admin, default)).Problem!.ToString());
            var version = Assert.Single(await cases.ListAsync(DemoWorkflows.Standard, default), c => c.Id == second).Version;
            Assert.Equal($"The template already has a test case named first {tag}.",
                (await cases.UpdateAsync(second, version, input with { Name = " first " + tag }, Admin, default)).Problem!.ToString());
            Assert.Equal($"The department of this test case (id {gone.Id}) no longer exists.",
                (await cases.UpdateAsync(second, version, input with { DepartmentId = gone.Id }, Admin, default)).Problem!.ToString());
            Assert.Equal("The seal of this test case (id {0}) no longer exists.",
                (await cases.UpdateAsync(second, version, input with { SealId = 987654 }, Admin, default)).Problem!.Key);
            Assert.Equal("A test case needs a name of at most {0} characters.",
                (await cases.UpdateAsync(second, version, input with { Name = "  " }, Admin, default)).Problem!.Key);
            // Keeping its own name is no duplicate.
            Assert.Null((await cases.UpdateAsync(second, version, input with { Amount = 11m }, Admin, default)).Problem);

            var row = Assert.Single(await cases.ListAsync(DemoWorkflows.Standard, default), c => c.Id == second);
            Assert.Equal(("second " + tag, 11m, input.DepartmentId), (row.Name, row.Amount, (int?)row.DepartmentId));
        }
        finally
        {
            await cases.DeleteAsync(first, Admin, default);
            await cases.DeleteAsync(second, Admin, default);
        }
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("applicant")]
    [InlineData("depthead")]
    [InlineData(null)]
    public async Task Only_an_administrator_creates_edits_or_deletes_a_case(string? userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (cases, db) = Services(scope);
        var user = userName is null ? null : await Training.TrainingKit.PrincipalAsync(portal, userName);
        var expected = userName is null ? WorkflowTestCases.SessionEnded : WorkflowTestCases.AdminsOnly;
        var name = "not yours " + (userName ?? "signed out");
        var input = await FinanceCaseAsync(db, name, 10m, ["department-head"]);
        var id = await CreateAsync(cases, input);
        try
        {
            var before = await db.WorkflowTestCases.CountAsync();
            var trail = await db.AuditEvents.CountAsync(e => e.Action == AuditAction.WorkflowTestCaseChanged);
            var version = Assert.Single(await cases.ListAsync(DemoWorkflows.Standard, default), c => c.Id == id).Version;
            Assert.Equal(expected, (await cases.CreateAsync(input with { Name = "other " + userName }, user, default)).Problem!.Key);
            Assert.Equal(expected, (await cases.UpdateAsync(id, version, input with { Name = "taken over" }, user, default)).Problem!.Key);
            Assert.Equal(expected, (await cases.DeleteAsync(id, user, default))!.Key);
            Assert.Equal(before, await db.WorkflowTestCases.CountAsync());
            Assert.Equal(name, Assert.Single(await cases.ListAsync(DemoWorkflows.Standard, default), c => c.Id == id).Name);
            Assert.Equal(trail, await db.AuditEvents.CountAsync(e => e.Action == AuditAction.WorkflowTestCaseChanged));
        }
        finally
        {
            await cases.DeleteAsync(id, Admin, default);
        }
    }

    /// <summary>An administrator as the circuit gives one; the service reads the name and the roles.</summary>
    internal static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, Roles.Admin)], "Test"));

    internal static (WorkflowTestCases Cases, SealPortalDbContext Db) Services(AsyncServiceScope scope) =>
        (scope.ServiceProvider.GetRequiredService<WorkflowTestCases>(), scope.ServiceProvider.GetRequiredService<SealPortalDbContext>());

    /// <summary>A request of the demo applicant (销售部) for the finance seal: the rules send it to the standard template.</summary>
    internal static async Task<TestCaseInput> FinanceCaseAsync(SealPortalDbContext db, string name, decimal amount, IReadOnlyList<string> path)
    {
        var applicant = await db.Users.Where(u => u.UserName == "applicant").Select(u => new { u.Id, u.DepartmentId }).SingleAsync();
        var seal = await db.Seals.Where(s => s.Name == "财务专用章").Select(s => s.Id).SingleAsync();
        return new TestCaseInput(DemoWorkflows.Standard, name, applicant.DepartmentId, seal, DocumentTypes.Financial, amount, false, applicant.Id, path);
    }

    private static async Task<int> CreateAsync(WorkflowTestCases cases, TestCaseInput input)
    {
        var (id, problem) = await cases.CreateAsync(input, WorkflowTestCaseTests.Admin, default);
        Assert.Null(problem);
        return id!.Value;
    }

    /// <summary>The amount from which the current standard template asks the executive.</summary>
    private static async Task<decimal> ExecutiveThresholdAsync(AsyncServiceScope scope)
    {
        var template = await scope.ServiceProvider.GetRequiredService<WorkflowTemplateStore>().GetAsync(DemoWorkflows.Standard, null, default);
        return template!.Nodes.Single(n => n.Id == "executive").AppliesWhen!.AmountAtLeast!.Value;
    }

    private static async Task<(int Requests, int Audit, int Notifications, int Pending, int Outbox)> CountsAsync(SealPortalDbContext db) =>
        (await db.SealRequests.CountAsync(), await db.AuditEvents.CountAsync(), await db.Notifications.CountAsync(),
            await db.PendingApprovals.CountAsync(), await db.OutboxMessages.CountAsync());
}
