using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Features.Notifications;

namespace SealPortal.Tests.Jobs;

public class BellTests
{
    [Fact]
    public async Task The_bell_counts_unread_notifications_and_mark_all_read_clears_it()
    {
        await using var storage = new PortalStorage();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(DateTimeOffset.UtcNow), new Dictionary<string, string?>());
        var auditor = await portal.UserIdAsync("auditor");
        await portal.InScopeAsync(async sp =>
        {
            var n = sp.GetRequiredService<Notifier>();
            await n.NotifyAsync(auditor, "One", "first");
            await n.NotifyAsync(auditor, "Two", "second");
        });
        using var client = await portal.SignInAsync("auditor");

        var home = await client.GetDocumentAsync("/");
        Assert.Equal("2", home.QuerySelector("[data-testid=unread-count]")?.TextContent.Trim());
        var list = await client.GetDocumentAsync("/notifications");
        Assert.Equal(2, list.QuerySelectorAll("[data-testid=notification][data-read=false]").Length);

        var posted = await client.SubmitNamedFormAsync("/notifications", "mark-all-read", new Dictionary<string, object>());
        Assert.True(posted.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"answered {(int)posted.StatusCode}");

        var after = await client.GetDocumentAsync("/notifications");
        Assert.Null(after.QuerySelector("[data-testid=unread-count]"));
        Assert.Equal(2, after.QuerySelectorAll("[data-testid=notification][data-read=true]").Length);
    }
}
