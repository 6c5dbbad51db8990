using Bunit;
using Microsoft.AspNetCore.Components;

namespace SealPortal.Tests.Infrastructure;

/// <summary>
/// Clicks what a selector finds in the component's latest render. Finding and clicking happen in one step on the
/// renderer, so a render in between (a live update, an upload finishing, data arriving from a server database)
/// cannot leave the click pointing at an event handler that no longer exists.
/// </summary>
public static class FreshClicks
{
    /// <summary>Clicks the element and completes when the click's handler has (for a dialog: when it was answered).</summary>
    public static async Task ClickFreshAsync<T>(this IRenderedComponent<T> cut, string selector) where T : IComponent
    {
        Task click = Task.CompletedTask;
        await cut.InvokeAsync(() => { click = cut.Find(selector).ClickAsync(new()); });
        await click;
    }
}
