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
        // Drawing six CJK seal images takes most of a start; the seals get a small ring image instead.
        ["Seed:SealImages"] = "false",
    };

    private Task? _images;

    /// <summary>Gives every demo seal a red ring as its image, once, through the registry.</summary>
    public Task EnsureImagesAsync()
    {
        lock (this)
            return _images ??= StoreImagesAsync();
    }

    private async Task StoreImagesAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SealPortal.Features.Seals.SealRegistry>();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var png = RingPng();
        foreach (var id in await db.Seals.Select(s => s.Id).ToListAsync())
        {
            var stored = await registry.SetImageAsync(id, png, "system");
            Assert.True(stored.Succeeded, stored.Error);
        }
    }

    /// <summary>A 96 × 96 red ring with a transparent background, like a seal impression.</summary>
    public static byte[] RingPng()
    {
        const int size = 96;
        var rgba = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var r = Math.Sqrt(Math.Pow(x - size / 2.0 + 0.5, 2) + Math.Pow(y - size / 2.0 + 0.5, 2));
                if (r is > 38 and < 46 || r < 8)
                {
                    var i = (y * size + x) * 4;
                    rgba[i] = 0xD0;
                    rgba[i + 3] = 0xFF;
                }
            }
        }
        return SealPortal.Features.Seals.Imaging.SealPng.EncodeRgba(size, size, rgba);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public async Task<int> SealIdAsync(string name)
    {
        await EnsureImagesAsync();
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
