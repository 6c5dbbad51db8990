namespace SealPortal.Components.Pdf;

/// <summary>
/// A seal drawn over a page of <see cref="PdfReview"/>: page (1-based) and rectangle in PDF points of
/// the page as shown, origin bottom-left, as stored for sealing. A cross-page seal (骑缝章) is drawn as
/// a slice on the right edge of every page.
/// </summary>
public sealed record SealOverlay(string Name, int Page, double X, double Y, double Width, double Height, bool CrossPage, string? ImageUrl);
