using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// A deputy who is also an approver of the same step: 销售部 gets a second department head, who names the
/// first as deputy, so the first holds two rights at the department-head step (their own and the
/// colleague's). Each decision works and says what it did; a second click is a 409, not a 500.
/// A portal of its own, since the extra department head changes whom other tests' requests wait for.
/// </summary>
public sealed class DeputyApproverTests(RequestPortalFactory portal) : IClassFixture<RequestPortalFactory>
{
    private string? _colleague;

    [Fact]
    public async Task A_deputy_who_is_also_an_approver_decides_for_themselves_through_a_command()
    {
        await EnsureColleagueAsync();
        var id = await SubmitAsync("deputy and approver, command");
        var depthead = await SealRequestKit.UserIdAsync(portal, "depthead");

        // The page offers both rights; the inbox lists the request once, as the approver's own.
        var (view, _) = await portal.Services.GetRequiredService<RequestQueries>().DetailsAsync(id, await PrincipalAsync("depthead"));
        Assert.Equal([null, _colleague], view!.Can.Decide.Select(d => d.OnBehalfOfUserId));
        var item = Assert.Single(await portal.Services.GetRequiredService<RequestQueries>().InboxAllAsync(depthead, new InboxFilter()), i => i.Id == id);
        Assert.Null(item.OnBehalfOf);

        var commands = portal.Services.GetRequiredService<RequestCommands>();
        var user = await PrincipalAsync("depthead");
        var approved = await commands.DecideAsync(user, id, DecisionKind.Approve, "同意", view.Version);
        Assert.True(approved.Succeeded, approved.ToString());
        var request = await SealRequestKit.LoadAsync(portal, id);
        var state = RequestWorkflowStore.State(request)!;
        var decision = Assert.Single(state.Decisions);
        Assert.Equal((depthead, (string?)null), (decision.ActorUserId, decision.OnBehalfOfUserId));
        Assert.Equal("executive", await UserNameAsync(Assert.Single(WorkflowQueries.PendingApprovers(state))));

        // The same click again: a conflict that says why, and nothing changes.
        var again = await commands.DecideAsync(user, id, DecisionKind.Approve, "同意", view.Version);
        Assert.Equal(CommandKind.Conflict, again.Kind);
        Assert.Single(RequestWorkflowStore.State(await SealRequestKit.LoadAsync(portal, id))!.Decisions);
    }

    [Fact]
    public async Task A_deputy_who_is_also_an_approver_decides_as_deputy_through_a_command()
    {
        await EnsureColleagueAsync();
        var id = await SubmitAsync("deputy and approver, as deputy");
        var depthead = await SealRequestKit.UserIdAsync(portal, "depthead");
        var user = await PrincipalAsync("depthead");
        var (view, _) = await portal.Services.GetRequiredService<RequestQueries>().DetailsAsync(id, user);

        var returned = await portal.Services.GetRequiredService<RequestCommands>()
            .DecideAsync(user, id, DecisionKind.Return, "请补充附件", view!.Version, _colleague);
        Assert.True(returned.Succeeded, returned.ToString());
        var decision = Assert.Single(RequestWorkflowStore.State(await SealRequestKit.LoadAsync(portal, id))!.Decisions);
        Assert.Equal((depthead, _colleague, DecisionKind.Return), (decision.ActorUserId, decision.OnBehalfOfUserId, decision.Kind));
        Assert.Equal(SealRequestStatus.Returned, (await SealRequestKit.LoadAsync(portal, id)).Status);
    }

    [Fact]
    public async Task A_deputy_who_is_also_an_approver_decides_on_the_request_page_with_either_form()
    {
        await EnsureColleagueAsync();
        using var client = await portal.SignInAsync("depthead");
        client.Http.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        var user = await PrincipalAsync("depthead");
        var commands = portal.Services.GetRequiredService<RequestCommands>();
        var queries = portal.Services.GetRequiredService<RequestQueries>();

        // Their own decision: the page opens (it was a 500) and its approve runs this command.
        var own = await SubmitAsync("deputy and approver, page, own");
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync($"/requests/{own}")).StatusCode);
        var (ownView, _) = await queries.DetailsAsync(own, user);
        var decided = await commands.DecideAsync(user, own, DecisionKind.Approve, "同意", ownView!.Version, null);
        Assert.True(decided.Succeeded, decided.ToString());
        var state = RequestWorkflowStore.State(await SealRequestKit.LoadAsync(portal, own))!;
        Assert.Null(Assert.Single(state.Decisions).OnBehalfOfUserId);

        // As the colleague's deputy.
        var deputy = await SubmitAsync("deputy and approver, page, deputy");
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync($"/requests/{deputy}")).StatusCode);
        var (deputyView, _) = await queries.DetailsAsync(deputy, user);
        decided = await commands.DecideAsync(user, deputy, DecisionKind.Approve, "代批", deputyView!.Version, _colleague);
        Assert.True(decided.Succeeded, decided.ToString());

        state = RequestWorkflowStore.State(await SealRequestKit.LoadAsync(portal, deputy))!;
        Assert.Equal(_colleague, Assert.Single(state.Decisions).OnBehalfOfUserId);
    }

    /// <summary>Adds 销售部's second department head (once) and their delegation to the first.</summary>
    private async Task EnsureColleagueAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var existing = await users.FindByNameAsync("depthead2");
        if (existing is not null)
        {
            _colleague = existing.Id;
            return;
        }
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var sales = await db.Departments.Where(d => d.Name == "销售部").Select(d => d.Id).SingleAsync();
        var colleague = new ApplicationUser { UserName = "depthead2", DisplayName = "孙丽 Sun Li", Email = "depthead2@example.com", DepartmentId = sales };
        Assert.True((await users.CreateAsync(colleague, SealPortalFactory.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(colleague, Roles.DepartmentHead)).Succeeded);
        var depthead = await users.FindByNameAsync("depthead");
        var now = DateTimeOffset.UtcNow;
        var made = await scope.ServiceProvider.GetRequiredService<DelegationService>().CreateAsync(
            new DelegationInput(colleague.Id, depthead!.Id, now.AddHours(-1), now.AddDays(3), "leave"), colleague.Id, actorIsAdmin: false, CancellationToken.None);
        Assert.True(made.Succeeded, made.Error);
        _colleague = colleague.Id;
    }

    private async Task<int> SubmitAsync(string purpose)
    {
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        await using var scope = portal.Services.CreateAsyncScope();
        var sealId = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Seals.Where(s => s.Name == "公司公章").Select(s => s.Id).SingleAsync();
        var pdf = PdfTestKit.ClassicPdf(1);
        var created = await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
            new SealRequestInput(purpose, DocumentTypes.Letter, 1, null, null, false, [sealId]),
            [new UploadedPdf("a.pdf", pdf.Length, () => new MemoryStream(pdf))]);
        Assert.True(created.Succeeded, created.ToString());
        var submitted = await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(created.Id!.Value, applicant);
        Assert.True(submitted.Succeeded, submitted.ToString());
        return created.Id.Value;
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>()
            .CreateAsync((await users.FindByNameAsync(userName))!);
    }

    private async Task<string?> UserNameAsync(string userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId))?.UserName;
    }
}
