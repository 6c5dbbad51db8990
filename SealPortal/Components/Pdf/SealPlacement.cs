using System.Globalization;

namespace SealPortal.Components.Pdf;

/// <summary>
/// One seal to place on one document in <see cref="SealPlacementEditor"/>: its form fields are
/// named <c>{FieldPrefix}.Page</c>, <c>.X</c>, <c>.Y</c>, <c>.Width</c>, <c>.Height</c> and
/// <c>.CrossPage</c> (posts "true" when ticked), plus a hidden <c>{FieldPrefix}.SealId</c>.
/// </summary>
/// <param name="ImageUrl">The seal's image; null shows a plain red frame instead.</param>
/// <param name="Values">What the fields show: the saved placement, or what the user typed when a post was refused.</param>
public sealed record SealPlacementSlot(string FieldPrefix, int SealId, string SealName, string? ImageUrl, SealPlacementFields Values);

/// <summary>
/// The placement as typed: strings, so that a refused post shows exactly what was sent. Numbers
/// are PDF points of the page as displayed (origin bottom-left), written with a dot.
/// </summary>
public sealed record SealPlacementFields(string? Page, string? X, string? Y, string? Width, string? Height, bool CrossPage)
{
    public static SealPlacementFields Empty { get; } = new(null, null, null, null, null, false);

    public static SealPlacementFields From(int? page, double? x, double? y, double? width, double? height, bool crossPage) =>
        new(page?.ToString(CultureInfo.InvariantCulture), Number(x), Number(y), Number(width), Number(height), crossPage);

    private static string? Number(double? value) => value?.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>
/// The fields of one seal as the interactive editor holds them: typed by the user, or written by the
/// drag-and-drop script (which raises the inputs' change events), read when the placements are saved.
/// </summary>
public sealed class SealPlacementModel
{
    public string? Page { get; set; }
    public string? X { get; set; }
    public string? Y { get; set; }
    public string? Width { get; set; }
    public string? Height { get; set; }
    public bool CrossPage { get; set; }

    public static SealPlacementModel From(SealPlacementFields f) =>
        new() { Page = f.Page, X = f.X, Y = f.Y, Width = f.Width, Height = f.Height, CrossPage = f.CrossPage };

    public SealPlacementFields ToFields() => new(Page, X, Y, Width, Height, CrossPage);
}
