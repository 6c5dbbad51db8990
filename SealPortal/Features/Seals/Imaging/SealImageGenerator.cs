using System.Text;
using SkiaSharp;

namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// Draws a round red official seal (公章 style) with SkiaSharp and encodes it as a transparent PNG:
/// ring, five-pointed star, organisation name along the upper arc reading clockwise,
/// the seal's name under the star and an optional code along the lower arc.
/// </summary>
public sealed class SealImageGenerator
{
    /// <summary>Ratio of a regular pentagram's inner to outer vertex radius.</summary>
    private static readonly double PentagramInnerRatio = Math.Sin(Math.PI / 10) / Math.Sin(7 * Math.PI / 10);

    private readonly double _emCentreY;

    public SealFont Font { get; }

    public SealImageGenerator(SealFont font)
    {
        Font = font;
        _emCentreY = IdeographicCentre(font);
    }

    /// <summary>Uses the configured font file, or the first usable installed CJK font.</summary>
    public static SealImageGenerator FromInstalledFont(string? fontPath = null) => new(CjkFontLocator.Default.Load(fontPath));

    /// <exception cref="SealImageException">the texts are empty, too long or use characters the font lacks.</exception>
    public byte[] GeneratePng(SealImageSpec spec)
    {
        var ink = Render(spec);
        // Every pixel carries the ink colour itself and only its coverage as alpha, unpremultiplied,
        // so anti-aliased edges keep the exact seal colour instead of a darker rounding of it.
        var rgba = new byte[ink.Size * ink.Size * 4];
        for (var p = 0; p < ink.Coverage.Length; p++)
        {
            if (ink.Coverage[p] == 0)
                continue;
            rgba[p * 4] = spec.Color.R;
            rgba[p * 4 + 1] = spec.Color.G;
            rgba[p * 4 + 2] = spec.Color.B;
            rgba[p * 4 + 3] = ink.Coverage[p];
        }
        return SealPng.EncodeRgba(ink.Size, ink.Size, rgba);
    }

    /// <summary>The seal's ink as anti-aliased coverage, before colour and encoding.</summary>
    public SealCoverage Render(SealImageSpec spec)
    {
        var organisation = Characters(spec.OrganisationName, "organisation name");
        var sealName = Characters(spec.SealName, "seal name");
        var code = Characters(spec.Code ?? "", "code");
        if (organisation.Count is < SealImageSpec.MinOrganisationCharacters or > SealImageSpec.MaxOrganisationCharacters)
            throw new SealImageException(
                $"the organisation name must have {SealImageSpec.MinOrganisationCharacters} to {SealImageSpec.MaxOrganisationCharacters} characters (it has {organisation.Count})");
        if (sealName.Count is < 1 or > SealImageSpec.MaxSealNameCharacters)
            throw new SealImageException(
                $"the seal name must have 1 to {SealImageSpec.MaxSealNameCharacters} characters (it has {sealName.Count})");
        if (code.Count > SealImageSpec.MaxCodeCharacters)
            throw new SealImageException($"the code must have at most {SealImageSpec.MaxCodeCharacters} characters (it has {code.Count})");
        if (spec.SizePx is < SealImageSpec.MinSizePx or > SealImageSpec.MaxSizePx)
            throw new SealImageException($"the size must be {SealImageSpec.MinSizePx} to {SealImageSpec.MaxSizePx} pixels (got {spec.SizePx})");

        var organisationGlyphs = Glyphs(organisation);
        var sealNameGlyphs = Glyphs(sealName);
        var codeGlyphs = Glyphs(code);

        var size = spec.SizePx;
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Alpha8, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Transparent);
        using var ink = new SKPaint { IsAntialias = true, Color = SKColors.Black, Style = SKPaintStyle.Fill };
        var cx = size / 2.0;
        var cy = size / 2.0;
        var r = size / 2.0 * SealLayout.OuterRadiusOfHalfSize;
        var inner = r * (1 - SealLayout.RingWidthOfRadius);

        using (var builder = new SKPathBuilder { FillType = SKPathFillType.EvenOdd })
        {
            builder.AddCircle((float)cx, (float)cy, (float)r);
            builder.AddCircle((float)cx, (float)cy, (float)inner);
            using var ring = builder.Detach();
            canvas.DrawPath(ring, ink);
        }
        using (var star = Star(cx, cy, r * SealLayout.StarRadiusOfRadius))
            canvas.DrawPath(star, ink);

        DrawUpperArc(canvas, organisationGlyphs, cx, cy, r, inner);
        DrawSealName(canvas, sealNameGlyphs, cx, cy, r);
        if (codeGlyphs.Length > 0)
            DrawLowerArc(canvas, codeGlyphs, cx, cy, r, inner);
        canvas.Flush();

        var coverage = new byte[size * size];
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < size; y++)
            pixels.Slice(y * bitmap.RowBytes, size).CopyTo(coverage.AsSpan(y * size, size));
        return new SealCoverage(size, coverage);
    }

    private void DrawUpperArc(SKCanvas canvas, ushort[] glyphs, double cx, double cy, double r, double inner)
    {
        var n = glyphs.Length;
        var height = r * SealLayout.ArcCharacterHeightOfRadius(n);
        var centreRadius = inner - r * SealLayout.ArcGapOfRadius - height / 2;
        var angles = SealLayout.ArcAngles(n);
        var stepRadians = n > 1 ? (angles[1] - angles[0]) * Math.PI / 180 : Math.PI;
        // The characters' feet are closest together, so their spacing decides how narrow a character must be.
        var width = Math.Min(height * 0.85, 0.88 * stepRadians * (centreRadius - height / 2));
        for (var i = 0; i < n; i++)
        {
            var angle = angles[i] * Math.PI / 180;
            DrawGlyph(canvas, glyphs[i], width, height,
                cx + centreRadius * Math.Sin(angle), cy - centreRadius * Math.Cos(angle), angle);
        }
    }

    private void DrawSealName(SKCanvas canvas, ushort[] glyphs, double cx, double cy, double r)
    {
        var height = r * SealLayout.SealNameHeightOfRadius;
        var width = Math.Min(height * 0.9, r * SealLayout.SealNameMaxWidthOfRadius / glyphs.Length);
        var centreY = cy + r * SealLayout.SealNameCentreOfRadius;
        var left = cx - width * glyphs.Length / 2;
        for (var i = 0; i < glyphs.Length; i++)
            DrawGlyph(canvas, glyphs[i], width, height, left + width * (i + 0.5), centreY, 0);
    }

    /// <summary>
    /// The code reads left to right along the bottom with the characters' feet towards the
    /// ring, so it is read counter-clockwise, unlike the name above.
    /// </summary>
    private void DrawLowerArc(SKCanvas canvas, ushort[] glyphs, double cx, double cy, double r, double inner)
    {
        var height = r * SealLayout.CodeHeightOfRadius;
        var scale = height / Font.UnitsPerEm;
        var centreRadius = inner - r * SealLayout.ArcGapOfRadius - height / 2;
        var advances = glyphs.Select(g => Font.GetAdvanceWidth(g) * scale * 1.15).ToArray();
        var total = advances.Sum();
        var maxArc = centreRadius * 100 * Math.PI / 180;
        var squeeze = Math.Min(1, maxArc / total);
        var distance = -total * squeeze / 2;
        for (var i = 0; i < glyphs.Length; i++)
        {
            var middle = distance + advances[i] * squeeze / 2;
            distance += advances[i] * squeeze;
            var angle = Math.PI - middle / centreRadius;
            DrawGlyph(canvas, glyphs[i], height * squeeze, height,
                cx + centreRadius * Math.Sin(angle), cy - centreRadius * Math.Cos(angle), angle - Math.PI);
        }
    }

    /// <summary>
    /// Places one glyph: its em box (width × height pixels) centred on the given point, then
    /// turned clockwise by <paramref name="rotation"/> radians so that its top points outwards on the upper arc.
    /// </summary>
    private void DrawGlyph(SKCanvas canvas, ushort glyph, double emWidth, double emHeight, double centreX, double centreY, double rotation)
    {
        using var outline = Font.GetGlyphOutline(glyph);
        if (outline.IsEmpty)
            return;
        var transform = SKMatrix.CreateTranslation(-Font.GetAdvanceWidth(glyph) / 2f, (float)-_emCentreY)
            .PostConcat(SKMatrix.CreateScale((float)(emWidth / Font.UnitsPerEm), (float)(emHeight / Font.UnitsPerEm)))
            .PostConcat(SKMatrix.CreateRotation((float)rotation))
            .PostConcat(SKMatrix.CreateTranslation((float)centreX, (float)centreY));
        outline.Transform(transform);

        // CJK fonts found on servers are text weights, far lighter than an engraved seal: a round
        // stroke around the filled outline thickens every stroke evenly, by the same amount on
        // narrowed characters of long names as on wide ones.
        using var ink = new SKPaint
        {
            IsAntialias = true,
            Color = SKColors.Black,
            Style = SKPaintStyle.StrokeAndFill,
            StrokeJoin = SKStrokeJoin.Round,
            StrokeWidth = (float)(2 * Math.Min(emWidth, emHeight) * SealLayout.EmboldenOfCharacterSize),
        };
        canvas.DrawPath(outline, ink);
    }

    private static SKPath Star(double cx, double cy, double outer)
    {
        var points = new SKPoint[10];
        for (var k = 0; k < 10; k++)
        {
            var angle = -Math.PI / 2 + k * Math.PI / 5;
            var radius = k % 2 == 0 ? outer : outer * PentagramInnerRatio;
            points[k] = new SKPoint((float)(cx + radius * Math.Cos(angle)), (float)(cy + radius * Math.Sin(angle)));
        }
        using var builder = new SKPathBuilder();
        builder.AddPoly(points, close: true);
        return builder.Detach();
    }

    /// <summary>Seals never show spaces, so whitespace is dropped; control characters are refused.</summary>
    private static List<Rune> Characters(string? text, string what)
    {
        var result = new List<Rune>();
        foreach (var rune in (text ?? "").EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
                continue;
            if (Rune.IsControl(rune))
                throw new SealImageException($"the {what} contains a control character (U+{rune.Value:X4})");
            result.Add(rune);
        }
        return result;
    }

    private ushort[] Glyphs(List<Rune> runes)
    {
        var glyphs = new ushort[runes.Count];
        for (var i = 0; i < runes.Count; i++)
        {
            glyphs[i] = Font.GetGlyphId(runes[i].Value);
            if (glyphs[i] == 0)
                throw new SealImageException(
                    $"the character '{runes[i]}' (U+{runes[i].Value:X4}) is not in the font {Font.Source}");
        }
        return glyphs;
    }

    /// <summary>
    /// The vertical middle of the ideographic em box (y down, so above the baseline is negative),
    /// taken from 国 whose frame fills it; centring on the baseline instead would push every
    /// character off its place on the arc.
    /// </summary>
    private static double IdeographicCentre(SealFont font)
    {
        var glyph = font.GetGlyphId('国');
        if (glyph != 0)
        {
            using var outline = font.GetGlyphOutline(glyph);
            if (!outline.IsEmpty)
                return (outline.Bounds.Top + outline.Bounds.Bottom) / 2.0;
        }
        return -font.UnitsPerEm * 0.38;
    }
}

/// <summary>A square seal's ink: one coverage byte per pixel (0 none, 255 full), rows top first.</summary>
public sealed class SealCoverage(int size, byte[] coverage)
{
    public int Size { get; } = size;
    public byte[] Coverage { get; } = coverage;

    /// <summary>Coverage of one pixel from 0 to 1.</summary>
    public float this[int x, int y] => Coverage[y * Size + x] / 255f;
}
