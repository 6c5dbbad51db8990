using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Tests.Features.Seals.Imaging;

public sealed class CjkFontLocatorTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("seal-fonts-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Without_any_font_the_message_says_what_to_install()
    {
        var locator = new CjkFontLocator([Path.Combine(_directory.FullName, "missing.ttc")]);
        var ex = Assert.Throws<FontNotFoundException>(() => locator.Load());
        Assert.StartsWith(
            "No CJK font found: install fonts-wqy-zenhei (apt-get install fonts-wqy-zenhei) or set Seals:FontPath",
            ex.Message);
    }

    [Fact]
    public void Cff_only_installations_are_named_in_the_message()
    {
        var locator = new CjkFontLocator([TestFonts.NotoSansCjkPath]);
        var ex = Assert.Throws<FontNotFoundException>(() => locator.Load());
        Assert.Contains("CFF outlines", ex.Message);
        Assert.Contains(TestFonts.NotoSansCjkPath, ex.Message);
    }

    [Fact]
    public void Broken_candidates_are_skipped_and_the_next_usable_font_is_taken()
    {
        var garbage = Path.Combine(_directory.FullName, "garbage.ttf");
        File.WriteAllBytes(garbage, "not a font at all, just text"u8.ToArray());
        var font = new CjkFontLocator([garbage, TestFonts.NotoSansCjkPath, TestFonts.ZenHeiPath]).Load();
        Assert.Equal(Path.GetFullPath(TestFonts.ZenHeiPath), font.Source);
    }

    [Fact]
    public void Broken_candidates_are_listed_when_nothing_is_usable()
    {
        var garbage = Path.Combine(_directory.FullName, "garbage.ttf");
        File.WriteAllBytes(garbage, new byte[100]);
        var ex = Assert.Throws<FontNotFoundException>(() => new CjkFontLocator([garbage]).Load());
        Assert.Contains("garbage.ttf", ex.Message);
    }

    [Fact]
    public void A_configured_path_wins_and_a_wrong_one_is_reported()
    {
        var locator = new CjkFontLocator([]);
        Assert.NotEqual(0, locator.Load(TestFonts.ZenHeiPath).GetGlyphId('章'));

        var missing = Path.Combine(_directory.FullName, "nope.ttc");
        var ex = Assert.Throws<FontNotFoundException>(() => locator.Load(missing));
        Assert.Contains(missing, ex.Message);

        var truncated = Path.Combine(_directory.FullName, "cut.ttc");
        using (var source = File.OpenRead(TestFonts.ZenHeiPath))
        using (var target = File.Create(truncated))
        {
            var buffer = new byte[200_000];
            source.ReadExactly(buffer);
            target.Write(buffer);
        }
        Assert.Throws<FontFormatException>(() => locator.Load(truncated));
    }

    [Fact]
    public void The_default_locator_finds_the_installed_zen_hei()
    {
        Assert.Equal(TestFonts.ZenHeiPath, CjkFontLocator.DefaultCandidates[0]);
        Assert.NotEqual(0, CjkFontLocator.Default.Load().GetGlyphId('公'));
    }
}
