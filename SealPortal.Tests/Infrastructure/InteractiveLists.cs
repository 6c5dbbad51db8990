using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Bunit;
using SealPortal.Features.Requests;

namespace SealPortal.Tests.Infrastructure;

/// <summary>The interactive request lists as a user sees them, rendered with bUnit over a real portal.</summary>
public static class InteractiveLists
{
    /// <summary>The request links of <paramref name="userName"/>'s inbox, after the grid has loaded its first page.</summary>
    public static async Task<List<string>> InboxLinksAsync(SealPortalFactory portal, string userName,
        string? type = null, string? urgent = null, string? overdue = null)
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, userName);
        var query = new Dictionary<string, object?> { ["type"] = type, ["urgent"] = urgent, ["overdue"] = overdue };
        var navigation = ui.Context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameters("/inbox", query));
        var inbox = ui.Render<Inbox>();
        WaitUntilLoaded(inbox);
        return inbox.FindAll("a[data-number]").Select(a => a.GetAttribute("href")!).ToList();
    }

    /// <summary>The inbox rows of <paramref name="userName"/> (for the deputy line and the like).</summary>
    public static async Task<List<IElement>> InboxRowsAsync(SealPortalFactory portal, string userName)
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, userName);
        var inbox = ui.Render<Inbox>();
        WaitUntilLoaded(inbox);
        return inbox.FindAll("tr").Where(tr => tr.QuerySelector("a[data-number]") is not null).ToList();
    }

    /// <summary>The numbers shown in <paramref name="userName"/>'s "my requests".</summary>
    public static async Task<List<string>> MyRequestNumbersAsync(SealPortalFactory portal, string userName)
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, userName);
        var mine = ui.Render<MyRequests>();
        WaitUntilLoaded(mine);
        return mine.FindAll("a[data-number]").Select(a => a.GetAttribute("data-number")!).ToList();
    }

    /// <summary><typeparamref name="T"/> opened at <paramref name="url"/> (its query is the page's filter), after its grid has loaded its first page.</summary>
    public static IRenderedComponent<T> RenderAt<T>(PortalComponents ui, string url) where T : IComponent
    {
        var navigation = ui.Context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(url);
        var page = ui.Render<T>();
        WaitUntilLoaded(page);
        return page;
    }

    /// <summary>How many times the page's grid has been filled so far.</summary>
    public static int Loads<T>(IRenderedComponent<T> list) where T : IComponent =>
        int.Parse(list.Find("[data-testid=grid-state]").GetAttribute("data-loads")!);

    public static void WaitUntilLoaded<T>(IRenderedComponent<T> list, int loads = 1) where T : IComponent =>
        list.WaitForAssertion(() => Assert.True(int.Parse(list.Find("[data-testid=grid-state]").GetAttribute("data-loads")!) >= loads),
            TimeSpan.FromSeconds(10));
}
