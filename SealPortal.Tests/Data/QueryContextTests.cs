using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Features.Sealing;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Data;

/// <summary>
/// The request page's query services are singletons over IDbContextFactory: reads running at the same
/// time from one circuit (the page, its sealing panel, its timeline) each get a context of their own, so
/// none fails with "A second operation was started on this context" (PostgreSQL) and none is held after.
/// </summary>
public sealed class QueryContextTests(SealingPortal portal) : IClassFixture<SealingPortal>
{
    [Fact]
    public async Task The_request_pages_reads_run_at_the_same_time_each_on_a_context_of_their_own()
    {
        var id = await SealRequestKit.SubmitAsync(portal, [await portal.SealIdAsync(SealingPortal.PhysicalSeal)], [PdfTestKit.ClassicPdf(1)]);
        await SealRequestKit.ApproveAllAsync(portal, id);
        var sealing = portal.Services.GetRequiredService<SealingQueries>();
        var timelines = portal.Services.GetRequiredService<RequestTimelines>();
        var queries = portal.Services.GetRequiredService<RequestQueries>();
        Assert.Same(sealing, portal.Services.GetRequiredService<SealingQueries>());
        var keeper = await PrincipalAsync("keeper");

        var panels = Enumerable.Range(0, 6).Select(_ => sealing.PanelAsync(id, keeper)).ToList();
        var histories = Enumerable.Range(0, 6).Select(_ => timelines.ForAsync(id)).ToList();
        var details = Enumerable.Range(0, 3).Select(_ => queries.DetailsAsync(id, keeper)).ToList();
        await Task.WhenAll(panels.Cast<Task>().Concat(histories).Concat(details));

        foreach (var panel in panels)
        {
            var view = Assert.IsType<SealingPanelView>(await panel);
            Assert.Equal(SealRequestStatus.Approved, view.Status);
            Assert.True(Assert.Single(view.PhysicalSeals).MayRecord);
        }
        foreach (var history in histories)
            Assert.Contains((await history)!.Entries, e => e.Kind == TimelineKind.Approved);
        foreach (var detail in details)
            Assert.True((await detail).View is { } v && v.Id == id);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName);
        return await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user!);
    }
}
