using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// Verifies every signature of a PDF: the byte range against the file's revisions, the CMS
/// (through <see cref="CmsSignatureVerifier"/>), trust, and what later revisions changed.
/// It never throws for bad input: an unreadable file yields a report with
/// <see cref="Verdict.Unreadable"/> and <see cref="VerificationReport.Error"/>. Only
/// cancellation (<see cref="OperationCanceledException"/>) escapes.
/// </summary>
public static class PdfSignatureVerifier
{
    /// <summary>Most signature fields examined; beyond that the file is treated as hostile.</summary>
    public const int MaxSignatures = 1000;
    private const int MaxFieldNodes = 100_000;
    private const int MaxFieldDepth = 32;
    /// <summary>How many older revisions are searched for signatures removed later.</summary>
    private const int MaxRevisionsSearched = 256;

    public static VerificationReport Verify(Stream pdf, VerifyOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(options);
        if (!pdf.CanSeek || !pdf.CanRead)
            return Unreadable(options, 0, "the PDF must be given as a readable, seekable stream");

        var length = pdf.Length;
        PdfFile file;
        try
        {
            file = PdfFile.Open(pdf, leaveOpen: true);
        }
        catch (PdfEncryptedException)
        {
            return Unreadable(options, length, "the PDF is encrypted; signatures of an encrypted PDF cannot be verified here (remove the protection or ask for the unencrypted original)");
        }
        catch (PdfFormatException ex)
        {
            return FromScanOnly(pdf, options, length, "not a readable PDF: " + ex.Message, ct);
        }

        using (file)
        {
            var newest = file.Revisions.Count - 1;
            List<FoundField> fields;
            string? damage = null;
            try
            {
                fields = FindSignatureFields(file, newest, ct);
            }
            catch (PdfFormatException ex)
            {
                damage = "the PDF's form (signature fields) cannot be read: " + ex.Message;
                fields = [];
            }
            // A later revision can strip a signature out of the form; looking back through the
            // revisions finds it, so the report shows it together with the change that removed it.
            var keys = fields.Select(f => f.Key).ToHashSet();
            for (var rev = newest - 1; rev >= Math.Max(0, newest - MaxRevisionsSearched); rev--)
            {
                List<FoundField> older;
                try { older = FindSignatureFields(file, rev, ct); }
                catch (PdfFormatException) { continue; }
                fields.AddRange(older.Where(f => keys.Add(f.Key)));
            }

            var diff = new RevisionDiff(new PdfRevisionObjects(file));
            var dss = LongTermCheck.ReadDss(file);
            var reports = new List<SignatureReport>();
            try
            {
                foreach (var f in fields)
                {
                    ct.ThrowIfCancellationRequested();
                    try
                    {
                        reports.Add(VerifyOne(file, diff, dss, pdf, f, options, ct));
                    }
                    catch (PdfFormatException ex)
                    {
                        reports.Add(Unreadable(f, ex.Message));
                    }
                }
            }
            finally
            {
                foreach (var c in dss.Certificates) c.Dispose();
            }
            // When an intact signature covers the whole file, every byte is as its signer saw it and
            // the scan could only find what that signer vouched for; skipping it saves a pass over the file.
            if (damage is not null || !reports.Any(r => r.CoversWholeDocument && r.ByteRange.Valid && r.DigestValid && r.SignatureValid))
                reports.AddRange(Unlisted(pdf, reports, damage, options, ct).ToList());
            if (reports.Count == 0 && damage is not null)
                return Unreadable(options, length, damage);
            return Report(LongTermCheck.ApplyArchiveTimestamps(file, reports), options, length, file.Revisions.Count, damage);
        }
    }

    private static VerificationReport Report(List<SignatureReport> reports, VerifyOptions options, long length, int revisions, string? damage)
    {
        reports = reports
            .OrderBy(r => r.RevisionNumber ?? int.MaxValue)
            .ThenBy(r => r.ByteRange.Values.Count == 4 ? r.ByteRange.Values[3] : long.MaxValue)
            .Select((r, i) => r with { Index = i + 1 })
            .ToList();
        var verdict = Decide(reports);
        return new VerificationReport
        {
            Verdict = verdict,
            Summary = Summarise(verdict, reports, options.TrustAnchors.Count > 0),
            StructureDamage = damage,
            TrustAnchorsGiven = options.TrustAnchors.Count > 0,
            FileLength = length,
            RevisionCount = revisions,
            VerifiedAt = options.Now,
            Signatures = reports,
        };
    }

    /// <summary>
    /// A file whose structure cannot be read at all: the signatures found in its bytes are
    /// checked and reported broken, so tampering reads as "invalid", and only a file with no
    /// recoverable signature is "unreadable".
    /// </summary>
    private static VerificationReport FromScanOnly(Stream pdf, VerifyOptions options, long length, string damage, CancellationToken ct)
    {
        var reports = Unlisted(pdf, [], damage, options, ct).ToList();
        return reports.Count == 0 ? Unreadable(options, length, damage) : Report(reports, options, length, 0, damage);
    }

    /// <summary>
    /// Signatures in the file's bytes that the form did not lead to. When the structure is
    /// damaged every one counts; when it reads fine only those that look like a real signature
    /// of this file (range from byte 0, within the file, gap on a hex string) do, so a signed
    /// PDF stored uncompressed inside another is not mistaken for one of its signatures.
    /// </summary>
    private static IEnumerable<SignatureReport> Unlisted(Stream pdf, List<SignatureReport> known, string? damage, VerifyOptions options, CancellationToken ct)
    {
        var gaps = known.Where(r => r.ByteRange.Values.Count == 4).Select(r => r.ByteRange.Values[0] + r.ByteRange.Values[1]).ToHashSet();
        foreach (var c in SignatureScan.Find(pdf, ct))
        {
            ct.ThrowIfCancellationRequested();
            var gapStart = c.ByteRange is { } v ? v[0] + v[1] : (long?)null;
            if (c.Contents is { } span && gaps.Contains(span.Start) || gapStart is long g && gaps.Contains(g)) continue;
            // A signature whose CMS is cut off (a truncated file) cannot be checked at all: nothing is recovered.
            if (damage is not null && DerOnly(c.Der) is null) continue;
            if (damage is null && (c.ByteRange is not [0, _, _, _] || c.Contents is not { } cs || cs.Start != gapStart || cs.End != c.ByteRange[2]
                                   || c.ByteRange[2] + c.ByteRange[3] > pdf.Length))
                continue;
            yield return VerifyScanned(pdf, c, damage, options);
        }
    }

    /// <summary>A signature found only by <see cref="SignatureScan"/>: its ranges are hashed and its CMS checked, and it is never valid.</summary>
    private static SignatureReport VerifyScanned(Stream pdf, SignatureScan.Candidate c, string? damage, VerifyOptions options)
    {
        var sig = c.Dictionary;
        var subFilter = sig?.GetName("SubFilter");
        var kind = sig?.GetName("Type") == "DocTimeStamp" || subFilter == "ETSI.RFC3161" ? SignatureKind.DocumentTimestamp : SignatureKind.Signature;
        var claimedM = ParsePdfDate((sig?.Get("M") as PdfStringObj)?.ToText());
        var length = pdf.Length;
        var problems = new List<string>
        {
            damage is null
                ? "this signature was found only by scanning the file's bytes: the document's form does not lead to it (its field was removed or the objects around it were changed)"
                : "this signature was found only by scanning the file's bytes, because the file's structure is damaged: " + damage,
        };
        long[]? values = null;
        var byteRange = new ByteRangeReport { Values = c.ByteRange ?? [] };
        if (c.ByteRange is { } v)
        {
            var within = v[1] <= length && v[0] <= length - v[1] && v[2] <= length && v[3] <= length - v[2];
            var ordered = v[0] + v[1] <= v[2];
            values = within && ordered ? v : null;
            byteRange = byteRange with
            {
                StartsAtZero = v[0] == 0,
                HasTwoRanges = ordered,
                WithinFile = within,
                GapIsContents = c.Contents is { } s && s.Start == v[0] + v[1] && s.End == v[2],
                CoversRevision = within && EndsAtEof(pdf, v[2] + v[3]),
            };
            if (!byteRange.Valid) problems.Add("the /ByteRange does not cover the file as a signature's must (from byte 0 to an %%EOF, skipping only /Contents)");
        }
        else problems.Add("the signature's /ByteRange is missing or damaged");

        var der = DerOnly(c.Der);
        var digestOf = DigestOfRanges(pdf, values);
        var cms = der is null
            ? CmsOutcome.Unreadable("/Contents holds no DER-encoded CMS")
            : kind == SignatureKind.DocumentTimestamp
                ? DocumentTimestampCheck.Verify(der, digestOf, options)
                : FromCms(der, digestOf, options, claimedM);
        cms.Parsed?.Dispose();
        problems.AddRange(cms.Problems);
        var intact = byteRange.Valid && cms.DigestValid && cms.SignatureValid;
        return new SignatureReport
        {
            Index = 0,
            FieldName = c.FieldName ?? $"(signature at byte {c.Offset})",
            Kind = kind,
            SubFilter = subFilter,
            Status = intact && damage is null ? SignatureStatus.ModifiedAfterSigning : SignatureStatus.Invalid,
            SignerSubject = cms.SignerSubject,
            SignerIssuer = cms.SignerIssuer,
            SignerCertificateSerial = cms.SignerSerial,
            CertificateNotBefore = cms.NotBefore,
            CertificateNotAfter = cms.NotAfter,
            SigningTimeFromDictionary = claimedM,
            SigningTimeFromCms = cms.SigningTime,
            DigestValid = cms.DigestValid,
            SignatureValid = cms.SignatureValid,
            ByteRange = byteRange,
            ChangesAfterSigning = ChangesReport.None,
            Timestamp = cms.Timestamp ?? TimestampReport.None,
            ChainTrusted = options.TrustAnchors.Count > 0 ? cms.ChainTrusted : null,
            CertificateValidAtSigningTime = cms.Decoded ? cms.ValidAtSigningTime : null,
            KeyUsageOk = cms.Decoded ? cms.KeyUsageOk : null,
            FoundByScanning = true,
            Problems = problems.Distinct().ToList(),
        };
    }

    /// <summary>Whether <paramref name="end"/> is just after "%%EOF", allowing the one or two line-end bytes a revision may count.</summary>
    private static bool EndsAtEof(Stream pdf, long end)
    {
        for (var k = 0; k <= 2 && end - k >= 5; k++)
            if (OnlyLineEnds(pdf, end - k, end) && EndsWithEof(pdf, end - k)) return true;
        return false;
    }

    private static VerificationReport Unreadable(VerifyOptions options, long length, string error) => new()
    {
        Verdict = Verdict.Unreadable,
        Summary = "the file could not be read as a PDF, so no signature was checked",
        Error = error,
        TrustAnchorsGiven = options.TrustAnchors.Count > 0,
        FileLength = length,
        VerifiedAt = options.Now,
    };

    /// <summary>A signature whose dictionary or signed bytes cannot be read is reported, as invalid.</summary>
    private static SignatureReport Unreadable(FoundField f, string message) => new()
    {
        Index = 0,
        FieldName = f.Name,
        Kind = SignatureKind.Signature,
        SubFilter = f.Signature.GetName("SubFilter"),
        Status = SignatureStatus.Invalid,
        DigestValid = false,
        SignatureValid = false,
        // The values alone, so the byte scan knows this signature was already reported.
        ByteRange = new ByteRangeReport { Values = (f.Signature.Get("ByteRange") as PdfArrayObj)?.Items.OfType<PdfNumObj>().Select(n => n.LongValue).Take(4).ToList() ?? [] },
        ChangesAfterSigning = ChangesReport.None,
        Problems = ["the signature cannot be read: " + message],
    };

    private static Verdict Decide(IReadOnlyList<SignatureReport> reports)
    {
        if (reports.Count == 0) return Verdict.NoSignatures;
        if (reports.Any(r => r.Status is SignatureStatus.Invalid or SignatureStatus.ModifiedAfterSigning)) return Verdict.Invalid;
        if (reports.Any(r => r.Status == SignatureStatus.Untrusted)) return Verdict.Untrusted;
        if (reports.Any(r => r.Status == SignatureStatus.ValidTrustNotChecked)) return Verdict.ValidTrustNotChecked;
        return Verdict.Valid;
    }

    private static string Summarise(Verdict verdict, IReadOnlyList<SignatureReport> reports, bool anchors)
    {
        var n = reports.Count == 1 ? "1 signature" : $"{reports.Count} signatures";
        return verdict switch
        {
            Verdict.NoSignatures => "the document carries no signature",
            Verdict.Valid => $"{n}, all valid and trusted, no disallowed change after signing",
            Verdict.ValidTrustNotChecked => $"{n}, all intact; trust was not checked because no trust anchors were given",
            Verdict.Untrusted => $"{n} intact, but {reports.Count(r => r.Status == SignatureStatus.Untrusted)} not trusted by the given anchors",
            _ => $"{n}: {reports.Count(r => r.Status == SignatureStatus.Invalid)} invalid, "
                 + $"{reports.Count(r => r.Status == SignatureStatus.ModifiedAfterSigning)} followed by a disallowed change (document modified after signing)"
                 + (anchors ? "" : "; trust not checked"),
        };
    }

    // ------------------------------------------------------------------ fields

    /// <param name="Revision">The newest revision (0-based) in which the field still holds this signature.</param>
    private sealed record FoundField(string Name, PdfDictObj Field, int? FieldObject, PdfDictObj Signature, int? SignatureObject, int Revision)
    {
        /// <summary>Identity across revisions: the signature dictionary's object, else the field's.</summary>
        public string Key => SignatureObject is int s ? $"sig {s}" : $"field {FieldObject} {Name}";
    }

    /// <summary>
    /// Walks /AcroForm /Fields (with /Kids) of the newest revision for signature fields that carry
    /// a value, then the pages' widget annotations: some signers (poppler 22.12's pdfsig among
    /// them) put a new signature field on the page but forget to list it in /Fields, and such a
    /// signature must still be reported.
    /// </summary>
    private static List<FoundField> FindSignatureFields(PdfFile file, int rev, CancellationToken ct)
    {
        var found = new List<FoundField>();
        var seen = new HashSet<int>();
        var visited = 0;
        var stack = new Stack<(PdfObj Node, string Prefix, string? InheritedType, int Depth)>();
        if (file.Get(file.GetCatalog(rev), "AcroForm", rev) is PdfDictObj form && file.Get(form, "Fields", rev) is PdfArrayObj roots)
        {
            for (var i = roots.Count - 1; i >= 0; i--) stack.Push((roots[i], "", null, 0));
            Collect(file, rev, found, seen, stack, ref visited, ct);
        }
        foreach (var page in file.GetPages(rev))
        {
            if (file.Get(page.Dictionary, "Annots", rev) is not PdfArrayObj annots) continue;
            foreach (var a in annots.Items)
            {
                if (a is not PdfRefObj r || seen.Contains(r.Number)) continue;
                if (file.Resolve(a, rev) is not PdfDictObj annot || annot.GetName("Subtype") != "Widget") continue;
                var (prefix, type, top) = FieldOfWidget(file, rev, annot, r);
                if (type != "Sig" || seen.Contains(top.Number)) continue;
                stack.Push((top, prefix, type, 0));
                Collect(file, rev, found, seen, stack, ref visited, ct);
            }
        }
        return found;
    }

    /// <summary>The field a widget belongs to: the widget itself when it carries /T, else its /Parent.</summary>
    private static (string ParentPrefix, string? Type, PdfRefObj Field) FieldOfWidget(PdfFile file, int rev, PdfDictObj widget, PdfRefObj widgetRef)
    {
        var field = widget;
        var fieldRef = widgetRef;
        if (!widget.ContainsKey("T") && widget.Get("Parent") is PdfRefObj p && file.Resolve(p, rev) is PdfDictObj parent)
        {
            field = parent;
            fieldRef = p;
        }
        var names = new List<string>();
        string? type = null;
        var d = file.Resolve(field.Get("Parent"), rev) as PdfDictObj;
        for (var i = 0; i < MaxFieldDepth && d is not null; i++)
        {
            if ((file.Get(d, "T", rev) as PdfStringObj)?.ToText() is string t) names.Insert(0, t);
            type ??= d.GetName("FT");
            d = file.Resolve(d.Get("Parent"), rev) as PdfDictObj;
        }
        type = field.GetName("FT") ?? type;
        return (string.Join(".", names), type, fieldRef);
    }

    private static void Collect(PdfFile file, int rev, List<FoundField> found, HashSet<int> seen, Stack<(PdfObj Node, string Prefix, string? InheritedType, int Depth)> stack, ref int visited, CancellationToken ct)
    {
        while (stack.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var (node, prefix, inheritedType, depth) = stack.Pop();
            if (++visited > MaxFieldNodes || depth > MaxFieldDepth)
                throw new PdfFormatException("the form's field tree is too large or too deep");
            var number = (node as PdfRefObj)?.Number;
            if (number is int n && !seen.Add(n)) continue;
            if (file.Resolve(node, rev) is not PdfDictObj field) continue;

            var partial = (file.Get(field, "T", rev) as PdfStringObj)?.ToText();
            var name = partial is null ? prefix : prefix.Length == 0 ? partial : prefix + "." + partial;
            var type = field.GetName("FT") ?? inheritedType;

            if (file.Get(field, "Kids", rev) is PdfArrayObj kids && kids.Items.Any(k => file.Resolve(k, rev) is PdfDictObj kd && kd.ContainsKey("T")))
            {
                for (var i = kids.Count - 1; i >= 0; i--) stack.Push((kids[i], name, type, depth + 1));
                continue;
            }
            if (type != "Sig") continue;
            var v = field.Get("V");
            if (file.Resolve(v, rev) is not PdfDictObj sig) continue;
            if (found.Count >= MaxSignatures)
                throw new PdfFormatException($"more than {MaxSignatures} signature fields");
            found.Add(new FoundField(name.Length == 0 ? $"(unnamed field {number})" : name, field, number, sig, (v as PdfRefObj)?.Number, rev));
        }
    }

    // ------------------------------------------------------------------ one signature

    private static SignatureReport VerifyOne(PdfFile file, RevisionDiff diff, LongTermCheck.Dss dss, Stream pdf, FoundField f, VerifyOptions options, CancellationToken ct)
    {
        var sig = f.Signature;
        var subFilter = sig.GetName("SubFilter");
        var kind = sig.GetName("Type") == "DocTimeStamp" || subFilter == "ETSI.RFC3161" ? SignatureKind.DocumentTimestamp : SignatureKind.Signature;
        var problems = new List<string>();
        var claimedM = ParsePdfDate((file.Get(sig, "M", f.Revision) as PdfStringObj)?.ToText());

        var contents = file.Get(sig, "Contents", f.Revision) as PdfStringObj;
        var (byteRange, values) = CheckByteRange(file, pdf, f, contents, problems);
        int? signedRevision = null;
        if (values is not null)
            signedRevision = RevisionEndingAt(file, pdf, values[2] + values[3]);

        var definingRevision = DefiningRevision(file, f.SignatureObject ?? f.FieldObject);
        var coversRevision = signedRevision is int sr && definingRevision == sr;
        if (values is not null && signedRevision is null)
            problems.Add("the signed bytes do not end at the end of any revision (%%EOF), so part of a revision is unsigned");
        else if (signedRevision is not null && definingRevision != signedRevision)
            problems.Add($"the signature dictionary was written in revision {(definingRevision ?? -1) + 1}, not in the revision {signedRevision + 1} its byte range covers");
        byteRange = byteRange with { CoversRevision = coversRevision };

        var junk = TrailingJunk(file, pdf);
        ChangesReport changes = ChangesReport.None;
        if (signedRevision is int s)
        {
            try
            {
                changes = diff.Analyse(s, f.SignatureObject, f.FieldObject, DocMdpLevel(file, sig, f.Revision), FieldLockOf(file, f), ct);
            }
            catch (PdfFormatException ex)
            {
                changes = new ChangesReport
                {
                    LaterRevisions = file.Revisions.Count - 1 - s,
                    Changes = [new DocumentChange { Kind = ChangeKind.OtherObjectChanged, Allowed = false, Revision = s + 2, Description = "a later revision could not be read: " + ex.Message }],
                };
            }
            if (junk is long junkBytes)
                changes = changes with
                {
                    Changes = [.. changes.Changes, new DocumentChange
                    {
                        Kind = ChangeKind.UnreadableDataAppended,
                        Allowed = false,
                        Revision = file.Revisions.Count + 1,
                        Description = $"{junkBytes} bytes after the last %%EOF are no readable revision (a viewer may still show them)",
                    }],
                };
            if (!changes.AllAllowed)
                problems.Add("document modified after signing: " + string.Join("; ", changes.Changes.Where(c => !c.Allowed).Select(c => $"revision {c.Revision}: {c.Description}")));
        }

        var der = DerOnly(contents?.Bytes);
        var digestOf = DigestOfRanges(pdf, values);
        CmsOutcome cms = der is null
            ? CmsOutcome.Unreadable("/Contents holds no DER-encoded CMS")
            : kind == SignatureKind.DocumentTimestamp
                ? DocumentTimestampCheck.Verify(der, digestOf, options)
                : FromCms(der, digestOf, options, claimedM);
        problems.AddRange(cms.Problems);
        var provenTime = kind == SignatureKind.DocumentTimestamp ? cms.SigningTime : cms.Timestamp is { Valid: true } ts ? ts.Time : null;
        LongTermCheck.Outcome longTerm;
        try
        {
            longTerm = LongTermCheck.Evaluate(der, kind, provenTime, cms.Timestamp?.Valid == true, dss, options, ct, cms.Parsed);
        }
        finally
        {
            cms.Parsed?.Dispose();
        }
        problems.AddRange(longTerm.Problems);

        var removed = f.Revision < file.Revisions.Count - 1;
        if (removed)
            problems.Add($"revision {f.Revision + 2} removed this signature from the document's form (signature stripped)");

        var anchors = options.TrustAnchors.Count > 0;
        var intact = byteRange.Valid && cms.DigestValid && cms.SignatureValid;
        var certificateOk = cms.ValidAtSigningTime && cms.KeyUsageOk && (cms.Timestamp is null || !cms.Timestamp.Present || cms.Timestamp.Valid);
        var status = !intact || !certificateOk || longTerm.RevokedBeforeSigning ? SignatureStatus.Invalid
            : !changes.AllAllowed || removed ? SignatureStatus.ModifiedAfterSigning
            : !anchors ? SignatureStatus.ValidTrustNotChecked
            : !cms.ChainTrusted || cms.Timestamp is { Trusted: false } ? SignatureStatus.Untrusted
            : SignatureStatus.Valid;
        if (anchors && cms.Decoded && !cms.ChainTrusted && !problems.Any(p => p.Contains("trust", StringComparison.OrdinalIgnoreCase)))
            problems.Add("the signer's certificate does not chain to any of the given trust anchors");

        return new SignatureReport
        {
            Index = 0,
            FieldName = f.Name,
            Kind = kind,
            SubFilter = subFilter,
            Status = status,
            SignerSubject = cms.SignerSubject,
            SignerIssuer = cms.SignerIssuer,
            SignerCertificateSerial = cms.SignerSerial,
            CertificateNotBefore = cms.NotBefore,
            CertificateNotAfter = cms.NotAfter,
            SigningTimeFromDictionary = claimedM,
            SigningTimeFromCms = cms.SigningTime,
            DigestValid = cms.DigestValid,
            SignatureValid = cms.SignatureValid,
            ByteRange = byteRange,
            RevisionNumber = signedRevision + 1,
            CoversWholeDocument = coversRevision && signedRevision == file.Revisions.Count - 1 && junk is null,
            ChangesAfterSigning = changes,
            Timestamp = cms.Timestamp ?? TimestampReport.None,
            ChainTrusted = anchors ? cms.ChainTrusted : null,
            CertificateValidAtSigningTime = cms.Decoded ? cms.ValidAtSigningTime : null,
            KeyUsageOk = cms.Decoded ? cms.KeyUsageOk : null,
            Problems = problems.Distinct().ToList(),
            Level = status == SignatureStatus.Invalid ? null : longTerm.Level,
            VerifiableUntil = longTerm.VerifiableUntil,
            Revocation = longTerm.Revocation,
        };
    }

    /// <summary>
    /// The ByteRange checks that need only the file: shape, bounds, and that the gap is exactly
    /// the /Contents string of this signature dictionary, located with the parser's lexer.
    /// </summary>
    private static (ByteRangeReport Report, long[]? Values) CheckByteRange(PdfFile file, Stream pdf, FoundField f, PdfStringObj? contents, List<string> problems)
    {
        var arr = file.Get(f.Signature, "ByteRange", f.Revision) as PdfArrayObj;
        var nums = arr?.Items.Select(i => i as PdfNumObj).ToList();
        var shapeOk = nums is { Count: 4 } && nums.All(n => n is { IsInteger: true, LongValue: >= 0 });
        var reported = nums?.Where(n => n is not null).Select(n => n!.LongValue).Take(16).ToList() ?? [];
        if (!shapeOk)
        {
            problems.Add(arr is null ? "the signature has no /ByteRange" : "the /ByteRange is not four non-negative integers (exactly two ranges)");
            return (new ByteRangeReport { Values = reported, HasTwoRanges = false, StartsAtZero = reported.FirstOrDefault(-1) == 0 }, null);
        }

        var v = nums!.Select(n => n!.LongValue).ToArray();
        var len = file.Length;
        var within = v[1] <= len && v[0] <= len - v[1] && v[2] <= len && v[3] <= len - v[2];
        var ordered = v[0] + v[1] <= v[2];
        if (v[0] != 0) problems.Add("the first signed range does not start at byte 0");
        if (!within) problems.Add("the /ByteRange points beyond the end of the file");
        if (!ordered) problems.Add("the two signed ranges overlap or are out of order");

        var gapIsContents = false;
        if (within && ordered && contents is not null && (f.SignatureObject ?? f.FieldObject) is int holder)
        {
            var span = ContentsSpan(file, pdf, holder, f.Revision, f.SignatureObject is null);
            gapIsContents = span is var (start, end) && start == v[0] + v[1] && end == v[2] && contents.IsHex;
        }
        if (within && ordered && !gapIsContents)
            problems.Add("the unsigned gap is not exactly the signature's /Contents hex string");

        return (new ByteRangeReport
        {
            Values = v,
            StartsAtZero = v[0] == 0,
            HasTwoRanges = ordered,
            WithinFile = within,
            GapIsContents = gapIsContents,
        }, within && ordered ? v : null);
    }

    /// <summary>
    /// Byte offsets of the /Contents value (from '&lt;' to just after '&gt;') inside the stored object
    /// that holds the signature dictionary; null when it is not stored plainly in the file.
    /// </summary>
    private static (long Start, long End)? ContentsSpan(PdfFile file, Stream pdf, int objectNumber, int revision, bool signatureInsideField)
    {
        var entry = file.GetEntry(objectNumber, revision);
        if (entry is not { Type: PdfXrefEntryType.InUse } e) return null;
        try
        {
            var lexer = new PdfLexer(pdf) { Position = e.Offset };
            if (lexer.TryReadUnsigned() is null || lexer.TryReadUnsigned() is null || !lexer.TryKeyword("obj")) return null;
            return FindValueSpan(lexer, signatureInsideField ? ["V", "Contents"] : ["Contents"], 0);
        }
        catch (Exception ex) when (ex is PdfFormatException or IndexOutOfRangeException or ArgumentException or OverflowException or InvalidOperationException)
        {
            return null;
        }
    }

    private static (long, long)? FindValueSpan(PdfLexer lexer, string[] path, int level)
    {
        lexer.SkipWhite();
        if (lexer.Read() != '<' || lexer.Read() != '<') return null;
        for (var guard = 0; guard < 10_000; guard++)
        {
            lexer.SkipWhite();
            if (lexer.Peek() == '>') return null;
            if (lexer.ReadObject() is not PdfNameObj key) return null;
            lexer.SkipWhite();
            var start = lexer.Position;
            if (key.Value == path[level])
            {
                if (level + 1 < path.Length) return FindValueSpan(lexer, path, level + 1);
                lexer.ReadObject();
                return (start, lexer.Position);
            }
            lexer.ReadObject();
        }
        return null;
    }

    /// <summary>
    /// The 0-based revision whose end is <paramref name="end"/>. A byte range that stops right
    /// after "%%EOF", before the end-of-line the parser counts into the revision, is accepted:
    /// those one or two bytes are only CR/LF.
    /// </summary>
    private static int? RevisionEndingAt(PdfFile file, Stream pdf, long end)
    {
        for (var i = 0; i < file.Revisions.Count; i++)
        {
            var revEnd = file.Revisions[i].EndOffset;
            if (revEnd == end) return i;
            if (end < revEnd && revEnd - end <= 2 && OnlyLineEnds(pdf, end, revEnd) && EndsWithEof(pdf, end)) return i;
        }
        return null;
    }

    private static bool OnlyLineEnds(Stream pdf, long from, long to)
    {
        pdf.Position = from;
        for (var p = from; p < to; p++)
            if (pdf.ReadByte() is not ('\r' or '\n')) return false;
        return true;
    }

    private static bool EndsWithEof(Stream pdf, long end)
    {
        if (end < 5) return false;
        Span<byte> b = stackalloc byte[5];
        pdf.Position = end - 5;
        pdf.ReadExactly(b);
        return b.SequenceEqual("%%EOF"u8);
    }

    /// <summary>Number of bytes after the last revision's end, when they are more than white space.</summary>
    private static long? TrailingJunk(PdfFile file, Stream pdf)
    {
        var end = file.Revisions[^1].EndOffset;
        if (end >= file.Length) return null;
        pdf.Position = end;
        var buf = new byte[1 << 14];
        for (var left = file.Length - end; left > 0;)
        {
            var n = pdf.Read(buf, 0, (int)Math.Min(buf.Length, left));
            if (n <= 0) break;
            if (buf.AsSpan(0, n).IndexOfAnyExcept(" \t\r\n\f\0"u8) >= 0) return file.Length - end;
            left -= n;
        }
        return null;
    }

    /// <summary>The newest revision whose own cross-reference section lists the object.</summary>
    private static int? DefiningRevision(PdfFile file, int? number)
    {
        if (number is not int n) return null;
        for (var i = file.Revisions.Count - 1; i >= 0; i--)
            if (file.Revisions[i].Entries.ContainsKey(n)) return i;
        return null;
    }

    /// <summary>/P of a DocMDP transform in the signature's /Reference (ISO 32000-1 12.8.2.2); default 2.</summary>
    private static int? DocMdpLevel(PdfFile file, PdfDictObj sig, int rev)
    {
        if (file.Get(sig, "Reference", rev) is not PdfArrayObj refs) return null;
        foreach (var item in refs.Items.Take(16))
        {
            if (file.Resolve(item, rev) is not PdfDictObj r || r.GetName("TransformMethod") != "DocMDP") continue;
            var p = file.Get(r, "TransformParams", rev) is PdfDictObj tp ? (file.Get(tp, "P", rev) as PdfNumObj)?.LongValue : null;
            return p is >= 1 and <= 3 ? (int)p : 2;
        }
        return null;
    }

    /// <summary>
    /// The fields this signature locks: a FieldMDP transform in its /Reference (ISO 32000-1
    /// 12.8.2.4), else the /Lock dictionary of its field (12.7.4.5); null when neither is there.
    /// </summary>
    private static FieldLock? FieldLockOf(PdfFile file, FoundField f)
    {
        var rev = f.Revision;
        PdfDictObj? parameters = null;
        if (file.Get(f.Signature, "Reference", rev) is PdfArrayObj refs)
            foreach (var item in refs.Items.Take(16))
                if (file.Resolve(item, rev) is PdfDictObj r && r.GetName("TransformMethod") == "FieldMDP")
                    parameters = file.Get(r, "TransformParams", rev) as PdfDictObj;
        parameters ??= file.Get(f.Field, "Lock", rev) as PdfDictObj;
        if (parameters is null) return null;
        var action = parameters.GetName("Action") switch
        {
            "All" => FieldLockAction.All,
            "Exclude" => FieldLockAction.Exclude,
            _ => FieldLockAction.Include,
        };
        var names = (file.Get(parameters, "Fields", rev) as PdfArrayObj)?.Items.Take(10_000)
            .Select(i => (file.Resolve(i, rev) as PdfStringObj)?.ToText()).OfType<string>().ToList() ?? [];
        return new FieldLock(action, names);
    }

    /// <summary>/Contents is padded with zeros after the DER value; CMS decoders want the value alone.</summary>
    private static byte[]? DerOnly(byte[]? contents)
    {
        if (contents is null || contents.Length == 0) return null;
        try
        {
            AsnDecoder.ReadEncodedValue(contents, AsnEncodingRules.BER, out _, out _, out var consumed);
            return contents[..consumed];
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>Hashes the two signed ranges straight from the stream, in fixed-size chunks, once per algorithm.</summary>
    private static Func<HashAlgorithmName, byte[]> DigestOfRanges(Stream pdf, long[]? v)
    {
        var done = new Dictionary<HashAlgorithmName, byte[]>();
        return alg =>
        {
            if (!done.TryGetValue(alg, out var d)) done[alg] = d = HashRanges(pdf, v, alg);
            return (byte[])d.Clone();
        };
    }

    private static byte[] HashRanges(Stream pdf, long[]? v, HashAlgorithmName alg)
    {
        using var h = IncrementalHash.CreateHash(alg);
        if (v is null) return h.GetHashAndReset();
        var buf = new byte[1 << 16];
        foreach (var (off, count) in new[] { (v[0], v[1]), (v[2], v[3]) })
        {
            pdf.Position = off;
            var left = count;
            while (left > 0)
            {
                var n = pdf.Read(buf, 0, (int)Math.Min(buf.Length, left));
                if (n <= 0) break;
                h.AppendData(buf, 0, n);
                left -= n;
            }
        }
        return h.GetHashAndReset();
    }

    private static CmsOutcome FromCms(byte[] der, Func<HashAlgorithmName, byte[]> digestOf, VerifyOptions options, DateTimeOffset? claimedM)
    {
        CmsVerification c;
        ParsedCms? parsed;
        try
        {
            c = CmsSignatureVerifier.Verify(der, digestOf, new CmsTrustOptions(options.TrustAnchors, options.Now, claimedM), out parsed);
        }
        catch (CryptographicException ex)
        {
            return CmsOutcome.Unreadable("the CMS signature cannot be read: " + ex.Message);
        }
        // The chain's elements are new certificates that nothing else keeps.
        foreach (var e in c.Chain) e.Dispose();
        var cert = c.SignerCertificate;
        // A damaged certificate decodes lazily: its fields can throw long after it was parsed.
        string? subject = c.SignerSubject, issuer = null, serial = null;
        DateTimeOffset? notBefore = null, notAfter = null;
        try
        {
            subject ??= cert?.Subject;
            issuer = cert?.Issuer;
            serial = cert?.SerialNumber;
            notBefore = cert is null ? null : new DateTimeOffset(cert.NotBefore.ToUniversalTime());
            notAfter = cert is null ? null : new DateTimeOffset(cert.NotAfter.ToUniversalTime());
        }
        catch (CryptographicException)
        {
            issuer = serial = null;
        }
        return new CmsOutcome
        {
            Parsed = parsed,
            Decoded = c.Decoded,
            SignerSubject = subject,
            SignerIssuer = issuer,
            SignerSerial = serial,
            NotBefore = notBefore,
            NotAfter = notAfter,
            SigningTime = c.ClaimedSigningTime,
            DigestValid = c.Decoded && c.DigestValid,
            SignatureValid = c.Decoded && c.SignatureValid,
            ChainTrusted = c.Decoded && c.ChainTrusted,
            ValidAtSigningTime = c.Decoded && c.ValidAtSigningTime,
            KeyUsageOk = c.Decoded && c.KeyUsageOk,
            Timestamp = c.Timestamp is null ? null : new TimestampReport
            {
                Present = true,
                // An intact token from an authority the anchors do not vouch for makes the signature
                // "untrusted", not "invalid": trust is reported apart from validity.
                Valid = c.Timestamp.SignatureValid && c.Timestamp.ImprintValid,
                Trusted = options.TrustAnchors.Count == 0 ? null : c.Timestamp.ChainTrusted,
                Time = c.Timestamp.Time,
                Authority = c.Timestamp.TsaSubject,
            },
            Problems = options.TrustAnchors.Count == 0
                ? c.Problems.Where(p => !p.Contains("no trusted root certificates are configured", StringComparison.Ordinal)).ToList()
                : c.Problems,
        };
    }

    /// <summary>PDF date "D:YYYYMMDDHHmmSSOHH'mm'" (ISO 32000-1 7.9.4); every part after the year is optional.</summary>
    internal static DateTimeOffset? ParsePdfDate(string? s)
    {
        if (string.IsNullOrEmpty(s)) return null;
        s = s.Trim();
        if (s.StartsWith("D:", StringComparison.Ordinal)) s = s[2..];
        int Part(int start, int len, int dflt) =>
            s.Length >= start + len && int.TryParse(s.AsSpan(start, len), NumberStyles.None, CultureInfo.InvariantCulture, out var x) ? x : dflt;
        if (s.Length < 4 || !int.TryParse(s.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)) return null;
        var offset = TimeSpan.Zero;
        var tz = s.IndexOfAny(['Z', '+', '-'], 4);
        if (tz >= 0 && s[tz] != 'Z')
        {
            var rest = s[(tz + 1)..].Replace("'", "", StringComparison.Ordinal);
            var hh = rest.Length >= 2 && int.TryParse(rest.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : 0;
            var mm = rest.Length >= 4 && int.TryParse(rest.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
            if (hh > 23 || mm > 59) return null;
            offset = new TimeSpan(hh, mm, 0) * (s[tz] == '-' ? -1 : 1);
        }
        if (tz >= 0) s = s[..tz];
        try
        {
            return new DateTimeOffset(year, Part(4, 2, 1), Part(6, 2, 1), Part(8, 2, 0), Part(10, 2, 0), Part(12, 2, 0), offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>What the report takes from the CMS or document-timestamp check.</summary>
internal sealed record CmsOutcome
{
    /// <summary>The parsed CMS, handed on so the long-term check need not parse it (and load its certificates) again.</summary>
    public ParsedCms? Parsed { get; init; }
    public bool Decoded { get; init; }
    public string? SignerSubject { get; init; }
    public string? SignerIssuer { get; init; }
    public string? SignerSerial { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? NotAfter { get; init; }
    public DateTimeOffset? SigningTime { get; init; }
    public bool DigestValid { get; init; }
    public bool SignatureValid { get; init; }
    public bool ChainTrusted { get; init; }
    public bool ValidAtSigningTime { get; init; }
    public bool KeyUsageOk { get; init; }
    public TimestampReport? Timestamp { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];

    public static CmsOutcome Unreadable(string problem) => new() { Problems = [problem] };
}
