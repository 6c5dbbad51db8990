using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Notifications;
using SealPortal.Tests.Features.Sealing;

namespace SealPortal.Tests.Features.Live;

/// <summary>A sealing portal that sends e-mail (to a port nobody answers: the tests read the outbox), so preferences matter.</summary>
public class LivePortal : SealingPortal
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = "9",
        ["Smtp:From"] = "sealportal@example.com",
    };

    public async Task<T> WithContextAsync<T>(Func<SealPortalDbContext, Task<T>> work)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<SealPortalDbContext>>().CreateDbContextAsync();
        return await work(db);
    }

    public Task SetPreferenceAsync(string userName, bool email, params NotificationKind[] muted) =>
        WithContextAsync(async db =>
        {
            var id = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NotificationInbox>().SavePreferenceAsync(id, email, muted);
            return 0;
        });
}
