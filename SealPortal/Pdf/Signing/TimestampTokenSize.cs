using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// How large a TSA's tokens are, learned from one token it issued for a random imprint, so the
/// /Contents of time-stamped signatures and document time-stamps is reserved to fit rather than
/// with a fixed allowance (issue 12: at most 10% unused). Remembered per client object: a
/// sealing run or a CLI call asks once, whatever the number of signatures.
/// </summary>
public static class TimestampTokenSize
{
    /// <summary>
    /// Bytes by which two tokens of one TSA may differ: serial number and nonce (a leading zero
    /// byte each), the fraction of genTime (up to 4 characters), an ECDSA signature (2 bytes) and
    /// the DER length octets that any of these can grow by.
    /// </summary>
    public const int Variation = 48;

    private static readonly ConditionalWeakTable<ITimestampClient, byte[]> Samples = new();

    /// <exception cref="TimestampException">The TSA could not be reached or answered unusably.</exception>
    public static async Task<byte[]> SampleTokenAsync(ITimestampClient tsa, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tsa);
        if (Samples.TryGetValue(tsa, out var known)) return known;
        var token = await tsa.RequestTokenAsync(SHA256.HashData(RandomNumberGenerator.GetBytes(32)), ct);
        Samples.AddOrUpdate(tsa, token);
        return token;
    }
}
