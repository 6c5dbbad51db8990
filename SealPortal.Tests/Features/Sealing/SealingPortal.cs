using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Sealing;

/// <summary>
/// A portal whose demo electronic seals carry the sample certificates (公司电子公章: RSA,
/// 合同专用章: ECDSA) and whose clock a test can move, e.g. past a certificate's expiry.
/// </summary>
public class SealingPortal : SealPortalFactory
{
    public const string RsaSeal = "公司电子公章";
    public const string EcdsaSeal = "合同专用章";
    public const string PhysicalSeal = "公司公章";

    public SettableClock Clock { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Signing:CertificatePath"] = SamplePki.Path_("sample-seal-rsa.pfx"),
        ["Signing:CertificatePassword"] = SamplePki.Password,
        ["Signing:TrustedRootsPath"] = SamplePki.Path_("sample-root-ca.crt"),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public async Task<int> SealIdAsync(string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.Seals.Where(s => s.Name == name).Select(s => s.Id).SingleAsync();
    }

    /// <summary>Everything left in the portal's scratch folder (sealing runs must leave nothing).</summary>
    public IReadOnlyList<string> ScratchFiles()
    {
        var tmp = Path.Combine(DataFolder, "tmp");
        return Directory.Exists(tmp) ? Directory.GetFileSystemEntries(tmp, "*", SearchOption.AllDirectories) : [];
    }
}

/// <summary>
/// The real clock, unless a test sets it (FakeTimeProvider cannot go back, and a test that jumps
/// past a certificate's expiry must return to now for the tests after it).
/// </summary>
public sealed class SettableClock : TimeProvider
{
    private DateTimeOffset? _fixed;

    public override DateTimeOffset GetUtcNow() => _fixed ?? base.GetUtcNow();

    public void SetUtcNow(DateTimeOffset at) => _fixed = at;

    public void Reset() => _fixed = null;
}
