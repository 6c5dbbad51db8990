using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Features.Sealing;
using SealPortal.Pdf.Signing;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Sealing;

public sealed class SealMaterialCacheTests
{
    private static bool Disposed(SigningIdentity identity)
    {
        try
        {
            _ = identity.Certificate.GetRSAPrivateKey() ?? (object?)identity.Certificate.GetECDsaPrivateKey();
            return false;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ObjectDisposedException or NullReferenceException)
        {
            return true;
        }
    }

    [Fact]
    public async Task The_same_fingerprint_shares_one_load_and_a_replaced_key_is_disposed_once_its_last_run_lets_go()
    {
        var clock = new FakeTimeProvider();
        using var cache = new SealMaterialCache(clock);
        var loaded = new List<SigningIdentity>();
        Task<(SealBitmap?, SigningIdentity)> Load()
        {
            var identity = SamplePki.Load("seal-rsa");
            loaded.Add(identity);
            return Task.FromResult<(SealBitmap?, SigningIdentity)>((null, identity));
        }

        var first = await cache.AcquireAsync(7, "cert-a", Load, default);
        var second = await cache.AcquireAsync(7, "cert-a", Load, default);
        Assert.Single(loaded);
        Assert.Same(first.Identity, second.Identity);
        first.Dispose();
        second.Dispose();
        Assert.False(Disposed(loaded[0]));

        // A new certificate: the next run gets new material; the old key goes once the run still holding it ends.
        var running = await cache.AcquireAsync(7, "cert-a", Load, default);
        var next = await cache.AcquireAsync(7, "cert-b", Load, default);
        Assert.Equal(2, loaded.Count);
        Assert.Same(loaded[1], next.Identity);
        Assert.False(Disposed(loaded[0]));
        running.Dispose();
        Assert.True(Disposed(loaded[0]));
        running.Dispose();
        Assert.False(Disposed(loaded[1]));
        next.Dispose();

        // Idle for the lifetime: swept and disposed; the next run loads again.
        clock.Advance(SealMaterialCache.IdleLifetime);
        cache.Sweep();
        Assert.True(Disposed(loaded[1]));
        using var again = await cache.AcquireAsync(7, "cert-b", Load, default);
        Assert.Equal(3, loaded.Count);
        Assert.Equal(3, cache.Loads);
    }

    [Fact]
    public async Task A_failed_load_caches_nothing_and_the_next_run_tries_again()
    {
        using var cache = new SealMaterialCache(new FakeTimeProvider());
        await Assert.ThrowsAsync<SealingException>(() => cache.AcquireAsync(3, "x", () => throw new SealingException("no key"), default));
        using var lease = await cache.AcquireAsync(3, "x", () => Task.FromResult<(SealBitmap?, SigningIdentity)>((null, SamplePki.Load("seal-ecdsa"))), default);
        Assert.Equal("ECDSA", lease.Identity.KeyAlgorithm);
        Assert.Equal(1, cache.Loads);
    }
}
