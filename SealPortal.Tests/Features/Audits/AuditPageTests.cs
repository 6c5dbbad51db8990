using System.Globalization;
using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SealPortal.Data;
using SealPortal.Features.Audits;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Audits;

/// <summary>
/// Periodic audits through the interactive pages (bUnit over a real portal), on whichever database the run
/// uses. Each test audits a period of its own (a different year), so the tests share one portal without
/// seeing each other's entries. Plain HTTP covers the role refusals and posts a browser can no longer make.
/// </summary>
public class AuditPageTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task An_auditor_opens_an_audit_records_findings_and_closes_it_with_a_conclusion()
    {
        English();
        var entries = await portal.AddEntriesAsync(new DateOnly(2031, 3, 10), 12, "31A");
        await portal.AddEntriesAsync(new DateOnly(2031, 4, 2), 3, "31B"); // outside the period
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var id = await OpenAuditAsync(ui, "2031-03-01", "2031-03-31", "5");

        var (host, page) = OpenPage(ui, id);
        Assert.Equal("Open", page.Find("[data-testid=status]").GetAttribute("data-status"));
        Assert.Contains("5 of 12 entries", page.Find("[data-testid=sample]").TextContent);
        var items = Items(page);
        Assert.Equal(5, items.Count);
        Assert.All(items, i => Assert.Contains(i.Entry, entries));
        Assert.Contains("31A-", page.Find("[data-testid=items]").TextContent);

        // Closing needs a finding for every sampled entry.
        Assert.Contains("5 sampled entries have no finding yet", await CloseAsync(host, page, "All fine."));
        await host.ClickFreshAsync("[data-testid=dialog-cancel]");

        // An issue needs a note saying what it is.
        await RecordAsync(page, 0, SealAuditFinding.Issue, "");
        page.WaitForAssertion(() => Assert.Equal("Describe the issue in the note.", ui.Snackbars.Last()));
        await RecordAsync(page, 0, SealAuditFinding.Issue, "Copies differ from the request.");
        page.WaitForAssertion(() => Assert.Equal("Issue", page.FindAll("[data-testid=item]")[0].GetAttribute("data-finding")));
        for (var i = 1; i < items.Count; i++)
            await RecordAsync(page, i, SealAuditFinding.Ok, "");
        page.WaitForAssertion(() => Assert.All(page.FindAll("[data-testid=item]").Skip(1), r => Assert.Equal("Ok", r.GetAttribute("data-finding"))));

        Assert.Null(await CloseAsync(host, page, "One entry with wrong copies; the rest in order."));
        page.WaitForAssertion(() => Assert.Equal("Closed", page.Find("[data-testid=status]").GetAttribute("data-status")));
        Assert.Equal("One entry with wrong copies; the rest in order.", page.Find("[data-testid=conclusion]").TextContent);
        var rows = page.FindAll("[data-testid=item]").ToList();
        Assert.Equal("Issue", rows[0].GetAttribute("data-finding"));
        Assert.Contains("Copies differ from the request.", rows[0].TextContent);
        Assert.All(rows.Skip(1), r => Assert.Equal("Ok", r.GetAttribute("data-finding")));

        var list = RenderList(ui);
        var row = list.Find($"[data-audit='{id}']").Closest("tr")!;
        Assert.Contains("Closed", row.TextContent);

        var trail = await portal.QueryAsync(db => db.AuditEvents.Where(e => e.Subject == SealAuditService.Subject(id)).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal([AuditAction.AuditOpened, AuditAction.AuditClosed], trail.Select(e => e.Action));
        Assert.All(trail, e => Assert.Equal("auditor", e.Actor));
        Assert.Contains("5 of 12", trail[0].Detail);
        Assert.Contains("1 issue(s)", trail[1].Detail);
    }

    [Fact]
    public async Task A_closed_audit_is_read_only_and_late_changes_get_409_with_a_message()
    {
        English();
        await portal.AddEntriesAsync(new DateOnly(2032, 6, 1), 3, "32A");
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var id = await OpenAuditAsync(ui, "2032-06-01", "2032-06-01", "100%");

        // Two pages of the same audit: the second stays open on the old state while the first closes it.
        await using var late = await PortalComponents.SignedInAsync(portal, "auditor");
        var (_, stale) = OpenPage(late, id);

        var (host, page) = OpenPage(ui, id);
        var items = Items(page);
        Assert.Equal(3, items.Count);
        for (var i = 0; i < items.Count; i++)
            await RecordAsync(page, i, SealAuditFinding.Ok, "checked against the paper file");
        page.WaitForAssertion(() => Assert.All(page.FindAll("[data-testid=item]"), r => Assert.Equal("Ok", r.GetAttribute("data-finding"))));
        Assert.Null(await CloseAsync(host, page, "In order."));

        page.WaitForAssertion(() => Assert.Equal("Closed", page.Find("[data-testid=status]").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=items] .mud-select, [data-testid=items] textarea, [data-testid=items] input, [data-testid=close-form] textarea"));
        Assert.Empty(page.FindAll("[data-testid=findings-form] button, [data-testid=close-form] button"));

        // The stale page still shows the controls; what it sends is refused with 409 and a message, and it then shows the closed audit.
        await RecordAsync(stale, 0, SealAuditFinding.Issue, "changed my mind");
        stale.WaitForAssertion(() => Assert.Contains(late.Snackbars, s => s.Contains("can no longer be changed")));
        stale.WaitForAssertion(() => Assert.Equal("Closed", stale.Find("[data-testid=status]").GetAttribute("data-status")));
        var direct = await portal.Services.GetRequiredService<AuditCommands>().CloseAsync(await PrincipalAsync("auditor"), id, "Another conclusion.");
        Assert.Equal(409, direct.StatusCode);
        Assert.Contains("can no longer be changed", direct.Error);

        var (_, after) = OpenPage(ui, id);
        Assert.Equal("In order.", after.Find("[data-testid=conclusion]").TextContent);
        Assert.All(after.FindAll("[data-testid=item]"), r => Assert.Equal("Ok", r.GetAttribute("data-finding")));
        var stored = await portal.QueryAsync(db => db.SealAuditItems.Where(i => i.SealAuditId == id).ToListAsync());
        Assert.All(stored, i => Assert.Equal("checked against the paper file", i.Note));
    }

    [Fact]
    public async Task Sampling_is_reproducible_from_the_recorded_seed_and_stays_inside_the_period()
    {
        English();
        var inPeriod = await portal.AddEntriesAsync(new DateOnly(2033, 1, 15), 20, "33A");
        await portal.AddEntriesAsync(new DateOnly(2033, 2, 1), 5, "33B");
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var id = await OpenAuditAsync(ui, "2033-01-01", "2033-01-31", "25%");
        var second = await OpenAuditAsync(ui, "2033-01-01", "2033-01-31", "25%");

        var (_, page) = OpenPage(ui, id);
        var seed = page.Find("[data-testid=seed]").TextContent;
        Assert.Equal(AuditSampler.SeedFor(id), seed);
        var drawn = Items(page).Select(i => i.Entry).ToList();
        Assert.Equal(5, drawn.Count); // 25% of 20
        Assert.Equal(drawn, AuditSampler.Draw(inPeriod, seed, 5));
        Assert.Equal(drawn, AuditSampler.Draw(inPeriod.Reverse(), seed, 5));
        Assert.Equal(5, drawn.Distinct().Count());
        Assert.All(drawn, e => Assert.Contains(e, inPeriod));

        await using var other = await PortalComponents.SignedInAsync(portal, "auditor");
        var otherDrawn = Items(OpenPage(other, second).Page).Select(i => i.Entry).ToList();
        var otherSeed = AuditSampler.SeedFor(second);
        Assert.Equal(otherDrawn, AuditSampler.Draw(inPeriod, otherSeed, 5));
        // A different audit draws with a different seed; the two orders of 20 entries coinciding is a 1 in 20!/15! chance.
        Assert.NotEqual(drawn, otherDrawn);

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
    public async Task Bad_audit_requests_get_a_message_and_open_nothing(string from, string to, string sample, string message)
    {
        English();
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var before = await portal.QueryAsync(db => db.SealAudits.CountAsync());
        var (host, list) = HostList(ui);
        var error = await SubmitOpenDialogAsync(host, list, from, to, sample);
        host.WaitForAssertion(() => Assert.StartsWith(message, host.Find("[data-testid=dialog-error]").TextContent.Trim()));
        Assert.Null(error);
        Assert.Equal(before, await portal.QueryAsync(db => db.SealAudits.CountAsync()));
        var direct = await portal.Services.GetRequiredService<AuditCommands>().OpenAsync(await PrincipalAsync("auditor"),
            SealPortal.Features.DayRange.ParseDay(from), SealPortal.Features.DayRange.ParseDay(to), sample);
        Assert.Equal(400, direct.StatusCode);
    }

    [Fact]
    public async Task Other_roles_are_refused_every_audit_page_and_post()
    {
        English();
        await portal.AddEntriesAsync(new DateOnly(2035, 5, 5), 2, "35A");
        await using var auditorUi = await PortalComponents.SignedInAsync(portal, "auditor");
        var id = await OpenAuditAsync(auditorUi, "2035-05-01", "2035-05-31", "2");
        var url = $"/audits/{id}";
        var item = Items(OpenPage(auditorUi, id).Page)[0].Item;
        using var auditor = await portal.SignInAsync("auditor");

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

            // Rendered in a circuit anyway (the router would refuse it), the pages read and change nothing.
            await using var ui = await PortalComponents.SignedInAsync(portal, user);
            var page = ui.Render<AuditPage>(p => p.Add(x => x.Id, id));
            page.WaitForAssertion(() => page.Find("[data-testid=error]"));
            Assert.Empty(page.FindAll("[data-testid=item]"));
            var commands = portal.Services.GetRequiredService<AuditCommands>();
            var principal = await PrincipalAsync(user);
            Assert.Equal(0, (await commands.PageAsync(principal, new SealPortal.Features.Requests.ListQuery())).Total);
            Assert.Equal(403, (await commands.RecordFindingAsync(principal, id, item, SealAuditFinding.Ok, null)).StatusCode);
            Assert.Equal(403, (await commands.CloseAsync(principal, id, "x")).StatusCode);
            Assert.Equal(403, (await commands.OpenAsync(principal, new DateOnly(2035, 5, 1), new DateOnly(2035, 5, 31), "1")).StatusCode);
        }
        Assert.NotNull((await auditor.GetDocumentAsync("/")).QuerySelector("nav a[href='/audits']"));
        Assert.Equal(2, await portal.QueryAsync(db => db.SealAuditItems.CountAsync(i => i.SealAuditId == id && i.Finding == SealAuditFinding.NotChecked)));
        Assert.Equal(1, await portal.QueryAsync(db => db.SealAudits.CountAsync(a => a.PeriodFrom == new DateOnly(2035, 5, 1))));
    }

    [Fact]
    public async Task An_administrator_reads_audits_but_cannot_change_them()
    {
        English();
        await portal.AddEntriesAsync(new DateOnly(2036, 7, 7), 2, "36A");
        await using var auditorUi = await PortalComponents.SignedInAsync(portal, "auditor");
        var id = await OpenAuditAsync(auditorUi, "2036-07-01", "2036-07-31", "2");
        var url = $"/audits/{id}";
        var item = Items(OpenPage(auditorUi, id).Page)[0].Item;
        var audits = await portal.QueryAsync(db => db.SealAudits.CountAsync());

        await using (var ui = await PortalComponents.SignedInAsync(portal, "admin"))
        {
            var list = RenderList(ui);
            Assert.True(list.Find("button[data-testid=open-audit]").HasAttribute("disabled"));
            Assert.NotEmpty(list.FindAll("[data-testid=auditors-only]"));
            Assert.NotEmpty(list.FindAll($"a[href='{url}']"));

            var (_, page) = OpenPage(ui, id);
            Assert.Equal(2, Items(page).Count);
            Assert.Empty(page.FindAll("[data-testid=items] .mud-select, [data-testid=findings-form] button, [data-testid=close-form] button"));
        }
        using var admin = await portal.SignInAsync("admin");
        Assert.NotNull((await admin.GetDocumentAsync("/")).QuerySelector("nav a[href='/audits']"));

        // What a tampered circuit or a crafted post would do: the administrator's own identity, the auditor's fields.
        var commands = portal.Services.GetRequiredService<AuditCommands>();
        var principal = await PrincipalAsync("admin");
        foreach (var refused in new[]
        {
            await commands.OpenAsync(principal, new DateOnly(2036, 7, 1), new DateOnly(2036, 7, 31), "1"),
            await commands.RecordFindingAsync(principal, id, item, SealAuditFinding.Ok, null),
            await commands.CloseAsync(principal, id, "closing as admin"),
        })
        {
            Assert.Equal(403, refused.StatusCode);
            Assert.Equal("Only auditors may open or change audits.", refused.Error);
        }
        var posted = await admin.PostHandMadeAsync(url, "findings", [new("item", item.ToString()), new($"finding-{item}", "Ok")]);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var open = await admin.PostHandMadeAsync("/audits", "open-audit", [new("from", "2036-07-01"), new("to", "2036-07-31"), new("sample", "1")]);
        Assert.Equal(HttpStatusCode.BadRequest, open.StatusCode);

        Assert.Equal(audits, await portal.QueryAsync(db => db.SealAudits.CountAsync()));
        var stored = await portal.QueryAsync(db => db.SealAudits.Include(a => a.Items).SingleAsync(a => a.Id == id));
        Assert.Equal(SealAuditStatus.Open, stored.Status);
        Assert.All(stored.Items, i => Assert.Equal(SealAuditFinding.NotChecked, i.Finding));
    }

    [Fact]
    public async Task An_unknown_audit_is_404_and_an_entry_of_another_audit_is_refused()
    {
        English();
        await portal.AddEntriesAsync(new DateOnly(2037, 8, 8), 2, "37A");
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var first = await OpenAuditAsync(ui, "2037-08-01", "2037-08-31", "1");
        var second = await OpenAuditAsync(ui, "2037-08-01", "2037-08-31", "1");
        await using var other = await PortalComponents.SignedInAsync(portal, "auditor");
        var foreign = Items(OpenPage(other, second).Page)[0].Item;

        using var auditor = await portal.SignInAsync("auditor");
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync("/audits/987654")).StatusCode);
        var refused = await portal.Services.GetRequiredService<AuditCommands>().RecordFindingAsync(await PrincipalAsync("auditor"), first, foreign, SealAuditFinding.Ok, null);
        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("This entry is not in the audit's sample.", refused.Error);
        Assert.Equal(SealAuditFinding.NotChecked, await portal.QueryAsync(db => db.SealAuditItems.Where(i => i.Id == foreign).Select(i => i.Finding).SingleAsync()));
    }

    [Fact]
    public async Task The_audit_pages_speak_chinese_by_default()
    {
        await portal.AddEntriesAsync(new DateOnly(2038, 9, 9), 1, "38A");
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        English();
        var id = await OpenAuditAsync(ui, "2038-09-01", "2038-09-30", "1");

        using var auditor = await portal.SignInAsync("auditor");
        var list = await auditor.GetDocumentAsync("/audits");
        Assert.Equal("定期检查", list.TextOf("h1"));
        var page = await auditor.GetDocumentAsync($"/audits/{id}");
        Assert.Equal("进行中", page.TextOf("[data-testid=status]"));
        Assert.Contains("共 1 条中抽取 1 条", page.TextOf("[data-testid=sample]"));

        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        await using var zh = await PortalComponents.SignedInAsync(portal, "auditor");
        var (_, view) = OpenPage(zh, id);
        Assert.Equal(["未检查", "无误", "有问题"], Enum.GetValues<SealAuditFinding>().Select(f => zh.Context.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SealPortal.Resources.SharedResource>>()[$"SealAuditFinding.{f}"].Value));
        // The finding's select shows the entry's current finding in Chinese.
        Assert.Contains("未检查", view.FindComponent<MudSelect<SealAuditFinding>>().Markup);
    }

    [Fact]
    public async Task The_period_is_company_days_so_an_entry_at_17_30_utc_on_march_1_is_audited_with_march_2()
    {
        English();
        // The first entry of company day 2026-03-02 is at 01:30 there: 2026-03-01 17:30 UTC.
        var entry = Assert.Single(await portal.AddEntriesAsync(new DateOnly(2026, 3, 2), 1, "26T"));
        var stored = await portal.QueryAsync(db => db.LedgerEntries.SingleAsync(e => e.Id == entry));
        Assert.Equal(new DateTime(2026, 3, 1, 17, 30, 0, DateTimeKind.Utc), stored.ExecutedAt);

        var audits = portal.Services.GetRequiredService<AuditCommands>();
        var auditor = await PrincipalAsync("auditor");
        var march1 = await audits.OpenAsync(auditor, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1), "100%");
        Assert.Equal(400, march1.StatusCode);
        Assert.StartsWith("The ledger has no entries from", march1.Error);
        var march2 = await audits.OpenAsync(auditor, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 2), "100%");
        Assert.True(march2.Succeeded, march2.Error);

        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        English();
        var (_, page) = OpenPage(ui, march2.AuditId!.Value);
        Assert.Equal(entry, Assert.Single(Items(page)).Entry);
        Assert.Equal("(Asia/Shanghai)", page.Find("[data-testid=period-zone]").TextContent.Trim());
        Assert.Contains("2 Mar 2026 01:30", page.Find("[data-testid=item]").TextContent);
        var list = RenderList(ui);
        Assert.Contains("days in the company's time zone Asia/Shanghai", list.Markup.Replace("&#x27;", "'"));
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Set in the test's own flow: a culture set inside an awaited method does not flow back to its caller.</summary>
    private static void English() => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");

    private static IReadOnlyList<(long Item, long Entry)> Items(IRenderedComponent<AuditPage> page) =>
        page.FindAll("[data-testid=item]")
            .Select(r => (long.Parse(r.GetAttribute("data-item")!), long.Parse(r.GetAttribute("data-entry")!)))
            .ToList();

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PortalComponents, IRenderedComponent<IComponent>> Hosts = [];

    /// <summary>MudBlazor's popover and dialog providers, rendered once per context; dialogs appear in them.</summary>
    private static IRenderedComponent<IComponent> Providers(PortalComponents ui) =>
        Hosts.GetValue(ui, c => (IRenderedComponent<IComponent>)(object)c.Context.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
        }));

    private static (IRenderedComponent<IComponent> Host, IRenderedComponent<AuditList> List) HostList(PortalComponents ui)
    {
        var host = Providers(ui);
        return (host, RenderList(ui));
    }

    private static IRenderedComponent<AuditList> RenderList(PortalComponents ui)
    {
        var list = ui.Render<AuditList>();
        InteractiveLists.WaitUntilLoaded(list);
        return list;
    }

    /// <summary>Fills the open-audit dialog and confirms; answers the new audit's id, or null when the dialog stayed open.</summary>
    private static async Task<int?> SubmitOpenDialogAsync(IRenderedComponent<IComponent> host, IRenderedComponent<AuditList> list, string from, string to, string sample)
    {
        // The button is enabled once the page has read who the user is, which the grid's first load does not wait for.
        list.WaitForAssertion(() => Assert.False(list.Find("button[data-testid=open-audit]").HasAttribute("disabled")));
        // The click's handler waits for the dialog's answer, so it is not awaited here.
        _ = list.ClickFreshAsync("button[data-testid=open-audit]");
        host.WaitForAssertion(() => host.Find("[data-testid=open-audit-dialog]"));
        var dialog = host.FindComponent<OpenAuditDialog>();
        var fields = dialog.FindComponents<MudTextField<string>>();
        await dialog.InvokeAsync(() => fields[0].Instance.ValueChanged.InvokeAsync(from));
        await dialog.InvokeAsync(() => fields[1].Instance.ValueChanged.InvokeAsync(to));
        await dialog.InvokeAsync(() => fields[2].Instance.ValueChanged.InvokeAsync(sample));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        return null;
    }

    /// <summary>Opens an audit through the list's dialog; answers its id.</summary>
    private static async Task<int> OpenAuditAsync(PortalComponents ui, string from, string to, string sample)
    {
        var navigation = ui.Context.Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;
        var (host, list) = HostList(ui);
        await SubmitOpenDialogAsync(host, list, from, to, sample);
        host.WaitForAssertion(() => Assert.Matches(@"/audits/\d+$", navigation.Uri), TimeSpan.FromSeconds(10));
        var id = int.Parse(navigation.Uri.Split('/').Last());
        navigation.NavigateTo(before);
        return id;
    }

    private static (IRenderedComponent<IComponent> Host, IRenderedComponent<AuditPage> Page) OpenPage(PortalComponents ui, int id)
    {
        var host = Providers(ui);
        var page = ui.Render<AuditPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")));
        return (host, page);
    }

    /// <summary>Sets the finding and note of the sampled entry in row <paramref name="row"/> and saves it.</summary>
    private static async Task RecordAsync(IRenderedComponent<AuditPage> page, int row, SealAuditFinding finding, string note)
    {
        var select = page.FindComponents<MudSelect<SealAuditFinding>>()[row];
        var text = page.FindComponents<MudTextField<string>>()[row];
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(finding));
        await page.InvokeAsync(() => text.Instance.ValueChanged.InvokeAsync(note));
        await page.FindAll("[data-testid=save-finding]")[row].ClickAsync(new());
    }

    /// <summary>Closes the audit through its dialog; answers null when it closed, otherwise the dialog's message (the dialog stays open).</summary>
    private static async Task<string?> CloseAsync(IRenderedComponent<IComponent> host, IRenderedComponent<AuditPage> page, string conclusion)
    {
        // The click's handler waits for the dialog's answer, so it is not awaited here.
        _ = page.ClickFreshAsync("[data-testid=close-audit]");
        host.WaitForAssertion(() => host.Find("[data-testid=close-audit-dialog]"));
        var dialog = host.FindComponent<CloseAuditDialog>();
        await dialog.InvokeAsync(() => dialog.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync(conclusion));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        host.WaitForAssertion(() => Assert.True(host.FindAll("[data-testid=close-audit-dialog]").Count == 0 || host.FindAll("[data-testid=dialog-error]").Count > 0));
        return host.FindAll("[data-testid=dialog-error]").FirstOrDefault()?.TextContent;
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        return await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
    }
}
