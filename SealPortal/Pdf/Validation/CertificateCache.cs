using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// The same few certificates (the company seal's, its CA's, the time-stamp authority's, the OCSP
/// responder's) come back in every seal and every verification. With OpenSSL 3, loading one from
/// DER costs about 0.15–0.35 ms (its public key goes through the provider decoders), and checking
/// that an issuer signed it about as much again (the issuer's key is decoded each time); a B-LT
/// seal did each of these some ten times.
/// <para>
/// Both are pure functions of bytes, so both are remembered by the SHA-256 of those bytes: a
/// loaded certificate is handed out as a new <see cref="X509Certificate2"/> sharing the native
/// certificate (reference-counted, so callers may dispose their copy as before), and a signature
/// check's outcome is kept per (signed bytes, issuer certificate). Each table is bounded; once
/// full, new entries are simply not kept.
/// </para>
/// </summary>
public static class CertificateCache
{
    private const int MaxCertificates = 512;
    private const int MaxChecks = 4096;

    private static readonly ConcurrentDictionary<Hash, X509Certificate2> Certificates = new();
    private static readonly ConcurrentDictionary<(Hash Signed, Hash Issuer), bool> Checks = new();

    /// <summary>The certificate these DER bytes encode, as an instance of the caller's own.</summary>
    /// <exception cref="CryptographicException">The bytes are not a certificate.</exception>
    public static X509Certificate2 Load(ReadOnlySpan<byte> der)
    {
        var key = Hash.Of(der);
        if (!Certificates.TryGetValue(key, out var shared))
        {
            var loaded = X509CertificateLoader.LoadCertificate(der);
            if (Certificates.Count >= MaxCertificates) return loaded;
            shared = Certificates.GetOrAdd(key, loaded);
            if (!ReferenceEquals(shared, loaded)) loaded.Dispose();
        }
        return new X509Certificate2(shared);
    }

    /// <summary>Whether <paramref name="issuer"/>'s key verifies <paramref name="signedDer"/>, computed once per pair.</summary>
    internal static bool Verified(byte[] signedDer, X509Certificate2 issuer, Func<byte[], X509Certificate2, bool> verify)
    {
        var key = (Hash.Of(signedDer), Hash.Of(issuer.RawDataMemory.Span));
        if (Checks.TryGetValue(key, out var known)) return known;
        var outcome = verify(signedDer, issuer);
        if (Checks.Count < MaxChecks) Checks.TryAdd(key, outcome);
        return outcome;
    }

    /// <summary>Forgets everything (for tests that count the work done).</summary>
    internal static void Clear()
    {
        Certificates.Clear();
        Checks.Clear();
    }

    /// <summary>Entries held: certificates, signature checks.</summary>
    internal static (int Certificates, int Checks) Count => (Certificates.Count, Checks.Count);

    private readonly record struct Hash(ulong A, ulong B, ulong C, ulong D)
    {
        public static Hash Of(ReadOnlySpan<byte> data)
        {
            Span<byte> h = stackalloc byte[32];
            SHA256.HashData(data, h);
            return new Hash(BitConverter.ToUInt64(h), BitConverter.ToUInt64(h[8..]), BitConverter.ToUInt64(h[16..]), BitConverter.ToUInt64(h[24..]));
        }
    }
}
