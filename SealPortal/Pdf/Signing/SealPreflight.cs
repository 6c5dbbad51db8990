using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Signing;

/// <summary>What an upload check found.</summary>
/// <param name="Pages">Page count.</param>
/// <param name="ActiveContent">Kinds of active content found ("JavaScript", "OpenAction", "Launch"), each once; empty when none.</param>
public sealed record PdfPreflightResult(int Pages, IReadOnlyList<string> ActiveContent)
{
    public bool HasActiveContent => ActiveContent.Count > 0;
}

/// <summary>
/// The one check of an uploaded PDF (issue 12, part 6): read within <see cref="PdfReadLimits.Upload"/>,
/// everything sealing will need (pages, form, cross-reference data, certification) built as a dry
/// run, and active content (JavaScript, an open action, Launch actions) found so approvers can be
/// warned or the upload refused.
/// </summary>
public static class SealPreflight
{
    private const int MaxActionNodes = 10_000;

    /// <exception cref="PdfEncryptedException">The PDF is encrypted.</exception>
    /// <exception cref="PdfFormatException">It cannot be read or sealed; the message is for the user.</exception>
    /// <exception cref="PdfSigningException">Its certification forbids any change.</exception>
    public static PdfPreflightResult Check(Stream pdf, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        using var file = PdfFile.Open(pdf, leaveOpen: true, PdfReadLimits.Upload);
        var pages = file.GetPages();
        if (pages.Count == 0) throw new PdfFormatException("the PDF has no pages");
        ct.ThrowIfCancellationRequested();
        new PdfSigner(TimeProvider.System).CheckSealable(file);
        ct.ThrowIfCancellationRequested();
        return new PdfPreflightResult(pages.Count, FindActiveContent(file, pages));
    }

    private static IReadOnlyList<string> FindActiveContent(PdfFile file, IReadOnlyList<PdfPage> pages)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var budget = MaxActionNodes;
        var catalog = file.Catalog;
        if (catalog.Get("OpenAction") is not null and not PdfNullObj)
        {
            found.Add("OpenAction");
            Action(file, file.Resolve(catalog.Get("OpenAction")), found, ref budget);
        }
        Triggers(file, file.Get(catalog, "AA"), found, ref budget);
        if (file.Get(catalog, "Names") is PdfDictObj names && file.Get(names, "JavaScript") is not null)
            found.Add("JavaScript");
        foreach (var page in pages)
        {
            Triggers(file, file.Get(page.Dictionary, "AA"), found, ref budget);
            if (file.Get(page.Dictionary, "Annots") is not PdfArrayObj annots) continue;
            foreach (var a in annots.Items)
            {
                if (budget <= 0) return [.. found];
                if (file.Resolve(a) is not PdfDictObj annot) continue;
                Action(file, file.Get(annot, "A"), found, ref budget);
                Triggers(file, file.Get(annot, "AA"), found, ref budget);
            }
        }
        return [.. found];
    }

    /// <summary>An additional-actions dictionary: every value is an action.</summary>
    private static void Triggers(PdfFile file, PdfObj? aa, SortedSet<string> found, ref int budget)
    {
        if (aa is not PdfDictObj d) return;
        foreach (var (_, v) in d.Entries)
            Action(file, file.Resolve(v), found, ref budget);
    }

    /// <summary>An action and its /Next chain (ISO 32000-1, 12.6.2), bounded against loops.</summary>
    private static void Action(PdfFile file, PdfObj? action, SortedSet<string> found, ref int budget)
    {
        var pending = new Stack<PdfObj?>();
        pending.Push(action);
        while (pending.Count > 0 && budget-- > 0)
        {
            switch (file.Resolve(pending.Pop()))
            {
                case PdfDictObj a:
                    var kind = a.GetName("S");
                    if (kind == "JavaScript" || a.ContainsKey("JS")) found.Add("JavaScript");
                    if (kind == "Launch") found.Add("Launch");
                    if (a.Get("Next") is { } next) pending.Push(next);
                    break;
                case PdfArrayObj list:
                    foreach (var item in list.Items.Take(budget)) pending.Push(item);
                    break;
            }
        }
    }
}
