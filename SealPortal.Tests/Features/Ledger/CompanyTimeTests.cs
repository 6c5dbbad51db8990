using System.Globalization;
using System.Net;
using Bunit;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features;
using SealPortal.Features.AuditTrail;
using SealPortal.Features.Dashboard;
using SealPortal.Tests.Infrastructure;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>
/// The ledger and the audit trail in the company's time zone: one ledger entry and one audit-trail line
/// at 2026-03-01 17:30 UTC, which is 2026-03-02 01:30 in Shanghai (the default) and 2026-03-01 18:30 in
/// Berlin. Day filters pick company days, pages show company time, exports write it with its offset and
/// name the zone in the header; the stored times stay UTC.
/// </summary>
public class CompanyTimeTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    /// <summary>The moment of the test's entry and trail line.</summary>
    private static readonly DateTimeOffset At = new(2026, 3, 1, 17, 30, 0, TimeSpan.Zero);

    private const string Marker = "company-time-marker";

    private static readonly SemaphoreSlim Seeded = new(1, 1);

    [Fact]
    public async Task In_shanghai_the_entry_and_the_trail_line_belong_to_march_2_and_show_01_30()
    {
        await SeedAsync(portal);
        Assert.Equal("Asia/Shanghai", portal.Services.GetRequiredService<CompanyTime>().ZoneId);
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new("zh-CN");

        var march2 = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?from=2026-03-02&to=2026-03-02");
        var row = Assert.Single(LedgerRows(march2));
        Assert.Contains("2026-03-02 01:30", row.TextContent);
        Assert.DoesNotContain("17:30", row.TextContent);
        Assert.Contains("Asia/Shanghai", march2.Find("[data-testid=time-zone]").TextContent);
        Assert.Empty(LedgerRows(InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?from=2026-03-01&to=2026-03-01")));
        // Open-ended periods use the same bounds: from March 2 on finds it, up to March 1 does not.
        Assert.Single(LedgerRows(InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?from=2026-03-02")));
        Assert.Empty(LedgerRows(InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?to=2026-03-01")));

        var trail = InteractiveLists.RenderAt<AuditTrailPage>(ui, $"/audit-trail?text={Marker}&from=2026-03-02&to=2026-03-02");
        var line = Assert.Single(TrailRows(trail));
        Assert.Contains("2026-03-02 01:30", line.TextContent);
        Assert.Contains("Asia/Shanghai", trail.Find("[data-testid=time-zone]").TextContent);
        Assert.Empty(TrailRows(InteractiveLists.RenderAt<AuditTrailPage>(ui, $"/audit-trail?text={Marker}&from=2026-03-01&to=2026-03-01")));

        // The same pages in English: the English format of the same company time.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new("en");
        var english = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?from=2026-03-02&to=2026-03-02");
        Assert.Contains("2 Mar 2026 01:30", Assert.Single(LedgerRows(english)).TextContent);
        Assert.Contains("Times are in the company's time zone (Asia/Shanghai).", english.Find("[data-testid=time-zone]").TextContent);
        var englishTrail = InteractiveLists.RenderAt<AuditTrailPage>(ui, $"/audit-trail?text={Marker}&from=2026-03-02&to=2026-03-02");
        Assert.Contains("2 Mar 2026 01:30", Assert.Single(TrailRows(englishTrail)).TextContent);
    }

    [Fact]
    public async Task The_exports_name_the_zone_in_the_header_and_write_company_time_with_its_offset()
    {
        await SeedAsync(portal);
        using var auditor = await portal.SignInAsync("auditor");

        var csv = await CsvAsync(auditor, "/ledger/export.csv?from=2026-03-02&to=2026-03-02");
        Assert.Equal(2, csv.Length);
        var header = Fields(csv[0]);
        Assert.Contains("执行时间 (Asia/Shanghai)", header);
        Assert.Contains("申请时间 (Asia/Shanghai)", header);
        Assert.Contains("批准时间 (Asia/Shanghai)", header);
        Assert.Contains("审批人 (Asia/Shanghai)", header);
        Assert.DoesNotContain(header, h => h.StartsWith("印章 ("));
        var executedAt = header.IndexOf("执行时间 (Asia/Shanghai)");
        Assert.Equal("2026-03-02T01:30:00+08:00", Fields(csv[1])[executedAt]);
        // Applied five hours, approved one hour before; the approvers with their company times.
        Assert.Contains(",2026-03-01T20:30:00+08:00,", csv[1]);
        Assert.Contains(",2026-03-02T00:30:00+08:00,", csv[1]);
        Assert.Contains("王芳 Wang Fang 2026-03-01T22:30:00+08:00; 刘强 2026-03-02T00:30:00+08:00", csv[1]);
        Assert.DoesNotContain("Z,", csv[1]);
        Assert.Single(await CsvAsync(auditor, "/ledger/export.csv?from=2026-03-01&to=2026-03-01"));

        using var response = await auditor.GetAsync("/ledger/export.xlsx?from=2026-03-02&to=2026-03-02");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var workbook = SpreadsheetDocument.Open(body, false);
        var rows = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
        Assert.Equal(2, rows.Count);
        var cells = rows[0].Elements<Cell>().Select(c => c.InnerText).ToList();
        var column = cells.IndexOf("执行时间 (Asia/Shanghai)");
        Assert.True(column >= 0, string.Join(" | ", cells));
        Assert.Equal("2026-03-02T01:30:00+08:00", rows[1].Elements<Cell>().ElementAt(column).InnerText);
    }

    [Fact]
    public async Task Another_configured_zone_moves_the_day_the_times_and_the_working_hours()
    {
        await using var berlin = new BerlinPortal();
        await SeedAsync(berlin);
        Assert.Equal("Europe/Berlin", berlin.Services.GetRequiredService<CompanyTime>().ZoneId);
        await using var ui = await PortalComponents.SignedInAsync(berlin, "auditor");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new("zh-CN");

        // 17:30 UTC is 18:30 in Berlin (CET, +01:00): still March 1 there.
        var march1 = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?from=2026-03-01&to=2026-03-01");
        Assert.Contains("2026-03-01 18:30", Assert.Single(LedgerRows(march1)).TextContent);
        Assert.Contains("Europe/Berlin", march1.Find("[data-testid=time-zone]").TextContent);
        Assert.Empty(LedgerRows(InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger?from=2026-03-02&to=2026-03-02")));
        var trail = InteractiveLists.RenderAt<AuditTrailPage>(ui, $"/audit-trail?text={Marker}&from=2026-03-01&to=2026-03-01");
        Assert.Contains("2026-03-01 18:30", Assert.Single(TrailRows(trail)).TextContent);
        Assert.Empty(TrailRows(InteractiveLists.RenderAt<AuditTrailPage>(ui, $"/audit-trail?text={Marker}&from=2026-03-02&to=2026-03-02")));

        using var auditor = await berlin.SignInAsync("auditor");
        var csv = await CsvAsync(auditor, "/ledger/export.csv?from=2026-03-01&to=2026-03-01");
        Assert.Equal(2, csv.Length);
        var executedAt = Fields(csv[0]).IndexOf("执行时间 (Europe/Berlin)");
        Assert.True(executedAt >= 0, csv[0]);
        Assert.Equal("2026-03-01T18:30:00+01:00", Fields(csv[1])[executedAt]);

        // Working hours are judged in the company's zone: Wednesday 2026-11-25 07:30 UTC is 08:30 in
        // Berlin (before 09:00) but 15:30 in Shanghai; 12:00 UTC is 13:00 in Berlin but 20:00 in Shanghai.
        var berlinCalendar = berlin.Services.GetRequiredService<WorkingCalendar>();
        var shanghaiCalendar = portal.Services.GetRequiredService<WorkingCalendar>();
        Assert.Equal("Europe/Berlin", berlinCalendar.TimeZoneId);
        var early = new DateTimeOffset(2026, 11, 25, 7, 30, 0, TimeSpan.Zero);
        var noon = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        Assert.True(AnalyticsStatistics.IsOffHours(early, berlinCalendar));
        Assert.False(AnalyticsStatistics.IsOffHours(early, shanghaiCalendar));
        Assert.False(AnalyticsStatistics.IsOffHours(noon, berlinCalendar));
        Assert.True(AnalyticsStatistics.IsOffHours(noon, shanghaiCalendar));
    }

    [Fact]
    public void A_company_day_is_one_range_of_utc_times_also_across_daylight_saving_changes()
    {
        static CompanyTime Zone(string id) => new(Microsoft.Extensions.Options.Options.Create(new CompanyOptions { TimeZone = id }), TimeProvider.System);
        var day = new DateOnly(2026, 3, 2);
        Assert.Equal((new DateTime(2026, 3, 1, 16, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 2, 16, 0, 0, DateTimeKind.Utc)),
            Zone("Asia/Shanghai").UtcRange(day, day));
        Assert.Equal(DateTimeKind.Utc, Zone("Asia/Shanghai").UtcRange(day, null).Start!.Value.Kind);
        // Berlin's clocks go forward on 2026-03-29 and back on 2026-10-25: those days last 23 and 25 hours.
        var berlin = Zone("Europe/Berlin");
        var (springStart, springEnd) = berlin.UtcRange(new DateOnly(2026, 3, 29), new DateOnly(2026, 3, 29));
        Assert.Equal(TimeSpan.FromHours(23), springEnd!.Value - springStart!.Value);
        var (autumnStart, autumnEnd) = berlin.UtcRange(new DateOnly(2026, 10, 25), new DateOnly(2026, 10, 25));
        Assert.Equal(TimeSpan.FromHours(25), autumnEnd!.Value - autumnStart!.Value);
        Assert.Equal(new DateTime(2026, 10, 24, 22, 0, 0, DateTimeKind.Utc), autumnStart);
        // No bound where none is given, and none past the last representable day.
        Assert.Equal(((DateTime?)null, (DateTime?)null), berlin.UtcRange(null, DateOnly.MaxValue));
        Assert.Equal(((DateTime?)null, (DateTime?)null), Zone("Asia/Shanghai").UtcRange(DateOnly.MinValue, null));
        // Exports write the same instant unambiguously in either zone.
        Assert.Equal("2026-03-02T01:30:00+08:00", Zone("Asia/Shanghai").Iso(At));
        Assert.Equal("2026-03-01T18:30:00+01:00", berlin.Iso(At.UtcDateTime));
    }

    /// <summary>The test's entry on a seal of its own and its audit-trail line, once per portal.</summary>
    private async Task SeedAsync(SealPortalFactory target)
    {
        await Seeded.WaitAsync();
        try
        {
            await using (var scope = target.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
                if (db.AuditEvents.Any(e => e.Subject == Marker))
                    return;
            }
            var seal = await LedgerWorld.SealAsync(target.Services, "时区测试章", "keeper");
            await LedgerWorld.AppendAsync(target.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, At, 1));
            await using (var scope = target.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
                SealPortal.Features.AuditTrail.AuditTrail.AddTo(db, scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>(), new FakeTimeProvider(At),
                    AuditAction.LedgerExported, detail: "written at 2026-03-01 17:30 UTC", subject: Marker);
                await db.SaveChangesAsync();
            }
        }
        finally
        {
            Seeded.Release();
        }
    }

    private static async Task<string[]> CsvAsync(PortalClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The fields of one CSV line (RFC 4180 quoting), for reading a column by its header.</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                field.Append(line[++i]);
            else if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    private static List<AngleSharp.Dom.IElement> LedgerRows(IRenderedComponent<SealPortal.Features.Ledger.Ledger> page) =>
        page.FindAll("[data-testid=ledger-table] tbody tr").Where(tr => tr.QuerySelector("[data-sequence]") is not null).ToList();

    private static List<AngleSharp.Dom.IElement> TrailRows(IRenderedComponent<AuditTrailPage> page) =>
        page.FindAll("[data-testid=audit-table] tbody tr").Where(tr => tr.QuerySelector("[data-action]") is not null).ToList();
}

/// <summary>A portal whose company is in Berlin (Company:TimeZone), to show the setting is what the times follow.</summary>
public sealed class BerlinPortal : SealPortalFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Company:TimeZone"] = "Europe/Berlin" };
}
