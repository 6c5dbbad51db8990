using System.Net;
using Bunit;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Page = MudBlazor.Page;
using SealPortal.Data;
using SealPortal.Features.AuditTrail;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>
/// A portal with 60 entries appended directly: even ones on a seal the demo keeper keeps (A),
/// odd ones on a seal nobody keeps (B); every third one applied for by the demo applicant.
/// </summary>
public class LedgerPortal : SealPortalFactory
{
    private readonly SemaphoreSlim _seeded = new(1, 1);
    private bool _done;

    public (int Id, string Name, int DepartmentId) SealA { get; private set; }
    public (int Id, string Name, int DepartmentId) SealB { get; private set; }
    public string ApplicantId { get; private set; } = "";

    public async Task<LedgerPortal> SeededAsync()
    {
        await _seeded.WaitAsync();
        try
        {
            if (_done)
                return this;
            SealA = await LedgerWorld.SealAsync(Services, "台账测试章A", "keeper");
            SealB = await LedgerWorld.SealAsync(Services, "台账测试章B", null);
            ApplicantId = await LedgerWorld.UserIdAsync(Services, "applicant");
            var t0 = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
            var drafts = Enumerable.Range(1, 60).Select(i =>
            {
                var seal = i % 2 == 0 ? SealA : SealB;
                return LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, t0.AddHours(i), i, applicantId: i % 3 == 0 ? ApplicantId : null);
            }).ToArray();
            await LedgerWorld.AppendAsync(Services, drafts);
            _done = true;
            return this;
        }
        finally
        {
            _seeded.Release();
        }
    }
}

public class LedgerPageTests(LedgerPortal fixture) : IClassFixture<LedgerPortal>
{
    // Who may open which ledger, audit-trail and export address is checked for every role in Web/RoleMatrixTests.

    [Fact]
    public async Task An_auditor_pages_through_the_whole_ledger_newest_first()
    {
        await fixture.SeededAsync();
        await using var ui = await PortalComponents.SignedInAsync(fixture, "auditor");
        var ledger = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger");
        var page1 = Sequences(ledger);
        Assert.Equal(50, page1.Count);
        Assert.Equal(page1.OrderByDescending(x => x), page1);
        Assert.Equal("60", ledger.Find("[data-testid=grid-state]").GetAttribute("data-total"));

        var page2 = await TurnAsync(ledger, Page.Next);
        Assert.Equal(10, page2.Count);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), page1.Concat(page2).Order());
        // Back to the first page, and the last page reached directly (read from the other end of the index).
        Assert.Equal(page1, await TurnAsync(ledger, Page.First));
        Assert.Equal(page2, await TurnAsync(ledger, Page.Last));
    }

    [Fact]
    public async Task Sorting_by_execution_time_ascending_lists_the_oldest_first_and_pages_on()
    {
        await fixture.SeededAsync();
        await using var ui = await PortalComponents.SignedInAsync(fixture, "auditor");
        var ledger = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger");
        var loads = InteractiveLists.Loads(ledger);
        var grid = ledger.FindComponent<MudDataGrid<LedgerGridRow>>();
        await ledger.InvokeAsync(() => grid.Instance.SetSortAsync("ExecutedAt", SortDirection.Ascending, r => r.ExecutedAt));
        InteractiveLists.WaitUntilLoaded(ledger, loads + 1);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), Sequences(ledger));
        Assert.Equal(Enumerable.Range(51, 10).Select(i => (long)i), await TurnAsync(ledger, Page.Next));
    }

    [Fact]
    public async Task Filters_by_seal_person_kind_and_period_and_bad_filters_are_a_400()
    {
        var world = await fixture.SeededAsync();
        await using var ui = await PortalComponents.SignedInAsync(fixture, "auditor");
        var bySeal = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, $"/ledger?seal={world.SealA.Id}");
        Assert.Equal(30, Rows(bySeal).Count);
        Assert.All(Rows(bySeal), r => Assert.Equal(world.SealA.Id.ToString(), r.GetAttribute("data-seal")));
        // The exports are links with the page's filter.
        Assert.Equal($"/ledger/export.csv?seal={world.SealA.Id}", bySeal.Find("[data-testid=export-csv]").GetAttribute("href"));
        Assert.Equal($"/ledger/export.xlsx?seal={world.SealA.Id}", bySeal.Find("[data-testid=export-xlsx]").GetAttribute("href"));

        var byPerson = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, $"/ledger?person={world.ApplicantId}");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)(63 - 3 * i)), Sequences(byPerson));

        Assert.Empty(Sequences(InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?kind=Physical")));
        Assert.Equal(50, Sequences(InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?kind=Electronic")).Count);
        // Entry i was executed at 2026-05-01 08:00 UTC + i hours. The day picked is the company's (Asia/Shanghai,
        // UTC+8): 2026-05-02 there runs from 2026-05-01 16:00 to 2026-05-02 16:00 UTC and holds entries 8 to 31.
        var byDay = Sequences(InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?from=2026-05-02&to=2026-05-02"));
        Assert.Equal(Enumerable.Range(8, 24).Select(i => (long)i).Reverse(), byDay);

        // The last representable day has no midnight after it; it is still a valid "to".
        Assert.Equal(50, Sequences(InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?to=9999-12-31")).Count);

        using var auditor = await fixture.SignInAsync("auditor");
        foreach (var bad in new[] { "/ledger?from=yesterday", "/ledger?kind=Paper", "/ledger?seal=x", "/ledger?from=2026-05-03&to=2026-05-01", "/ledger/export.csv?kind=1" })
        {
            var response = await auditor.GetAsync(bad);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{bad} answered {(int)response.StatusCode}");
        }
        // In the circuit a bad address shows the problem and no grid.
        ui.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/ledger?kind=Paper");
        var refused = ui.Render<SealPortal.Features.Ledger.Ledger>();
        refused.WaitForAssertion(() => Assert.Equal("The kind filter is not valid.", refused.Find("[data-testid=ledger-error]").TextContent.Trim()));
        Assert.Empty(refused.FindAll("[data-testid=ledger-table]"));
    }

    [Fact]
    public async Task Choosing_a_filter_puts_it_in_the_address_and_the_grid_reads_it()
    {
        var world = await fixture.SeededAsync();
        await using var ui = await PortalComponents.SignedInAsync(fixture, "auditor");
        var ledger = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger");
        var navigation = ui.Context.Services.GetRequiredService<NavigationManager>();
        var seal = ledger.FindComponents<MudSelect<int?>>().First(s => s.Instance.Label == "Seal");
        await ledger.InvokeAsync(() => seal.Instance.ValueChanged.InvokeAsync(world.SealA.Id));
        Assert.EndsWith($"/ledger?seal={world.SealA.Id}", navigation.Uri);
        ledger.WaitForAssertion(() => Assert.Equal(30, Rows(ledger).Count), TimeSpan.FromSeconds(10));
        Assert.All(Rows(ledger), r => Assert.Equal(world.SealA.Id.ToString(), r.GetAttribute("data-seal")));

        var kind = ledger.FindComponents<MudSelect<SealKind?>>().Single();
        await ledger.InvokeAsync(() => kind.Instance.ValueChanged.InvokeAsync(SealKind.Physical));
        Assert.EndsWith($"/ledger?seal={world.SealA.Id}&kind=Physical", navigation.Uri);
        ledger.WaitForAssertion(() => Assert.NotEmpty(ledger.FindAll("[data-testid=empty]")), TimeSpan.FromSeconds(10));
        Assert.Empty(Rows(ledger));
        Assert.Equal($"/ledger/export.csv?seal={world.SealA.Id}&kind=Physical", ledger.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_seal_keeper_sees_and_exports_only_the_seals_they_keep()
    {
        var world = await fixture.SeededAsync();
        await using (var ui = await PortalComponents.SignedInAsync(fixture, "keeper"))
        {
            var page = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger");
            Assert.Equal(30, Rows(page).Count);
            Assert.All(Rows(page), r => Assert.Equal(world.SealA.Id.ToString(), r.GetAttribute("data-seal")));
            var state = await ui.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>().GetAuthenticationStateAsync();
            var choices = await fixture.Services.GetRequiredService<LedgerGrid>().ChoicesAsync(state.User);
            Assert.Contains(choices.Seals, s => s.Name == "台账测试章A");
            Assert.DoesNotContain(choices.Seals, s => s.Name == "台账测试章B");
        }

        using var keeper = await fixture.SignInAsync("keeper");
        Assert.Equal(HttpStatusCode.Forbidden, (await keeper.GetAsync($"/ledger?seal={world.SealB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await keeper.GetAsync($"/ledger/export.csv?seal={world.SealB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await keeper.GetAsync($"/ledger/export.xlsx?seal={world.SealB.Id}")).StatusCode);

        var csv = await keeper.GetAsync("/ledger/export.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(31, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Contains("台账测试章A", l));

        var audit = await keeper.GetAsync("/audit-trail");
        Assert.StartsWith("/account/access-denied", audit.LocalTarget());
    }

    [Theory]
    [InlineData("applicant")]
    [InlineData("depthead")]
    public async Task A_user_who_is_not_a_reader_gets_no_ledger_rows_even_in_a_circuit(string userName)
    {
        // The router refuses the page (RoleMatrixTests); the grid itself asks who the user is now and reads nothing for them.
        await fixture.SeededAsync();
        await using var ui = await PortalComponents.SignedInAsync(fixture, userName);
        var ledger = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger");
        Assert.Empty(Rows(ledger));
        Assert.Equal("0", ledger.Find("[data-testid=grid-state]").GetAttribute("data-total"));
        var trail = InteractiveLists.RenderAt<AuditTrailPage>(ui, "/audit-trail");
        Assert.Empty(trail.FindAll("[data-testid=audit-table] [data-action]"));
    }

    [Fact]
    public async Task A_keeper_signed_out_elsewhere_reads_no_further_page()
    {
        await fixture.SeededAsync();
        await using var ui = await PortalComponents.SignedInAsync(fixture, "keeper");
        var ledger = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger");
        Assert.Equal(30, Rows(ledger).Count);
        await fixture.Services.GetRequiredService<SealPortal.Features.Account.SessionRevocation>().EndSessionsAsync(
            await LedgerWorld.UserIdAsync(fixture.Services, "keeper"));
        var loads = InteractiveLists.Loads(ledger);
        await ledger.InvokeAsync(() => ledger.FindComponent<MudDataGrid<LedgerGridRow>>().Instance.ReloadServerData());
        InteractiveLists.WaitUntilLoaded(ledger, loads + 1);
        Assert.Empty(Rows(ledger));
    }

    [Fact]
    public async Task The_csv_export_has_every_filtered_row_quoted_and_defused_and_is_in_the_audit_trail()
    {
        var world = await fixture.SeededAsync();
        using var auditor = await fixture.SignInAsync("auditor");
        var response = await auditor.GetAsync($"/ledger/export.csv?seal={world.SealB.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition!.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(31, lines.Length);
        Assert.StartsWith("条目,申请编号,印章,", lines[0]);
        // Entry 59: applicant name with a comma and quotes, document name starting with "=".
        var row = lines[1];
        Assert.StartsWith("59,26-00059,台账测试章B,", row);
        Assert.Contains("\"申请人 59, \"\"quoted\"\"\"", row);
        Assert.Contains(",'=合同 59.pdf,", row);

        await using var ui = await PortalComponents.SignedInAsync(fixture, "auditor");
        var trail = InteractiveLists.RenderAt<AuditTrailPage>(ui, "/audit-trail?action=LedgerExported&actor=auditor");
        var exported = AuditRows(trail, "LedgerExported");
        Assert.Contains(exported, r => r.TextContent.Contains($"CSV seal={world.SealB.Id}"));
    }

    [Fact]
    public async Task The_xlsx_export_opens_as_a_workbook_with_one_row_per_entry()
    {
        var world = await fixture.SeededAsync();
        using var admin = await fixture.SignInAsync("admin");
        using var response = await admin.Http.GetAsync($"/ledger/export.xlsx?seal={world.SealA.Id}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Streamed as it is written: no length is known when the headers leave.
        Assert.Null(response.Content.Headers.ContentLength);
        await using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var workbook = SpreadsheetDocument.Open(body, false);
        var sheetPart = workbook.WorkbookPart!.WorksheetParts.Single();
        Assert.Equal("用印台账", workbook.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Name!.Value);
        var rows = sheetPart.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
        Assert.Equal(31, rows.Count);
        var first = rows[1].Elements<Cell>().ToList();
        Assert.Equal("60", first[0].CellValue!.Text);
        Assert.Equal("台账测试章A", first[2].InnerText);
        Assert.Equal(15, first.Count);
    }

    [Fact]
    public async Task Sign_ins_and_failed_sign_ins_are_in_the_searchable_audit_trail_with_their_source_address()
    {
        await fixture.SeededAsync();
        using (var stranger = fixture.CreatePortalClient())
            await stranger.SignInAsync("nobody-" + nameof(LedgerPageTests), "wrong-password-1");
        await using var ui = await PortalComponents.SignedInAsync(fixture, "auditor");
        // The culture set inside SignedInAsync does not flow back out of it (an async method's own); the trail is read in Chinese here.
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("zh-CN");

        var failed = InteractiveLists.RenderAt<AuditTrailPage>(ui, "/audit-trail?action=SignInFailed&text=" + nameof(LedgerPageTests));
        var row = Assert.Single(AuditRows(failed, null));
        Assert.Contains("nobody-" + nameof(LedgerPageTests), row.TextContent);
        Assert.Contains("登录失败", row.TextContent);

        Assert.NotEmpty(AuditRows(InteractiveLists.RenderAt<AuditTrailPage>(ui, "/audit-trail?action=SignIn&actor=auditor"), "SignIn"));
        Assert.Empty(AuditRows(InteractiveLists.RenderAt<AuditTrailPage>(ui, "/audit-trail?action=SignIn&from=2000-01-01&to=2000-01-02"), null));

        using var auditor = await fixture.SignInAsync("auditor");
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/audit-trail?action=Nonsense")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/audit-trail?action=SignIn")).StatusCode);
    }

    [Fact]
    public async Task The_audit_trail_pages_newest_first_and_the_next_page_goes_on_where_the_first_ended()
    {
        await fixture.SeededAsync();
        using (var stranger = fixture.CreatePortalClient())
            for (var i = 0; i < 3; i++)
                await stranger.SignInAsync($"pager-{i}-trail", "wrong-password-1");
        await using var ui = await PortalComponents.SignedInAsync(fixture, "auditor");
        var trail = InteractiveLists.RenderAt<AuditTrailPage>(ui, "/audit-trail");
        var first = AuditSequences(trail);
        Assert.Equal(first.OrderByDescending(x => x), first);
        var total = int.Parse(trail.Find("[data-testid=grid-state]").GetAttribute("data-total")!);
        Assert.True(total >= 3);
        if (total > first.Count)
        {
            var loads = InteractiveLists.Loads(trail);
            await trail.InvokeAsync(() => trail.FindComponent<MudDataGrid<SealPortal.Features.AuditTrail.AuditRow>>().Instance.NavigateTo(Page.Next));
            InteractiveLists.WaitUntilLoaded(trail, loads + 1);
            var second = AuditSequences(trail);
            Assert.True(second.Max() < first.Min());
        }
    }

    private static async Task<List<long>> TurnAsync(IRenderedComponent<SealPortal.Features.Ledger.Ledger> ledger, Page page)
    {
        var loads = InteractiveLists.Loads(ledger);
        await ledger.InvokeAsync(() => ledger.FindComponent<MudDataGrid<LedgerGridRow>>().Instance.NavigateTo(page));
        InteractiveLists.WaitUntilLoaded(ledger, loads + 1);
        return Sequences(ledger);
    }

    /// <summary>The rows of the audit trail grid (their action marker), of one action or all.</summary>
    private static List<AngleSharp.Dom.IElement> AuditRows(IRenderedComponent<AuditTrailPage> trail, string? action) =>
        trail.FindAll("[data-testid=audit-table] tbody tr")
            .Where(tr => tr.QuerySelector("[data-action]") is { } a && (action is null || a.GetAttribute("data-action") == action)).ToList();

    private static List<long> AuditSequences(IRenderedComponent<AuditTrailPage> trail) =>
        trail.FindAll("[data-testid=audit-table] [data-sequence]").Select(e => long.Parse(e.GetAttribute("data-sequence")!)).ToList();

    private static List<AngleSharp.Dom.IElement> Rows(IRenderedComponent<SealPortal.Features.Ledger.Ledger> page) =>
        page.FindAll("[data-testid=ledger-table] [data-sequence]").ToList();

    private static List<long> Sequences(IRenderedComponent<SealPortal.Features.Ledger.Ledger> page) =>
        Rows(page).Select(r => long.Parse(r.GetAttribute("data-sequence")!)).ToList();
}
