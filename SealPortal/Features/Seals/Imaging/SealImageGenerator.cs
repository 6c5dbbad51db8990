using System.Text;

namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// Draws a round red official seal (公章 style) and encodes it as a transparent PNG:
/// ring, five-pointed star, organisation name along the upper arc reading clockwise,
/// the seal's name under the star and an optional code along the lower arc.
/// </summary>
public sealed class SealImageGenerator
{
    /// <summary>Ratio of a regular pentagram's inner to outer vertex radius.</summary>
    private static readonly double PentagramInnerRatio = Math.Sin(Math.PI / 10) / Math.Sin(7 * Math.PI / 10);

    private const int EmboldenDirections = 8;

    private readonly double _emCentreY;

    public TrueTypeFont Font { get; }

    public SealImageGenerator(TrueTypeFont font)
    {
        Font = font;
        _emCentreY = IdeographicCentre(font);
    }

    /// <summary>Uses the configured font file, or the first usable installed CJK font.</summary>
    public static SealImageGenerator FromInstalledFont(string? fontPath = null) => new(CjkFontLocator.Default.Load(fontPath));

    /// <exception cref="SealImageException">the texts are empty, too long or use characters the font lacks.</exception>
    public byte[] GeneratePng(SealImageSpec spec)
    {
        var mask = Render(spec);
        var rgba = new byte[mask.Width * mask.Height * 4];
        for (var y = 0; y < mask.Height; y++)
        {
            for (var x = 0; x < mask.Width; x++)
            {
                var alpha = (byte)Math.Round(Math.Clamp(mask[x, y], 0f, 1f) * 255);
                if (alpha == 0)
                    continue;
                var i = (y * mask.Width + x) * 4;
                rgba[i] = spec.Color.R;
                rgba[i + 1] = spec.Color.G;
                rgba[i + 2] = spec.Color.B;
                rgba[i + 3] = alpha;
            }
        }
        return PngEncoder.EncodeRgba(mask.Width, mask.Height, rgba);
    }

    /// <summary>The seal's ink as coverage, before colour and encoding.</summary>
    public CoverageMask Render(SealImageSpec spec)
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
        var mask = new CoverageMask(size, size);
        var cx = size / 2.0;
        var cy = size / 2.0;
        var r = size / 2.0 * SealLayout.OuterRadiusOfHalfSize;
        var inner = r * (1 - SealLayout.RingWidthOfRadius);

        mask.Fill(new VectorPath().AddCircle(cx, cy, r, clockwise: true).AddCircle(cx, cy, inner, clockwise: false), Affine.Identity);
        mask.Fill(Star(cx, cy, r * SealLayout.StarRadiusOfRadius), Affine.Identity);

        DrawUpperArc(mask, organisationGlyphs, cx, cy, r, inner);
        DrawSealName(mask, sealNameGlyphs, cx, cy, r);
        if (codeGlyphs.Length > 0)
            DrawLowerArc(mask, codeGlyphs, cx, cy, r, inner);
        return mask;
    }

    private void DrawUpperArc(CoverageMask mask, int[] glyphs, double cx, double cy, double r, double inner)
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
            DrawGlyph(mask, glyphs[i], width, height,
                cx + centreRadius * Math.Sin(angle), cy - centreRadius * Math.Cos(angle), angle);
        }
    }

    private void DrawSealName(CoverageMask mask, int[] glyphs, double cx, double cy, double r)
    {
        var height = r * SealLayout.SealNameHeightOfRadius;
        var width = Math.Min(height * 0.9, r * SealLayout.SealNameMaxWidthOfRadius / glyphs.Length);
        var centreY = cy + r * SealLayout.SealNameCentreOfRadius;
        var left = cx - width * glyphs.Length / 2;
        for (var i = 0; i < glyphs.Length; i++)
            DrawGlyph(mask, glyphs[i], width, height, left + width * (i + 0.5), centreY, 0);
    }

    /// <summary>
    /// The code reads left to right along the bottom with the characters' feet towards the
    /// ring, so it is read counter-clockwise, unlike the name above.
    /// </summary>
    private void DrawLowerArc(CoverageMask mask, int[] glyphs, double cx, double cy, double r, double inner)
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
            DrawGlyph(mask, glyphs[i], height * squeeze, height,
                cx + centreRadius * Math.Sin(angle), cy - centreRadius * Math.Cos(angle), angle - Math.PI);
        }
    }

    /// <summary>
    /// Places one glyph: its em box (width × height pixels) centred on the given point, then
    /// turned clockwise by <paramref name="rotation"/> radians so that its top points outwards on the upper arc.
    /// </summary>
    private void DrawGlyph(CoverageMask mask, int glyph, double emWidth, double emHeight, double centreX, double centreY, double rotation)
    {
        var outline = Font.GetGlyphOutline(glyph);
        if (outline.IsEmpty)
            return;
        var transform = Affine.Translation(-Font.GetAdvanceWidth(glyph) / 2.0, -_emCentreY)
            .Then(Affine.Scaling(emWidth / Font.UnitsPerEm, -emHeight / Font.UnitsPerEm))
            .Then(Affine.Rotation(rotation))
            .Then(Affine.Translation(centreX, centreY));

        // CJK fonts found on servers are text weights, far lighter than an engraved seal:
        // filling copies shifted around a small circle thickens every stroke evenly.
        var radius = Math.Min(emWidth, emHeight) * SealLayout.EmboldenOfCharacterSize;
        var placements = new Affine[EmboldenDirections + 1];
        placements[0] = transform;
        for (var k = 0; k < EmboldenDirections; k++)
        {
            var angle = 2 * Math.PI * k / EmboldenDirections;
            placements[k + 1] = transform.Then(Affine.Translation(radius * Math.Cos(angle), radius * Math.Sin(angle)));
        }
        mask.Fill(outline, placements);
    }

    private static VectorPath Star(double cx, double cy, double outer)
    {
        var points = new (double X, double Y)[10];
        for (var k = 0; k < 10; k++)
        {
            var angle = -Math.PI / 2 + k * Math.PI / 5;
            var radius = k % 2 == 0 ? outer : outer * PentagramInnerRatio;
            points[k] = (cx + radius * Math.Cos(angle), cy + radius * Math.Sin(angle));
        }
        return new VectorPath().AddPolygon(points);
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

    private int[] Glyphs(List<Rune> runes)
    {
        var glyphs = new int[runes.Count];
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
    /// The vertical middle of the ideographic em box, taken from 国 whose frame fills it;
    /// centring on the baseline instead would push every character off its place on the arc.
    /// </summary>
    private static double IdeographicCentre(TrueTypeFont font)
    {
        var glyph = font.GetGlyphId('国');
        if (glyph != 0 && font.GetGlyphOutline(glyph).Bounds() is { } b)
            return (b.MinY + b.MaxY) / 2;
        return font.UnitsPerEm * 0.38;
    }
}
