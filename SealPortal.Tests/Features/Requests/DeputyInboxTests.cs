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

        var decided = await deputy.SubmitNamedFormAsync(url, "decide", new Dictionary<string, object> { ["kind"] = "Approve", ["comment"] = "代批" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var after = await PortalClient.ParseAsync(decided);
        var decision = after.QuerySelector("[data-testid=decisions] tbody tr")!;
        Assert.Contains("李娜", decision.TextContent);
        Assert.Contains("王芳", decision.TextContent);
        Assert.Contains("刘强", after.TextOf("[data-testid=pending]"));
    }

    private async Task<PortalClient> SignInAsync(string userName)
    {
        var client = await portal.SignInAsync(userName);
        client.Http.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        return client;
    }
}
