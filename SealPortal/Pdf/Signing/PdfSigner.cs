using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Signing;

/// <summary>A rectangle in PDF user space (points, origin bottom-left).</summary>
public sealed record PdfSealRect(double X, double Y, double Width, double Height);

/// <summary>What to sign and how the seal looks.</summary>
public sealed class PdfSignOptions
{
    /// <summary>1-based page that receives the seal (ignored with <see cref="CrossPage"/>). Default 1.</summary>
    public int Page { get; init; } = 1;
    /// <summary>
    /// Where the seal goes, in points on the page as displayed (after /Rotate), from its
    /// bottom-left corner. Default: 110 × 110 pt, 36 pt from the bottom-right corner.
    /// With <see cref="CrossPage"/>, X is ignored (slices sit on each page's right edge), Width is
    /// the whole seal's width and Y/Height place it vertically (default: vertically centred).
    /// </summary>
    public PdfSealRect? Rect { get; init; }
    /// <summary>Optional /Reason.</summary>
    public string? Reason { get; init; }
    /// <summary>Optional /Location.</summary>
    public string? Location { get; init; }
    /// <summary>Optional /Name (the signer's name) and the text of the default vector seal.</summary>
    public string? SignerName { get; init; }
    /// <summary>The seal image; null draws the default vector seal.</summary>
    public SealBitmap? SealImage { get; init; }
    /// <summary>Cross-page seal (骑缝章): one vertical slice of the seal on the right edge of every page.</summary>
    public bool CrossPage { get; init; }
    /// <summary>
    /// Null: an approval signature. 1, 2 or 3: a certification signature (DocMDP, ISO 32000-1
    /// 12.8.2.2) that allows afterwards nothing (1), form filling and signing (2), or also
    /// annotations (3); validation data and document time-stamps stay possible at every level.
    /// Only the first signature of a document can certify it.
    /// </summary>
    public int? Certify { get; init; }
}

/// <summary>
/// Produces the CMS (DER SignedData) for a /ByteRange digest, and bounds its size so that the
/// /Contents placeholder can be reserved before the digest is known.
/// </summary>
/// <param name="MaxSize">Upper bound of the CMS length in bytes.</param>
/// <param name="BuildAsync">Builds the CMS over the SHA-256 of the signed byte ranges.</param>
public sealed record PdfSignatureContent(int MaxSize, Func<ReadOnlyMemory<byte>, CancellationToken, Task<byte[]>> BuildAsync)
{
    /// <summary>
    /// PAdES (ETSI.CAdES.detached) via <see cref="CadesSignatureBuilder"/>, time-stamped when
    /// <paramref name="tsa"/> is given. /Contents is sized from the real CMS layout and, with a
    /// TSA, from a token that TSA issued (<see cref="TimestampTokenSize"/>), so little of it stays unused.
    /// </summary>
    /// <exception cref="TimestampException">The TSA could not be asked for the size of its tokens.</exception>
    public static async Task<PdfSignatureContent> FromCadesAsync(SigningIdentity identity, ITimestampClient? tsa, CancellationToken ct = default)
    {
        var sample = tsa is null ? null : await TimestampTokenSize.SampleTokenAsync(tsa, ct);
        return new(CadesSignatureBuilder.EstimateMaxSize(identity, sample),
                   (digest, c) => CadesSignatureBuilder.BuildAsync(digest, identity, tsa, c));
    }
}

/// <summary>
/// B-LT in the signing pass: revocation data for the new signature (and for <paramref name="AlsoRequired"/>
/// signature fields, e.g. seals applied just before) from <paramref name="Sources"/>, written as a DSS
/// update right after the signature in the same output file, before its one flush and rename.
/// </summary>
public sealed record ValidationDataOptions(IReadOnlyList<IRevocationSource> Sources, IReadOnlyCollection<string>? AlsoRequired = null);

/// <summary>The request cannot be fulfilled for this document (page out of range, ...); the message is for the user.</summary>
public sealed class PdfSigningException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a signature run produced.</summary>
/// <param name="FieldName">The new signature field's name (e.g. "Seal2").</param>
/// <param name="ByteRange">The four /ByteRange numbers.</param>
/// <param name="WidgetCount">Widgets placed (pages touched).</param>
/// <param name="OutputLength">Size of the signed file.</param>
public sealed record PdfSignResult(string FieldName, long[] ByteRange, int WidgetCount, long OutputLength)
{
    /// <summary>Where the call's time went (the disk phases only from <see cref="PdfSigner.SignFileAsync(string, string, PdfSignatureContent, PdfSignOptions, CancellationToken)"/>).</summary>
    public PdfSignTimings? Timings { get; init; }
}

/// <summary>
/// Adds a visible PAdES signature (a seal) to a PDF in one incremental update, so that earlier
/// signatures stay valid. The input bytes are copied unchanged and hashed in the same pass.
/// </summary>
public sealed class PdfSigner(TimeProvider time)
{
    /// <summary>
    /// Whether <see cref="SignFileAsync"/> forces the output to disk (fsync) before the rename.
    /// True by default so that a crash never leaves a renamed but incomplete file; the bench turns
    /// it off once to show the engine's own cost apart from the disk's.
    /// </summary>
    public bool FlushToDisk { get; init; } = true;

    /// <summary>
    /// Signs <paramref name="inputPath"/> into <paramref name="outputPath"/> through a temporary
    /// file in the output's folder, flushed to disk and renamed over the output only when
    /// complete; on any error no output (and no temporary file) is left. Input and output may be
    /// the same path.
    /// </summary>
    /// <exception cref="PdfFormatException">Unreadable, malformed or encrypted input.</exception>
    /// <exception cref="PdfSigningException">Page out of range or a signature larger than reserved.</exception>
    public Task<PdfSignResult> SignFileAsync(string inputPath, string outputPath, PdfSignatureContent signature,
        PdfSignOptions options, CancellationToken ct = default) =>
        SignFileAsync(inputPath, outputPath, signature, options, null, ct);

    /// <summary>
    /// As <see cref="SignFileAsync(string, string, PdfSignatureContent, PdfSignOptions, CancellationToken)"/>,
    /// and with <paramref name="validation"/> also PAdES B-LT in the same pass: the DSS is a second
    /// incremental update (after the signature, so its VRI can name it) appended to the same
    /// temporary file, which is then flushed and renamed once. Nothing is read or written twice.
    /// </summary>
    /// <exception cref="RevocationException">Revocation data for a required certificate could not be obtained; no output is left.</exception>
    public async Task<PdfSignResult> SignFileAsync(string inputPath, string outputPath, PdfSignatureContent signature,
        PdfSignOptions options, ValidationDataOptions? validation, CancellationToken ct = default)
    {
        var clock = new SignClock();
        var fullOut = Path.GetFullPath(outputPath);
        var dir = Path.GetDirectoryName(fullOut) ?? ".";
        var temp = Path.Combine(dir, $".{Path.GetFileName(fullOut)}.{Guid.NewGuid():N}.tmp");
        var moved = false;
        Microsoft.Win32.SafeHandles.SafeFileHandle? previous = null;
        try
        {
            PdfSignResult result;
            using (var src = PdfFile.Open(inputPath))
            {
                await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                result = await SignCoreAsync(src, output, signature, options, clock, ct);
                if (validation is not null)
                {
                    result = result with { OutputLength = await AppendValidationDataAsync(output, result.FieldName, validation, ct) };
                    clock.Validated = SignClock.Now;
                }
                output.Flush(flushToDisk: FlushToDisk);
            }
            clock.FileSynced = SignClock.Now;
            previous = OpenPrevious(fullOut);
            File.Move(temp, fullOut, overwrite: true);
            moved = true;
            clock.Renamed = SignClock.Now;
            // The rename itself is durable only once the folder is flushed; without this a power cut could
            // bring back the previous file after the seal was reported written.
            if (FlushToDisk)
            {
                DurableFolder.Sync(dir);
                clock.FolderSynced = SignClock.Now;
            }
            return result with { Timings = clock.ToTimings() };
        }
        finally
        {
            // The replaced version is freed when this last handle to it closes: by ReplacedFiles, after the seal is durable.
            if (previous is not null)
                ReplacedFiles.Free(previous);
            try { if (!moved && File.Exists(temp)) File.Delete(temp); }
            catch (IOException) { }
        }
    }

    /// <summary>
    /// A handle to the file a seal is about to replace, or null. Replacing a file frees its old version (its
    /// blocks and cached pages) inside the rename, which for a large file takes milliseconds; while a handle
    /// is open the old version lives on unnamed, and it is freed only when the handle closes. The new output's
    /// durability does not depend on it (Linux and macOS; elsewhere a file that is open cannot be replaced).
    /// </summary>
    internal static Microsoft.Win32.SafeHandles.SafeFileHandle? OpenPrevious(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return null;
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads the signed file back from the output stream, collects its validation data and appends the DSS update.</summary>
    private static async Task<long> AppendValidationDataAsync(FileStream output, string fieldName, ValidationDataOptions validation, CancellationToken ct)
    {
        output.Flush();
        PdfUpdateBytes update;
        using (var signed = PdfFile.Open(output, leaveOpen: true))
        {
            var required = new HashSet<string>(validation.AlsoRequired ?? [], StringComparer.Ordinal) { fieldName };
            var entries = await DssWriter.CollectAsync(DssWriter.FindSignatures(signed), validation.Sources, s => required.Contains(s.FieldName), ct);
            update = DssWriter.BuildUpdate(signed, entries);
        }
        output.Seek(0, SeekOrigin.End);
        if (output.Position != update.BaseOffset)
            throw new InvalidOperationException("the DSS update does not start where the signed file ends");
        output.Write(update.Bytes);
        return output.Length;
    }

    /// <summary>
    /// Writes the signed document (source bytes + update) to <paramref name="output"/>, which
    /// must be seekable: the CMS is written into the reserved /Contents after hashing.
    /// </summary>
    public async Task<PdfSignResult> SignAsync(PdfFile source, Stream output, PdfSignatureContent signature,
        PdfSignOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanSeek) throw new ArgumentException("the output stream must be seekable", nameof(output));
        var clock = new SignClock();
        var result = await SignCoreAsync(source, output, signature, options, clock, ct);
        return result with { Timings = clock.ToTimings() };
    }

    private async Task<PdfSignResult> SignCoreAsync(PdfFile source, Stream output, PdfSignatureContent signature,
        PdfSignOptions options, SignClock clock, CancellationToken ct)
    {
        if (signature.MaxSize <= 0 || signature.MaxSize > 1 << 20) throw new ArgumentOutOfRangeException(nameof(signature), "signature size out of range");
        var image = options.SealImage;

        var writer = new PdfIncrementalWriter(source);
        var (fieldName, sigRef, widgets) = AddSignatureObjects(source, writer, signature.MaxSize, options, image);
        var update = writer.Build();
        clock.Prepared = SignClock.Now;

        var (byteRange, total) = await SignatureSlot.WriteAsync(source, update, sigRef, signature.MaxSize, output, (d, c) => signature.BuildAsync(d, c), ct,
            startWriteback: FlushToDisk, clock: clock);
        return new PdfSignResult(fieldName, byteRange, widgets, total);
    }

    /// <summary>
    /// Builds in memory, without writing anything, the update a cross-page seal would add: every
    /// page, the form and the cross-reference data the signer needs are read and checked, so an
    /// upload can be refused for what would otherwise fail at sealing, after every approval.
    /// </summary>
    /// <exception cref="PdfFormatException">The PDF cannot be sealed as it is; the message is for the user.</exception>
    /// <exception cref="PdfSigningException">Its certification forbids any change.</exception>
    public void CheckSealable(PdfFile source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var writer = new PdfIncrementalWriter(source);
        AddSignatureObjects(source, writer, 16, new PdfSignOptions { CrossPage = true }, null);
        writer.Build();
    }

    private (string FieldName, PdfRefObj SigRef, int Widgets) AddSignatureObjects(PdfFile src, PdfIncrementalWriter writer,
        int maxCms, PdfSignOptions options, SealBitmap? image)
    {
        // A seal on one page reads the page tree only as far as that page: fewer pages than asked for means the
        // walk reached the end, so the count in the message is the document's.
        var pages = options.CrossPage || options.Page < 1 ? src.GetPages() : src.GetFirstPages(options.Page);
        if (pages.Count == 0) throw new PdfFormatException("the PDF has no pages");
        if (!options.CrossPage && (options.Page < 1 || options.Page > pages.Count))
            throw new PdfSigningException($"page {options.Page} is out of range: the PDF has {pages.Count} page{(pages.Count == 1 ? "" : "s")}");
        if (options.Rect is { } rr && (rr.Width <= 0 || rr.Height <= 0 || !double.IsFinite(rr.X + rr.Y + rr.Width + rr.Height)))
            throw new PdfSigningException("the seal rectangle needs a positive width and height");

        var rootRef = src.Trailer.Get("Root") as PdfRefObj ?? throw new PdfFormatException("the PDF trailer has no /Root reference");
        if (CertificationForbidsChanges(src))
            throw new PdfSigningException("the PDF is certified with \"no changes allowed\"; adding a seal would break its certification");
        if (options.Certify is int level && level is < 1 or > 3)
            throw new PdfSigningException($"certification level {level} does not exist: use 1 (no changes), 2 (form filling and signing) or 3 (also annotations)");
        if (options.Certify is not null && IsSigned(src))
            throw new PdfSigningException("the PDF is already signed; only the first signature of a document can certify it");
        var catalog = src.Catalog.Clone();
        var catalogChanged = DeclareEsic(src, catalog);
        var pdfa = PdfAIdentification.Detect(src);

        PdfDictObj acro;
        PdfRefObj? acroRef = catalog.Get("AcroForm") as PdfRefObj;
        if (acroRef is not null) acro = (src.Resolve(acroRef) as PdfDictObj)?.Clone() ?? new PdfDictObj();
        else acro = (catalog.Get("AcroForm") as PdfDictObj)?.Clone() ?? new PdfDictObj();

        var fieldName = UniqueFieldName(src, acro);
        var sigDict = new PdfDictObj()
            .Set("Type", new PdfNameObj("Sig"))
            .Set("Filter", new PdfNameObj("Adobe.PPKLite"))
            .Set("SubFilter", new PdfNameObj("ETSI.CAdES.detached"))
            .Set("M", new PdfStringObj(Encoding.ASCII.GetBytes(PdfDate(time.GetUtcNow()))));
        if (!string.IsNullOrWhiteSpace(options.SignerName)) sigDict.Set("Name", PdfStringObj.FromText(options.SignerName));
        if (!string.IsNullOrWhiteSpace(options.Reason)) sigDict.Set("Reason", PdfStringObj.FromText(options.Reason));
        if (!string.IsNullOrWhiteSpace(options.Location)) sigDict.Set("Location", PdfStringObj.FromText(options.Location));
        // The seal locks its own field (FieldMDP): a verifier then refuses any later change to it.
        var fieldLock = new PdfDictObj()
            .Set("Type", new PdfNameObj("TransformParams"))
            .Set("Action", new PdfNameObj("Include"))
            .Set("Fields", new PdfArrayObj([PdfStringObj.FromText(fieldName)]))
            .Set("V", new PdfNameObj("1.2"));
        var references = new PdfArrayObj();
        if (options.Certify is int p)
            references.Items.Add(new PdfDictObj()
                .Set("Type", new PdfNameObj("SigRef"))
                .Set("TransformMethod", new PdfNameObj("DocMDP"))
                .Set("TransformParams", new PdfDictObj()
                    .Set("Type", new PdfNameObj("TransformParams"))
                    .Set("P", new PdfNumObj(p))
                    .Set("V", new PdfNameObj("1.2"))));
        references.Items.Add(new PdfDictObj()
            .Set("Type", new PdfNameObj("SigRef"))
            .Set("TransformMethod", new PdfNameObj("FieldMDP"))
            .Set("TransformParams", fieldLock)
            .Set("Data", rootRef));
        sigDict.Set("Reference", references);
        sigDict.Set("ByteRange", SignatureSlot.ByteRange());
        sigDict.Set("Contents", SignatureSlot.Contents(maxCms));
        var sigRef = writer.Add(sigDict);

        var targets = options.CrossPage ? pages : [pages[options.Page - 1]];
        var sealW = options.Rect?.Width ?? 110;
        var sealH = options.Rect?.Height ?? 110;
        var forms = SealAppearance.AddSlices(writer, image, options.SignerName, sealW, sealH, targets.Select(t => t.Rotate).ToList(), pdfa);
        var sliceW = sealW / targets.Count;

        var fieldRef = writer.Reserve();
        var field = new PdfDictObj()
            .Set("FT", new PdfNameObj("Sig"))
            .Set("T", PdfStringObj.FromText(fieldName))
            .Set("V", sigRef)
            .Set("Lock", new PdfDictObj(fieldLock).Set("Type", new PdfNameObj("SigFieldLock")).Set("V", null));
        var kids = new PdfArrayObj();
        var changedArrays = new Dictionary<int, PdfArrayObj>();
        for (var i = 0; i < targets.Count; i++)
        {
            var page = targets[i];
            // Placement is worked out on the page as displayed (after /Rotate), then mapped back
            // to user space; the appearance's /Matrix turns the drawing so it reads upright.
            var crop = page.CropBox;
            var quarter = page.Rotate / 90 % 2 == 1;
            var viewW = quarter ? crop[3] - crop[1] : crop[2] - crop[0];
            var viewH = quarter ? crop[2] - crop[0] : crop[3] - crop[1];
            double vx, vy;
            if (options.CrossPage)
            {
                vx = viewW - sliceW;
                vy = options.Rect?.Y ?? viewH / 2 - sealH / 2;
            }
            else
            {
                vx = options.Rect?.X ?? Math.Max(0, viewW - 36 - sealW);
                vy = options.Rect?.Y ?? Math.Max(0, Math.Min(viewH - sealH, 36));
            }
            var (x, y, x2, y2) = ViewToUser(crop, page.Rotate, vx, vy, vx + sliceW, vy + sealH);
            var widget = options.CrossPage ? new PdfDictObj() : field;
            widget.Set("Type", new PdfNameObj("Annot"))
                  .Set("Subtype", new PdfNameObj("Widget"))
                  .Set("F", new PdfNumObj(132))
                  .Set("P", page.Reference)
                  .Set("Rect", new PdfArrayObj([new PdfNumObj(x), new PdfNumObj(y), new PdfNumObj(x2), new PdfNumObj(y2)]))
                  .Set("AP", new PdfDictObj().Set("N", forms[i]));
            PdfRefObj widgetRef;
            if (options.CrossPage)
            {
                widget.Set("Parent", fieldRef).Set("FT", new PdfNameObj("Sig")).Set("V", sigRef);
                widgetRef = writer.Add(widget);
                kids.Items.Add(widgetRef);
            }
            else widgetRef = fieldRef;

            var pageDict = page.Dictionary.Clone();
            if (AppendToArray(src, writer, pageDict, "Annots", widgetRef, changedArrays))
                writer.Set(page.Reference, pageDict);
        }
        if (options.CrossPage) field.Set("Kids", kids);
        writer.Set(fieldRef, field);

        var acroChanged = AppendToArray(src, writer, acro, "Fields", fieldRef, changedArrays);
        // With NeedAppearances true, poppler-based viewers (and others) rebuild every field's
        // appearance and draw a signature field empty: the seal would vanish. Fields that lack an
        // appearance are still drawn by those viewers from their values; PDF 2.0 deprecates the
        // flag and PDF/A-2 and later forbid it.
        if (src.Resolve(acro.Get("NeedAppearances")) is PdfBoolObj { Value: true })
        {
            acro.Set("NeedAppearances", new PdfBoolObj(false));
            acroChanged = true;
        }
        if ((src.Resolve(acro.Get("SigFlags")) as PdfNumObj)?.LongValue is not { } flags || (flags & 3) != 3)
        {
            acro.Set("SigFlags", new PdfNumObj(((src.Resolve(acro.Get("SigFlags")) as PdfNumObj)?.LongValue ?? 0) | 3));
            acroChanged = true;
        }
        if (acroRef is not null)
        {
            if (acroChanged) writer.Set(acroRef, acro);
        }
        else if (catalog.Get("AcroForm") is null)
        {
            catalog.Set("AcroForm", writer.Add(acro));
            catalogChanged = true;
        }
        else if (acroChanged)
        {
            catalog.Set("AcroForm", acro);
            catalogChanged = true;
        }
        if (options.Certify is not null)
        {
            catalog.Set("Perms", new PdfDictObj().Set("DocMDP", sigRef));
            catalogChanged = true;
        }
        if (catalogChanged) writer.Set(rootRef, catalog);
        return (fieldName, sigRef, targets.Count);
    }

    /// <summary>
    /// Declares the PAdES extension (ETSI EN 319 142-1, 5.2: /Extensions /ESIC with /BaseVersion /1.7
    /// and /ExtensionLevel 2) in the catalog unless it already is; other developer extensions stay.
    /// Returns true when the catalog changed.
    /// </summary>
    private static bool DeclareEsic(PdfFile src, PdfDictObj catalog)
    {
        var extensions = src.Resolve(catalog.Get("Extensions")) as PdfDictObj;
        if (src.Resolve(extensions?.Get("ESIC")) is PdfDictObj esic
            && src.Resolve(esic.Get("BaseVersion")) is PdfNameObj { Value: "1.7" }
            && (src.Resolve(esic.Get("ExtensionLevel")) as PdfNumObj)?.LongValue >= 2)
            return false;
        var updated = extensions?.Clone() ?? new PdfDictObj();
        updated.Set("ESIC", new PdfDictObj().Set("BaseVersion", new PdfNameObj("1.7")).Set("ExtensionLevel", new PdfNumObj(2)));
        catalog.Set("Extensions", updated);
        return true;
    }

    /// <summary>
    /// Appends <paramref name="item"/> to the array at <paramref name="key"/>. An indirect array is
    /// rewritten as its own object; returns true when <paramref name="owner"/> itself changed.
    /// </summary>
    internal static bool AppendToArray(PdfFile src, PdfIncrementalWriter writer, PdfDictObj owner, string key, PdfObj item,
        Dictionary<int, PdfArrayObj> changedArrays)
    {
        var v = owner.Get(key);
        if (v is PdfRefObj r)
        {
            if (!changedArrays.TryGetValue(r.Number, out var arr))
            {
                if (src.Resolve(r) is PdfArrayObj existing)
                {
                    arr = existing.Clone();
                    changedArrays[r.Number] = arr;
                }
            }
            if (arr is not null)
            {
                arr.Items.Add(item);
                writer.Set(r, arr);
                return false;
            }
        }
        var list = v is PdfArrayObj direct ? direct.Clone() : new PdfArrayObj();
        list.Items.Add(item);
        owner.Set(key, list);
        return true;
    }

    /// <summary>
    /// Maps a rectangle given on the displayed page (origin bottom-left as the reader sees it)
    /// to default user space for a page whose /Rotate turns it clockwise by <paramref name="rotate"/>.
    /// </summary>
    private static (double X1, double Y1, double X2, double Y2) ViewToUser(double[] crop, int rotate, double vx1, double vy1, double vx2, double vy2)
    {
        (double X, double Y) Map(double vx, double vy) => rotate switch
        {
            90 => (crop[2] - vy, crop[1] + vx),
            180 => (crop[2] - vx, crop[3] - vy),
            270 => (crop[0] + vy, crop[3] - vx),
            _ => (crop[0] + vx, crop[1] + vy),
        };
        var a = Map(vx1, vy1);
        var b = Map(vx2, vy2);
        return (Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Max(a.X, b.X), Math.Max(a.Y, b.Y));
    }

    /// <summary>
    /// True when a certification signature (/Perms /DocMDP) sets access permission P = 1, under
    /// which any later change, even a new signature, invalidates the certification (PDF 32000-1, 12.8.2.2).
    /// </summary>
    private static bool CertificationForbidsChanges(PdfFile src)
    {
        if (src.Resolve(src.Catalog.Get("Perms")) is not PdfDictObj perms) return false;
        if (src.Resolve(perms.Get("DocMDP")) is not PdfDictObj sig) return false;
        if (src.Resolve(sig.Get("Reference")) is not PdfArrayObj refs) return false;
        foreach (var r in refs.Items)
        {
            if (src.Resolve(r) is not PdfDictObj sr || src.Resolve(sr.Get("TransformMethod")) is not PdfNameObj { Value: "DocMDP" }) continue;
            var p = (src.Resolve(sr.Get("TransformParams")) as PdfDictObj)?.Get("P");
            if ((src.Resolve(p) as PdfNumObj)?.LongValue == 1) return true;
        }
        return false;
    }

    /// <summary>Whether a signature field of the form (or one level of its kids) already holds a signature.</summary>
    private static bool IsSigned(PdfFile src)
    {
        if (src.Resolve(src.Catalog.Get("Perms")) is PdfDictObj) return true;
        if (src.Resolve(src.Catalog.Get("AcroForm")) is not PdfDictObj form || src.Resolve(form.Get("Fields")) is not PdfArrayObj fields) return false;
        foreach (var f in fields.Items.Take(100_000))
        {
            if (src.Resolve(f) is not PdfDictObj fd) continue;
            var kids = (src.Resolve(fd.Get("Kids")) as PdfArrayObj)?.Items.Take(10_000).Select(k => src.Resolve(k)).OfType<PdfDictObj>() ?? [];
            if (new[] { fd }.Concat(kids).Any(d => src.Resolve(d.Get("V")) is PdfDictObj v && v.ContainsKey("ByteRange"))) return true;
        }
        return false;
    }

    internal static string UniqueFieldName(PdfFile src, PdfDictObj acro, string prefix = "Seal")
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (src.Resolve(acro.Get("Fields")) is PdfArrayObj fields)
        {
            foreach (var f in fields.Items.Take(100_000))
                if (src.Resolve(f) is PdfDictObj fd && src.Resolve(fd.Get("T")) is PdfStringObj t)
                    names.Add(t.ToText());
        }
        for (var i = 1; ; i++)
            if (!names.Contains($"{prefix}{i}")) return $"{prefix}{i}";
    }

    /// <summary>A PDF date string (PDF 32000-1, 7.9.4) in UTC.</summary>
    public static string PdfDate(DateTimeOffset t)
        => "D:" + t.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+00'00'";
}
