using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Audits;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Audits;

/// <summary>
/// Periodic audits through the pages, on whichever database the run uses. Each test audits a
/// period of its own (a different year), so the tests share one portal without seeing each other's entries.
/// </summary>
public class AuditPageTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    private static Dictionary<string, object> Open(string from, string to, string sample) =>
        new() { ["from"] = from, ["to"] = to, ["sample"] = sample };

    private static async Task<IHtmlDocument> ExpectPageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {html[..Math.Min(html.Length, 3000)]}");
        Assert.DoesNotContain("   at ", html);
        return await PortalClient.ParseAsync(html);
    }

    /// <summary>Opens an audit and returns its page address.</summary>
    private static async Task<string> OpenAuditAsync(PortalClient auditor, string from, string to, string sample)
    {
        var response = await auditor.SubmitNamedFormAsync("/audits", "open-audit", Open(from, to, sample));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"opening answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var target = response.LocalTarget();
        Assert.Matches("^/audits/[0-9]+$", target);
        return target;
    }

    private static IReadOnlyList<(long Item, long Entry)> Items(IHtmlDocument page) =>
        page.QuerySelectorAll("[data-testid=item]")
            .Select(r => (long.Parse(r.GetAttribute("data-item")!), long.Parse(r.GetAttribute("data-entry")!)))
            .ToList();

    private static Task<HttpResponseMessage> RecordAsync(PortalClient client, string auditUrl, long item, string finding, string note = "") =>
        client.SubmitNamedFormAsync(auditUrl, "findings",
            new Dictionary<string, object> { ["item"] = item.ToString(), [$"finding-{item}"] = finding, [$"note-{item}"] = note });

    private static Task<HttpResponseMessage> CloseAsync(PortalClient client, string auditUrl, string conclusion) =>
        client.SubmitNamedFormAsync(auditUrl, "close-audit", new Dictionary<string, object> { ["conclusion"] = conclusion });

    [Fact]
    public async Task An_auditor_opens_an_audit_records_findings_and_closes_it_with_a_conclusion()
    {
        var entries = await portal.AddEntriesAsync(new DateOnly(2031, 3, 10), 12, "31A");
        await portal.AddEntriesAsync(new DateOnly(2031, 4, 2), 3, "31B"); // outside the period
        using var auditor = await portal.SignInAsync("auditor");
        auditor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");

        var url = await OpenAuditAsync(auditor, "2031-03-01", "2031-03-31", "5");
        var page = await auditor.GetDocumentAsync(url);

        Assert.Equal("Open", page.QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
        Assert.Contains("5 of 12 entries", page.TextOf("[data-testid=sample]"));
        var items = Items(page);
        Assert.Equal(5, items.Count);
        Assert.All(items, i => Assert.Contains(i.Entry, entries));
        Assert.Contains("31A-", page.TextOf("[data-testid=items]"));

        // Closing needs a finding for every sampled entry.
        var early = await ExpectPageAsync(await CloseAsync(auditor, url, "All fine."), HttpStatusCode.BadRequest);
        Assert.Contains("5 sampled entries have no finding yet", early.TextOf("[data-testid=error]"));

        // An issue needs a note saying what it is.
        var bare = await ExpectPageAsync(await RecordAsync(auditor, url, items[0].Item, "Issue"), HttpStatusCode.BadRequest);
        Assert.Equal("Describe the issue in the note.", bare.TextOf("[data-testid=error]"));
        await ExpectPageAsync(await RecordAsync(auditor, url, items[0].Item, "Issue", "Copies differ from the request."), HttpStatusCode.OK);
        foreach (var (item, _) in items.Skip(1))
            await ExpectPageAsync(await RecordAsync(auditor, url, item, "Ok"), HttpStatusCode.OK);

        var closed = await ExpectPageAsync(await CloseAsync(auditor, url, "One entry with wrong copies; the rest in order."), HttpStatusCode.OK);

        Assert.Equal("Closed", closed.QuerySelector("[data-testid=status]")!.GetAttribute("data-status"));
        Assert.Equal("One entry with wrong copies; the rest in order.", closed.TextOf("[data-testid=conclusion]"));
        var rows = closed.QuerySelectorAll("[data-testid=item]").ToList();
        Assert.Equal("Issue", rows[0].GetAttribute("data-finding"));
        Assert.Contains("Copies differ from the request.", rows[0].TextContent);
        Assert.All(rows.Skip(1), r => Assert.Equal("Ok", r.GetAttribute("data-finding")));

        var id = int.Parse(url.Split('/')[^1]);
        var list = await auditor.GetDocumentAsync("/audits");
        var row = list.QuerySelector($"[data-audit='{id}']")!;
        Assert.Contains("Closed", row.TextContent);

        var trail = await portal.QueryAsync(db => db.AuditEvents.Where(e => e.Subject == SealAuditService.Subject(id)).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal([AuditAction.AuditOpened, AuditAction.AuditClosed], trail.Select(e => e.Action));
        Assert.All(trail, e => Assert.Equal("auditor", e.Actor));
        Assert.Contains("5 of 12", trail[0].Detail);
        Assert.Contains("1 issue(s)", trail[1].Detail);
    }

    [Fact]
    public async Task A_closed_audit_is_read_only_and_late_posts_get_409_with_a_message()
    {
        await portal.AddEntriesAsync(new DateOnly(2032, 6, 1), 3, "32A");
        using var auditor = await portal.SignInAsync("auditor");
        auditor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var url = await OpenAuditAsync(auditor, "2032-06-01", "2032-06-01", "100%");
        var items = Items(await auditor.GetDocumentAsync(url));
        Assert.Equal(3, items.Count);
        foreach (var (item, _) in items)
            await ExpectPageAsync(await RecordAsync(auditor, url, item, "Ok", "checked against the paper file"), HttpStatusCode.OK);
        await ExpectPageAsync(await CloseAsync(auditor, url, "In order."), HttpStatusCode.OK);

        var page = await auditor.GetDocumentAsync(url);
        Assert.Empty(page.QuerySelectorAll("[data-testid=items] select, [data-testid=items] textarea, [data-testid=close-form] textarea"));
        Assert.Empty(page.QuerySelectorAll("[data-testid=findings-form] button, [data-testid=close-form] button"));

        var late = await ExpectPageAsync(await RecordAsync(auditor, url, items[0].Item, "Issue", "changed my mind"), HttpStatusCode.Conflict);
        Assert.Contains("can no longer be changed", late.TextOf("[data-testid=error]"));
        var again = await ExpectPageAsync(await CloseAsync(auditor, url, "Another conclusion."), HttpStatusCode.Conflict);
        Assert.Contains("can no longer be changed", again.TextOf("[data-testid=error]"));

        var after = await auditor.GetDocumentAsync(url);
        Assert.Equal("In order.", after.TextOf("[data-testid=conclusion]"));
        Assert.All(after.QuerySelectorAll("[data-testid=item]"), r => Assert.Equal("Ok", r.GetAttribute("data-finding")));
        var id = int.Parse(url.Split('/')[^1]);
        var stored = await portal.QueryAsync(db => db.SealAuditItems.Where(i => i.SealAuditId == id).ToListAsync());
        Assert.All(stored, i => Assert.Equal("checked against the paper file", i.Note));
    }

    [Fact]
    public async Task Sampling_is_reproducible_from_the_recorded_seed_and_stays_inside_the_period()
    {
        var inPeriod = await portal.AddEntriesAsync(new DateOnly(2033, 1, 15), 20, "33A");
        await portal.AddEntriesAsync(new DateOnly(2033, 2, 1), 5, "33B");
        using var auditor = await portal.SignInAsync("auditor");

        var first = await OpenAuditAsync(auditor, "2033-01-01", "2033-01-31", "25%");
        var second = await OpenAuditAsync(auditor, "2033-01-01", "2033-01-31", "25%");

        var id = int.Parse(first.Split('/')[^1]);
        var page = await auditor.GetDocumentAsync(first);
        var seed = page.TextOf("[data-testid=seed]");
        Assert.Equal(AuditSampler.SeedFor(id), seed);
        var drawn = Items(page).Select(i => i.Entry).ToList();
        Assert.Equal(5, drawn.Count); // 25% of 20
        Assert.Equal(drawn, AuditSampler.Draw(inPeriod, seed, 5));
        Assert.Equal(drawn, AuditSampler.Draw(inPeriod.Reverse(), seed, 5));
        Assert.Equal(5, drawn.Distinct().Count());
        Assert.All(drawn, e => Assert.Contains(e, inPeriod));

        var other = Items(await auditor.GetDocumentAsync(second)).Select(i => i.Entry).ToList();
        var otherSeed = AuditSampler.SeedFor(int.Parse(second.Split('/')[^1]));
        Assert.Equal(other, AuditSampler.Draw(inPeriod, otherSeed, 5));
        // A different audit draws with a different seed; the two orders of 20 entries coinciding is a 1 in 20!/15! chance.
        Assert.NotEqual(drawn, other);

        var stored = await portal.QueryAsync(db => db.SealAudits.SingleAsync(a => a.Id == id));
        Assert.Equal((seed, 20, 5, "25%"), (stored.SamplingSeed, stored.PopulationCount, stored.SampleSize, stored.SampleRule));
    }

    [Theory]
    [InlineData("2034-01-01", "2034-01-31", "0", "The sample size must be")]
    [InlineData("2034-01-01", "2034-01-31", "ten", "The sample size must be")]
    [InlineData("2034-01-01", "2034-01-31", "101%", "The sample size must be")]
    [InlineData("2034-02-01", "2034-01-01", "5", "The period ends before it starts.")]
    [InlineData("2034-01-01", "", "5", "Enter the first and the last day of the period.")]
    [InlineData("2034-01-01", "2034-01-31", "5", "The ledger has no entries from")]
    public async Task Bad_audit_requests_get_400_and_a_message_and_open_nothing(string from, string to, string sample, string message)
    {
        using var auditor = await portal.SignInAsync("auditor");
        auditor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var before = await portal.QueryAsync(db => db.SealAudits.CountAsync());

        var page = await ExpectPageAsync(await auditor.SubmitNamedFormAsync("/audits", "open-audit", Open(from, to, sample)), HttpStatusCode.BadRequest);

        Assert.StartsWith(message, page.TextOf("[data-testid=error]"));
        Assert.Equal(before, await portal.QueryAsync(db => db.SealAudits.CountAsync()));
    }

    [Fact]
    public async Task Other_roles_are_refused_every_audit_page_and_post()
    {
        await portal.AddEntriesAsync(new DateOnly(2035, 5, 5), 2, "35A");
        using var auditor = await portal.SignInAsync("auditor");
        var url = await OpenAuditAsync(auditor, "2035-05-01", "2035-05-31", "2");
        var item = Items(await auditor.GetDocumentAsync(url))[0].Item;

        foreach (var user in new[] { "applicant", "depthead", "reviewer", "executive", "keeper" })
        {
            using var client = await portal.SignInAsync(user);
            foreach (var path in new[] { "/audits", url })
            {
                var get = await client.GetAsync(path);
                Assert.True(get.StatusCode == HttpStatusCode.Redirect && get.LocalTarget().StartsWith("/account/access-denied"), $"{user} GET {path}: {(int)get.StatusCode}");
            }
            var posts = new (string Path, Dictionary<string, string> Fields)[]
            {
                ("/audits", new() { ["_handler"] = "open-audit", ["from"] = "2035-05-01", ["to"] = "2035-05-31", ["sample"] = "1" }),
                (url, new() { ["_handler"] = "findings", ["item"] = item.ToString(), [$"finding-{item}"] = "Ok" }),
                (url, new() { ["_handler"] = "close-audit", ["conclusion"] = "x" }),
            };
            foreach (var (path, fields) in posts)
            {
                var post = await client.Http.PostAsync(path, new FormUrlEncodedContent(fields));
                Assert.True(post.StatusCode == HttpStatusCode.Redirect && post.LocalTarget().StartsWith("/account/access-denied"), $"{user} POST {path}: {(int)post.StatusCode}");
            }
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/account/access-denied")).StatusCode);
            Assert.Null((await client.GetDocumentAsync("/")).QuerySelector("nav a[href='/audits']"));
        }
        Assert.NotNull((await auditor.GetDocumentAsync("/")).QuerySelector("nav a[href='/audits']"));
        var id = int.Parse(url.Split('/')[^1]);
        Assert.Equal(2, await portal.QueryAsync(db => db.SealAuditItems.CountAsync(i => i.SealAuditId == id && i.Finding == SealAuditFinding.NotChecked)));
    }

    [Fact]
    public async Task An_administrator_reads_audits_but_cannot_change_them()
    {
        await portal.AddEntriesAsync(new DateOnly(2036, 7, 7), 2, "36A");
        using var auditor = await portal.SignInAsync("auditor");
        var url = await OpenAuditAsync(auditor, "2036-07-01", "2036-07-31", "2");
        var item = Items(await auditor.GetDocumentAsync(url))[0].Item;
        using var admin = await portal.SignInAsync("admin");
        admin.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var audits = await portal.QueryAsync(db => db.SealAudits.CountAsync());

        var list = await admin.GetDocumentAsync("/audits");
        Assert.True(list.QuerySelector("[data-testid=open-audit] fieldset")!.HasAttribute("disabled"));
        Assert.NotNull(list.QuerySelector("[data-testid=auditors-only]"));
        Assert.NotNull(list.QuerySelector($"a[href='{url}']"));
        var page = await admin.GetDocumentAsync(url);
        Assert.Equal(2, Items(page).Count);
        Assert.Empty(page.QuerySelectorAll("[data-testid=items] select, [data-testid=findings-form] button, [data-testid=close-form] button"));
        Assert.NotNull((await admin.GetDocumentAsync("/")).QuerySelector("nav a[href='/audits']"));

        // The forms are posted the way a crafted request would: the admin's own token, the auditor's fields.
        // A disabled form posts nothing in a browser; a crafted request sends the fields anyway.
        var token = list.QuerySelector("[data-testid=open-audit] input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("no antiforgery token on the page");
        var open = await admin.Http.PostAsync("/audits", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "open-audit", ["from"] = "2036-07-01", ["to"] = "2036-07-31", ["sample"] = "1",
        }));
        Assert.Equal("Only auditors may open or change audits.", (await ExpectPageAsync(open, HttpStatusCode.Forbidden)).TextOf("[data-testid=error]"));
        var record = await RecordAsync(admin, url, item, "Ok");
        Assert.Equal("Only auditors may open or change audits.", (await ExpectPageAsync(record, HttpStatusCode.Forbidden)).TextOf("[data-testid=error]"));
        var close = await CloseAsync(admin, url, "closing as admin");
        Assert.Equal("Only auditors may open or change audits.", (await ExpectPageAsync(close, HttpStatusCode.Forbidden)).TextOf("[data-testid=error]"));

        Assert.Equal(audits, await portal.QueryAsync(db => db.SealAudits.CountAsync()));
        var id = int.Parse(url.Split('/')[^1]);
        var stored = await portal.QueryAsync(db => db.SealAudits.Include(a => a.Items).SingleAsync(a => a.Id == id));
        Assert.Equal(SealAuditStatus.Open, stored.Status);
        Assert.All(stored.Items, i => Assert.Equal(SealAuditFinding.NotChecked, i.Finding));
    }

    [Fact]
    public async Task An_unknown_audit_is_404_and_an_entry_of_another_audit_is_refused()
    {
        await portal.AddEntriesAsync(new DateOnly(2037, 8, 8), 2, "37A");
        using var auditor = await portal.SignInAsync("auditor");
        auditor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var first = await OpenAuditAsync(auditor, "2037-08-01", "2037-08-31", "1");
        var second = await OpenAuditAsync(auditor, "2037-08-01", "2037-08-31", "1");
        var foreign = Items(await auditor.GetDocumentAsync(second))[0].Item;

        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync("/audits/987654")).StatusCode);
        var page = await ExpectPageAsync(await auditor.SubmitNamedFormAsync(first, "findings",
            new Dictionary<string, object> { ["item"] = foreign.ToString(), [$"finding-{foreign}"] = "Ok" }), HttpStatusCode.BadRequest);
        Assert.Equal("This entry is not in the audit's sample.", page.TextOf("[data-testid=error]"));
        Assert.Equal(SealAuditFinding.NotChecked, await portal.QueryAsync(db => db.SealAuditItems.Where(i => i.Id == foreign).Select(i => i.Finding).SingleAsync()));
    }
}
