using System.Globalization;
using System.Text;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// Builds the appearance streams (/AP /N form XObjects) of a seal widget: the seal image
/// (RGB with its alpha as /SMask) or, without an image, a vector seal (red circle, star, name).
/// A cross-page seal (骑缝章) is the same drawing clipped to one vertical slice per page.
/// For a PDF/A document (<see cref="PdfAIdentification"/>) the appearance uses no font at all
/// (glyph-free: the vector seal draws its circle and star but not the name, which stays in the
/// signature's /Name; a seal image carries its text as pixels), since PDF/A requires every font
/// used to be embedded; and on PDF/A-1, which has no transparency, the image's alpha becomes a
/// 1-bit explicit /Mask (opaque where alpha is at least half) instead of a soft mask.
/// </summary>
public static class SealAppearance
{
    /// <summary>
    /// Adds to <paramref name="writer"/> what draws the seal and returns one appearance form per
    /// slice: slice i of n = <paramref name="pageRotations"/>.Count shows the i-th vertical strip
    /// of a seal <paramref name="width"/> × <paramref name="height"/> points (one slice = the whole
    /// seal), turned against its page's /Rotate (degrees clockwise) so that it reads upright.
    /// </summary>
    public static IReadOnlyList<PdfRefObj> AddSlices(PdfIncrementalWriter writer, SealBitmap? image, string? sealText,
        double width, double height, IReadOnlyList<int> pageRotations, PdfAIdentification? pdfa = null)
    {
        var slices = pageRotations.Count;
        if (slices < 1) throw new ArgumentOutOfRangeException(nameof(pageRotations));
        var resources = new PdfDictObj();
        string drawing;
        if (image is not null)
        {
            var imRef = writer.Add(ImageXObject(writer, image, softMask: pdfa?.ForbidsTransparency != true));
            resources.Set("XObject", new PdfDictObj().Set("Im0", imRef));
            drawing = $"{N(width)} 0 0 {N(height)} 0 0 cm /Im0 Do";
        }
        else if (pdfa is not null)
        {
            drawing = VectorSeal(width, height, "");
        }
        else
        {
            resources.Set("Font", new PdfDictObj().Set("F1", new PdfDictObj()
                .Set("Type", new PdfNameObj("Font"))
                .Set("Subtype", new PdfNameObj("Type1"))
                .Set("BaseFont", new PdfNameObj("Helvetica-Bold"))
                .Set("Encoding", new PdfNameObj("WinAnsiEncoding"))));
            drawing = VectorSeal(width, height, sealText ?? "");
        }
        // Put the drawing once in a form XObject so that slices share it instead of repeating it.
        var full = writer.Add(Form(width, height, resources, Encoding.Latin1.GetBytes(drawing)));
        var forms = new List<PdfRefObj>(slices);
        var sliceWidth = width / slices;
        for (var i = 0; i < slices; i++)
        {
            var res = new PdfDictObj().Set("XObject", new PdfDictObj().Set("Seal", full));
            var content = $"q 1 0 0 1 {N(-i * sliceWidth)} 0 cm /Seal Do Q";
            var form = Form(sliceWidth, height, res, Encoding.ASCII.GetBytes(content));
            if (pageRotations[i] is 90 or 180 or 270)
            {
                // Counter-clockwise by the page's clockwise /Rotate (PDF 32000-1, 12.5.5 maps the turned BBox onto /Rect).
                var (c, s) = pageRotations[i] switch { 90 => (0, 1), 180 => (-1, 0), _ => (0, -1) };
                form.Set("Matrix", new PdfArrayObj([new PdfNumObj(c), new PdfNumObj(s), new PdfNumObj(-s), new PdfNumObj(c), new PdfNumObj(0L), new PdfNumObj(0L)]));
            }
            forms.Add(writer.Add(form));
        }
        return forms;
    }

    private static PdfStreamObj Form(double w, double h, PdfDictObj resources, byte[] content)
    {
        var d = new PdfDictObj()
            .Set("Type", new PdfNameObj("XObject"))
            .Set("Subtype", new PdfNameObj("Form"))
            .Set("BBox", new PdfArrayObj([new PdfNumObj(0L), new PdfNumObj(0L), new PdfNumObj(w), new PdfNumObj(h)]))
            .Set("Resources", resources);
        return new PdfStreamObj(d, content);
    }

    private static PdfStreamObj ImageXObject(PdfIncrementalWriter writer, SealBitmap image, bool softMask)
    {
        var d = new PdfDictObj()
            .Set("Type", new PdfNameObj("XObject"))
            .Set("Subtype", new PdfNameObj("Image"))
            .Set("Width", new PdfNumObj(image.Width))
            .Set("Height", new PdfNumObj(image.Height))
            .Set("ColorSpace", new PdfNameObj("DeviceRGB"))
            .Set("BitsPerComponent", new PdfNumObj(8))
            .Set("Filter", new PdfNameObj("FlateDecode"));
        if (image.Alpha is not null && !softMask)
        {
            // Explicit masking (ISO 32000-1, 8.9.6.3): an image mask where 1 leaves the page as it was.
            var stencil = new PdfDictObj()
                .Set("Type", new PdfNameObj("XObject"))
                .Set("Subtype", new PdfNameObj("Image"))
                .Set("Width", new PdfNumObj(image.Width))
                .Set("Height", new PdfNumObj(image.Height))
                .Set("ImageMask", new PdfBoolObj(true))
                .Set("BitsPerComponent", new PdfNumObj(1))
                .Set("Filter", new PdfNameObj("FlateDecode"));
            d.Set("Mask", writer.Add(new PdfStreamObj(stencil, image.FlateStencil()!)));
        }
        else if (image.Alpha is not null)
        {
            var mask = new PdfDictObj()
                .Set("Type", new PdfNameObj("XObject"))
                .Set("Subtype", new PdfNameObj("Image"))
                .Set("Width", new PdfNumObj(image.Width))
                .Set("Height", new PdfNumObj(image.Height))
                .Set("ColorSpace", new PdfNameObj("DeviceGray"))
                .Set("BitsPerComponent", new PdfNumObj(8))
                .Set("Filter", new PdfNameObj("FlateDecode"));
            d.Set("SMask", writer.Add(new PdfStreamObj(mask, image.FlateAlpha()!)));
        }
        return new PdfStreamObj(d, image.FlateRgb());
    }

    private static string VectorSeal(double w, double h, string name)
    {
        var cx = w / 2; var cy = h / 2;
        var r = Math.Min(w, h) / 2;
        var lw = r * 0.07;
        var rc = r - lw / 2;
        var sb = new StringBuilder();
        sb.Append("q 0.85 0.05 0.05 RG 0.85 0.05 0.05 rg ").Append(N(lw)).Append(" w\n");
        // A circle as four Bézier arcs; 0.5523 is the usual control-point factor for a quarter circle.
        var k = 0.5523 * rc;
        sb.Append($"{N(cx + rc)} {N(cy)} m\n");
        sb.Append($"{N(cx + rc)} {N(cy + k)} {N(cx + k)} {N(cy + rc)} {N(cx)} {N(cy + rc)} c\n");
        sb.Append($"{N(cx - k)} {N(cy + rc)} {N(cx - rc)} {N(cy + k)} {N(cx - rc)} {N(cy)} c\n");
        sb.Append($"{N(cx - rc)} {N(cy - k)} {N(cx - k)} {N(cy - rc)} {N(cx)} {N(cy - rc)} c\n");
        sb.Append($"{N(cx + k)} {N(cy - rc)} {N(cx + rc)} {N(cy - k)} {N(cx + rc)} {N(cy)} c\nh S\n");
        var sr = r * 0.32; var sy = cy + r * 0.12;
        for (var i = 0; i < 10; i++)
        {
            var rad = i % 2 == 0 ? sr : sr * 0.382;
            var ang = Math.PI / 2 + i * Math.PI / 5;
            sb.Append($"{N(cx + rad * Math.Cos(ang))} {N(sy + rad * Math.Sin(ang))} {(i == 0 ? "m" : "l")}\n");
        }
        sb.Append("h f\n");
        var text = Latin1Only(name.Trim());
        if (text.Length > 0)
        {
            // Helvetica-Bold averages about 0.6 em per character; shrink long names to fit the circle.
            var size = Math.Min(r * 0.2, 1.45 * r / (text.Length * 0.6));
            var tw = text.Length * 0.6 * size;
            sb.Append("BT /F1 ").Append(N(size)).Append(" Tf ")
              .Append(N(cx - tw / 2)).Append(' ').Append(N(cy - r * 0.45)).Append(" Td ");
            var pw = new PdfByteWriter();
            new PdfStringObj(Encoding.Latin1.GetBytes(text)).WriteTo(pw);
            sb.Append(Encoding.Latin1.GetString(pw.WrittenSpan)).Append(" Tj ET\n");
        }
        sb.Append("Q");
        return sb.ToString();
    }

    private static string Latin1Only(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) sb.Append(c is >= ' ' and <= '~' or >= '\u00A0' and <= '\u00FF' ? c : '?');
        return sb.ToString();
    }

    private static string N(double v)
    {
        var s = v.ToString("0.###", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }
}
