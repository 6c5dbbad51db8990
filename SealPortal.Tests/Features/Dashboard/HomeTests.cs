using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Dashboard;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Dashboard;

/// <summary>The interactive dashboard (bUnit over a real portal): one section per role the user holds.</summary>
public class HomeTests(SealingPortal portal) : IClassFixture<SealingPortal>
{
    [Fact]
    public async Task An_applicant_sees_their_requests_by_status_and_the_new_request_button_but_no_approver_or_auditor_section()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var before = await CountAsync("applicant", SealRequestStatus.InApproval);
        await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);

        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var home = ui.Render<Home>();

        home.WaitForAssertion(() => Assert.Equal((before + 1).ToString(), home.Find("[data-testid=status-InApproval]").TextContent));
        Assert.Equal("/requests/new", home.Find("[data-testid=new-request]").GetAttribute("href"));
        Assert.Empty(home.FindAll("[data-testid=approver-card]"));
        Assert.Empty(home.FindAll("[data-testid=integrity-status]"));
        Assert.Empty(home.FindAll("[data-testid=keeper-card]"));
        Assert.Contains("Welcome", home.Find("[data-testid=welcome]").TextContent);
    }

    [Fact]
    public async Task An_approver_sees_what_waits_and_the_next_item_leads_to_it_from_the_inbox()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        var first = await FirstApproverAsync(id);

        await using var ui = await PortalComponents.SignedInAsync(portal, first);
        var home = ui.Render<Home>();

        home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=approver-card]")));
        await using var scope = portal.Services.CreateAsyncScope();
        var userId = await SealRequestKit.UserIdAsync(portal, first);
        var inbox = await scope.ServiceProvider.GetRequiredService<SealPortal.Features.Requests.RequestQueries>()
            .InboxAllAsync(userId, new SealPortal.Features.Requests.InboxFilter());
        Assert.Contains(inbox, i => i.Id == id);
        Assert.Equal(inbox.Count.ToString(), home.Find("[data-testid=waiting-count]").TextContent);
        Assert.Equal($"/requests/{inbox[0].Id}?from=inbox", home.Find("[data-testid=next-item]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_keeper_sees_the_approved_request_that_waits_for_their_physical_seal_until_the_stamping_is_recorded()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        await SealRequestKit.ApproveAllAsync(portal, id);
        var number = (await SealRequestKit.LoadAsync(portal, id)).Number;

        await using var ui = await PortalComponents.SignedInAsync(portal, "keeper");
        var home = ui.Render<Home>();

        home.WaitForAssertion(() => Assert.Contains(home.FindAll("[data-testid=seals-to-execute] a"),
            a => a.GetAttribute("href") == $"/requests/{id}" && a.TextContent.Contains(number)));
    }

    [Fact]
    public async Task An_auditor_runs_the_integrity_check_and_a_user_locked_meanwhile_is_refused_without_a_run()
    {
        await using (var ui = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var home = ui.Render<Home>();
            home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=integrity-status]")));
            var runs = await RunCountAsync();
            await home.ClickFreshAsync("[data-testid=run-integrity-check]");
            home.WaitForAssertion(() => Assert.Contains("Intact", home.Find("[data-testid=integrity-verdict]").TextContent));
            Assert.Equal(runs + 1, await RunCountAsync());
            Assert.Contains("The ledger and the audit trail are intact.", ui.Snackbars);
        }

        // The admin opens the dashboard, then is locked out elsewhere: the open page can no longer run the check.
        await using (var ui = await PortalComponents.SignedInAsync(portal, "admin"))
        {
            var home = ui.Render<Home>();
            home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=run-integrity-check]")));
            await SetLockoutAsync("admin", DateTimeOffset.UtcNow.AddHours(1));
            try
            {
                var runs = await RunCountAsync();
                await home.ClickFreshAsync("[data-testid=run-integrity-check]");
                Assert.Equal(runs, await RunCountAsync());
                Assert.Contains("You may not run the integrity check.", ui.Snackbars);
            }
            finally
            {
                await SetLockoutAsync("admin", null);
            }
        }
    }

    [Fact]
    public async Task After_signing_out_elsewhere_the_open_dashboard_can_no_longer_run_the_check()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var home = ui.Render<Home>();
        home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=run-integrity-check]")));
        var userId = await SealRequestKit.UserIdAsync(portal, "auditor");
        Assert.True(await portal.Services.GetRequiredService<SealPortal.Features.Account.SessionRevocation>().EndSessionsAsync(userId) >= 1);

        var runs = await RunCountAsync();
        await home.ClickFreshAsync("[data-testid=run-integrity-check]");
        Assert.Equal(runs, await RunCountAsync());
        Assert.Contains("You may not run the integrity check.", ui.Snackbars);
    }

    [Fact]
    public async Task A_form_posted_to_the_dashboard_reaches_no_action()
    {
        using var auditor = await portal.SignInAsync("auditor");
        var runs = await RunCountAsync();
        var response = await auditor.PostHandMadeAsync("/", "run-integrity-check", []);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(runs, await RunCountAsync());
    }

    private async Task<int> CountAsync(string userName, SealRequestStatus status)
    {
        var userId = await SealRequestKit.UserIdAsync(portal, userName);
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealRequests.CountAsync(r => r.ApplicantUserId == userId && r.Status == status);
    }

    private async Task<string> FirstApproverAsync(int requestId)
    {
        var request = await SealRequestKit.LoadAsync(portal, requestId);
        var state = System.Text.Json.JsonSerializer.Deserialize<SealPortal.Workflow.WorkflowState>(request.WorkflowStateJson!)!;
        var approverId = SealPortal.Workflow.WorkflowQueries.PendingApprovers(state).First();
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.Id == approverId).Select(u => u.UserName!).SingleAsync();
    }

    private async Task<int> RunCountAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().IntegrityCheckRuns.CountAsync();
    }

    private async Task SetLockoutAsync(string userName, DateTimeOffset? until)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName);
        await users.SetLockoutEndDateAsync(user!, until);
    }
}
