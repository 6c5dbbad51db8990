using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SealPortal.Tests.Infrastructure;

/// <summary>
/// The portal as the tests see it: its own database (see <see cref="TestDatabase"/>), its own data
/// folder, and the demo users seeded with <see cref="DemoPassword"/>. Use as a class fixture;
/// call <see cref="StartKestrel"/> first for a browser test that needs a real socket.
/// </summary>
public class SealPortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DemoPassword = "Demo-Pass-2026";

    private readonly TestDatabase _database;
    private readonly string _dataFolder;
    private readonly bool _ownsStorage;
    private bool _disposed;

    public SealPortalFactory()
        : this(TestDatabase.Create(), Directory.CreateTempSubdirectory("sealportal-data-").FullName, ownsStorage: true)
    {
    }

    /// <summary>A second host over another factory's database and data folder, like a restarted portal.</summary>
    public static SealPortalFactory Restart(SealPortalFactory portal) =>
        new(portal._database, portal._dataFolder, ownsStorage: false);

    protected SealPortalFactory(TestDatabase database, string dataFolder, bool ownsStorage)
    {
        _database = database;
        _dataFolder = dataFolder;
        _ownsStorage = ownsStorage;
    }

    public TestDatabase Database => _database;

    /// <summary>Everything the portal logged at Information or above from SealPortal.* categories, and warnings from others.</summary>
    public CollectingLoggerProvider Logs { get; } = new();

    public string DataFolder => _dataFolder;

    /// <summary>Extra configuration a derived fixture or a test class wants on top of the defaults.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Database:Provider"] = _database.Provider,
                ["ConnectionStrings:SealPortal"] = _database.ConnectionString,
                ["SealPortal:DataFolder"] = _dataFolder,
                ["Seed:DemoPassword"] = DemoPassword,
                // The key ring is stored in the database, encrypted with this SAMPLE certificate.
                ["DataProtection:CertificatePath"] = Path.Combine(SealPortal.Tests.Pdf.PdfTestKit.CertsDir, "sample-dataprotection.pfx"),
                ["DataProtection:CertificatePassword"] = "sample",
                // Most tests count what they create; the few about the demo history turn it on.
                ["Demo:History"] = "false",
                // Tests that want the Hangfire job server turn it on; the others call services directly.
                ["Jobs:Enabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:SealPortal"] = "Information",
                // Every test client signs in from the same (absent) address; the limits have their own tests.
                ["SignInLimits:PerAddress"] = "100000",
                ["SignInLimits:PerAccountFromAddress"] = "100000",
                ["SignInLimits:PerAccount"] = "100000",
            };
            foreach (var (k, v) in ExtraSettings)
                settings[k] = v;
            config.AddInMemoryCollection(settings);
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    /// <summary>Serves on 127.0.0.1 with an ephemeral port and returns the base address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    /// <summary>A client that keeps cookies and shows redirects instead of following them.</summary>
    public PortalClient CreatePortalClient() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>A client already signed in as <paramref name="userName"/>.</summary>
    public async Task<PortalClient> SignInAsync(string userName, string password = DemoPassword)
    {
        var client = CreatePortalClient();
        var response = await client.SignInAsync(userName, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"sign-in of {userName} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await base.DisposeAsync();
        if (!_ownsStorage)
            return;
        await _database.DisposeAsync();
        Directory.Delete(_dataFolder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
