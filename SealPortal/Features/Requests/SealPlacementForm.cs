using System.Globalization;
using SealPortal.Components.Pdf;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Features.Requests;

/// <summary>A page's size as displayed (after /Rotate), in PDF points: the box seal rectangles must fit in.</summary>
public readonly record struct PageBox(double Width, double Height)
{
    /// <summary>
    /// The pages of a PDF as a viewer shows them: the crop box (the media box when there is none),
    /// width and height swapped on pages turned a quarter. The same box the signer places seals in.
    /// </summary>
    /// <exception cref="PdfFormatException">The file cannot be read.</exception>
    public static IReadOnlyList<PageBox> Read(Stream pdf)
    {
        using var file = PdfFile.Open(pdf, leaveOpen: true);
        return file.GetPages().Select(p =>
        {
            var w = Math.Abs(p.CropBox[2] - p.CropBox[0]);
            var h = Math.Abs(p.CropBox[3] - p.CropBox[1]);
            return p.Rotate / 90 % 2 == 1 ? new PageBox(h, w) : new PageBox(w, h);
        }).ToList();
    }
}

/// <summary>
/// One seal on one document of the placement form: its fields are named after <see cref="Prefix"/>
/// (see <see cref="SealPlacementSlot"/>). Document and seal come from the server's list, never from
/// the post, so a forged field cannot move a seal onto another request's document.
/// </summary>
public sealed record PlacementTarget(string Prefix, int DocumentId, string FileName, int SealId, string SealName, IReadOnlyList<PageBox> Pages);

/// <summary>A refused placement: a resource key (English text) and its arguments.</summary>
public sealed record PlacementProblem(string Key, object[] Args);

/// <summary>Reads and checks the placement fields of the request editor (and of a plain form post).</summary>
public static class SealPlacementForm
{
    /// <summary>Half a tenth of a point: the editor rounds to tenths, so a seal flush with an edge may overshoot by that.</summary>
    private const double Slack = 0.05;

    /// <summary>What the fields of <paramref name="target"/> hold in <paramref name="form"/>, as typed.</summary>
    public static SealPlacementFields Fields(IFormCollection form, PlacementTarget target)
    {
        string? Get(string name) => form.TryGetValue($"{target.Prefix}.{name}", out var v) ? v.ToString() : null;
        var cross = Get("CrossPage");
        return new(Get("Page"), Get("X"), Get("Y"), Get("Width"), Get("Height"),
            string.Equals(cross, "true", StringComparison.OrdinalIgnoreCase) || cross == "on");
    }

    /// <summary>
    /// The placements the form asks for: a target with all five numbers empty is not placed on that
    /// document. The first problem found is returned instead when any target is incomplete, off its
    /// document or outside its page.
    /// </summary>
    public static (IReadOnlyList<SealPlacementInput> Placements, PlacementProblem? Problem) Parse(IFormCollection form, IReadOnlyList<PlacementTarget> targets) =>
        Parse(targets, t => Fields(form, t));

    /// <summary>The same check over the fields as the request editor holds them (what was typed or dragged).</summary>
    public static (IReadOnlyList<SealPlacementInput> Placements, PlacementProblem? Problem) Parse(IReadOnlyList<PlacementTarget> targets, Func<PlacementTarget, SealPlacementFields> fields)
    {
        var placements = new List<SealPlacementInput>();
        foreach (var target in targets)
        {
            var f = fields(target);
            string?[] raw = [f.Page, f.X, f.Y, f.Width, f.Height];
            if (raw.All(string.IsNullOrWhiteSpace))
                continue;
            PlacementProblem Problem(string key, params object[] more) => new(key, [target.SealName, target.FileName, .. more]);

            if (!int.TryParse(f.Page, NumberStyles.Integer, CultureInfo.InvariantCulture, out var page)
                || !TryNumber(f.X, out var x) || !TryNumber(f.Y, out var y) || !TryNumber(f.Width, out var width) || !TryNumber(f.Height, out var height))
                return ([], Problem("{0} on {1}: enter the page, X, Y, width and height as numbers, or leave all five empty."));
            if (page < 1 || page > target.Pages.Count)
                return ([], Problem("{0} on {1}: page {2} does not exist; the document has {3} pages.", page, target.Pages.Count));
            if (width <= 0 || height <= 0)
                return ([], Problem("{0} on {1}: the width and height must be positive."));
            var box = target.Pages[page - 1];
            // A cross-page seal is cut into slices on the right edges of all pages: its X does not
            // count, but it must fit on the smallest page.
            var fits = f.CrossPage
                ? target.Pages.All(p => width <= p.Width + Slack && y >= -Slack && y + height <= p.Height + Slack)
                : x >= -Slack && y >= -Slack && x + width <= box.Width + Slack && y + height <= box.Height + Slack;
            if (!fits)
                return ([], Problem("{0} on {1}: the seal must lie inside the page ({2} × {3} points).",
                    Math.Round(box.Width, 1), Math.Round(box.Height, 1)));
            if (f.CrossPage)
                x = Math.Max(0, box.Width - width);
            placements.Add(new SealPlacementInput(target.SealId, target.DocumentId, page, Clamp(x, box.Width - width), Clamp(y, box.Height - height), width, height, f.CrossPage));
        }
        return (placements, null);
    }

    private static double Clamp(double value, double max) => Math.Max(0, Math.Min(value, Math.Max(0, max)));

    private static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
