using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
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
    public async Task An_auditor_pages_through_the_whole_ledger_newest_first_by_keyset()
    {
        await fixture.SeededAsync();
        using var auditor = await fixture.SignInAsync("auditor");
        var first = await auditor.GetDocumentAsync("/ledger");
        var page1 = Sequences(first);
        Assert.Equal(50, page1.Count);
        Assert.Equal(page1.OrderByDescending(x => x), page1);
        var next = first.QuerySelector("[data-testid=next-page]")!.GetAttribute("href")!;
        var second = await auditor.GetDocumentAsync(next);
        var page2 = Sequences(second);
        Assert.Equal(10, page2.Count);
        Assert.Null(second.QuerySelector("[data-testid=next-page]"));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), page1.Concat(page2).Order());
    }

    [Fact]
    public async Task Filters_by_seal_person_kind_and_period_and_bad_filters_are_a_400()
    {
        var world = await fixture.SeededAsync();
        using var auditor = await fixture.SignInAsync("auditor");
        var bySeal = await auditor.GetDocumentAsync($"/ledger?seal={world.SealA.Id}");
        Assert.Equal(30, Rows(bySeal).Count);
        Assert.All(Rows(bySeal), r => Assert.Equal(world.SealA.Id.ToString(), r.GetAttribute("data-seal")));

        var byPerson = await auditor.GetDocumentAsync($"/ledger?person={world.ApplicantId}");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)(63 - 3 * i)), Sequences(byPerson));

        Assert.Empty(Sequences(await auditor.GetDocumentAsync("/ledger?kind=Physical")));
        Assert.Equal(50, Sequences(await auditor.GetDocumentAsync("/ledger?kind=Electronic")).Count);
        // Entry i was executed at 2026-05-01 08:00 + i hours (UTC): 2026-05-02 holds entries 16 to 39.
        var byDay = Sequences(await auditor.GetDocumentAsync("/ledger?from=2026-05-02&to=2026-05-02"));
        Assert.Equal(Enumerable.Range(16, 24).Select(i => (long)i).Reverse(), byDay);

        // The last representable day has no midnight after it; it is still a valid "to".
        Assert.Equal(50, Sequences(await auditor.GetDocumentAsync("/ledger?to=9999-12-31")).Count);

        foreach (var bad in new[] { "/ledger?from=yesterday", "/ledger?kind=Paper", "/ledger?seal=x", "/ledger?from=2026-05-03&to=2026-05-01", "/ledger/export.csv?kind=1" })
        {
            var response = await auditor.GetAsync(bad);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{bad} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_seal_keeper_sees_and_exports_only_the_seals_they_keep()
    {
        var world = await fixture.SeededAsync();
        using var keeper = await fixture.SignInAsync("keeper");
        var page = await keeper.GetDocumentAsync("/ledger");
        Assert.Equal(30, Rows(page).Count);
        Assert.All(Rows(page), r => Assert.Equal(world.SealA.Id.ToString(), r.GetAttribute("data-seal")));
        Assert.DoesNotContain("台账测试章B", page.QuerySelector("#seal")!.TextContent);

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

        var trail = await auditor.GetDocumentAsync("/audit-trail?action=LedgerExported&actor=auditor");
        var exported = trail.QuerySelectorAll("[data-testid=audit-table] tbody tr[data-action=LedgerExported]");
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
        using var auditor = await fixture.SignInAsync("auditor");

        var failed = await auditor.GetDocumentAsync("/audit-trail?action=SignInFailed&text=" + nameof(LedgerPageTests));
        var row = Assert.Single(failed.QuerySelectorAll("[data-testid=audit-table] tbody tr[data-action]"));
        Assert.Contains("nobody-" + nameof(LedgerPageTests), row.TextContent);
        Assert.Contains("登录失败", row.TextContent);

        var signIns = await auditor.GetDocumentAsync("/audit-trail?action=SignIn&actor=auditor");
        Assert.NotEmpty(signIns.QuerySelectorAll("[data-testid=audit-table] tbody tr[data-action=SignIn]"));
        Assert.Empty((await auditor.GetDocumentAsync("/audit-trail?action=SignIn&from=2000-01-01&to=2000-01-02"))
            .QuerySelectorAll("[data-testid=audit-table] tbody tr[data-action]"));
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/audit-trail?action=Nonsense")).StatusCode);
    }

    private static List<AngleSharp.Dom.IElement> Rows(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("[data-testid=ledger-table] tbody tr[data-sequence]").ToList();

    private static List<long> Sequences(AngleSharp.Html.Dom.IHtmlDocument page) =>
        Rows(page).Select(r => long.Parse(r.GetAttribute("data-sequence")!)).ToList();
}
