using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;
using Microsoft.AspNetCore.Http;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// The portal with a small upload limit (so an oversized upload is cheap to make) and a handler that
/// records what it sees when a request's final approval has been committed.
/// </summary>
public sealed class RequestPortalFactory : SealPortalFactory
{
    public const long MaxUploadBytes = 64 * 1024;

    public ApprovalRecorder Approvals { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Requests:MaxUploadBytes"] = MaxUploadBytes.ToString(),
        ["Requests:MaxTotalUploadBytes"] = (4 * MaxUploadBytes).ToString(),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Approvals);
            services.AddScoped<IRequestApprovedHandler, RecordingApprovedHandler>();
        });
    }
}

public sealed class ApprovalRecorder
{
    private readonly List<(int RequestId, SealRequestStatus StatusInDatabase)> _calls = [];

    public void Add(int id, SealRequestStatus status)
    {
        lock (_calls)
            _calls.Add((id, status));
    }

    public IReadOnlyList<(int RequestId, SealRequestStatus StatusInDatabase)> Calls
    {
        get
        {
            lock (_calls)
                return _calls.ToList();
        }
    }
}

/// <summary>Reads the request through a fresh context, so it sees only what was committed.</summary>
public sealed class RecordingApprovedHandler(ApprovalRecorder recorder, IServiceScopeFactory scopes) : IRequestApprovedHandler
{
    public async Task HandleAsync(int sealRequestId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var status = await db.SealRequests.Where(r => r.Id == sealRequestId).Select(r => r.Status).SingleAsync(ct);
        recorder.Add(sealRequestId, status);
    }
}

public sealed class RequestPageTests(RequestPortalFactory portal) : IClassFixture<RequestPortalFactory>
{
    private const string CompanySeal = "公司公章";

    private static readonly byte[] OnePagePdf = PdfTestKit.ClassicPdf(1);
    private static readonly byte[] ThreePagePdf = PdfTestKit.ClassicPdf(3);

    // ------------------------------------------------------------------ the applicant's path

    [Fact]
    public async Task Applicant_creates_and_submits_a_request_that_gets_a_number_and_waits_for_the_department_head()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true, purpose: "介绍信 for the bank");

        var page = await applicant.GetDocumentAsync($"/requests/{id}");
        Assert.Matches(new Regex(@"^\d{2}-\d{5}$"), page.TextOf("[data-testid=number]"));
        Assert.Equal("InApproval", page.QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
        Assert.Equal("介绍信 for the bank", page.TextOf("[data-testid=purpose]"));
        Assert.Contains("王芳", page.TextOf("[data-testid=pending]"));
        Assert.NotNull(page.QuerySelector("[data-testid=action-bar] [data-testid=withdraw]"));
        Assert.Null(page.QuerySelector("[data-testid=action-bar] [data-testid=approve]"));

        Assert.Contains(page.TextOf("[data-testid=number]"), await InteractiveLists.MyRequestNumbersAsync(portal, "applicant"));

        Assert.Contains($"/requests/{id}?from=inbox", await InteractiveLists.InboxLinksAsync(portal, "depthead"));
        Assert.DoesNotContain($"/requests/{id}?from=inbox", await InteractiveLists.InboxLinksAsync(portal, "executive"));
    }

    [Fact]
    public async Task Numbers_are_consecutive_within_the_year()
    {
        using var applicant = await SignInAsync("applicant");
        var first = await NumberOfAsync(applicant, await CreateAsync(applicant, CompanySeal, "Letter", submit: false));
        var second = await NumberOfAsync(applicant, await CreateAsync(applicant, CompanySeal, "Letter", submit: false));

        Assert.Equal(first[..3], second[..3]);
        Assert.Equal(int.Parse(first[3..]) + 1, int.Parse(second[3..]));
    }

    [Fact]
    public async Task A_draft_is_saved_edited_with_a_replaced_pdf_and_then_submitted()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: false);
        var draft = await applicant.GetDocumentAsync($"/requests/{id}");
        Assert.Equal("Draft", draft.QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));

        Assert.NotNull(draft.QuerySelector("[data-testid=action-bar] [data-testid=edit]"));

        // The page's edit dialog and submit button call these commands of the circuit.
        var current = await LoadInputAsync(id);
        var edited = await Commands.UpdateDraftAsync(await UserAsync("applicant"), id, current with { Purpose = "revised purpose", Copies = 3 },
            [new UploadedPdf("three-pages.pdf", ThreePagePdf.Length, () => new MemoryStream(ThreePagePdf))]);
        Assert.True(edited.Succeeded, edited.Message);
        var after = await applicant.GetDocumentAsync($"/requests/{id}");
        Assert.Equal("revised purpose", after.TextOf("[data-testid=purpose]"));
        var documents = after.QuerySelectorAll("[data-testid=documents] [data-document]");
        Assert.Single(documents);
        Assert.Contains("three-pages.pdf", documents[0].TextContent);

        var submitted = await Commands.SubmitAsync(await UserAsync("applicant"), id);
        Assert.True(submitted.Succeeded, submitted.Message);
        Assert.Equal("InApproval", (await applicant.GetDocumentAsync($"/requests/{id}")).QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
    }

    [Fact]
    public async Task The_original_pdf_is_served_inline_to_the_applicant_and_an_auditor_but_not_to_an_outsider()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        var href = (await applicant.GetDocumentAsync($"/requests/{id}")).QuerySelector("[data-testid=documents] a")!.GetAttribute("href")!;
        Assert.Matches($"^/requests/{id}/documents/\\d+/original$", href);

        var original = await applicant.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal("application/pdf", original.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("inline", original.Content.Headers.ContentDisposition?.ToString() ?? original.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal(OnePagePdf, await original.Content.ReadAsByteArrayAsync());

        using var auditor = await SignInAsync("auditor");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(href)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/requests/{id}")).StatusCode);

        // The reviewer is not involved: the company-seal flow for a letter skips legal review.
        using var reviewer = await SignInAsync("reviewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync(href)).StatusCode);
        var page = await reviewer.GetAsync($"/requests/{id}");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Null((await PortalClient.ParseAsync(page)).QuerySelector("[data-testid=purpose]"));
    }

    [Fact]
    public async Task A_missing_request_is_a_404_on_every_page_and_download_while_someone_elses_stays_a_403()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        var documentId = int.Parse(Regex.Match((await applicant.GetDocumentAsync($"/requests/{id}"))
            .QuerySelector("[data-testid=documents] a")!.GetAttribute("href")!, @"/documents/(\d+)/").Groups[1].Value);
        const int Missing = 999999;
        string[] Addresses(int request) =>
        [
            $"/requests/{request}",
            // The placement step of the request editor (the old /placement address redirects there).
            $"/requests/{request}/edit",
            $"/requests/{request}/documents/{documentId}/original",
            $"/requests/{request}/documents/{documentId}/sealed",
            $"/requests/{request}/stampings/1/scan",
        ];

        // The reviewer is no approver of a letter under the company seal, so may not see this request.
        using var reviewer = await SignInAsync("reviewer");
        foreach (var url in Addresses(Missing))
        {
            var response = await reviewer.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url} answered {(int)response.StatusCode}");
            // The request's pages say so in place; the downloads show the status page.
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(body.Contains("No such request.") || body.Contains("Page not found"), $"{url}: {body}");
        }
        foreach (var url in Addresses(id))
        {
            var response = await reviewer.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{url} answered {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("No such request.", body);
            Assert.DoesNotContain("用印 test", body);
        }

        // Decisions on a missing request get the same 404; on someone else's, still 403 (the page's actions are commands of its circuit).
        Assert.Equal(StatusCodes.Status404NotFound, (await Commands.DecideAsync(await UserAsync("reviewer"), Missing, DecisionKind.Approve, null, 1)).StatusCode());
        Assert.Equal(StatusCodes.Status403Forbidden, (await Commands.DecideAsync(await UserAsync("reviewer"), id, DecisionKind.Approve, null, await VersionAsync(id))).StatusCode());
        // A plain form post to the interactive page is no way around that: it changes nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.PostHandMadeAsync($"/requests/{id}", "decide", [new("kind", "Approve"), new("version", "1")])).StatusCode);
        Assert.Empty(await DecisionsAsync(id));
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.PostHandMadeAsync($"/requests/{Missing}/sealing/retry", null, [])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostHandMadeAsync($"/requests/{id}/sealing/retry", null, [])).StatusCode);
    }

    // ------------------------------------------------------------------ approvers

    [Fact]
    public async Task Department_head_then_executive_approve_and_the_handler_runs_after_the_approval_is_committed()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);

        using var head = await SignInAsync("depthead");
        Assert.NotNull((await head.GetDocumentAsync($"/requests/{id}")).QuerySelector("[data-testid=action-bar] [data-testid=approve]"));
        var approved = await Commands.DecideAsync(await UserAsync("depthead"), id, DecisionKind.Approve, "同意", await VersionAsync(id));
        Assert.True(approved.Succeeded, approved.Message);
        var afterHead = await head.GetDocumentAsync($"/requests/{id}");
        Assert.Contains("刘强", afterHead.TextOf("[data-testid=pending]"));
        Assert.DoesNotContain(portal.Approvals.Calls, c => c.RequestId == id);

        using var executive = await SignInAsync("executive");
        Assert.Contains($"/requests/{id}?from=inbox", await InteractiveLists.InboxLinksAsync(portal, "executive"));
        var final = await Commands.DecideAsync(await UserAsync("executive"), id, DecisionKind.Approve, "", await VersionAsync(id));
        Assert.True(final.Succeeded, final.Message);

        var page = await applicant.GetDocumentAsync($"/requests/{id}");
        Assert.Equal("Approved", page.QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
        var decisions = page.QuerySelectorAll("[data-testid=timeline] [data-kind=Decided]");
        Assert.Equal(2, decisions.Length);
        Assert.Contains("同意", decisions[0].TextContent);
        Assert.Equal([(id, SealRequestStatus.Approved)], portal.Approvals.Calls.Where(c => c.RequestId == id).ToList());
        Assert.DoesNotContain($"/requests/{id}?from=inbox", await InteractiveLists.InboxLinksAsync(portal, "executive"));
    }

    [Fact]
    public async Task A_second_click_on_approve_changes_nothing_and_says_so()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        using var head = await SignInAsync("depthead");
        // Both clicks are based on the version the page showed.
        var shownVersion = await VersionAsync(id);

        var first = await Commands.DecideAsync(await UserAsync("depthead"), id, DecisionKind.Approve, null, shownVersion);
        Assert.True(first.Succeeded, first.Message);
        var second = await Commands.DecideAsync(await UserAsync("depthead"), id, DecisionKind.Approve, null, shownVersion);

        Assert.Equal(StatusCodes.Status409Conflict, second.StatusCode());
        Assert.Contains("first decision stands", second.Message);
        Assert.Single(await DecisionsAsync(id));
        Assert.Single((await head.GetDocumentAsync($"/requests/{id}")).QuerySelectorAll("[data-testid=timeline] [data-kind=Decided]"));
    }

    [Fact]
    public async Task A_stale_form_is_refused_after_the_request_changed()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        var staleVersion = await VersionAsync(id);

        var withdrawn = await Commands.WithdrawAsync(await UserAsync("applicant"), id, staleVersion);
        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        Assert.Equal("Withdrawn", (await applicant.GetDocumentAsync($"/requests/{id}")).QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));

        var late = await Commands.DecideAsync(await UserAsync("depthead"), id, DecisionKind.Approve, null, staleVersion);
        Assert.True(late.StatusCode() == StatusCodes.Status409Conflict, $"{late.StatusCode()}: {late.Message}");
        Assert.Contains("not waiting for a decision", late.Message);
    }

    [Fact]
    public async Task Withdrawal_is_refused_after_the_first_decision()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        var before = await VersionAsync(id);

        Assert.True((await Commands.DecideAsync(await UserAsync("depthead"), id, DecisionKind.Approve, null, before)).Succeeded);

        Assert.Null((await applicant.GetDocumentAsync($"/requests/{id}")).QuerySelector("[data-testid=action-bar] [data-testid=withdraw]"));
        var response = await Commands.WithdrawAsync(await UserAsync("applicant"), id, before);
        Assert.Equal(StatusCodes.Status409Conflict, response.StatusCode());
        Assert.Contains("can no longer be withdrawn", response.Message);
        Assert.Equal("InApproval", (await applicant.GetDocumentAsync($"/requests/{id}")).QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
    }

    [Fact]
    public async Task Nobody_decides_on_their_own_request()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        var page = await applicant.GetDocumentAsync($"/requests/{id}");
        Assert.Null(page.QuerySelector("[data-testid=action-bar] [data-testid=approve]"));

        var response = await Commands.DecideAsync(await UserAsync("applicant"), id, DecisionKind.Approve, null, await VersionAsync(id));
        Assert.Equal(StatusCodes.Status403Forbidden, response.StatusCode());
        Assert.Contains("own request", response.Message);
        Assert.Equal("InApproval", (await applicant.GetDocumentAsync($"/requests/{id}")).QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
    }

    [Fact]
    public async Task Someone_who_is_not_an_approver_of_the_step_cannot_decide()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        // The executive comes only after the department head, so may neither see nor decide yet.
        using var executive = await SignInAsync("executive");
        Assert.Equal(HttpStatusCode.Forbidden, (await executive.GetAsync($"/requests/{id}")).StatusCode);

        var response = await Commands.DecideAsync(await UserAsync("executive"), id, DecisionKind.Approve, null, await VersionAsync(id));
        Assert.Equal(StatusCodes.Status403Forbidden, response.StatusCode());
        using var head = await SignInAsync("depthead");
        Assert.Equal("InApproval", (await head.GetDocumentAsync($"/requests/{id}")).QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
        Assert.Empty((await head.GetDocumentAsync($"/requests/{id}")).QuerySelectorAll("[data-testid=timeline] [data-kind=Decided]"));
    }

    [Fact]
    public async Task A_returned_request_is_revised_with_a_new_pdf_and_resubmitted()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        using var head = await SignInAsync("depthead");

        var noComment = await Commands.DecideAsync(await UserAsync("depthead"), id, DecisionKind.Return, null, await VersionAsync(id));
        Assert.Equal(StatusCodes.Status400BadRequest, noComment.StatusCode());
        var returned = await Commands.DecideAsync(await UserAsync("depthead"), id, DecisionKind.Return, "请附上盖章页", await VersionAsync(id));
        Assert.True(returned.Succeeded, returned.Message);

        var page = await applicant.GetDocumentAsync($"/requests/{id}");
        Assert.Equal("Returned", page.QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
        Assert.Contains("请附上盖章页", page.TextOf("[data-testid=timeline]"));

        var revised = await Commands.UpdateDraftAsync(await UserAsync("applicant"), id, await LoadInputAsync(id),
            [new UploadedPdf("with-page.pdf", ThreePagePdf.Length, () => new MemoryStream(ThreePagePdf))]);
        Assert.True(revised.Succeeded, revised.Message);
        var resubmitted = await Commands.ResubmitAsync(await UserAsync("applicant"), id, await VersionAsync(id));
        Assert.True(resubmitted.Succeeded, resubmitted.Message);
        var after = await applicant.GetDocumentAsync($"/requests/{id}");
        Assert.Equal("InApproval", after.QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
        Assert.Contains("with-page.pdf", after.TextOf("[data-testid=documents]"));
        Assert.Contains($"/requests/{id}?from=inbox", await InteractiveLists.InboxLinksAsync(portal, "depthead"));
    }

    [Fact]
    public async Task A_rejected_request_is_final()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        using var head = await SignInAsync("depthead");
        var rejected = await Commands.DecideAsync(await UserAsync("depthead"), id, DecisionKind.Reject, "不符合规定", await VersionAsync(id));
        Assert.True(rejected.Succeeded, rejected.Message);

        var page = await applicant.GetDocumentAsync($"/requests/{id}");
        Assert.Equal("Rejected", page.QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
        Assert.Null(page.QuerySelector("[data-testid=action-bar]"));
        Assert.Equal(StatusCodes.Status409Conflict, (await Commands.ResubmitAsync(await UserAsync("applicant"), id, await VersionAsync(id))).StatusCode());
        Assert.Equal(StatusCodes.Status409Conflict, (await Commands.WithdrawAsync(await UserAsync("applicant"), id, await VersionAsync(id))).StatusCode());
        Assert.Equal(SealRequestStatus.Rejected, (await LoadAsync(id)).Status);
    }

    [Fact]
    public async Task Inbox_filters_by_document_type_and_urgency()
    {
        using var applicant = await SignInAsync("applicant");
        var urgentContract = await CreateAsync(applicant, CompanySeal, "Contract", submit: true, urgent: true);
        var letter = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);
        using var head = await SignInAsync("depthead");

        var contracts = await InteractiveLists.InboxLinksAsync(portal, "depthead", type: "Contract");
        Assert.Contains($"/requests/{urgentContract}?from=inbox", contracts);
        Assert.DoesNotContain($"/requests/{letter}?from=inbox", contracts);
        var urgent = await InteractiveLists.InboxLinksAsync(portal, "depthead", urgent: "true");
        Assert.Contains($"/requests/{urgentContract}?from=inbox", urgent);
        Assert.DoesNotContain($"/requests/{letter}?from=inbox", urgent);
        Assert.DoesNotContain($"/requests/{letter}?from=inbox", await InteractiveLists.InboxLinksAsync(portal, "depthead", overdue: "true"));
    }

    [Fact]
    public async Task The_inbox_link_is_shown_to_approvers_only()
    {
        using var head = await SignInAsync("depthead");
        using var applicant = await SignInAsync("applicant");
        Assert.NotNull((await head.GetDocumentAsync("/")).QuerySelector("nav a[href='/inbox']"));
        Assert.Null((await applicant.GetDocumentAsync("/")).QuerySelector("nav a[href='/inbox']"));
        Assert.NotNull((await applicant.GetDocumentAsync("/")).QuerySelector("nav a[href='/requests']"));
    }

    // ------------------------------------------------------------------ refusals of the upload

    [Fact]
    public async Task An_auditor_may_not_open_the_new_request_page()
    {
        using var auditor = await SignInAsync("auditor");
        var response = await auditor.GetAsync("/requests/new");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }

    // Each refusal of an upload (not a PDF, a trailer /Size sealing could not continue, deflate bombs, a
    // good file next to a truncated one, encrypted, too big, no seal, a seal outside the applicant's scope)
    // is checked on the interactive request editor and its service: see RequestEditorTests.

    [Fact]
    public async Task Approvers_see_a_warning_for_a_pdf_with_active_content()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true, file: ("scripted.pdf", Pdf.Signing.SealPreflightTests.ActiveContentPdf()));

        using var head = await SignInAsync("depthead");
        var warning = (await head.GetDocumentAsync($"/requests/{id}")).TextOf("[data-testid=active-content]");
        Assert.Contains("JavaScript", warning);
        Assert.Contains("Launch", warning);
        Assert.Null((await head.GetDocumentAsync($"/requests/{await CreateAsync(applicant, CompanySeal, "Letter", submit: true)}")).QuerySelector("[data-testid=active-content]"));
    }

    // ------------------------------------------------------------------ concurrency

    [Fact]
    public async Task Two_saves_based_on_the_same_row_cannot_both_win()
    {
        using var applicant = await SignInAsync("applicant");
        var id = await CreateAsync(applicant, CompanySeal, "Letter", submit: true);

        await using var scope1 = portal.Services.CreateAsyncScope();
        await using var scope2 = portal.Services.CreateAsyncScope();
        var db1 = scope1.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var db2 = scope2.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var first = await db1.SealRequests.SingleAsync(r => r.Id == id);
        var second = await db2.SealRequests.SingleAsync(r => r.Id == id);
        first.WorkflowStateJson += " ";
        first.ConcurrencyStamp = Guid.NewGuid();
        second.WorkflowStateJson += "  ";
        second.ConcurrencyStamp = Guid.NewGuid();

        await db1.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db2.SaveChangesAsync());
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>The commands the interactive page calls for its actions (one scope each, re-checked per call).</summary>
    private RequestCommands Commands => portal.Services.GetRequiredService<RequestCommands>();

    /// <summary>The user as a circuit's action sees them: built from the database now.</summary>
    private async Task<System.Security.Claims.ClaimsPrincipal> UserAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        return await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<ApplicationUser>>()
            .CreateAsync((await users.FindByNameAsync(userName))!);
    }

    private async Task<SealRequest> LoadAsync(int id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealRequests.AsNoTracking()
            .Include(r => r.Seals).SingleAsync(r => r.Id == id);
    }

    /// <summary>The workflow version a page showing the request now would base its action on.</summary>
    private async Task<long> VersionAsync(int id) =>
        (await LoadAsync(id)).WorkflowStateJson is { } json ? RequestWorkflowStore.Deserialize(json).Version : 0;

    private async Task<IReadOnlyList<SealPortal.Workflow.DecisionRecord>> DecisionsAsync(int id) =>
        (await LoadAsync(id)).WorkflowStateJson is { } json ? RequestWorkflowStore.Deserialize(json).Decisions : [];

    /// <summary>The request's fields as the edit dialog starts with them.</summary>
    private async Task<SealRequestInput> LoadInputAsync(int id)
    {
        var r = await LoadAsync(id);
        return new SealRequestInput(r.Purpose, r.DocumentType, r.Copies, r.Amount, r.Counterparty, r.Urgent, r.Seals.Select(x => x.SealId).Distinct().ToList());
    }

    /// <summary>Signed in and reading English, so assertions can name the messages.</summary>
    private async Task<PortalClient> SignInAsync(string userName)
    {
        var client = await portal.SignInAsync(userName);
        client.Http.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.Http.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        return client;
    }

    private async Task<(int Requests, int Documents, int ArchiveFiles)> CountsAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var archive = Path.Combine(portal.DataFolder, "archive");
        var files = Directory.Exists(archive) ? Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories).Count() : 0;
        return (await db.SealRequests.CountAsync(), await db.SealRequestDocuments.CountAsync(), files);
    }

    private static async Task<string> NumberOfAsync(PortalClient client, int id) =>
        (await client.GetDocumentAsync($"/requests/{id}")).TextOf("[data-testid=number]");

    /// <summary>
    /// A request of "applicant" made through the same handlers the request editor calls (the editor itself
    /// is an interactive page, tested in RequestEditorTests); submitted when <paramref name="submit"/>.
    /// </summary>
    private async Task<int> CreateAsync(PortalClient client, string sealName, string documentType, bool submit,
        string purpose = "用印 test", bool urgent = false, (string Name, byte[] Bytes)? file = null)
    {
        _ = client;
        var pdf = file ?? ("letter.pdf", OnePagePdf);
        var userId = await RequestSeeding.UserIdAsync(portal.Services, "applicant");
        var sealId = await RequestSeeding.SealIdAsync(portal.Services, sealName);
        await using var scope = portal.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(userId,
            new SealRequestInput(purpose, documentType, 2, 5000m, "某银行", urgent, [sealId]),
            [new UploadedPdf(pdf.Name, pdf.Bytes.Length, () => new MemoryStream(pdf.Bytes))]);
        Assert.True(created.Succeeded, $"creating a request refused: {created}");
        if (submit)
        {
            var submitted = await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(created.Id!.Value, userId);
            Assert.True(submitted.Succeeded, $"submitting refused: {submitted}");
        }
        return created.Id!.Value;
    }

    /// <summary>Posts a form of an already loaded page as multipart, with several files under "files" like a browser's multiple file input.</summary>
    private static async Task<HttpResponseMessage> PostLoadedMultipartAsync(PortalClient client, IHtmlDocument page, string url, string formName,
        IReadOnlyList<KeyValuePair<string, string>> values, IReadOnlyList<(string Name, byte[] Content)> files)
    {
        var fields = FieldsOf(page, formName, values);
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
            content.Add(new StringContent(value), name);
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(part, "files", name);
        }
        return await client.Http.PostAsync(url, content);
    }

    /// <summary>
    /// The fields the named form would post, with <paramref name="values"/> replacing fields of the same name.
    /// When the page has no such form (the user was never offered it), the antiforgery token of any form and the
    /// handler name are used, like a hand-made POST.
    /// </summary>
    private static List<KeyValuePair<string, string>> FieldsOf(IHtmlDocument page, string formName, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        var form = page.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .FirstOrDefault(f => f.QuerySelector($"input[name='_handler'][value='{formName}']") is not null);
        List<KeyValuePair<string, string>> fields;
        if (form is null)
        {
            var token = page.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value")
                        ?? throw new InvalidOperationException("no antiforgery token on the page");
            fields = [new("__RequestVerificationToken", token), new("_handler", formName)];
        }
        else
        {
            fields = PortalClient.ReadFields(form);
        }
        foreach (var name in values.Select(v => v.Key).Distinct())
            fields.RemoveAll(f => f.Key == name);
        fields.AddRange(values);
        return fields;
    }
}
