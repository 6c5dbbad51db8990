using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Requests;

/// <summary>A portal of its own, since the delegation made here would change whom other tests' requests wait for.</summary>
public sealed class DeputyInboxTests(RequestPortalFactory portal) : IClassFixture<RequestPortalFactory>
{
    [Fact]
    public async Task A_deputy_sees_the_request_in_the_inbox_and_decides_on_behalf_of_the_department_head()
    {
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var head = await users.FindByNameAsync("depthead");
            var reviewer = await users.FindByNameAsync("reviewer");
            var now = DateTimeOffset.UtcNow;
            var made = await scope.ServiceProvider.GetRequiredService<DelegationService>().CreateAsync(
                new DelegationInput(head!.Id, reviewer!.Id, now.AddHours(-1), now.AddDays(3), "leave"), head.Id, actorIsAdmin: false, CancellationToken.None);
            Assert.True(made.Succeeded, made.Error);
        }

        // The applicant's request is made through the handlers the request editor calls.
        int id;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var applicant = (await users.FindByNameAsync("applicant"))!.Id;
            var seal = await RequestSeeding.SealIdAsync(portal.Services, "公司公章");
            var pdf = PdfTestKit.ClassicPdf(1);
            var created = await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
                new SealRequestInput("deputy test", DocumentTypes.Letter, 1, null, null, false, [seal]),
                [new UploadedPdf("a.pdf", pdf.Length, () => new MemoryStream(pdf))]);
            Assert.True(created.Succeeded, created.ToString());
            id = created.Id!.Value;
            Assert.True((await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(id, applicant)).Succeeded);
        }
        var url = $"/requests/{id}";

        using var deputy = await SignInAsync("reviewer");
        var row = (await InteractiveLists.InboxRowsAsync(portal, "reviewer")).FirstOrDefault(tr => tr.QuerySelector($"a[href='{url}?from=inbox']") is not null);
        Assert.NotNull(row);
        Assert.Contains("王芳", row.QuerySelector("[data-testid=deputy]")!.TextContent);

        // The request page offers the deputy the decision for the head; its approve button runs this command.
        Assert.Contains("王芳", (await deputy.GetDocumentAsync(url)).TextOf("[data-testid=action-bar] [data-testid=deputy-for]"));
        var decided = await portal.Services.GetRequiredService<SealPortal.Features.Requests.RequestCommands>().DecideAsync(
            await PrincipalAsync("reviewer"), id, SealPortal.Workflow.DecisionKind.Approve, "代批", await VersionAsync(id), await UserIdAsync("depthead"));
        Assert.True(decided.Succeeded, decided.Message);
        var after = await deputy.GetDocumentAsync(url);
        var decision = after.QuerySelector("[data-testid=timeline] [data-kind=Decided]")!;
        Assert.Contains("李娜", decision.TextContent);
        Assert.Contains("王芳", decision.TextContent);
        Assert.Contains("刘强", after.TextOf("[data-testid=pending]"));
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync((await users.FindByNameAsync(userName))!);
    }

    private async Task<string> UserIdAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(userName))!.Id;
    }

    private async Task<long> VersionAsync(int id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var json = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealRequests.Where(r => r.Id == id).Select(r => r.WorkflowStateJson).Single()!;
        return SealPortal.Features.Requests.RequestWorkflowStore.Deserialize(json).Version;
    }

    private async Task<PortalClient> SignInAsync(string userName)
    {
        var client = await portal.SignInAsync(userName);
        client.Http.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        return client;
    }
}
