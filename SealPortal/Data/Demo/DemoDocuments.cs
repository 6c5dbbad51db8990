using System.Globalization;
using System.Text;

namespace SealPortal.Data.Demo;

/// <summary>
/// The PDFs the demo history's requests upload: one A4 page of plain text per document, written
/// here byte by byte (classic cross-reference table, Helvetica, ASCII only) so the seed needs no PDF
/// library and the same request always gets the same bytes, hence the same archive hash.
/// </summary>
public static class DemoDocuments
{
    public static byte[] Pdf(string title, IReadOnlyList<string> lines)
    {
        var content = new StringBuilder();
        content.Append("BT /F1 18 Tf 72 770 Td (").Append(Escape(title)).Append(") Tj ET\n");
        var y = 730;
        foreach (var line in lines)
        {
            content.Append(CultureInfo.InvariantCulture, $"BT /F1 11 Tf 72 {y} Td (").Append(Escape(line)).Append(") Tj ET\n");
            y -= 18;
        }
        var stream = Encoding.ASCII.GetBytes(content.ToString());

        byte[] contentObject = [.. Ascii($"<< /Length {stream.Length} >>\nstream\n"), .. stream, .. Ascii("endstream")];
        var objects = new List<byte[]>
        {
            Ascii("<< /Type /Catalog /Pages 2 0 R >>"),
            Ascii("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            Ascii("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
            Ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
            contentObject,
        };

        using var pdf = new MemoryStream();
        Write(pdf, "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Position);
            Write(pdf, $"{i + 1} 0 obj\n");
            pdf.Write(objects[i]);
            Write(pdf, "\nendobj\n");
        }
        var xref = pdf.Position;
        Write(pdf, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
            Write(pdf, $"{offset:D10} 00000 n \n");
        Write(pdf, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    // Latin-1 so the binary-marker comment keeps its high bytes; everything else is ASCII.
    private static void Write(Stream stream, string text) => stream.Write(Encoding.Latin1.GetBytes(text));

    private static string Escape(string text)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '(' or ')' or '\\')
                ascii.Append('\\').Append(c);
            else if (c is >= ' ' and <= '~')
                ascii.Append(c);
            else
                ascii.Append('?');
        }
        return ascii.ToString();
    }
}
