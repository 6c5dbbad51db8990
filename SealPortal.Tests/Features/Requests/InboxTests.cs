using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Requests;

/// <summary>The interactive inbox (bUnit over a real portal): search, and approving several requests at one step.</summary>
public class InboxTests(SealingPortal portal) : IClassFixture<SealingPortal>
{
    [Fact]
    public async Task Search_finds_requests_by_number_title_counterparty_and_applicant()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var alpha = await SubmitAsync($"采购合同 Alpha-{tag}", $"甲方 Counter-{tag}");
        var beta = await SubmitAsync($"Letter Beta-{tag}", null);
        var alphaNumber = (await SealRequestKit.LoadAsync(portal, alpha)).Number;

        await using var ui = await PortalComponents.SignedInAsync(portal, "depthead");
        var inbox = ui.Render<Inbox>();
        InteractiveLists.WaitUntilLoaded(inbox);

        async Task<List<string>> SearchAsync(string text)
        {
            var loads = int.Parse(inbox.Find("[data-testid=grid-state]").GetAttribute("data-loads")!);
            await inbox.InvokeAsync(() => inbox.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync(text));
            InteractiveLists.WaitUntilLoaded(inbox, loads + 1);
            return inbox.FindAll("a[data-number]").Select(a => a.GetAttribute("href")!).ToList();
        }

        Assert.Equal([$"/requests/{alpha}?from=inbox"], await SearchAsync($"Alpha-{tag}"));
        Assert.Equal([$"/requests/{beta}?from=inbox"], await SearchAsync($"beta-{tag}"));
        Assert.Equal([$"/requests/{alpha}?from=inbox"], await SearchAsync($"Counter-{tag}"));
        Assert.Equal([$"/requests/{alpha}?from=inbox"], await SearchAsync(alphaNumber));
        var byApplicant = await SearchAsync("张伟");
        Assert.Contains($"/requests/{alpha}?from=inbox", byApplicant);
        Assert.Contains($"/requests/{beta}?from=inbox", byApplicant);
        Assert.Empty(await SearchAsync($"nothing-{tag}"));
        Assert.NotEmpty(inbox.FindAll("[data-testid=empty]"));
    }

    [Fact]
    public async Task The_inbox_search_ignores_the_case_takes_wildcards_as_they_are_and_matches_the_applicants_name()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var alpha = await SubmitAsync($"采购合同 Alpha-{tag}", $"甲方 Counter-{tag}");
        var beta = await SubmitAsync($"Letter Beta-{tag}", null);
        var alphaNumber = (await SealRequestKit.LoadAsync(portal, alpha)).Number;
        var head = await SealRequestKit.UserIdAsync(portal, "depthead");
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        var queries = portal.Services.GetRequiredService<RequestQueries>();

        async Task<List<int>> SearchAsync(string text)
        {
            var page = await queries.InboxAsync(head, new InboxFilter(), new ListQuery(Search: text, PageSize: 100));
            Assert.Equal(page.Items.Count, page.Total);
            return page.Items.Select(i => i.Id).ToList();
        }

        // Number, purpose and counterparty, in any case, in Chinese too.
        Assert.Equal([alpha], await SearchAsync($"ALPHA-{tag.ToUpperInvariant()}"));
        Assert.Equal([beta], await SearchAsync($"lEtTeR bEtA-{tag}"));
        Assert.Equal([alpha], await SearchAsync($"counter-{tag}"));
        Assert.Equal([alpha], await SearchAsync($"甲方 COUNTER-{tag}"));
        Assert.Equal([alpha], await SearchAsync(alphaNumber));
        Assert.Empty(await SearchAsync($"nothing-{tag}"));
        // LIKE's wildcards and its escape character in the text are the characters themselves.
        Assert.Empty(await SearchAsync($"%-{tag}"));
        Assert.Empty(await SearchAsync($"alph_-{tag}"));
        Assert.Empty(await SearchAsync($"alpha\\-{tag}"));

        // Part of the applicant's name, in another case, finds every request of theirs waiting for the approver, as does
        // no search at all; a name nobody has finds nothing.
        string name;
        await using (var scope = portal.Services.CreateAsyncScope())
            name = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.Id == applicant).Select(u => u.DisplayName).SingleAsync();
        var all = (await queries.InboxAsync(head, new InboxFilter(), new ListQuery(PageSize: 100))).Items;
        var part = name[1..];
        var expected = all.Where(i => new[] { i.Number, i.Purpose, i.Counterparty, i.Applicant }
            .Any(v => v?.ToLowerInvariant().Contains(part.ToLowerInvariant(), StringComparison.Ordinal) == true)).Select(i => i.Id).ToList();
        Assert.Contains(alpha, expected);
        Assert.Contains(beta, expected);
        var byName = await SearchAsync(part.ToUpperInvariant());
        Assert.Equal(expected.Order(), byName.Order());
        Assert.Empty(await SearchAsync($"{name}-{tag}"));
        // The applicant is no approver of these requests: their own inbox search finds neither.
        Assert.DoesNotContain(alpha, (await queries.InboxAsync(applicant, new InboxFilter(), new ListQuery(Search: tag))).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Approving_selected_requests_decides_each_one_and_a_request_decided_meanwhile_is_refused_alone()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var first = await SubmitAsync($"bulk one {tag}", null);
        var second = await SubmitAsync($"bulk two {tag}", null);
        var third = await SubmitAsync($"bulk three {tag}", null);

        await using var ui = await PortalComponents.SignedInAsync(portal, "depthead");
        var page = ui.Context.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
            b.OpenComponent<Inbox>(2);
            b.CloseComponent();
        });
        var inbox = page.FindComponent<Inbox>();
        InteractiveLists.WaitUntilLoaded(inbox);
        Assert.True(inbox.Find("[data-testid=bulk-approve]").HasAttribute("disabled"));

        // The search narrows the list to this test's three requests; select them all.
        var loads = int.Parse(inbox.Find("[data-testid=grid-state]").GetAttribute("data-loads")!);
        await inbox.InvokeAsync(() => inbox.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync(tag));
        InteractiveLists.WaitUntilLoaded(inbox, loads + 1);
        foreach (var id in new[] { first, second, third })
            await RowOf(inbox, id).QuerySelector("input[type=checkbox]")!.ChangeAsync(new() { Value = true });
        inbox.WaitForAssertion(() => Assert.False(inbox.Find("[data-testid=bulk-approve]").HasAttribute("disabled")));

        // The click's handler waits for the dialog's answer, so it completes only after the confirmation below.
        var approving = inbox.ClickFreshAsync("[data-testid=bulk-approve]");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=decision-dialog]")));
        Assert.Contains("3", page.Find("[data-testid=decision-count]").TextContent);

        // While the dialog is open, the third is returned from its own page. (Done before the click, the live
        // update could drop it from the selection first, as it does for a user; then nothing is refused.)
        await DecideAsync(third, "depthead", DecisionKind.Return, "请补充材料");
        page.Find("textarea[data-testid=decision-comment], [data-testid=decision-comment] textarea").Input("批量同意");
        await page.ClickFreshAsync("[data-testid=decision-confirm]");
        await approving.WaitAsync(TimeSpan.FromSeconds(60));

        page.WaitForAssertion(() => Assert.Contains("2 requests approved.", ui.Snackbars));
        var thirdNumber = (await SealRequestKit.LoadAsync(portal, third)).Number;
        Assert.Contains(ui.Snackbars, s => s.StartsWith(thirdNumber + ":"));
        foreach (var id in new[] { first, second })
        {
            var decisions = await DecisionsAsync(id);
            var approval = Assert.Single(decisions);
            Assert.Equal(DecisionKind.Approve, approval.Kind);
            Assert.Equal("批量同意", approval.Comment);
            var number = (await SealRequestKit.LoadAsync(portal, id)).Number;
            await using var scope = portal.Services.CreateAsyncScope();
            var line = Assert.Single(await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().AuditEvents
                .Where(e => e.Subject == number && e.Action == AuditAction.DecisionMade).ToListAsync());
            Assert.Equal("depthead", line.Actor);
            Assert.Equal(await SealRequestKit.UserIdAsync(portal, "depthead"), line.ActorUserId);
        }
        Assert.Equal(SealRequestStatus.Returned, (await SealRequestKit.LoadAsync(portal, third)).Status);
        Assert.Equal([DecisionKind.Return], (await DecisionsAsync(third)).Select(d => d.Kind));
    }

    [Fact]
    public async Task Requests_at_different_steps_are_not_approved_together()
    {
        var commands = portal.Services.GetRequiredService<RequestCommands>();
        InboxItem Item(int id, string node) => new(id, $"26-{id:00000}", "p", "Letter", "a", "d", false, "n", DateTimeOffset.UtcNow, null, false, null, [], null, node, 1);
        var user = new System.Security.Claims.ClaimsPrincipal();
        Assert.Null(await commands.ApproveManyAsync(user, [Item(1, "t/1#0"), Item(2, "t/1#1")], "ok"));
        Assert.Null(await commands.ApproveManyAsync(user, [], "ok"));
    }

    private static IElement RowOf(IRenderedComponent<Inbox> inbox, int id) =>
        inbox.FindAll("tr").Single(tr => tr.QuerySelector($"a[href='/requests/{id}?from=inbox']") is not null);

    [Fact]
    public async Task My_requests_search_whatever_the_case_by_number_title_and_counterparty_and_only_the_applicants_own()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var alpha = await SubmitAsync($"采购合同 Alpha-{tag}", $"甲方 Counter-{tag}");
        var beta = await SubmitAsync($"Letter Beta-{tag}", null);
        var alphaNumber = (await SealRequestKit.LoadAsync(portal, alpha)).Number;
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        var queries = portal.Services.GetRequiredService<RequestQueries>();

        async Task<List<int>> SearchAsync(string userId, string text) =>
            (await queries.MineAsync(userId, new ListQuery(Search: text))).Items.Select(r => r.Id).ToList();

        Assert.Equal([alpha], await SearchAsync(applicant, $"ALPHA-{tag.ToUpperInvariant()}"));
        Assert.Equal([beta], await SearchAsync(applicant, $"beta-{tag}"));
        Assert.Equal([alpha], await SearchAsync(applicant, $"counter-{tag}"));
        Assert.Equal([alpha], await SearchAsync(applicant, alphaNumber));
        Assert.Empty(await SearchAsync(applicant, $"nothing-{tag}"));
        // LIKE's wildcards in the text are the characters themselves.
        Assert.Empty(await SearchAsync(applicant, $"%-{tag}"));
        Assert.Empty(await SearchAsync(applicant, $"alph_-{tag}"));
        // Someone else's search never finds the applicant's requests.
        Assert.Empty(await SearchAsync(await SealRequestKit.UserIdAsync(portal, "depthead"), $"alpha-{tag}"));

        // The applicant's own name matches every one of their requests (asked once, not per row).
        string own;
        await using (var scope = portal.Services.CreateAsyncScope())
            own = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.Id == applicant).Select(u => u.DisplayName).SingleAsync();
        var byName = await SearchAsync(applicant, own.ToUpperInvariant());
        Assert.Contains(alpha, byName);
        Assert.Contains(beta, byName);

        // A page after the first reads its ids first, then their rows: by purpose both ways, one row a page.
        async Task<(int Id, int Total)> PageAsync(int page, bool descending)
        {
            var list = await queries.MineAsync(applicant, new ListQuery(Search: tag, SortBy: "Purpose", Descending: descending, Page: page, PageSize: 1));
            return (Assert.Single(list.Items).Id, list.Total);
        }
        Assert.Equal([(beta, 2), (alpha, 2)], new[] { await PageAsync(0, false), await PageAsync(1, false) });
        Assert.Equal([(alpha, 2), (beta, 2)], new[] { await PageAsync(0, true), await PageAsync(1, true) });
    }

    private async Task<int> SubmitAsync(string purpose, string? counterparty)
    {
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        await using var scope = portal.Services.CreateAsyncScope();
        var pdf = PdfTestKit.ClassicPdf(1);
        var created = await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
            new SealRequestInput(purpose, DocumentTypes.Other, 1, null, counterparty, false, [physical]),
            [new UploadedPdf("a.pdf", pdf.Length, () => new MemoryStream(pdf))]);
        Assert.True(created.Succeeded, created.ToString());
        var submitted = await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(created.Id!.Value, applicant);
        Assert.True(submitted.Succeeded, submitted.ToString());
        return created.Id!.Value;
    }

    private async Task DecideAsync(int id, string userName, DecisionKind kind, string comment)
    {
        var request = await SealRequestKit.LoadAsync(portal, id);
        var state = System.Text.Json.JsonSerializer.Deserialize<WorkflowState>(request.WorkflowStateJson!)!;
        await using var scope = portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DecideHandler>()
            .HandleAsync(id, await SealRequestKit.UserIdAsync(portal, userName), kind, comment, state.Version);
        Assert.True(result.Succeeded, result.ToString());
    }

    private async Task<IReadOnlyList<DecisionRecord>> DecisionsAsync(int id)
    {
        var request = await SealRequestKit.LoadAsync(portal, id);
        return System.Text.Json.JsonSerializer.Deserialize<WorkflowState>(request.WorkflowStateJson!)!.Decisions;
    }
}
