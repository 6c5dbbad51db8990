namespace SealPortal.Features.Seals.Imaging;

/// <summary>An sRGB colour for the seal ink.</summary>
public readonly record struct SealColor(byte R, byte G, byte B)
{
    /// <summary>The usual red of Chinese official seals, #E60000.</summary>
    public static SealColor OfficialRed { get; } = new(0xE6, 0x00, 0x00);

    /// <summary>Parses "#RRGGBB" or "RRGGBB".</summary>
    public static SealColor Parse(string text)
    {
        var hex = text.StartsWith('#') ? text[1..] : text;
        if (hex.Length != 6 || !uint.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out var value))
            throw new SealImageException($"colour '{text}' is not of the form #RRGGBB");
        return new((byte)(value >> 16), (byte)(value >> 8), (byte)value);
    }

    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}";
}

/// <summary>What a round seal says: the organisation along the upper arc, the seal's name under the star, an optional code along the lower arc.</summary>
public sealed record SealImageSpec(string OrganisationName, string SealName)
{
    public const int MinOrganisationCharacters = 2;
    public const int MaxOrganisationCharacters = 24;
    public const int MaxSealNameCharacters = 10;
    public const int MaxCodeCharacters = 20;
    public const int MinSizePx = 64;
    public const int MaxSizePx = 4096;
    public const int DefaultSizePx = 600;

    public string? Code { get; init; }
    public int SizePx { get; init; } = DefaultSizePx;
    public SealColor Color { get; init; } = SealColor.OfficialRed;
}
