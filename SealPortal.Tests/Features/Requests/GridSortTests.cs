using System.Globalization;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Admin;
using SealPortal.Features.Requests;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// Clicking a column header sorts in the database by that column. MudDataGrid names a template column's sort by a
/// random id, so without the column's key (its Tag) the query never heard which column was meant and fell back to
/// its own order, which looked right for the number column only by chance.
/// </summary>
public sealed class GridSortTests(SealingPortal portal) : IClassFixture<SealingPortal>
{
    [Fact]
    public async Task My_requests_sort_by_status_both_ways()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        // Statuses sort in the order of a request's life (in approval before approved), not by their stored English
        // names ("Approved" before "InApproval"), so the names' order is the opposite on either click. The approved one is
        // created first: a sort the query ignored (newest first) would pass the first click and fail the second.
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var approved = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        await SealRequestKit.ApproveAllAsync(portal, approved);
        var waiting = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);

        await using var ui = await PortalComponents.SignedInAsync(portal, "applicant");
        var list = InteractiveLists.RenderAt<MyRequests>(ui, "/requests");
        var statuses = await DbAsync(db => db.SealRequests.Where(r => r.Id == approved || r.Id == waiting)
            .ToDictionaryAsync(r => $"/requests/{r.Id}", r => r.Status));
        Assert.Equal(SealRequestStatus.Approved, statuses[$"/requests/{approved}"]);

        List<SealRequestStatus> Shown() => list.FindAll("a[data-number]").Select(a => a.GetAttribute("href")!)
            .Where(statuses.ContainsKey).Select(h => statuses[h]).ToList();
        await SortAsync(list, "Status");
        Assert.Equal([SealRequestStatus.InApproval, SealRequestStatus.Approved], Shown());
        await SortAsync(list, "Status");
        Assert.Equal([SealRequestStatus.Approved, SealRequestStatus.InApproval], Shown());
    }

    [Fact]
    public async Task Users_sort_by_display_name_both_ways()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        var byName = await DbAsync(db => db.Users.OrderBy(u => u.DisplayName).ThenBy(u => u.UserName).Select(u => u.UserName!).Take(25).ToListAsync());
        var byUserName = await DbAsync(db => db.Users.OrderBy(u => u.UserName).Select(u => u.UserName!).Take(25).ToListAsync());
        Assert.NotEqual(byUserName, byName); // else this test could not tell the sorts apart

        await using var ui = await PortalComponents.SignedInAsync(portal, "admin");
        var list = InteractiveLists.RenderAt<Users>(ui, "/admin/users");
        List<string> Shown() => list.FindAll("[data-user]").Select(a => a.GetAttribute("data-user")!).ToList();
        Assert.Equal(byUserName, Shown());
        await SortAsync(list, "Display name");
        Assert.Equal(byName, Shown());
    }

    private async Task<TResult> DbAsync<TResult>(Func<SealPortalDbContext, Task<TResult>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>());
    }

    /// <summary>Clicks the header of the column titled <paramref name="title"/> as a user does, and waits for the page it asks for.</summary>
    private static async Task SortAsync<T>(IRenderedComponent<T> list, string title) where T : Microsoft.AspNetCore.Components.IComponent
    {
        var loads = InteractiveLists.Loads(list);
        Task click = Task.CompletedTask;
        await list.InvokeAsync(() =>
        {
            var header = list.FindAll("th").Single(th => th.TextContent.Trim().StartsWith(title, StringComparison.Ordinal));
            click = header.QuerySelector(".sortable-column-header")!.ClickAsync(new());
        });
        await click;
        InteractiveLists.WaitUntilLoaded(list, loads + 1);
    }
}
