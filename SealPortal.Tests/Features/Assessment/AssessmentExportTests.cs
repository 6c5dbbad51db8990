using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Assessment;

/// <summary>
/// GET /assessment/export.xlsx over the scenario of <see cref="AssessmentWorld"/>: the workbook opens, its score sheet
/// holds the page's numbers and its second sheet the items behind them; a department head gets their own department;
/// other roles get 403, a visitor is sent to sign in, a bad period is a 400; every export is in the audit trail.
/// </summary>
public sealed class AssessmentExportTests(AssessmentPortal portal) : IClassFixture<AssessmentPortal>
{
    private static async Task<List<(string Name, List<List<string>> Rows)>> SheetsAsync(HttpResponseMessage response)
    {
        await using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var workbook = SpreadsheetDocument.Open(body, false);
        var part = workbook.WorkbookPart!;
        return part.Workbook.Sheets!.Elements<Sheet>().Select(s =>
        {
            var sheet = (WorksheetPart)part.GetPartById(s.Id!.Value!);
            var rows = sheet.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>()
                .Select(r => r.Elements<Cell>().Select(c => c.CellValue?.Text ?? c.InnerText).ToList()).ToList();
            return (s.Name!.Value!, rows);
        }).ToList();
    }

    [Fact]
    public async Task The_workbook_has_the_scores_and_the_facts_behind_them()
    {
        var world = await portal.WorldAsync();
        using var executive = await portal.SignInAsync("executive");
        using var response = await executive.Http.GetAsync($"/assessment/export.xlsx?{world.Period.Query}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        // Streamed as it is written, as the ledger's export: no length is known when the headers leave.
        Assert.Null(response.Content.Headers.ContentLength);
        var sheets = await SheetsAsync(response);
        Assert.Equal(["考核得分", "得分依据"], sheets.Select(s => s.Name));

        var scores = sheets[0].Rows;
        var header = scores[1];
        // A count and a sub-score column per fact, in the page's order.
        Assert.Equal(12, header.Count);
        Assert.Equal(["部门", "得分", "审批超期"], header.Take(3));
        Assert.Equal(["违规案件", "培训完成", "制度确认"], new[] { header[6], header[8], header[10] });
        var legal = scores.Single(r => r[0] == "法务部");
        Assert.Equal("80", legal[1]);
        Assert.Equal("2", legal[2]);
        Assert.Equal("80", legal[3]);
        Assert.Equal(["0", "100", "0/1", "0"], legal.Skip(6).Take(4));
        Assert.Equal("1/1", legal[10]);
        var sales = scores.Single(r => r[0] == "销售部");
        Assert.Equal("71", sales[1]);
        Assert.Equal(["1", "75", "2/4", "50"], sales.Skip(6).Take(4));
        Assert.Equal("1/2", sales[10]);
        var office = scores.Single(r => r[0] == "总经办");
        Assert.Equal(["81", "1", "75", "2/3", "66.7"], new[] { office[1], office[6], office[7], office[8], office[9] });
        Assert.Equal(6, scores.Count);

        var facts = sheets[1].Rows;
        Assert.Equal(["部门", "考核项", "事项"], facts[0].Take(3));
        var legalOverdue = facts.Where(r => r[0] == "法务部" && r[1] == "审批超期").Select(r => r[2]).Order().ToList();
        Assert.Equal([world.PendingRequestNumber, world.TransferredRequestNumber], legalOverdue);
        Assert.Contains(facts, r => r[0] == "财务部" && r[1] == "检查发现问题" && r[4].Contains("缺少审批记录"));
        Assert.Contains(facts, r => r[0] == "总经办" && r[1] == "制度确认" && r[2] == "admin");
        Assert.Contains(facts, r => r[0] == "销售部" && r[1] == "违规案件" && r[2] == world.SalesCaseNumber);
        Assert.DoesNotContain(facts, r => r[2] == "AS-V2");
        Assert.Equal(["depthead", "applicant"], facts.Where(r => r[0] == "销售部" && r[1] == "培训完成").Select(r => r[3].Split(' ')[^1].Trim('(', ')')));
        Assert.DoesNotContain(facts, r => r[0] == "法务部" && r[1] == "制度确认");
        Assert.Equal("时限 (Asia/Shanghai)", facts[0][5]);
        var late = facts.Single(r => r[2] == world.LateRequestNumber);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$", late[5]);
        Assert.True(DateTimeOffset.Parse(late[6], System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.Parse(late[5], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_department_head_exports_their_own_department_only()
    {
        var world = await portal.WorldAsync();
        using var head = await portal.SignInAsync("depthead");
        using var response = await head.Http.GetAsync($"/assessment/export.xlsx?{world.Period.Query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sheets = await SheetsAsync(response);
        Assert.Equal(["销售部"], sheets[0].Rows.Skip(2).Select(r => r[0]));
        Assert.All(sheets[1].Rows.Skip(1), r => Assert.Equal("销售部", r[0]));
        Assert.Contains(sheets[1].Rows, r => r[2] == world.LateRequestNumber);
    }

    [Theory]
    [InlineData("applicant")]
    [InlineData("reviewer")]
    [InlineData("keeper")]
    public async Task Other_roles_are_refused_with_403_and_no_data(string user)
    {
        var world = await portal.WorldAsync();
        using var client = await portal.SignInAsync(user);
        using var response = await client.Http.GetAsync($"/assessment/export.xlsx?{world.Period.Query}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(world.LateRequestNumber, body);
        Assert.DoesNotContain("PK", body[..Math.Min(2, body.Length)]);
    }

    [Fact]
    public async Task A_visitor_is_sent_to_sign_in_and_a_bad_period_is_a_400_with_the_reason()
    {
        await portal.WorldAsync();
        using var visitor = portal.CreatePortalClient();
        using var anonymous = await visitor.Http.GetAsync("/assessment/export.xlsx?period=Month&year=2026&number=1");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/login", anonymous.LocalTarget());

        using var auditor = await portal.SignInAsync("auditor");
        using var bad = await auditor.Http.GetAsync("/assessment/export.xlsx?period=Week&year=2026&number=1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("考核期间无效", await bad.Content.ReadAsStringAsync());
        using var future = await auditor.Http.GetAsync($"/assessment/export.xlsx?period=Year&year={DateTime.UtcNow.Year + 1}");
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
    }

    [Fact]
    public async Task Every_export_is_in_the_audit_trail()
    {
        var world = await portal.WorldAsync();
        using var auditor = await portal.SignInAsync("auditor");
        using var response = await auditor.Http.GetAsync($"/assessment/export.xlsx?{world.Quarter.Query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var details = db.AuditEvents.Where(e => e.Action == AuditAction.AssessmentExported).Select(e => e.Detail).ToList();
        Assert.Contains($"XLSX {world.Quarter.Query}", details);
    }
}
