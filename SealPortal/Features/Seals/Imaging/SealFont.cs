using SkiaSharp;

namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// One face of a CJK font file, read by SkiaSharp (FreeType), so TrueType and CFF/OpenType
/// outlines (Noto Sans CJK) both work. Glyph outlines come in font units, y pointing down.
/// </summary>
public sealed class SealFont
{
    /// <summary>A character every Chinese seal font must have; fonts lacking it are not CJK fonts.</summary>
    public const int ProbeCharacter = '合';

    private readonly SKFont _font;

    private SealFont(SKTypeface typeface, string source)
    {
        Typeface = typeface;
        Source = source;
        UnitsPerEm = typeface.UnitsPerEm;
        // At a size of one em per unit, outlines and advances come back in font units.
        _font = new SKFont(typeface, UnitsPerEm) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None };
    }

    public SKTypeface Typeface { get; }

    /// <summary>The full path of the font file.</summary>
    public string Source { get; }

    public int UnitsPerEm { get; }

    /// <summary>
    /// Opens the file's face for Simplified Chinese when it is a collection with one (Noto CJK
    /// puts the Japanese face first, whose forms of some characters differ), else its first face.
    /// </summary>
    /// <exception cref="FontFormatException">not a font SkiaSharp can read, or no Chinese characters.</exception>
    public static SealFont Load(string path)
    {
        var full = Path.GetFullPath(path);
        SKTypeface? chosen = null;
        for (var index = 0; index < 32; index++)
        {
            var face = SKTypeface.FromFile(full, index);
            if (face is null)
                break;
            if (chosen is null)
            {
                chosen = face;
            }
            else if (IsSimplifiedChinese(face.FamilyName) && !IsSimplifiedChinese(chosen.FamilyName))
            {
                chosen.Dispose();
                chosen = face;
            }
            else
            {
                face.Dispose();
            }
        }
        if (chosen is null)
            throw new FontFormatException($"Font {full} cannot be read: it is not a TrueType/OpenType font file or it is damaged.");
        var font = new SealFont(chosen, full);
        var probe = font.GetGlyphId(ProbeCharacter);
        if (probe == 0)
            throw new FontFormatException($"Font {full} has no Chinese characters (no glyph for 合), or its character map is damaged.");
        if (font.GetGlyphOutline(probe).IsEmpty)
            throw new FontFormatException($"Font {full} is truncated or corrupt: its glyph for 合 has no outline.");
        return font;
    }

    private static bool IsSimplifiedChinese(string family) =>
        family.EndsWith(" SC", StringComparison.Ordinal) || family.EndsWith(" CN", StringComparison.Ordinal);

    /// <summary>The glyph for a Unicode code point, 0 when the font lacks it.</summary>
    public ushort GetGlyphId(int codePoint) => _font.GetGlyph(codePoint);

    /// <summary>The glyph's outline in font units, y down; a copy the caller may transform.</summary>
    public SKPath GetGlyphOutline(ushort glyph) => _font.GetGlyphPath(glyph) ?? new SKPath();

    /// <summary>The glyph's advance in font units.</summary>
    public float GetAdvanceWidth(ushort glyph) => _font.GetGlyphWidths([glyph])[0];
}
