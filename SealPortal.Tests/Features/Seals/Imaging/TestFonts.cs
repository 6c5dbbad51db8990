using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Tests.Features.Seals.Imaging;

/// <summary>The CJK fonts CI installs (fonts-noto-cjk with CFF outlines, fonts-wqy-zenhei with TrueType ones).</summary>
internal static class TestFonts
{
    public const string NotoSansCjkBoldPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
    public const string NotoSansCjkPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    public const string ZenHeiPath = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

    public static SealFont NotoSansCjk => SealFont.Load(NotoSansCjkPath);
    public static SealFont ZenHei => SealFont.Load(ZenHeiPath);

    /// <summary>The font the portal picks by default, so the tests draw what users get.</summary>
    private static readonly Lazy<SealImageGenerator> SharedGenerator = new(() => new SealImageGenerator(SealFont.Load(NotoSansCjkBoldPath)));

    public static SealImageGenerator Generator => SharedGenerator.Value;
}
