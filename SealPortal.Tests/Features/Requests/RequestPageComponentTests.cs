using System.Text.Json;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Features.Seals;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// The interactive request page (bUnit over a real portal): what each state shows and offers, who may see and do what,
/// and the actions through their dialogs. Requests are made through the real request service.
/// </summary>
public sealed class RequestPageComponentTests(SealingPortal portal) : IClassFixture<SealingPortal>
{
    // ------------------------------------------------------------------ states

    [Fact]
    public async Task A_draft_offers_its_applicant_edit_submit_and_withdraw_and_nobody_a_decision()
    {
        var id = await DraftAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var page = Open(ui, id);

        Assert.Equal("Draft", Status(page));
        Assert.Equal(["edit", "submit", "withdraw"], Actions(page));
        Assert.Contains(Timeline(page), e => e.GetAttribute("data-kind") == "Created");
        Assert.Empty(page.FindAll("[data-testid=sealing-panel]"));
    }

    [Fact]
    public async Task In_review_the_approver_at_the_step_decides_and_the_applicant_may_only_withdraw()
    {
        var id = await SubmittedAsync();

        await using (var head = await PortalComponents.SignedInAsync(portal, "depthead"))
        {
            var page = Open(head, id);
            Assert.Equal("InApproval", Status(page));
            Assert.Equal(["approve", "return", "reject"], Actions(page));
            Assert.Contains("王芳", page.Find("[data-testid=pending]").TextContent);
            Assert.Equal(["Current", "Upcoming"], page.FindAll("[data-testid=flow] [data-step-state]").Select(s => s.GetAttribute("data-step-state")!)
                .Where(s => s != "Skipped").Distinct());
        }
        await using (var applicant = await PortalComponents.SignedInAsync(portal, "applicant"))
            Assert.Equal(["withdraw"], Actions(Open(applicant, id)));
    }

    [Fact]
    public async Task A_returned_request_shows_the_comment_and_offers_revision_and_resubmission()
    {
        var id = await SubmittedAsync();
        await DecideAsync(id, "depthead", DecisionKind.Return, "请附上盖章页");
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var page = Open(ui, id);

        Assert.Equal("Returned", Status(page));
        Assert.Equal(["edit", "resubmit", "withdraw"], Actions(page));
        var returned = Assert.Single(Timeline(page), e => e.GetAttribute("data-decision") == "Return");
        Assert.Contains("请附上盖章页", returned.TextContent);
        Assert.Contains("王芳", returned.TextContent);
    }

    [Fact]
    public async Task A_rejected_request_is_final_with_no_action_for_anyone()
    {
        var id = await SubmittedAsync();
        await DecideAsync(id, "depthead", DecisionKind.Reject, "不符合规定");
        foreach (var user in new[] { "applicant", "depthead", "admin" })
        {
            await using var ui = await PortalComponents.SignedInAsync(portal, user);
            var page = Open(ui, id);
            Assert.Equal("Rejected", Status(page));
            Assert.Empty(Actions(page));
            Assert.Contains("不符合规定", Assert.Single(Timeline(page), e => e.GetAttribute("data-decision") == "Reject").TextContent);
        }
    }

    [Fact]
    public async Task An_approved_request_with_a_physical_seal_waits_for_its_keeper_who_alone_may_record_the_stamping()
    {
        var id = await SubmittedAsync();
        await SealRequestKit.ApproveAllAsync(portal, id);

        await using (var keeper = await PortalComponents.SignedInAsync(portal, "keeper"))
        {
            var page = Open(keeper, id);
            Assert.Equal("Approved", Status(page));
            // The sealing panel reads its own state after the page has loaded.
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=record-stamping]")), TimeSpan.FromSeconds(20));
            Assert.Contains(Timeline(page), e => e.GetAttribute("data-kind") == "Approved");
        }
        foreach (var user in new[] { "applicant", "admin", "auditor" })
        {
            await using var ui = await PortalComponents.SignedInAsync(portal, user);
            var page = Open(ui, id);
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=stamping-pending]")), TimeSpan.FromSeconds(20));
            Assert.Empty(page.FindAll("[data-testid=record-stamping]"));
            Assert.Empty(Actions(page));
        }
    }

    [Fact]
    public async Task The_keeper_records_the_stamping_in_a_dialog_and_the_request_is_completed()
    {
        var id = await SubmittedAsync();
        await SealRequestKit.ApproveAllAsync(portal, id);
        await using var keeper = await PortalComponents.SignedInAsync(portal, "keeper");
        var (host, page) = Host(keeper, id);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=record-stamping]")), TimeSpan.FromSeconds(20));
        var click = page.ClickFreshAsync("[data-testid=record-stamping]");
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=stamping-confirm]")));
        await host.ClickFreshAsync("[data-testid=stamping-confirm]");
        await click.WaitAsync(TimeSpan.FromSeconds(60));

        page.WaitForAssertion(() => Assert.Equal("Completed", Status(page)), TimeSpan.FromSeconds(30));
        // The sealing panel and the timeline read their own state after the status changed.
        page.WaitForAssertion(() =>
        {
            Assert.NotEmpty(page.FindAll("[data-testid=stamping-done]"));
            Assert.Empty(page.FindAll("[data-testid=record-stamping]"));
            Assert.Contains(Timeline(page), e => e.GetAttribute("data-kind") == "Stamped" && e.TextContent.Contains(SealingPortal.PhysicalSeal));
        }, TimeSpan.FromSeconds(30));
        Assert.Empty(host.FindAll("[data-testid=stamping-dialog]"));
        var entry = Assert.Single(await SealRequestKit.LedgerAsync(portal, id));
        Assert.Equal(SealKind.Physical, entry.Kind);
    }

    [Fact]
    public async Task A_sealed_request_shows_the_sealed_pdf_with_its_download_as_the_main_action_and_sealing_in_the_timeline()
    {
        var id = await SealedAsync();
        var documentId = (await SealRequestKit.LoadAsync(portal, id)).Documents.Single().Id;
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var page = Open(ui, id);

        Assert.Equal("Completed", Status(page));
        Assert.Equal(["download-sealed"], Actions(page));
        Assert.Equal($"/requests/{id}/documents/{documentId}/sealed", page.Find("[data-testid=action-bar] [data-testid=download-sealed]").GetAttribute("href"));
        Assert.Equal($"/requests/{id}/documents/{documentId}/sealed/view",
            page.Find("[data-testid=sealed-documents-view] [data-testid=pdf-viewer]").GetAttribute("data-pdf-viewer"));
        Assert.Empty(page.FindAll("[data-testid=documents]"));
        Assert.Contains(Timeline(page), e => e.GetAttribute("data-kind") == "Sealed" && e.TextContent.Contains(SealingPortal.EcdsaSeal));
        Assert.Contains(Timeline(page), e => e.GetAttribute("data-kind") == "Completed");
    }

    [Fact]
    public async Task Sealing_failed_shows_the_reason_to_the_applicant_and_the_keeper_retries_through_a_dialog()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [rsa], [PdfTestKit.ClassicPdf(1)]);
        await ChangeSealStatusAsync(rsa, SealStatus.Suspended);
        try
        {
            await SealRequestKit.ApproveAllAsync(portal, id);
        }
        finally
        {
            await ChangeSealStatusAsync(rsa, SealStatus.Active);
        }
        Assert.Equal(SealRequestStatus.SealingFailed, (await SealRequestKit.LoadAsync(portal, id)).Status);

        await using (var applicant = await PortalComponents.SignedInAsync(portal, "applicant"))
        {
            var page = Open(applicant, id);
            Assert.Equal("SealingFailed", Status(page));
            page.WaitForAssertion(() => Assert.Contains(SealingPortal.RsaSeal, page.Find("[data-testid=sealing-error]").TextContent), TimeSpan.FromSeconds(20));
            Assert.Empty(page.FindAll("[data-testid=retry-sealing]"));
            Assert.Contains(Timeline(page), e => e.GetAttribute("data-kind") == "SealingFailed");
        }

        await using var keeper = await PortalComponents.SignedInAsync(portal, "keeper");
        var (host, keeperPage) = Host(keeper, id);
        keeperPage.WaitForAssertion(() => Assert.NotEmpty(keeperPage.FindAll("[data-testid=retry-sealing]")));
        var retry = keeperPage.ClickFreshAsync("[data-testid=retry-sealing]");
        await ConfirmMessageBoxAsync(host);
        await retry.WaitAsync(TimeSpan.FromSeconds(60));
        keeperPage.WaitForAssertion(() => Assert.Equal("Completed", Status(keeperPage)), TimeSpan.FromSeconds(30));
        // The sealing panel reads its own state after the status changed.
        keeperPage.WaitForAssertion(() => Assert.Empty(keeperPage.FindAll("[data-testid=retry-sealing]")), TimeSpan.FromSeconds(30));
        Assert.Single(await SealRequestKit.LedgerAsync(portal, id));
    }

    // ------------------------------------------------------------------ who may see it

    [Theory]
    [InlineData("applicant", true)]
    [InlineData("depthead", true)]
    [InlineData("keeper", true)]
    [InlineData("auditor", true)]
    [InlineData("admin", true)]
    [InlineData("executive", false)] // an approver of a later step, not reached yet
    [InlineData("reviewer", false)] // no part in a letter under the company seal
    public async Task Who_may_see_a_request_in_review_and_who_gets_the_403_state_with_nothing_of_it(string user, bool sees)
    {
        var id = await SubmittedAsync(purpose: "秘密 purpose");
        await using var ui = await PortalComponents.SignedInAsync(portal, user);
        var page = Open(ui, id);

        if (sees)
        {
            Assert.Equal("秘密 purpose", page.Find("[data-testid=purpose]").TextContent);
            if (user != "depthead")
                Assert.DoesNotContain("approve", Actions(page));
        }
        else
        {
            Assert.Equal("403", page.Find("[data-testid=error]").GetAttribute("data-status"));
            Assert.DoesNotContain("秘密", page.Markup);
            Assert.Empty(page.FindAll("[data-testid=action-bar]"));
        }
    }

    [Fact]
    public async Task A_missing_request_is_the_404_state()
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "reviewer");
        var page = Open(ui, 987654);
        Assert.Equal("404", page.Find("[data-testid=error]").GetAttribute("data-status"));
        Assert.Contains("No such request.", page.Find("[data-testid=error]").TextContent);
    }

    [Fact]
    public async Task Commands_of_a_circuit_refuse_someone_elses_request_and_a_missing_one_like_the_page_does()
    {
        var id = await SubmittedAsync();
        var commands = portal.Services.GetRequiredService<RequestCommands>();
        var reviewer = await PrincipalAsync("reviewer");
        var applicant = await PrincipalAsync("applicant");

        Assert.Equal(403, (await commands.DecideAsync(reviewer, id, DecisionKind.Approve, null, Version(id))).StatusCode());
        Assert.Equal(404, (await commands.DecideAsync(reviewer, 987654, DecisionKind.Approve, null, 1)).StatusCode());
        Assert.Equal(403, (await commands.DecideAsync(applicant, id, DecisionKind.Approve, null, Version(id))).StatusCode());
        Assert.Equal(403, (await commands.WithdrawAsync(reviewer, id, Version(id))).StatusCode());
        Assert.Equal(403, (await commands.ResubmitAsync(reviewer, id, Version(id))).StatusCode());
        Assert.Equal(403, (await portal.Services.GetRequiredService<SealPortal.Features.Sealing.SealingCommands>().RetryAsync(reviewer, id)).StatusCode);
        Assert.Equal(SealRequestStatus.InApproval, (await SealRequestKit.LoadAsync(portal, id)).Status);
        Assert.Empty(Decisions(id));
    }

    // ------------------------------------------------------------------ actions

    [Fact]
    public async Task Approving_through_the_dialog_decides_once_then_offers_the_next_item_and_the_inbox()
    {
        var id = await SubmittedAsync();
        // Something else waits for the department head, so there is a next item.
        await SubmittedAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "depthead");
        var (host, page) = Host(ui, id, "?from=inbox");
        // A second tab (circuit) on the same request, whose approve dialog is open before the decision: its confirm comes second.
        await using var tab2 = await PortalComponents.SignedInAsync(portal, "depthead");
        var (host2, stale) = Host(tab2, id, "?from=inbox");
        var staleClick = stale.ClickFreshAsync("[data-testid=action-bar] [data-testid=approve]");
        host2.WaitForAssertion(() => Assert.NotEmpty(host2.FindAll("[data-testid=decision-confirm]")));

        await DecideInDialogAsync(host, page, "approve", "同意");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=after-decision]")));
        Assert.Contains("Approved.", ui.Snackbars);
        Assert.Equal("/inbox", page.Find("[data-testid=back-to-inbox]").GetAttribute("href"));
        Assert.Matches(@"^/requests/\d+\?from=inbox$", page.Find("[data-testid=next-item]").GetAttribute("href")!);
        Assert.NotEqual($"/requests/{id}?from=inbox", page.Find("[data-testid=next-item]").GetAttribute("href"));
        Assert.DoesNotContain("approve", Actions(page));
        Assert.Contains("刘强", page.Find("[data-testid=pending]").TextContent);

        host2.Find("[data-testid=decision-comment] textarea, textarea[data-testid=decision-comment]").Input("again");
        await host2.ClickFreshAsync("[data-testid=decision-confirm]");
        await staleClick.WaitAsync(TimeSpan.FromSeconds(60));
        host2.WaitForAssertion(() => Assert.Contains(tab2.Snackbars, s => s.Contains("first decision stands")));
        var decision = Assert.Single(Decisions(id));
        Assert.Equal("同意", decision.Comment);
        // The second tab follows the decision live: it offers no approve any more.
        stale.WaitForAssertion(() => Assert.DoesNotContain("approve", Actions(stale)), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Returning_needs_a_comment_in_the_dialog_and_nothing_is_decided_without_one()
    {
        var id = await SubmittedAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "depthead");
        var (host, page) = Host(ui, id);

        var click = page.ClickFreshAsync("[data-testid=return]");
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=decision-confirm]")));
        await host.ClickFreshAsync("[data-testid=decision-confirm]");
        Assert.NotEmpty(host.FindAll("[data-testid=decision-dialog]"));
        Assert.Empty(Decisions(id));
        host.Find("[data-testid=decision-comment] textarea, textarea[data-testid=decision-comment]").Input("请补充");
        await host.ClickFreshAsync("[data-testid=decision-confirm]");
        await click.WaitAsync(TimeSpan.FromSeconds(30));

        page.WaitForAssertion(() => Assert.Equal("Returned", Status(page)));
        Assert.Empty(host.FindAll("[data-testid=decision-dialog]"));
        Assert.Equal(DecisionKind.Return, Assert.Single(Decisions(id)).Kind);
    }

    [Fact]
    public async Task The_applicant_withdraws_through_a_confirmation_and_the_page_shows_the_result()
    {
        var id = await SubmittedAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var (host, page) = Host(ui, id);

        var click = page.ClickFreshAsync("[data-testid=withdraw]");
        await ConfirmMessageBoxAsync(host);
        await click.WaitAsync(TimeSpan.FromSeconds(30));

        page.WaitForAssertion(() => Assert.Equal("Withdrawn", Status(page)));
        Assert.Contains("Request withdrawn.", ui.Snackbars);
        Assert.Empty(Actions(page));
        Assert.Empty(host.FindAll(".mud-dialog"));
    }

    [Fact]
    public async Task Withdrawal_after_the_first_decision_is_refused_with_the_reason()
    {
        var id = await SubmittedAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var (host, page) = Host(ui, id);
        await DecideAsync(id, "depthead", DecisionKind.Approve, "ok");

        var click = page.ClickFreshAsync("[data-testid=withdraw]");
        await ConfirmMessageBoxAsync(host);
        await click.WaitAsync(TimeSpan.FromSeconds(30));

        page.WaitForAssertion(() => Assert.Contains(ui.Snackbars, s => s.Contains("can no longer be withdrawn")));
        Assert.Equal(SealRequestStatus.InApproval, (await SealRequestKit.LoadAsync(portal, id)).Status);
        Assert.Empty(Actions(page));
    }

    [Fact]
    public async Task A_returned_request_is_revised_in_the_edit_dialog_and_resubmitted()
    {
        var id = await SubmittedAsync();
        await DecideAsync(id, "depthead", DecisionKind.Return, "请修改用途");
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var (host, page) = Host(ui, id);

        var edit = page.ClickFreshAsync("[data-testid=edit]");
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=edit-dialog]")));
        host.Find("[data-testid=edit-purpose] textarea, textarea[data-testid=edit-purpose]").Change("revised purpose");
        host.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(PdfTestKit.ClassicPdf(3), "three-pages.pdf", contentType: "application/pdf"));
        await host.ClickFreshAsync("[data-testid=edit-save]");
        await edit.WaitAsync(TimeSpan.FromSeconds(30));
        page.WaitForAssertion(() => Assert.Equal("revised purpose", page.Find("[data-testid=purpose]").TextContent));
        Assert.Contains("three-pages.pdf", page.Find("[data-testid=documents]").TextContent);
        Assert.Empty(host.FindAll("[data-testid=edit-dialog]"));

        var resubmit = page.ClickFreshAsync("[data-testid=resubmit]");
        await ConfirmMessageBoxAsync(host);
        await resubmit.WaitAsync(TimeSpan.FromSeconds(30));
        page.WaitForAssertion(() => Assert.Equal("InApproval", Status(page)));
        Assert.Contains(Timeline(page), e => e.GetAttribute("data-kind") == "Submitted" && e.TextContent.Contains("round 2"));
    }

    [Fact]
    public async Task A_pdf_that_is_not_readable_is_refused_in_the_edit_dialog_and_nothing_changes()
    {
        var id = await DraftAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var (host, page) = Host(ui, id);

        var edit = page.ClickFreshAsync("[data-testid=edit]");
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=edit-dialog]")));
        host.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary("not a pdf"u8.ToArray(), "notes.pdf", contentType: "application/pdf"));
        await host.ClickFreshAsync("[data-testid=edit-save]");

        host.WaitForAssertion(() => Assert.Contains("notes.pdf is not a readable PDF", host.Find("[data-testid=edit-error]").TextContent));
        Assert.Equal("letter.pdf", (await SealRequestKit.LoadAsync(portal, id)).Documents.Single().FileName);
        Assert.NotEmpty(host.FindAll("[data-testid=edit-dialog]"));
        Assert.False(edit.IsCompleted);
    }

    [Fact]
    public async Task A_user_signed_out_elsewhere_can_decide_nothing_more_in_an_open_page()
    {
        var id = await SubmittedAsync();
        await using var ui = await PortalComponents.SignedInAsync(portal, "depthead");
        var (host, page) = Host(ui, id);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            await db.UserSessions.Where(s => s.Id == ui.SessionKey).ExecuteDeleteAsync();
        }

        await DecideInDialogAsync(host, page, "approve", "ok");

        page.WaitForAssertion(() => Assert.Contains("Your session has ended. Sign in again.", ui.Snackbars));
        Assert.Empty(Decisions(id));
    }

    [Fact]
    public async Task Approvers_see_each_placed_seal_over_the_document_and_a_warning_for_active_content()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var id = await SubmitAsync([physical], Pdf.Signing.SealPreflightTests.ActiveContentPdf(), "Letter", "带脚本",
            (sealId, docId) => [new SealPlacementInput(sealId, docId, 1, 320, 90, 110, 110, false)]);
        await using var ui = await PortalComponents.SignedInAsync(portal, "depthead");
        var page = Open(ui, id);

        page.WaitForAssertion(() => Assert.Contains("JavaScript", page.Find("[data-testid=active-content]").TextContent));
        // The viewer is shown after the document has loaded, which on a server database is a moment after the first render.
        page.WaitForAssertion(() => Assert.Contains(ui.Context.JSInterop.Invocations, i => i.Identifier == "show"));
        var invocation = ui.Context.JSInterop.Invocations.Last(i => i.Identifier == "show");
        var seals = Assert.IsAssignableFrom<IReadOnlyList<SealPortal.Components.Pdf.SealOverlay>>(invocation.Arguments[1]);
        var seal = Assert.Single(seals);
        Assert.Equal((SealingPortal.PhysicalSeal, 1, 320d, 90d, 110d), (seal.Name, seal.Page, seal.X, seal.Y, seal.Width));

        var plain = await SubmittedAsync();
        await using var other = await PortalComponents.SignedInAsync(portal, "depthead");
        var plainPage = Open(other, plain);
        plainPage.WaitForAssertion(() => Assert.Contains(other.Context.JSInterop.Invocations, i => i.Identifier == "show"));
        Assert.Empty(plainPage.FindAll("[data-testid=active-content]"));
    }

    // ------------------------------------------------------------------ helpers

    private static IRenderedComponent<RequestPage> Open(PortalComponents ui, int id) => Host(ui, id).Page;

    /// <summary>The page with the providers the layout has (popovers, dialogs), loaded.</summary>
    private static (IRenderedComponent<ContainerFragment> Host, IRenderedComponent<RequestPage> Page) Host(PortalComponents ui, int id, string query = "")
    {
        ui.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/requests/{id}{query}");
        var host = ui.Context.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
            b.OpenComponent<RequestPage>(2);
            b.AddAttribute(3, nameof(RequestPage.Id), id);
            b.CloseComponent();
        });
        var page = host.FindComponent<RequestPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=number], [data-testid=error]")), TimeSpan.FromSeconds(30));
        return (host, page);
    }

    private static async Task DecideInDialogAsync(IRenderedComponent<ContainerFragment> host, IRenderedComponent<RequestPage> page, string button, string comment)
    {
        var click = page.ClickFreshAsync($"[data-testid=action-bar] [data-testid={button}]");
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=decision-confirm]")));
        host.Find("[data-testid=decision-comment] textarea, textarea[data-testid=decision-comment]").Input(comment);
        await host.ClickFreshAsync("[data-testid=decision-confirm]");
        await click.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Clicks the confirming button of the message box that is open.</summary>
    private static async Task ConfirmMessageBoxAsync(IRenderedComponent<ContainerFragment> host)
    {
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll(".mud-dialog .mud-dialog-actions button")));
        await host.FindAll(".mud-dialog .mud-dialog-actions button").Last().ClickAsync(new());
    }

    private static string? Status(IRenderedComponent<RequestPage> page) => page.Find("[data-testid=status]").GetAttribute("data-status");

    /// <summary>The buttons of the action bar, by test id, in order.</summary>
    private static List<string> Actions(IRenderedComponent<RequestPage> page) =>
        page.FindAll("[data-testid=action-bar] [data-testid]").Select(e => e.GetAttribute("data-testid")!).Where(t => t != "deputy-for").ToList();

    private static IReadOnlyList<IElement> Timeline(IRenderedComponent<RequestPage> page) => page.FindAll("[data-testid=timeline] [data-kind]");

    private Task<int> DraftAsync() => CreateAsync(submit: false);

    private Task<int> SubmittedAsync(string purpose = "用印 test") => CreateAsync(submit: true, purpose);

    private async Task<int> CreateAsync(bool submit, string purpose = "用印 test")
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        return await SubmitAsync([physical], PdfTestKit.ClassicPdf(1), "Letter", purpose, null, submit);
    }

    private async Task<int> SubmitAsync(IReadOnlyList<int> sealIds, byte[] pdf, string documentType, string purpose,
        Func<int, int, IReadOnlyList<SealPlacementInput>>? placements, bool submit = true)
    {
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        await using var scope = portal.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant, new SealRequestInput(purpose, documentType, 1, null, null, false, sealIds),
            [new UploadedPdf("letter.pdf", pdf.Length, () => new MemoryStream(pdf))]);
        Assert.True(created.Succeeded, created.Message);
        var id = created.Id!.Value;
        if (placements is not null)
        {
            var documentId = (await SealRequestKit.LoadAsync(portal, id)).Documents.Single().Id;
            var placed = await scope.ServiceProvider.GetRequiredService<SetPlacementsHandler>().HandleAsync(id, applicant, placements(sealIds[0], documentId));
            Assert.True(placed.Succeeded, placed.Message);
        }
        if (submit)
        {
            var submitted = await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(id, applicant);
            Assert.True(submitted.Succeeded, submitted.Message);
        }
        return id;
    }

    private async Task<int> SealedAsync()
    {
        var ecdsa = await portal.SealIdAsync(SealingPortal.EcdsaSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [ecdsa], [PdfTestKit.ClassicPdf(1)]);
        await SealRequestKit.ApproveAllAsync(portal, id);
        Assert.Equal(SealRequestStatus.Completed, (await SealRequestKit.LoadAsync(portal, id)).Status);
        return id;
    }

    private async Task DecideAsync(int id, string userName, DecisionKind kind, string comment)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DecideHandler>()
            .HandleAsync(id, await SealRequestKit.UserIdAsync(portal, userName), kind, comment, Version(id));
        Assert.True(result.Succeeded, result.Message);
    }

    private long Version(int id) => State(id).Version;

    private IReadOnlyList<DecisionRecord> Decisions(int id) => State(id).Decisions;

    private WorkflowState State(int id) =>
        JsonSerializer.Deserialize<WorkflowState>(SealRequestKit.LoadAsync(portal, id).GetAwaiter().GetResult().WorkflowStateJson!)!;

    private async Task ChangeSealStatusAsync(int sealId, SealStatus to)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<SealRegistry>().ChangeStatusAsync(sealId, to, "测试", "admin");
        Assert.True(result.Succeeded, result.Error);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync((await users.FindByNameAsync(userName))!);
    }
}

/// <summary>A portal of its own: the delegation made here changes whom the department head's requests wait for.</summary>
public sealed class DeputyRequestPageTests(SealingPortal portal) : IClassFixture<SealingPortal>
{
    [Fact]
    public async Task A_deputy_decides_for_the_department_head_and_the_timeline_says_so()
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
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        int id;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var pdf = PdfTestKit.ClassicPdf(1);
            id = (await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant, new SealRequestInput("deputy test", "Letter", 1, null, null, false, [physical]),
                [new UploadedPdf("a.pdf", pdf.Length, () => new MemoryStream(pdf))])).Id!.Value;
            Assert.True((await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(id, applicant)).Succeeded);
        }

        await using var ui = await PortalComponents.SignedInAsync(portal, "reviewer");
        ui.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/requests/{id}?from=inbox");
        var host = ui.Context.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
            b.OpenComponent<RequestPage>(2);
            b.AddAttribute(3, nameof(RequestPage.Id), id);
            b.CloseComponent();
        });
        var page = host.FindComponent<RequestPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=action-bar]")), TimeSpan.FromSeconds(30));
        Assert.Contains("王芳", page.Find("[data-testid=deputy-for]").TextContent);

        var click = page.ClickFreshAsync("[data-testid=approve]");
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=decision-confirm]")));
        host.Find("[data-testid=decision-comment] textarea, textarea[data-testid=decision-comment]").Input("代批");
        await host.ClickFreshAsync("[data-testid=decision-confirm]");
        await click.WaitAsync(TimeSpan.FromSeconds(60));

        page.WaitForAssertion(() => Assert.Contains("刘强", page.Find("[data-testid=pending]").TextContent));
        var decided = Assert.Single(page.FindAll("[data-testid=timeline] [data-kind=Decided]"));
        Assert.Contains("李娜", decided.TextContent);
        Assert.Contains("王芳", decided.TextContent);
        Assert.Contains("代批", decided.TextContent);
        var state = JsonSerializer.Deserialize<WorkflowState>((await SealRequestKit.LoadAsync(portal, id)).WorkflowStateJson!)!;
        Assert.Equal(await SealRequestKit.UserIdAsync(portal, "depthead"), Assert.Single(state.Decisions).OnBehalfOfUserId);
    }
}
