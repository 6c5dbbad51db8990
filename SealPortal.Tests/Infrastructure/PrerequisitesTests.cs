namespace SealPortal.Tests.Infrastructure;

public class PrerequisitesTests
{
    private static readonly string[] Installed =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/bin/chromium", "/usr/bin/pdfsig", "/usr/bin/pdftoppm",
        "/usr/bin/qpdf", "/usr/bin/mutool", "/usr/bin/certutil", "/usr/bin/openssl",
    ];

    private static IReadOnlyList<Prerequisite> MissingWithout(params string[] absent) =>
        Prerequisites.Missing(f => Installed.Except(absent).Contains(f), "/usr/local/bin:/usr/bin");

    [Fact]
    public void A_complete_machine_misses_nothing()
    {
        Assert.Empty(MissingWithout());
        Assert.Null(Prerequisites.Message(MissingWithout()));
    }

    [Theory]
    [InlineData("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "fonts-noto-cjk")]
    [InlineData("/usr/bin/chromium", "chromium")]
    [InlineData("/usr/bin/pdfsig", "poppler-utils")]
    [InlineData("/usr/bin/qpdf", "qpdf")]
    [InlineData("/usr/bin/mutool", "mupdf-tools")]
    [InlineData("/usr/bin/certutil", "libnss3-tools")]
    public void The_first_line_names_the_package_of_the_missing_tool(string absent, string package)
    {
        var message = Prerequisites.Message(MissingWithout(absent))!;
        var first = message.Split(Environment.NewLine)[0];
        Assert.EndsWith($"sudo apt-get install -y {package}", first);
    }

    [Fact]
    public void Any_known_CJK_font_will_do()
    {
        var missing = Prerequisites.Missing(f => f == "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc" || (Installed.Contains(f) && !f.Contains("Noto")), "/usr/bin");
        Assert.Empty(missing);
    }

    [Fact]
    public void Several_missing_tools_give_one_command_with_each_package_once()
    {
        var first = Prerequisites.Message(MissingWithout("/usr/bin/pdfsig", "/usr/bin/pdftoppm", "/usr/bin/qpdf"))!.Split(Environment.NewLine)[0];
        Assert.EndsWith("sudo apt-get install -y poppler-utils qpdf", first);
    }

    [Fact]
    public void A_tool_elsewhere_on_the_path_counts()
    {
        var missing = Prerequisites.Missing(f => f == "/opt/tools/qpdf" || (Installed.Contains(f) && f != "/usr/bin/qpdf"), "/usr/bin:/opt/tools");
        Assert.Empty(missing);
    }
}
