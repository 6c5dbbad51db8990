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
