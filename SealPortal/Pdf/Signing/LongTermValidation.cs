using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Signing;

/// <summary>The PAdES baseline levels (ETSI EN 319 142-1, 6): each one includes the one before.</summary>
public enum PadesLevel
{
    /// <summary>B-B: a CAdES signature.</summary>
    BB,
    /// <summary>B-T: plus a signature time-stamp proving when it was made.</summary>
    BT,
    /// <summary>B-LT: plus, in the DSS, the certificates and revocation data to verify it offline later.</summary>
    BLT,
    /// <summary>B-LTA: plus a document time-stamp over all of that, renewed before its authority's certificate expires.</summary>
    BLTA,
}

public static class PadesLevels
{
    /// <summary>"B-B", "B-T", "B-LT", "B-LTA".</summary>
    public static string Name(this PadesLevel level) => level switch
    {
        PadesLevel.BB => "B-B",
        PadesLevel.BT => "B-T",
        PadesLevel.BLT => "B-LT",
        _ => "B-LTA",
    };

    /// <summary>Reads "B-B", "B-T", "B-LT" or "B-LTA" (case and dash optional).</summary>
    public static bool TryParse(string? text, out PadesLevel level)
    {
        var t = (text ?? "").Replace("-", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        (var ok, level) = t switch
        {
            "BB" => (true, PadesLevel.BB),
            "BT" => (true, PadesLevel.BT),
            "BLT" => (true, PadesLevel.BLT),
            "BLTA" => (true, PadesLevel.BLTA),
            _ => (false, PadesLevel.BB),
        };
        return ok;
    }
}

/// <summary>
/// Raises an already signed PDF to B-LT (adds the DSS) and B-LTA (adds a document time-stamp),
/// and renews the archive time-stamp of a B-LTA file. Each step is one incremental update
/// written to a temporary file beside the target and renamed over it, so a failure leaves the
/// file as it was.
/// </summary>
public static class LongTermValidation
{
    /// <summary>
    /// Adds a DSS with validation data for every signature and document time-stamp of the file
    /// (those already in the DSS are merged, not repeated).
    /// </summary>
    /// <param name="requiredFields">Signature fields whose data must be complete (e.g. the seals just
    /// applied); for the others whatever the sources know is added. Null: every signature.</param>
    /// <exception cref="RevocationException">Revocation data could not be obtained for some certificate.</exception>
    /// <exception cref="PdfFormatException">The file cannot be read.</exception>
    public static async Task AddValidationDataAsync(string path, IReadOnlyList<IRevocationSource> sources,
        IReadOnlyCollection<string>? requiredFields, CancellationToken ct)
    {
        IReadOnlyList<VriEntry> entries;
        using (var probe = PdfFile.Open(path))
        {
            var signatures = DssWriter.FindSignatures(probe);
            if (signatures.Count == 0) throw new PdfSigningException("the PDF has no signature to add validation data for");
            entries = await DssWriter.CollectAsync(signatures, sources,
                requiredFields is null ? null : s => requiredFields.Contains(s.FieldName), ct);
        }
        await ReplaceAsync(path, (src, output) =>
        {
            DssWriter.Write(src, output, entries);
            return Task.CompletedTask;
        }, ct);
    }

    /// <summary>Adds an ETSI.RFC3161 document time-stamp (ISO 32000-2, 12.8.5) over the whole file.</summary>
    /// <exception cref="TimestampException">The time-stamp could not be obtained.</exception>
    public static async Task AddDocumentTimestampAsync(string path, ITimestampClient tsa, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tsa);
        var sample = await TimestampTokenSize.SampleTokenAsync(tsa, ct);
        var maxDer = sample.Length + TimestampTokenSize.Variation;
        await ReplaceAsync(path, async (src, output) =>
        {
            var writer = new PdfIncrementalWriter(src);
            var sigRef = writer.Add(new PdfDictObj()
                .Set("Type", new PdfNameObj("DocTimeStamp"))
                .Set("Filter", new PdfNameObj("Adobe.PPKLite"))
                .Set("SubFilter", new PdfNameObj("ETSI.RFC3161"))
                .Set("ByteRange", SignatureSlot.ByteRange())
                .Set("Contents", SignatureSlot.Contents(maxDer)));
            AddInvisibleField(src, writer, sigRef);
            var update = writer.Build();
            await SignatureSlot.WriteAsync(src, update, sigRef, maxDer, output, (digest, c) => tsa.RequestTokenAsync(digest, c), ct);
        }, ct);
    }

    /// <summary>
    /// Renews the archive time-stamp of a B-LTA file (ETSI EN 319 142-1, 5.5): validation data
    /// for the last document time-stamp (and anything else not yet in the DSS), then a new
    /// document time-stamp over it. Call it before the last time-stamp's certificate chain expires.
    /// </summary>
    public static async Task RenewArchiveTimestampAsync(string path, IReadOnlyList<IRevocationSource> sources, ITimestampClient tsa, CancellationToken ct)
    {
        string? last;
        using (var pdf = PdfFile.Open(path))
            last = DssWriter.FindSignatures(pdf).LastOrDefault(s => s.IsDocumentTimestamp)?.FieldName;
        await AddValidationDataAsync(path, sources, last is null ? null : [last], ct);
        await AddDocumentTimestampAsync(path, tsa, ct);
    }

    /// <summary>
    /// Until when the newest document time-stamp keeps the file verifiable: the earliest expiry
    /// in its authority's certificate chain (from the token and the DSS). Null when the file has
    /// no document time-stamp (it is not B-LTA, so there is nothing to renew).
    /// </summary>
    public static DateTimeOffset? ArchiveTimestampExpiry(PdfFile pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var last = DssWriter.FindSignatures(pdf).LastOrDefault(s => s.IsDocumentTimestamp);
        if (last is null || !System.Security.Cryptography.Pkcs.Rfc3161TimestampToken.TryDecode(last.Der, out var token, out _) || token is null)
            return null;
        var signed = token.AsSignedCms();
        var tsa = signed.SignerInfos.Count > 0 ? signed.SignerInfos[0].Certificate : null;
        if (tsa is null) return null;
        var pool = signed.Certificates.Cast<System.Security.Cryptography.X509Certificates.X509Certificate2>()
            .Concat(Validation.LongTermCheck.ReadDss(pdf).Certificates).ToList();
        return Validation.LongTermCheck.EarliestExpiry(Validation.LongTermCheck.Chain(tsa, pool));
    }

    /// <summary>
    /// A document time-stamp is a signature field without appearance: a zero-size, hidden and
    /// locked widget on page 1, listed in /AcroForm /Fields.
    /// </summary>
    private static void AddInvisibleField(PdfFile src, PdfIncrementalWriter writer, PdfRefObj sigRef)
    {
        var pages = src.GetPages();
        if (pages.Count == 0) throw new PdfFormatException("the PDF has no pages");
        var rootRef = src.Trailer.Get("Root") as PdfRefObj ?? throw new PdfFormatException("the PDF trailer has no /Root reference");
        var catalog = src.Catalog.Clone();
        var acroRef = catalog.Get("AcroForm") as PdfRefObj;
        var acro = (src.Resolve(catalog.Get("AcroForm")) as PdfDictObj)?.Clone() ?? new PdfDictObj();
        var page = pages[0];
        var fieldRef = writer.Reserve();
        writer.Set(fieldRef, new PdfDictObj()
            .Set("FT", new PdfNameObj("Sig"))
            .Set("T", PdfStringObj.FromText(PdfSigner.UniqueFieldName(src, acro, "DocTimeStamp")))
            .Set("V", sigRef)
            .Set("Type", new PdfNameObj("Annot"))
            .Set("Subtype", new PdfNameObj("Widget"))
            .Set("F", new PdfNumObj(132))
            .Set("P", page.Reference)
            .Set("Rect", new PdfArrayObj([new PdfNumObj(0), new PdfNumObj(0), new PdfNumObj(0), new PdfNumObj(0)])));
        var changed = new Dictionary<int, PdfArrayObj>();
        var pageDict = page.Dictionary.Clone();
        if (PdfSigner.AppendToArray(src, writer, pageDict, "Annots", fieldRef, changed))
            writer.Set(page.Reference, pageDict);
        var acroChanged = PdfSigner.AppendToArray(src, writer, acro, "Fields", fieldRef, changed);
        if ((src.Resolve(acro.Get("SigFlags")) as PdfNumObj)?.LongValue is not { } flags || (flags & 3) != 3)
        {
            acro.Set("SigFlags", new PdfNumObj(((src.Resolve(acro.Get("SigFlags")) as PdfNumObj)?.LongValue ?? 0) | 3));
            acroChanged = true;
        }
        if (acroRef is not null)
        {
            if (acroChanged) writer.Set(acroRef, acro);
        }
        else if (acroChanged)
        {
            catalog.Set("AcroForm", catalog.Get("AcroForm") is null ? writer.Add(acro) : acro);
            writer.Set(rootRef, catalog);
        }
    }

    private static async Task ReplaceAsync(string path, Func<PdfFile, Stream, Task> write, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var src = PdfFile.Open(full))
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.None))
            {
                await write(src, output);
                ct.ThrowIfCancellationRequested();
                output.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            try { if (File.Exists(temp)) File.Delete(temp); }
            catch (IOException) { }
        }
    }
}
