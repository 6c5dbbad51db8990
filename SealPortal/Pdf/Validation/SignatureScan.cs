using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// Finds signature dictionaries by their bytes alone, without the cross-reference sections,
/// the trailer or the form: a change to any of those must still end in a broken signature,
/// never in "unreadable". A signature is recognised by its /ByteRange array or by a /Contents
/// hex string that holds a DER SEQUENCE (a CMS), and the two are paired when the byte range's
/// gap is that string or when they sit in the same dictionary.
/// </summary>
internal static class SignatureScan
{
    /// <param name="ByteRange">The four numbers, or null when no readable /ByteRange belongs to this signature.</param>
    /// <param name="Contents">Offsets of the /Contents hex string, from '&lt;' to just after '&gt;'.</param>
    /// <param name="Der">The CMS bytes of /Contents (zero padding included), or null.</param>
    /// <param name="Dictionary">The signature dictionary when the object around it still parses.</param>
    /// <param name="FieldName">/T of the field when the signature dictionary sits inline in its field.</param>
    internal sealed record Candidate(long[]? ByteRange, (long Start, long End)? Contents, byte[]? Der, PdfDictObj? Dictionary, string? FieldName)
    {
        /// <summary>Where the signature sits in the file, for ordering and naming.</summary>
        public long Offset => Contents?.Start ?? (ByteRange is { } v ? v[0] + v[1] : 0);
    }

    /// <summary>Fewer hits than this are kept per token; beyond, the file is treated as hostile and the rest ignored.</summary>
    private const int MaxHits = 100_000;
    /// <summary>A CMS is larger than this; smaller hex /Contents are annotation texts.</summary>
    private const int MinCmsBytes = 64;
    /// <summary>How far a /ByteRange and a /Contents of one dictionary may lie apart (besides the hex string itself).</summary>
    private const long SameDictionary = 8192;
    private const int ChunkSize = 1 << 20;

    public static List<Candidate> Find(Stream pdf, CancellationToken ct)
    {
        var (byteRangeHits, contentsHits) = Tokens(pdf, ct);
        var lexer = new PdfLexer(pdf);

        var contents = new List<((long Start, long End) Span, byte[] Bytes)>();
        foreach (var at in contentsHits)
        {
            ct.ThrowIfCancellationRequested();
            if (HexAt(lexer, at + "/Contents".Length) is { } hex && LooksLikeCms(hex.Bytes)) contents.Add(hex);
        }

        var found = new List<Candidate>();
        var paired = new HashSet<long>();
        foreach (var at in byteRangeHits)
        {
            ct.ThrowIfCancellationRequested();
            var values = NumbersAt(lexer, at + "/ByteRange".Length);
            (long Start, long End)? span = null;
            byte[]? der = null;
            if (values is not null)
            {
                var gap = (Start: values[0] + values[1], End: values[2]);
                var match = contents.FirstOrDefault(c => c.Span == gap);
                if (match.Bytes is null && gap.Start >= 0 && gap.Start < gap.End && gap.End <= lexer.Length)
                    if (HexAt(lexer, gap.Start) is { } direct && direct.Span.End == gap.End) match = direct;
                if (match.Bytes is not null) (span, der) = (match.Span, match.Bytes);
            }
            if (span is null)
            {
                // The byte range is damaged (or points elsewhere): take the /Contents of the same dictionary.
                var near = contents.FirstOrDefault(c => !paired.Contains(c.Span.Start)
                    && (Math.Abs(c.Span.Start - at) < SameDictionary || Math.Abs(at - c.Span.End) < SameDictionary));
                if (near.Bytes is not null) (span, der) = (near.Span, near.Bytes);
            }
            if (span is { } s && !paired.Add(s.Start)) continue;
            var (dict, name) = Enclosing(lexer, Math.Min(at, span?.Start ?? at));
            found.Add(new Candidate(values, span, der, dict, name));
            if (found.Count >= PdfSignatureVerifier.MaxSignatures) return found;
        }
        foreach (var c in contents.Where(c => !paired.Contains(c.Span.Start)))
        {
            var (dict, name) = Enclosing(lexer, c.Span.Start);
            found.Add(new Candidate(null, c.Span, c.Bytes, dict, name));
            if (found.Count >= PdfSignatureVerifier.MaxSignatures) break;
        }
        return found;
    }

    /// <summary>Offsets of every "/ByteRange" and "/Contents" token, in one pass over the file.</summary>
    private static (List<long> ByteRange, List<long> Contents) Tokens(Stream pdf, CancellationToken ct)
    {
        var byteRange = new List<long>();
        var contents = new List<long>();
        var buf = new byte[ChunkSize];
        const int overlap = 16;
        long pos = 0;
        var length = pdf.Length;
        while (pos < length)
        {
            ct.ThrowIfCancellationRequested();
            pdf.Position = pos;
            var n = pdf.ReadAtLeast(buf, (int)Math.Min(buf.Length, length - pos), throwOnEndOfStream: false);
            if (n <= 0) break;
            var span = buf.AsSpan(0, n);
            var last = pos + n >= length;
            // A token that starts in the overlap is found again in the next chunk.
            var limit = last ? n : n - overlap;
            Collect(span, "/ByteRange"u8, pos, limit, byteRange, hexOnly: false);
            Collect(span, "/Contents"u8, pos, limit, contents, hexOnly: true);
            if (last) break;
            pos += n - overlap;
        }
        return (byteRange, contents);
    }

    /// <param name="hexOnly">
    /// Keep only hits followed by a hex string: every page has a /Contents that refers to its
    /// content stream, and looking at each of those later would read the file again page by page.
    /// </param>
    private static void Collect(ReadOnlySpan<byte> span, ReadOnlySpan<byte> token, long basePos, int limit, List<long> hits, bool hexOnly)
    {
        for (var from = 0; from < limit && hits.Count < MaxHits;)
        {
            var i = span[from..].IndexOf(token);
            if (i < 0 || from + i >= limit) return;
            var end = from + i + token.Length;
            // The token must not be the start of a longer name.
            if ((end >= span.Length || !IsNameChar(span[end])) && (!hexOnly || MayBeHexString(span[end..])))
                hits.Add(basePos + from + i);
            from = end;
        }
    }

    /// <summary>False only when the bytes show for sure that no hex string (a '&lt;' not doubled) comes next.</summary>
    private static bool MayBeHexString(ReadOnlySpan<byte> rest)
    {
        var i = 0;
        while (i < rest.Length && PdfLexer.IsWhite(rest[i])) i++;
        if (i >= rest.Length) return true;
        if (rest[i] != '<') return false;
        return i + 1 >= rest.Length || rest[i + 1] != '<';
    }

    private static bool IsNameChar(byte b) => !PdfLexer.IsWhite(b) && !PdfLexer.IsDelimiter(b);

    private static bool LooksLikeCms(byte[] b) => b.Length >= MinCmsBytes && b[0] == 0x30;

    /// <summary>The hex string at <paramref name="at"/> (after white space), with its offsets; null when there is none.</summary>
    private static ((long Start, long End) Span, byte[] Bytes)? HexAt(PdfLexer lexer, long at)
    {
        try
        {
            lexer.Position = at;
            lexer.SkipWhite();
            var start = lexer.Position;
            if (lexer.Peek() != '<') return null;
            lexer.Position = start + 1;
            if (lexer.Peek() == '<') return null;
            lexer.Position = start;
            return lexer.ReadObject() is PdfStringObj { IsHex: true } s ? ((start, lexer.Position), s.Bytes) : null;
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            return null;
        }
    }

    /// <summary>Four non-negative integers in brackets at <paramref name="at"/>, else null.</summary>
    private static long[]? NumbersAt(PdfLexer lexer, long at)
    {
        try
        {
            lexer.Position = at;
            if (lexer.ReadObject() is not PdfArrayObj { Count: 4 } a) return null;
            var v = a.Items.Select(i => i as PdfNumObj).ToList();
            return v.All(x => x is { IsInteger: true, LongValue: >= 0 }) ? v.Select(x => x!.LongValue).ToArray() : null;
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// The dictionary of the object that holds the token at <paramref name="at"/> ("N G obj" looked
    /// up backwards), the signature dictionary inside a field when it is inline, and the field's /T.
    /// </summary>
    private static (PdfDictObj? Signature, string? FieldName) Enclosing(PdfLexer lexer, long at)
    {
        try
        {
            var obj = lexer.LastIndexOf("obj"u8, Math.Max(0, at - SameDictionary), at);
            if (obj < 0) return (null, null);
            lexer.Position = obj + 3;
            if (lexer.ReadObject() is not PdfDictObj d) return (null, null);
            if (d.Get("V") is PdfDictObj inline)
                return (inline, (d.Get("T") as PdfStringObj)?.ToText());
            return (d, null);
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            return (null, null);
        }
    }

    private static bool IsParseFailure(Exception ex) =>
        ex is PdfFormatException or IndexOutOfRangeException or ArgumentException or OverflowException or InvalidOperationException;
}
