namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// Finds a CJK font with TrueType outlines at run time. A configured path (Seals:FontPath,
/// or --font on the command line) wins; otherwise the candidates are tried in order.
/// CFF-outline fonts (Noto CJK) are recognised only to explain why they cannot be used.
/// </summary>
public sealed class CjkFontLocator(IReadOnlyList<string> candidatePaths)
{
    public const string NoFontMessage =
        "No CJK font found: install fonts-wqy-zenhei (apt-get install fonts-wqy-zenhei) or set Seals:FontPath";

    /// <summary>Where Debian/Ubuntu packages put CJK fonts; WenQuanYi Zen Hei first since it has glyf outlines.</summary>
    public static IReadOnlyList<string> DefaultCandidates { get; } =
    [
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/usr/share/fonts/truetype/arphic/ukai.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    ];

    public static CjkFontLocator Default { get; } = new(DefaultCandidates);

    /// <summary>A character every Chinese seal font must have; fonts lacking it are not CJK fonts.</summary>
    private const int ProbeCharacter = '合';

    public IReadOnlyList<string> CandidatePaths { get; } = candidatePaths;

    /// <summary>Loads the configured font, or the first usable candidate.</summary>
    /// <exception cref="FontNotFoundException">nothing usable is installed or configured.</exception>
    /// <exception cref="FontFormatException">the configured font is damaged or not TrueType.</exception>
    public TrueTypeFont Load(string? configuredPath = null)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            if (!File.Exists(configuredPath))
                throw new FontNotFoundException($"Font file not found: {configuredPath} (check Seals:FontPath or --font)");
            return RequireCjk(TrueTypeFont.Load(configuredPath));
        }

        var cffOnly = new List<string>();
        var problems = new List<string>();
        foreach (var path in CandidatePaths)
        {
            if (!File.Exists(path))
                continue;
            switch (TrueTypeFont.Probe(path))
            {
                case FontOutlineKind.Cff:
                    cffOnly.Add(path);
                    continue;
                case FontOutlineKind.NotAFont:
                    problems.Add($"{path} is not a font file");
                    continue;
            }
            try
            {
                return RequireCjk(TrueTypeFont.Load(path));
            }
            catch (Exception ex) when (ex is FontFormatException or FontNotFoundException)
            {
                problems.Add(ex.Message);
            }
        }

        var message = NoFontMessage;
        if (cffOnly.Count > 0)
            message += $". Found only CJK fonts with CFF outlines, which are not supported: {string.Join(", ", cffOnly)}";
        if (problems.Count > 0)
            message += $". Unusable: {string.Join("; ", problems)}";
        throw new FontNotFoundException(message);
    }

    private static TrueTypeFont RequireCjk(TrueTypeFont font) =>
        font.GetGlyphId(ProbeCharacter) != 0
            ? font
            : throw new FontFormatException($"Font {font.Source} has no Chinese characters (no glyph for 合).");
}
