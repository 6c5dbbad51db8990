using System.Text.RegularExpressions;
using System.Xml.Linq;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Resources;

/// <summary>
/// The two resource files stay one table in two languages: no key twice in a file (the resource reader
/// keeps one of them silently, and a merge that adds the same text twice is easy to miss), no key in one
/// file only (the other language would show the English key), and a translation takes the same
/// placeholders as its key, so no argument is dropped or asked for that is not given.
/// </summary>
public partial class SharedResourceFileTests
{
    private static readonly string Folder = Path.Combine(PdfTestKit.RepoRoot, "SealPortal", "Resources");

    public static TheoryData<string> Files => new() { "SharedResource.resx", "SharedResource.zh-CN.resx" };

    [Theory]
    [MemberData(nameof(Files))]
    public void No_key_appears_twice(string file)
    {
        var duplicates = Keys(file).GroupBy(k => k.Key).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} (lines {string.Join(", ", g.Select(k => k.Line))})").ToList();
        Assert.True(duplicates.Count == 0, $"{file} has keys twice: {string.Join("; ", duplicates)}");
    }

    [Fact]
    public void Both_languages_have_the_same_keys()
    {
        var english = Keys("SharedResource.resx").Select(k => k.Key).ToHashSet();
        var chinese = Keys("SharedResource.zh-CN.resx").Select(k => k.Key).ToHashSet();
        var onlyEnglish = english.Except(chinese).Order().ToList();
        var onlyChinese = chinese.Except(english).Order().ToList();
        Assert.True(onlyEnglish.Count == 0, $"missing from SharedResource.zh-CN.resx: {string.Join(" | ", onlyEnglish)}");
        Assert.True(onlyChinese.Count == 0, $"missing from SharedResource.resx: {string.Join(" | ", onlyChinese)}");
    }

    [Fact]
    public void A_translation_takes_the_placeholders_of_its_key()
    {
        var chinese = Keys("SharedResource.zh-CN.resx").GroupBy(k => k.Key).ToDictionary(g => g.Key, g => g.First().Value);
        var wrong = Keys("SharedResource.resx")
            .Where(k => chinese.ContainsKey(k.Key))
            .Where(k => !Placeholders(k.Key).SetEquals(Placeholders(chinese[k.Key])) || !Placeholders(k.Key).SetEquals(Placeholders(k.Value)))
            .Select(k => k.Key).ToList();
        Assert.True(wrong.Count == 0, $"placeholders differ: {string.Join(" | ", wrong)}");
    }

    [Fact]
    public void The_checks_find_a_duplicate_and_a_missing_key()
    {
        // The checks themselves, on a file made for the purpose: they must be able to fail.
        var path = Path.Combine(Path.GetTempPath(), $"resx-check-{Guid.NewGuid():N}.resx");
        File.WriteAllText(path, """
            <?xml version="1.0" encoding="utf-8"?>
            <root>
              <data name="Save" xml:space="preserve"><value>Save</value></data>
              <data name="Save" xml:space="preserve"><value>Save</value></data>
              <data name="Only here {0}" xml:space="preserve"><value>Only here {0}</value></data>
            </root>
            """);
        try
        {
            var keys = Read(path);
            Assert.Contains(keys.GroupBy(k => k.Key), g => g.Key == "Save" && g.Count() == 2);
            Assert.Contains("Only here {0}", keys.Select(k => k.Key).Except(Keys("SharedResource.zh-CN.resx").Select(k => k.Key)));
            Assert.False(Placeholders("Only here {0}").SetEquals(Placeholders("只在这里")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed record Entry(string Key, string Value, int Line);

    private static List<Entry> Keys(string file) => Read(Path.Combine(Folder, file));

    private static List<Entry> Read(string path) =>
        XDocument.Load(path, LoadOptions.SetLineInfo).Root!.Elements("data")
            .Select(d => new Entry((string)d.Attribute("name")!, (string?)d.Element("value") ?? "", ((System.Xml.IXmlLineInfo)d).LineNumber))
            .ToList();

    /// <summary>The argument indexes a format string uses ({0}, {1:N0}, ...); escaped braces are not placeholders.</summary>
    private static HashSet<int> Placeholders(string format) =>
        PlaceholderPattern().Matches(format.Replace("{{", "").Replace("}}", "")).Select(m => int.Parse(m.Groups[1].Value)).ToHashSet();

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex PlaceholderPattern();
}
