using System.Buffers.Binary;
using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Tests.Features.Seals.Imaging;

public class TrueTypeFontTests
{
    [Fact]
    public void Cmap_maps_a_Chinese_and_a_Latin_character_to_different_glyphs()
    {
        var font = TestFonts.ZenHei;
        var he = font.GetGlyphId('合');
        var a = font.GetGlyphId('A');
        Assert.NotEqual(0, he);
        Assert.NotEqual(0, a);
        Assert.NotEqual(he, a);
        Assert.InRange(he, 1, font.GlyphCount - 1);
        Assert.Equal(0, font.GetGlyphId(0x10FFFD));
        Assert.Equal(0, font.GetGlyphId(-5));
    }

    [Fact]
    public void Ideographs_are_one_em_wide_and_latin_letters_narrower()
    {
        var font = TestFonts.ZenHei;
        Assert.Equal(font.UnitsPerEm, font.GetAdvanceWidth(font.GetGlyphId('合')));
        Assert.InRange(font.GetAdvanceWidth(font.GetGlyphId('i')), 1, font.UnitsPerEm * 0.7);
    }

    [Fact]
    public void Letter_L_renders_upright_and_not_mirrored()
    {
        var ink = RenderGlyph('L', out var box);
        var midX = (box.MinX + box.MaxX) / 2;
        var midY = (box.MinY + box.MaxY) / 2;
        // The stem runs the full height on the left, the foot runs the full width at the bottom.
        Assert.True(InkIn(ink, box.MinX, box.MinY, midX - 1, midY - 1) > 0.2, "stem in the upper left");
        Assert.True(InkIn(ink, midX + 1, midY + 1, box.MaxX, box.MaxY) > 0.2, "foot in the lower right");
        Assert.True(InkIn(ink, midX + 1, box.MinY, box.MaxX, midY - 1) < 0.01, "upper right is empty");
    }

    [Fact]
    public void Character_he_renders_inside_its_em_box_with_the_roof_at_the_top_middle()
    {
        var ink = RenderGlyph('合', out var box);
        // The em box spans x 10..110; an ideograph fills most of it and stays inside.
        Assert.InRange(box.MinX, 10, 25);
        Assert.InRange(box.MaxX, 95, 110);
        Assert.InRange(box.MaxY - box.MinY, 75, 100);
        // 合 is 人 over 一 over 口: the roof's apex is the topmost ink, near the middle...
        var topInk = Enumerable.Range(0, 120).Where(x => ink[x, box.MinY] > 0.3f).ToList();
        Assert.NotEmpty(topInk);
        Assert.InRange(topInk.Average(), 50, 70);
        // ...below it the horizontal stroke crosses the middle, and the box 口 at the bottom is hollow.
        var centreColumn = Enumerable.Range(box.MinY, box.MaxY - box.MinY + 1).Select(y => ink[60, y] > 0.5f).ToList();
        var strokesCrossed = centreColumn.Zip(centreColumn.Skip(1)).Count(p => !p.First && p.Second);
        Assert.InRange(strokesCrossed, 4, 5);
        Assert.True(ink[60, box.MaxY - 10] > 0.5f, "the bottom of 口 is inked");
        Assert.True(ink[60, box.MaxY - 20] < 0.01f, "inside 口 is empty");
    }

    /// <summary>Zen Hei stores ‖ as a composite glyph: two placements of one vertical bar.</summary>
    [Fact]
    public void Composite_glyphs_are_assembled_from_their_placed_components()
    {
        var ink = RenderGlyph('\u2016', out var box);
        var middle = (box.MinY + box.MaxY) / 2;
        var row = Enumerable.Range(0, 120).Select(x => ink[x, middle] > 0.5f).ToList();
        var strokes = row.Zip(row.Skip(1)).Count(p => !p.First && p.Second);
        Assert.Equal(2, strokes);
        Assert.True(box.MaxY - box.MinY > 50, "the bars are tall");
    }

    /// <summary>
    /// Zen Hei carries both a format 12 and a format 4 cmap and the reader prefers 12; hiding
    /// the format 12 records (marking them as Macintosh) makes it use format 4, which must agree.
    /// </summary>
    [Fact]
    public void Cmap_format_4_and_format_12_agree()
    {
        var bytes = File.ReadAllBytes(TestFonts.ZenHeiPath);
        var withFormat12 = TrueTypeFont.Parse(bytes, "zenhei");
        var (cmap, _) = TableRanges(bytes)["cmap"];
        var records = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(cmap + 2));
        var hidden = 0;
        for (var i = 0; i < records; i++)
        {
            var record = cmap + 4 + 8 * i;
            var subtable = cmap + (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(record + 4));
            if (BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(subtable)) != 12)
                continue;
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(record), 1);
            hidden++;
        }
        Assert.True(hidden > 0, "the test font has no format 12 cmap to hide");
        var withFormat4 = TrueTypeFont.Parse(bytes, "zenhei-format4");
        foreach (var c in "A合同专用章示例科技有限公司0123é‖")
            Assert.Equal(withFormat12.GetGlyphId(c), withFormat4.GetGlyphId(c));
        Assert.Equal(0, withFormat4.GetGlyphId(0x20000 + 0x1234));
        Assert.NotEqual(0, withFormat4.GetGlyphId('合'));
    }

    [Fact]
    public void A_garbage_file_gives_a_font_format_exception()
    {
        var random = new Random(7);
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        var ex = Assert.Throws<FontFormatException>(() => TrueTypeFont.Parse(garbage, "garbage.ttf"));
        Assert.Contains("garbage.ttf", ex.Message);
        Assert.Throws<FontFormatException>(() => TrueTypeFont.Parse([], "empty.ttf"));
    }

    [Fact]
    public void A_truncated_font_file_gives_a_clear_exception()
    {
        var head = new byte[64 * 1024];
        using (var stream = File.OpenRead(TestFonts.ZenHeiPath))
            stream.ReadExactly(head);
        var ex = Assert.Throws<FontFormatException>(() => TrueTypeFont.Parse(head, "cut.ttc"));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Cff_fonts_are_recognised_and_refused_with_a_reason()
    {
        byte[] otto = [(byte)'O', (byte)'T', (byte)'T', (byte)'O', 0, 0, 0, 0, 0, 0, 0, 0];
        var ex = Assert.Throws<FontFormatException>(() => TrueTypeFont.Parse(otto, "cff.otf"));
        Assert.Contains("CFF", ex.Message);
        Assert.Equal(FontOutlineKind.Cff, TrueTypeFont.Probe(TestFonts.NotoSansCjkPath));
        Assert.Equal(FontOutlineKind.TrueType, TrueTypeFont.Probe(TestFonts.ZenHeiPath));
    }

    [Fact]
    public void A_collection_face_that_does_not_exist_is_refused()
    {
        var bytes = File.ReadAllBytes(TestFonts.ZenHeiPath);
        Assert.Throws<FontFormatException>(() => TrueTypeFont.Parse(bytes, "zenhei", faceIndex: 9));
        Assert.NotEqual(0, TrueTypeFont.Parse(bytes, "zenhei", faceIndex: 1).GetGlyphId('合'));
    }

    /// <summary>
    /// Damaged bytes in the tables the reader trusts (directory, cmap, head, loca, the first
    /// glyphs) must either still work or raise FontFormatException, never anything else.
    /// </summary>
    [Fact]
    public void Corrupted_tables_never_crash_the_reader()
    {
        var bytes = File.ReadAllBytes(TestFonts.ZenHeiPath);
        var tables = TableRanges(bytes);
        var targets = new[]
        {
            (0, 24 + 12 + 16 * 19),
            tables["cmap"],
            tables["head"],
            tables["hhea"],
            tables["maxp"],
            (tables["loca"].Offset, 400),
            (tables["glyf"].Offset, 40_000),
        };
        var random = new Random(20261123);
        var mask = new CoverageMask(32, 32);
        var scale = Affine.Scaling(0.01, -0.01).Then(Affine.Translation(4, 28));
        var failures = 0;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var (start, length) = targets[iteration % targets.Length];
            var position = start + random.Next(length);
            var saved = new byte[4];
            Array.Copy(bytes, position, saved, 0, 4);
            random.NextBytes(bytes.AsSpan(position, 1 + random.Next(4)));
            try
            {
                var font = TrueTypeFont.Parse(bytes, "damaged");
                foreach (var c in "AgLé合同章0123")
                {
                    var glyph = font.GetGlyphId(c);
                    font.GetAdvanceWidth(glyph);
                    mask.Fill(font.GetGlyphOutline(glyph), scale);
                }
                for (var glyph = 0; glyph < Math.Min(80, font.GlyphCount); glyph++)
                    Assert.NotNull(font.GetGlyphOutline(glyph));
            }
            catch (FontFormatException)
            {
                failures++;
            }
            finally
            {
                Array.Copy(saved, 0, bytes, position, 4);
            }
        }
        // Some damage must have been noticed, or the corruption did not reach the reader at all.
        Assert.InRange(failures, 1, 199);
    }

    private static Dictionary<string, (int Offset, int Length)> TableRanges(byte[] ttc)
    {
        var face = (int)BinaryPrimitives.ReadUInt32BigEndian(ttc.AsSpan(12));
        var count = BinaryPrimitives.ReadUInt16BigEndian(ttc.AsSpan(face + 4));
        var result = new Dictionary<string, (int, int)>();
        for (var i = 0; i < count; i++)
        {
            var record = face + 12 + 16 * i;
            result[System.Text.Encoding.ASCII.GetString(ttc, record, 4)] =
                ((int)BinaryPrimitives.ReadUInt32BigEndian(ttc.AsSpan(record + 8)), (int)BinaryPrimitives.ReadUInt32BigEndian(ttc.AsSpan(record + 12)));
        }
        return result;
    }

    /// <summary>Draws a character into a 120×120 mask, one em = 100 px, the em box's left edge at x = 10, baseline at y = 98.</summary>
    private static CoverageMask RenderGlyph(char c, out (int MinX, int MinY, int MaxX, int MaxY) inkBox)
    {
        var font = TestFonts.ZenHei;
        var glyph = font.GetGlyphId(c);
        var scale = 100.0 / font.UnitsPerEm;
        var mask = new CoverageMask(120, 120);
        mask.Fill(font.GetGlyphOutline(glyph), Affine.Scaling(scale, -scale).Then(Affine.Translation(10, 98)));
        int minX = 120, minY = 120, maxX = -1, maxY = -1;
        for (var y = 0; y < 120; y++)
        {
            for (var x = 0; x < 120; x++)
            {
                if (mask[x, y] <= 0.5f)
                    continue;
                minX = Math.Min(minX, x);
                maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y);
                maxY = Math.Max(maxY, y);
            }
        }
        Assert.True(maxX >= 0, $"'{c}' left no ink");
        inkBox = (minX, minY, maxX, maxY);
        return mask;
    }

    /// <summary>Mean coverage over an inclusive pixel rectangle.</summary>
    private static double InkIn(CoverageMask mask, int x0, int y0, int x1, int y1)
    {
        double sum = 0;
        var n = 0;
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                sum += mask[x, y];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
