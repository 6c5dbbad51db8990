using System.Globalization;

namespace SealPortal.Features.Requests;

/// <summary>Reads the fields of <c>RequestFields</c> and the uploaded PDFs from a posted form.</summary>
public static class RequestForm
{
    public static SealRequestInput Read(IFormCollection form) => new(
        form["purpose"].ToString(),
        form["documentType"].ToString(),
        int.TryParse(form["copies"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var copies) ? copies : 0,
        ParseAmount(form["amount"].ToString()),
        form["counterparty"].ToString(),
        form["urgent"].ToString() is "true" or "on",
        form["seals"].Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).ToList());

    /// <summary>True when an amount was typed but is not a number (so the page can say so instead of dropping it).</summary>
    public static bool AmountUnreadable(IFormCollection form) =>
        !string.IsNullOrWhiteSpace(form["amount"]) && ParseAmount(form["amount"].ToString()) is null;

    public static IReadOnlyList<UploadedPdf> Files(IFormCollection form) =>
        form.Files.GetFiles("files").Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName))
            .Select(f => new UploadedPdf(f.FileName, f.Length, f.OpenReadStream)).ToList();

    private static decimal? ParseAmount(string text)
    {
        // Amounts are typed as "120000", "120,000" or "120000.50"; the page's number input sends invariant digits.
        var cleaned = text.Replace(",", "").Replace(" ", "").Replace("\u00a0", "").Trim();
        return cleaned.Length > 0 && decimal.TryParse(cleaned, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
