using SealPortal.Pdf.Signing;

namespace SealPortal.Features.Sealing;

/// <summary>
/// Each electronic seal's unlocked certificate and decoded image, kept between sealing runs: opening
/// the PKCS#12 file (its password-based decryption) cost more CPU than signing a one-page document, and
/// every job paid it again. An entry is used only while the seal's fingerprint
/// (<see cref="Seals.SealRegistry.SigningStateAsync"/>: certificate file and image) is the one it was
/// prepared from, so binding a new certificate or image replaces it at the next run; the seal's status
/// and validity are still checked before every run. A replaced entry is disposed once the last run
/// using it lets go, and an entry unused for <see cref="IdleLifetime"/> is disposed, so an unlocked key
/// does not stay in memory longer than sealing needs it.
/// </summary>
public sealed class SealMaterialCache : IDisposable
{
    /// <summary>How long an unused entry is kept.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(5);

    private readonly Dictionary<int, Material> _entries = [];
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly TimeProvider _clock;
    private readonly ITimer _sweeper;
    private bool _disposed;

    public SealMaterialCache(TimeProvider clock)
    {
        _clock = clock;
        _sweeper = clock.CreateTimer(_ => Sweep(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    /// <summary>How many times material was loaded (cache misses), for tests.</summary>
    public int Loads { get; private set; }

    /// <summary>
    /// The seal's material for <paramref name="fingerprint"/>, loaded with <paramref name="load"/> when
    /// there is none for it (loads run one at a time, so runs starting together load a seal once).
    /// Dispose the lease when the run is over.
    /// </summary>
    public async Task<Lease> AcquireAsync(int sealId, string fingerprint, Func<Task<(SealBitmap? Image, SigningIdentity Identity)>> load, CancellationToken ct)
    {
        if (TryAcquire(sealId, fingerprint) is { } hit)
            return hit;
        await _loading.WaitAsync(ct);
        try
        {
            if (TryAcquire(sealId, fingerprint) is { } loadedMeanwhile)
                return loadedMeanwhile;
            var (image, identity) = await load();
            var material = new Material(fingerprint, image, identity) { References = 2, LastUsed = _clock.GetTimestamp() };
            Material? replaced;
            lock (_entries)
            {
                if (_disposed)
                {
                    identity.Dispose();
                    throw new ObjectDisposedException(nameof(SealMaterialCache));
                }
                replaced = _entries.GetValueOrDefault(sealId);
                _entries[sealId] = material;
                Loads++;
            }
            if (replaced is not null)
                Release(replaced);
            return new Lease(this, material);
        }
        finally
        {
            _loading.Release();
        }
    }

    private Lease? TryAcquire(int sealId, string fingerprint)
    {
        lock (_entries)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(sealId, out var material) || material.Fingerprint != fingerprint)
                return null;
            material.References++;
            material.LastUsed = _clock.GetTimestamp();
            return new Lease(this, material);
        }
    }

    private void Release(Material material)
    {
        bool last;
        lock (_entries)
            last = --material.References == 0;
        if (last)
            material.Identity.Dispose();
    }

    /// <summary>Drops the entries nobody used for <see cref="IdleLifetime"/> (a run holding one keeps it until it ends).</summary>
    public void Sweep()
    {
        var idle = new List<Material>();
        lock (_entries)
        {
            foreach (var (sealId, material) in _entries.ToList())
            {
                if (_clock.GetElapsedTime(material.LastUsed) >= IdleLifetime)
                {
                    _entries.Remove(sealId);
                    idle.Add(material);
                }
            }
        }
        foreach (var material in idle)
            Release(material);
    }

    public void Dispose()
    {
        List<Material> all;
        lock (_entries)
        {
            if (_disposed)
                return;
            _disposed = true;
            all = [.. _entries.Values];
            _entries.Clear();
        }
        _sweeper.Dispose();
        foreach (var material in all)
            Release(material);
    }

    internal sealed class Material(string fingerprint, SealBitmap? image, SigningIdentity identity)
    {
        public string Fingerprint { get; } = fingerprint;

        public SealBitmap? Image { get; } = image;

        public SigningIdentity Identity { get; } = identity;

        /// <summary>The cache's own reference (while it holds the entry) plus one per lease; guarded by the cache's lock.</summary>
        public int References { get; set; }

        public long LastUsed { get; set; }
    }

    /// <summary>One run's use of a seal's material; the material stays usable until this is disposed.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly SealMaterialCache _cache;
        private readonly Material _material;
        private int _released;

        internal Lease(SealMaterialCache cache, Material material)
        {
            _cache = cache;
            _material = material;
        }

        public SealBitmap? Image => _material.Image;

        public SigningIdentity Identity => _material.Identity;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                _cache.Release(_material);
        }
    }
}
