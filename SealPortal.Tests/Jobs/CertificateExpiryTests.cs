using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Notifications;
using SealPortal.Features.Seals;

namespace SealPortal.Tests.Jobs;

public class CertificateExpiryTests
{
    [Fact]
    public async Task Custodian_and_admins_are_warned_once_per_threshold_as_the_fake_clock_moves_on()
    {
        var start = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, new Dictionary<string, string?>());
        var keeper = await portal.UserIdAsync("keeper");
        var admin = await portal.UserIdAsync("admin");
        await portal.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SealPortalDbContext>();
            var seal = await db.Seals.FirstAsync(s => s.Name == "公司电子公章");
            seal.CertificateThumbprint = "AB12";
            seal.CertificateNotAfter = start.AddDays(40);
            seal.CustodianUserId = keeper;
            await db.SaveChangesAsync();
        });
        Task<int> Run() => portal.InScopeAsync(sp => sp.GetRequiredService<CertificateExpiryWarnings>().RunAsync(default));
        Task<List<string>> Subjects(string user) => portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().Notifications
            .Where(n => n.UserId == user && n.Kind == NotificationKind.Certificate).OrderBy(n => n.Id).Select(n => n.DedupKey!).ToListAsync());

        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromDays(11));
        Assert.Equal(2, await Run());
        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromDays(25));
        Assert.Equal(2, await Run());
        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromDays(3.5));
        Assert.Equal(2, await Run());
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await Run());

        Assert.Equal(3, (await Subjects(keeper)).Count);
        Assert.Equal(await Subjects(keeper), await Subjects(admin));
        Assert.EndsWith(":30", (await Subjects(keeper))[0]);
        Assert.EndsWith(":7", (await Subjects(keeper))[1]);
        Assert.EndsWith(":1", (await Subjects(keeper))[2]);
    }
}
