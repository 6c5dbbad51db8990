using System.Text;
using System.Text.RegularExpressions;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// The PDF/A claim of a document (ISO 19005): part 1, 2, 3 or 4 and the conformance level (A, B,
/// U, E, F), read from the pdfaid properties of the catalog's XMP metadata stream.
/// </summary>
public sealed partial record PdfAIdentification(int Part, string? Conformance)
{
    /// <summary>The XMP namespace of the PDF/A identification schema.</summary>
    public const string Namespace = "http://www.aiim.org/pdfa/ns/id/";

    /// <summary>Larger metadata is not read (a claim sits in the first packet of a normal file).</summary>
    public const long MaxMetadataBytes = 4 * 1024 * 1024;

    /// <summary>PDF/A-1 has no transparency: no soft masks, no transparency groups.</summary>
    public bool ForbidsTransparency => Part == 1;

    public override string ToString() => $"PDF/A-{Part}{Conformance?.ToLowerInvariant()}";

    /// <summary>The document's PDF/A claim, or null when it makes none (or its metadata cannot be read).</summary>
    public static PdfAIdentification? Detect(PdfFile pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        if (pdf.Resolve(pdf.Catalog.Get("Metadata")) is not PdfStreamObj metadata)
            return null;
        string xmp;
        try
        {
            xmp = Encoding.UTF8.GetString(pdf.DecodeStream(metadata, MaxMetadataBytes));
        }
        catch (PdfFormatException)
        {
            return null;
        }
        return Parse(xmp);
    }

    /// <summary>Reads pdfaid:part and pdfaid:conformance, as attributes or as elements, whatever prefix the packet binds to the namespace.</summary>
    public static PdfAIdentification? Parse(string xmp)
    {
        var prefixes = Prefix().Matches(xmp).Select(m => m.Groups[1].Value).Distinct().ToList();
        foreach (var prefix in prefixes)
        {
            var part = Property(xmp, prefix, "part");
            if (part is null || !int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n is < 1 or > 4)
                continue;
            var conformance = Property(xmp, prefix, "conformance");
            return new PdfAIdentification(n, string.IsNullOrWhiteSpace(conformance) ? null : conformance.Trim().ToUpperInvariant());
        }
        return null;
    }

    private static string? Property(string xmp, string prefix, string name)
    {
        var p = Regex.Escape(prefix);
        var attribute = Regex.Match(xmp, $@"\b{p}:{name}\s*=\s*([""'])\s*([^""']*?)\s*\1", RegexOptions.None, TimeSpan.FromSeconds(1));
        if (attribute.Success)
            return attribute.Groups[2].Value;
        var element = Regex.Match(xmp, $@"<{p}:{name}\s*>\s*([^<]*?)\s*</{p}:{name}\s*>", RegexOptions.None, TimeSpan.FromSeconds(1));
        return element.Success ? element.Groups[1].Value : null;
    }

    [GeneratedRegex(@"xmlns:([A-Za-z_][\w.-]*)\s*=\s*[""']http://www\.aiim\.org/pdfa/ns/id/[""']", RegexOptions.None, 1000)]
    private static partial Regex Prefix();
}
