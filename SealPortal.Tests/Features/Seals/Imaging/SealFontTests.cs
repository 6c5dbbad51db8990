using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Tests.Features.Seals.Imaging;

public sealed class SealFontTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("seal-font-");

    public void Dispose() => _directory.Delete(recursive: true);

    public static TheoryData<string> Fonts => [TestFonts.NotoSansCjkPath, TestFonts.ZenHeiPath];

    [Theory]
    [MemberData(nameof(Fonts))]
    public void Cff_and_TrueType_fonts_map_Chinese_and_Latin_characters_to_different_glyphs(string path)
    {
        var font = SealFont.Load(path);
        var he = font.GetGlyphId('合');
        var a = font.GetGlyphId('A');
        Assert.NotEqual(0, he);
        Assert.NotEqual(0, a);
        Assert.NotEqual(he, a);
        Assert.Equal(0, font.GetGlyphId(0x10FFFD));
    }

    [Theory]
    [MemberData(nameof(Fonts))]
    public void Ideographs_are_one_em_wide_and_sit_above_the_baseline(string path)
    {
        var font = SealFont.Load(path);
        Assert.Equal(font.UnitsPerEm, font.GetAdvanceWidth(font.GetGlyphId('合')), 0.5);
        Assert.InRange(font.GetAdvanceWidth(font.GetGlyphId('i')), 1, font.UnitsPerEm * 0.7);
        using var outline = font.GetGlyphOutline(font.GetGlyphId('国'));
        // y points down: the character's top is far above the baseline, its foot near it.
        Assert.InRange(outline.Bounds.Top, -font.UnitsPerEm, -font.UnitsPerEm * 0.6f);
        Assert.InRange(outline.Bounds.Bottom, -font.UnitsPerEm * 0.2f, font.UnitsPerEm * 0.2f);
        Assert.InRange(outline.Bounds.Width, font.UnitsPerEm * 0.6f, font.UnitsPerEm);
    }

    [Fact]
    public void The_Noto_collection_opens_its_Simplified_Chinese_face()
    {
        Assert.EndsWith(" SC", TestFonts.NotoSansCjk.Typeface.FamilyName);
        Assert.Equal(TestFonts.NotoSansCjkPath, TestFonts.NotoSansCjk.Source);
    }

    [Fact]
    public void A_garbage_file_gives_a_font_format_exception_naming_it()
    {
        var garbage = Path.Combine(_directory.FullName, "garbage.ttf");
        File.WriteAllBytes(garbage, "not a font at all, just text"u8.ToArray());
        var ex = Assert.Throws<FontFormatException>(() => SealFont.Load(garbage));
        Assert.Contains(garbage, ex.Message);
    }

    [Theory]
    [MemberData(nameof(Fonts))]
    public void A_truncated_font_file_gives_a_font_format_exception(string path)
    {
        var truncated = Path.Combine(_directory.FullName, "cut" + Path.GetExtension(path));
        using (var source = File.OpenRead(path))
        using (var target = File.Create(truncated))
        {
            var buffer = new byte[200_000];
            source.ReadExactly(buffer);
            target.Write(buffer);
        }
        var ex = Assert.Throws<FontFormatException>(() => SealFont.Load(truncated));
        Assert.Contains(truncated, ex.Message);
    }
}
