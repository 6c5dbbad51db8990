using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Jobs;

/// <summary>
/// A portal on a fake clock with extra settings, over storage the test owns, so the same database
/// can be opened again by a second portal (a restart) after the first is stopped.
/// </summary>
public sealed class JobsPortal : SealPortalFactory
{
    private readonly IDictionary<string, string?> _settings;

    public JobsPortal(TestDatabase database, string dataFolder, FakeTimeProvider clock, IDictionary<string, string?> settings)
        : base(database, dataFolder, ownsStorage: false)
    {
        Clock = clock;
        _settings = settings;
    }

    public FakeTimeProvider Clock { get; }

    // Seal images take seconds to generate and these tests do not look at them.
    protected override IDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(_settings) { ["Seed:SealImages"] = _settings.TryGetValue("Seed:SealImages", out var v) ? v : "false" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<IServiceProvider, Task> work) => InScopeAsync(async sp => { await work(sp); return 0; });

    public Task<string> UserIdAsync(string userName) =>
        InScopeAsync(sp => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            sp.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.UserName == userName).Select(u => u.Id)));
}

/// <summary>Storage (database and data folder) that outlives one portal, for restart tests.</summary>
public sealed class PortalStorage : IAsyncDisposable
{
    public TestDatabase Database { get; } = TestDatabase.Create();

    public string DataFolder { get; } = Directory.CreateTempSubdirectory("sealportal-jobs-").FullName;

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Directory.Delete(DataFolder, recursive: true);
    }
}
