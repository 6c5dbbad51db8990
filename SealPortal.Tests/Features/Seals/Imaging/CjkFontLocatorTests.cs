using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Tests.Features.Seals.Imaging;

public sealed class CjkFontLocatorTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("seal-fonts-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Without_any_font_the_message_names_the_debian_package()
    {
        var locator = new CjkFontLocator([Path.Combine(_directory.FullName, "missing.ttc")]);
        var ex = Assert.Throws<FontNotFoundException>(() => locator.Load());
        Assert.Equal(
            "No CJK font found: install fonts-noto-cjk (apt-get install fonts-noto-cjk) or set Seals:FontPath",
            ex.Message);
    }

    [Fact]
    public void Broken_candidates_are_skipped_and_the_next_usable_font_is_taken()
    {
        var garbage = Path.Combine(_directory.FullName, "garbage.ttf");
        File.WriteAllBytes(garbage, "not a font at all, just text"u8.ToArray());
        var font = new CjkFontLocator([garbage, TestFonts.NotoSansCjkPath, TestFonts.ZenHeiPath]).Load();
        Assert.Equal(TestFonts.NotoSansCjkPath, font.Source);
    }

    [Fact]
    public void Broken_candidates_are_listed_when_nothing_is_usable()
    {
        var garbage = Path.Combine(_directory.FullName, "garbage.ttf");
        File.WriteAllBytes(garbage, new byte[100]);
        var ex = Assert.Throws<FontNotFoundException>(() => new CjkFontLocator([garbage]).Load());
        Assert.StartsWith(CjkFontLocator.NoFontMessage, ex.Message);
        Assert.Contains("garbage.ttf", ex.Message);
    }

    [Fact]
    public void A_configured_path_wins_and_a_wrong_one_is_reported()
    {
        var locator = new CjkFontLocator([TestFonts.NotoSansCjkPath]);
        var configured = locator.Load(TestFonts.ZenHeiPath);
        Assert.Equal(TestFonts.ZenHeiPath, configured.Source);
        Assert.NotEqual(0, configured.GetGlyphId('章'));

        var missing = Path.Combine(_directory.FullName, "nope.ttc");
        var ex = Assert.Throws<FontNotFoundException>(() => locator.Load(missing));
        Assert.Contains(missing, ex.Message);

        var latinOnly = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        if (File.Exists(latinOnly))
            Assert.Contains("no Chinese characters", Assert.Throws<FontFormatException>(() => locator.Load(latinOnly)).Message);
    }

    [Fact]
    public void The_default_locator_takes_the_installed_Noto_Sans_CJK_a_CFF_font()
    {
        Assert.Equal(TestFonts.NotoSansCjkBoldPath, CjkFontLocator.DefaultCandidates[0]);
        var font = CjkFontLocator.Default.Load();
        Assert.Equal(TestFonts.NotoSansCjkBoldPath, font.Source);
        Assert.NotEqual(0, font.GetGlyphId('公'));
    }
}
