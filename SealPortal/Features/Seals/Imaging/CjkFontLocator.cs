namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// Finds a CJK font at run time. A configured path (Seals:FontPath, or --font on the command
/// line) wins; otherwise the candidates are tried in order and the first usable one is taken.
/// </summary>
public sealed class CjkFontLocator(IReadOnlyList<string> candidatePaths)
{
    public const string NoFontMessage =
        "No CJK font found: install fonts-noto-cjk (apt-get install fonts-noto-cjk) or set Seals:FontPath";

    /// <summary>
    /// Where Debian/Ubuntu packages put CJK fonts. Noto Sans CJK Bold first: a seal is engraved
    /// in heavy strokes, and fonts-noto-cjk is the package the message names.
    /// </summary>
    public static IReadOnlyList<string> DefaultCandidates { get; } =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/usr/share/fonts/truetype/arphic/ukai.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    ];

    public static CjkFontLocator Default { get; } = new(DefaultCandidates);

    public IReadOnlyList<string> CandidatePaths { get; } = candidatePaths;

    /// <summary>Loads the configured font, or the first usable candidate.</summary>
    /// <exception cref="FontNotFoundException">nothing usable is installed or configured.</exception>
    /// <exception cref="FontFormatException">the configured font is damaged or has no Chinese characters.</exception>
    public SealFont Load(string? configuredPath = null)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            if (!File.Exists(configuredPath))
                throw new FontNotFoundException($"Font file not found: {configuredPath} (check Seals:FontPath or --font)");
            return SealFont.Load(configuredPath);
        }

        var problems = new List<string>();
        foreach (var path in CandidatePaths.Where(File.Exists))
        {
            try
            {
                return SealFont.Load(path);
            }
            catch (FontFormatException ex)
            {
                problems.Add(ex.Message);
            }
        }
        throw new FontNotFoundException(problems.Count == 0 ? NoFontMessage : $"{NoFontMessage}. Unusable: {string.Join("; ", problems)}");
    }
}
