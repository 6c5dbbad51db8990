using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// A request's timeline shows its latest downloads one by one and the earlier ones as one counted line: a much-fetched
/// document must not make its page read and draw every download (the audit trail keeps each of them).
/// </summary>
public sealed class RequestTimelineTests(SealingPortal portal) : IClassFixture<SealingPortal>
{
    [Fact]
    public async Task The_latest_downloads_are_shown_one_by_one_and_the_earlier_ones_counted_in_one_line()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var many = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        var few = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        var extra = 7;
        await DownloadsAsync(many, RequestTimelines.DownloadsShown + extra);
        await DownloadsAsync(few, 3);
        var timelines = portal.Services.GetRequiredService<RequestTimelines>();

        var history = (await timelines.ForAsync(many))!;
        var downloads = history.Entries.Where(e => e.Kind == TimelineKind.Downloaded).ToList();
        var single = downloads.Where(e => e.Title == "Downloaded {0}").ToList();
        Assert.Equal(Enumerable.Range(extra, RequestTimelines.DownloadsShown).Select(n => $"file-{n:00}.pdf"), single.Select(e => (string)e.Args[0]));
        var summary = Assert.Single(downloads, e => e.Title != "Downloaded {0}");
        Assert.Equal([extra], summary.Args);
        Assert.True(summary.At <= single[0].At);

        var fewDownloads = (await timelines.ForAsync(few))!.Entries.Where(e => e.Kind == TimelineKind.Downloaded).ToList();
        Assert.Equal(["file-00.pdf", "file-01.pdf", "file-02.pdf"], fewDownloads.Select(e => (string)e.Args[0]));
    }

    /// <summary>
    /// The request page reads its details, history and sealing panel in one pass on one context, building the last two
    /// from the rows the details read. What it shows must be what each read alone gives, for each reader, and a reader
    /// who may not see the request gets nothing of the three.
    /// </summary>
    [Fact]
    public async Task The_request_pages_one_read_gives_what_the_details_history_and_panel_give_alone()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        await SealRequestKit.ApproveAllAsync(portal, id);
        Assert.Equal(SealRequestStatus.Approved, (await SealRequestKit.LoadAsync(portal, id)).Status);
        await DownloadsAsync(id, RequestTimelines.DownloadsShown + 2);
        var queries = portal.Services.GetRequiredService<RequestQueries>();
        var sealing = portal.Services.GetRequiredService<SealPortal.Features.Sealing.SealingQueries>();
        var timelines = portal.Services.GetRequiredService<RequestTimelines>();
        var json = new System.Text.Json.JsonSerializerOptions { IncludeFields = true };
        string Json(object? o) => System.Text.Json.JsonSerializer.Serialize(o, json);

        foreach (var (name, role) in new[] { ("applicant", Roles.Applicant), ("keeper", Roles.SealKeeper), ("auditor", Roles.Auditor) })
        {
            var user = Principal(await SealRequestKit.UserIdAsync(portal, name), role);
            var (view, allowed, history, panel) = await queries.PageAsync(id, user);
            var (alone, _) = await queries.DetailsAsync(id, user);
            Assert.True(allowed, name);
            Assert.NotNull(view);
            Assert.Equal(Json(alone), Json(view));
            var historyAlone = await timelines.ForAsync(id);
            Assert.Contains(historyAlone!.Entries, e => e.Title.StartsWith("Downloaded {0} more", StringComparison.Ordinal));
            Assert.Equal(Json(historyAlone), Json(history));
            var panelAlone = await sealing.PanelAsync(id, user);
            Assert.NotNull(panelAlone);
            Assert.Equal(Json(panelAlone), Json(panel!.View));
        }
        // Only the keeper of the physical seal may record its stamping: the panels above differed by reader.
        var keeperPanel = (await queries.PageAsync(id, Principal(await SealRequestKit.UserIdAsync(portal, "keeper"), Roles.SealKeeper))).Panel!.View!;
        Assert.Contains(keeperPanel.PhysicalSeals, s => s.MayRecord);
        var applicantPanel = (await queries.PageAsync(id, Principal(await SealRequestKit.UserIdAsync(portal, "applicant"), Roles.Applicant))).Panel!.View!;
        Assert.DoesNotContain(applicantPanel.PhysicalSeals, s => s.MayRecord);

        var outsider = await queries.PageAsync(id, Principal(Guid.NewGuid().ToString(), Roles.Applicant));
        Assert.False(outsider.Allowed);
        Assert.Null(outsider.View);
        Assert.Null(outsider.History);
        Assert.Null(outsider.Panel);
        var missing = await queries.PageAsync(int.MaxValue, Principal(await SealRequestKit.UserIdAsync(portal, "auditor"), Roles.Auditor));
        Assert.True(missing.Allowed);
        Assert.Null(missing.View);
    }

    private static System.Security.Claims.ClaimsPrincipal Principal(string userId, string role) =>
        new(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, userId), new(System.Security.Claims.ClaimTypes.Role, role)], "test"));

    private async Task DownloadsAsync(int requestId, int count)
    {
        var number = (await SealRequestKit.LoadAsync(portal, requestId)).Number;
        for (var n = 0; n < count; n++)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SealPortal.Features.AuditTrail.AuditTrail>()
                .RecordAsync(AuditAction.DocumentDownloaded, $"file-{n:00}.pdf", $"request {number}", actor: "keeper");
        }
    }
}
