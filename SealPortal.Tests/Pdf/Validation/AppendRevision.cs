using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>
/// Appends a hand-written incremental update (new/replaced objects, a classic xref section and a
/// trailer with /Prev) to a PDF. Test-only and deliberately naive: it reads the previous
/// startxref, /Size and /Root with regular expressions, which is enough for the files made in
/// <see cref="SignedPdfFiles"/>, and keeps the verifier's own parser out of the fixture.
/// </summary>
internal static class AppendRevision
{
    public static byte[] Append(byte[] pdf, params (int Number, string Body)[] objects)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var prev = long.Parse(Regex.Matches(text, @"startxref\s+(\d+)")[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        var size = int.Parse(Regex.Matches(text, @"/Size\s+(\d+)")[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        var root = Regex.Matches(text, @"/Root\s+(\d+\s+\d+\s+R)")[^1].Groups[1].Value;

        var ms = new MemoryStream();
        ms.Write(pdf);
        if (pdf.Length > 0 && pdf[^1] != '\n') ms.WriteByte((byte)'\n');
        var offsets = new SortedDictionary<int, long>();
        foreach (var (number, body) in objects)
        {
            offsets[number] = ms.Position;
            ms.Write(Encoding.Latin1.GetBytes($"{number} 0 obj\n{body}\nendobj\n"));
        }
        var xref = ms.Position;
        var sb = new StringBuilder("xref\n");
        foreach (var (number, offset) in offsets)
            sb.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:D10} 00000 n \n");
        var newSize = Math.Max(size, offsets.Keys.Max() + 1);
        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<</Size {newSize}/Root {root}/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n");
        ms.Write(Encoding.Latin1.GetBytes(sb.ToString()));
        return ms.ToArray();
    }

    /// <summary>The last "N 0 obj ... endobj" body for an object number (test files only).</summary>
    public static string LastBody(byte[] pdf, int number)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var m = Regex.Matches(text, $@"(?<![0-9]){number} 0 obj\s*(.*?)\s*endobj", RegexOptions.Singleline);
        return m[^1].Groups[1].Value;
    }
}
