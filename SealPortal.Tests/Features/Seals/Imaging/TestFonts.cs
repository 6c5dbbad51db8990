using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Tests.Features.Seals.Imaging;

/// <summary>The CJK font CI installs (fonts-wqy-zenhei), loaded once per test process.</summary>
internal static class TestFonts
{
    public const string ZenHeiPath = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";
    public const string NotoSansCjkPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    public static TrueTypeFont ZenHei => TrueTypeFont.Load(ZenHeiPath);

    private static readonly Lazy<SealImageGenerator> SharedGenerator = new(() => new SealImageGenerator(ZenHei));

    public static SealImageGenerator Generator => SharedGenerator.Value;
}
