using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SealPortal.Features.Audits;

/// <summary>How many entries to draw: a fixed count or a percentage of the period's entries.</summary>
public readonly record struct SampleRule(int Value, bool IsPercent)
{
    public const int MaxCount = 1000;

    /// <summary>"10" or "5%"; null when the text is neither a count of 1..1000 nor a percentage of 1..100.</summary>
    public static SampleRule? Parse(string? text)
    {
        var t = (text ?? "").Trim();
        var percent = t.EndsWith('%');
        if (percent) t = t[..^1].TrimEnd();
        if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1)
            return null;
        if (percent ? v > 100 : v > MaxCount)
            return null;
        return new SampleRule(v, percent);
    }

    /// <summary>The size of the sample out of <paramref name="population"/> entries; a percentage rounds up so a small period still gets one.</summary>
    public int SizeFor(int population) => IsPercent
        ? (int)Math.Min(population, (population * (long)Value + 99) / 100)
        : Math.Min(population, Value);

    public override string ToString() => IsPercent
        ? Value.ToString(CultureInfo.InvariantCulture) + "%"
        : Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Draws a sample that anyone can draw again: every entry id gets a rank from SHA-256 of the seed
/// and the id, and the lowest ranks win. Unlike <see cref="Random"/>, this does not depend on the
/// .NET version nor on the order the database returns the entries in.
/// </summary>
public static class AuditSampler
{
    /// <summary>The seed of an audit's sample, recorded on the audit.</summary>
    public static string SeedFor(int auditId) => "SealAudit:" + auditId.ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyList<long> Draw(IEnumerable<long> population, string seed, int size) =>
        population.Distinct()
            .Select(id => (Id: id, Rank: Rank(seed, id)))
            .OrderBy(x => x.Rank).ThenBy(x => x.Id)
            .Take(size)
            .Select(x => x.Id)
            .ToList();

    private static ulong Rank(string seed, long id)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed + "/" + id.ToString(CultureInfo.InvariantCulture)), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
