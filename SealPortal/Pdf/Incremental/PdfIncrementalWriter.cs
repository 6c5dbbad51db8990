namespace SealPortal.Pdf.Incremental;

/// <summary>
/// Collects new and changed objects and serializes them as an incremental update appended to
/// the unchanged original bytes: objects, then a cross-reference section of the same kind as
/// the source's newest one (classic table or xref stream) with /Prev, /Size, /Root, /Info and
/// /ID, then startxref and %%EOF.
/// </summary>
public sealed class PdfIncrementalWriter
{
    private readonly PdfFile _source;
    private readonly SortedDictionary<int, (int Generation, PdfObj? Value)> _objects = [];
    private int _nextNumber;

    /// <summary>Starts an update of <paramref name="source"/>.</summary>
    public PdfIncrementalWriter(PdfFile source)
    {
        _source = source;
        var size = (source.Trailer.Get("Size") as PdfNumObj)?.LongValue ?? 0;
        _nextNumber = (int)Math.Max(Math.Min(size, int.MaxValue - 1), source.MaxObjectNumber + 1L);
    }

    /// <summary>The document being updated.</summary>
    public PdfFile Source => _source;

    /// <summary>Allocates a new object number; give it a value with <see cref="Set"/> before building.</summary>
    public PdfRefObj Reserve()
    {
        if (_nextNumber >= 8_388_607) throw new PdfFormatException("the PDF has too many objects to add more");
        var r = new PdfRefObj(_nextNumber++, 0);
        _objects[r.Number] = (0, null);
        return r;
    }

    /// <summary>Adds a new object and returns its reference.</summary>
    public PdfRefObj Add(PdfObj value)
    {
        var r = Reserve();
        Set(r, value);
        return r;
    }

    /// <summary>Gives a reserved object its value, or replaces an existing object in this update.</summary>
    public void Set(PdfRefObj reference, PdfObj value)
    {
        if (value is PdfStreamObj { RawData: null })
            throw new ArgumentException("an update can only write streams held in memory", nameof(value));
        _objects[reference.Number] = (reference.Generation, value);
    }

    /// <summary>Objects written so far by this update (number → value).</summary>
    public IEnumerable<KeyValuePair<int, PdfObj?>> Objects => _objects.Select(kv => new KeyValuePair<int, PdfObj?>(kv.Key, kv.Value.Value));

    /// <summary>
    /// Serializes the update. The returned bytes are meant to follow the source file's last
    /// byte; they start with an end-of-line if the source does not end with one.
    /// </summary>
    public PdfUpdateBytes Build()
    {
        foreach (var (num, (_, v)) in _objects)
            if (v is null) throw new InvalidOperationException($"object {num} was reserved but never set");

        var w = new PdfByteWriter(4096 + _objects.Count * 256);
        var baseOffset = _source.Length;
        Span<byte> last = stackalloc byte[1];
        if (_source.Length > 0 && (_source.ReadLastByte(last) is var lb && lb is not ('\n' or '\r'))) w.WriteByte((byte)'\n');

        var spans = new Dictionary<int, (int Start, int End)>();
        var offsets = new SortedDictionary<int, (long Offset, int Gen)>();
        foreach (var (num, (gen, value)) in _objects)
        {
            var start = w.Length;
            offsets[num] = (baseOffset + start, gen);
            w.WriteLong(num); w.WriteByte((byte)' '); w.WriteLong(gen); w.WriteAscii(" obj\n");
            value!.WriteTo(w);
            w.WriteAscii("\nendobj\n");
            spans[num] = (start, w.Length);
        }

        var prev = _source.StartXref;
        var id = NewId(w.WrittenSpan);
        var trailer = new PdfDictObj();
        long xrefOffset;
        if (_source.LatestRevision.Kind == PdfXrefKind.Stream)
        {
            var xrefNum = _nextNumber++;
            xrefOffset = baseOffset + w.Length;
            offsets[xrefNum] = (xrefOffset, 0);
            var size = Math.Max(_nextNumber, SourceSize());
            var maxOffset = xrefOffset;
            var offWidth = 1;
            while (offWidth < 8 && maxOffset >= 1L << (8 * offWidth)) offWidth++;
            var index = new PdfArrayObj();
            var data = new List<byte>(offsets.Count * (3 + offWidth));
            foreach (var (start, count) in Runs(offsets.Keys))
            {
                index.Items.Add(new PdfNumObj(start));
                index.Items.Add(new PdfNumObj(count));
            }
            foreach (var (_, (off, gen)) in offsets)
            {
                data.Add(1);
                for (var i = offWidth - 1; i >= 0; i--) data.Add((byte)(off >> (8 * i)));
                data.Add((byte)(gen >> 8)); data.Add((byte)gen);
            }
            var d = new PdfDictObj()
                .Set("Type", new PdfNameObj("XRef"))
                .Set("Size", new PdfNumObj(size))
                .Set("Index", index)
                .Set("W", new PdfArrayObj([new PdfNumObj(1), new PdfNumObj(offWidth), new PdfNumObj(2)]));
            CopyTrailerKeys(d, id);
            d.Set("Prev", new PdfNumObj(prev - _source.HeaderOffset));
            w.WriteLong(xrefNum); w.WriteAscii(" 0 obj\n");
            new PdfStreamObj(d, [.. data]).WriteTo(w);
            w.WriteAscii("\nendobj\n");
        }
        else
        {
            xrefOffset = baseOffset + w.Length;
            w.WriteAscii("xref\n");
            foreach (var (start, count) in Runs(offsets.Keys))
            {
                w.WriteLong(start); w.WriteByte((byte)' '); w.WriteLong(count); w.WriteByte((byte)'\n');
                for (var n = start; n < start + count; n++)
                {
                    var (off, gen) = offsets[n];
                    w.WriteAscii((off - _source.HeaderOffset).ToString("D10", System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteByte((byte)' ');
                    w.WriteAscii(gen.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteAscii(" n\r\n");
                }
            }
            trailer.Set("Size", new PdfNumObj(Math.Max(_nextNumber, SourceSize())));
            CopyTrailerKeys(trailer, id);
            trailer.Set("Prev", new PdfNumObj(prev - _source.HeaderOffset));
            w.WriteAscii("trailer\n");
            trailer.WriteTo(w);
            w.WriteByte((byte)'\n');
        }
        w.WriteAscii("startxref\n");
        w.WriteLong(xrefOffset - _source.HeaderOffset);
        w.WriteAscii("\n%%EOF\n");
        return new PdfUpdateBytes(w, baseOffset, spans);
    }

    private long SourceSize() => (_source.Trailer.Get("Size") as PdfNumObj)?.LongValue ?? 0;

    private void CopyTrailerKeys(PdfDictObj target, PdfArrayObj id)
    {
        foreach (var key in new[] { "Root", "Info" })
            if (_source.Trailer.Get(key) is { } v and not PdfNullObj) target.Set(key, v);
        target.Set("ID", id);
    }

    /// <summary>
    /// The file identifier after this update (ISO 32000-1, 14.4): the first element stays the
    /// source's (the document's permanent identity), the second changes with every update. It is
    /// the first 16 bytes of SHA-256 over the previous second element and the new objects, so it
    /// differs for every different update and is the same for the same bytes. A source without a
    /// usable /ID gets both elements from that digest.
    /// </summary>
    private PdfArrayObj NewId(ReadOnlySpan<byte> newObjects)
    {
        var old = _source.Trailer.Get("ID") as PdfArrayObj;
        var first = old is { Items.Count: 2 } && old.Items[0] is PdfStringObj f && f.Bytes.Length > 0 ? f : null;
        var oldSecond = old is { Items.Count: 2 } && old.Items[1] is PdfStringObj s ? s.Bytes : [];
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        sha.AppendData(oldSecond);
        sha.AppendData(newObjects);
        var second = new PdfStringObj(sha.GetHashAndReset().AsSpan(0, 16).ToArray(), hex: true);
        return new PdfArrayObj([first ?? second, second]);
    }

    private static IEnumerable<(int Start, int Count)> Runs(IEnumerable<int> sortedNumbers)
    {
        int start = -1, count = 0;
        foreach (var n in sortedNumbers)
        {
            if (count > 0 && n == start + count) { count++; continue; }
            if (count > 0) yield return (start, count);
            start = n; count = 1;
        }
        if (count > 0) yield return (start, count);
    }

    /// <summary>
    /// Writes the complete updated file: the source bytes copied unchanged with a fixed-size
    /// buffer, then the update.
    /// </summary>
    public void WriteTo(Stream output)
    {
        var update = Build();
        _source.CopyBytes(0, _source.Length, output);
        output.Write(update.Bytes);
    }
}

/// <summary>The serialized update and where each object landed inside it.</summary>
public sealed class PdfUpdateBytes
{
    private readonly PdfByteWriter _writer;

    internal PdfUpdateBytes(PdfByteWriter writer, long baseOffset, Dictionary<int, (int Start, int End)> spans)
    {
        _writer = writer;
        BaseOffset = baseOffset;
        ObjectSpans = spans;
    }

    /// <summary>The update's bytes (patchable in place, e.g. a signature placeholder).</summary>
    public Span<byte> Bytes => _writer.WrittenSpanMutable;

    /// <summary>File offset of the update's first byte (the source file's length).</summary>
    public long BaseOffset { get; }

    /// <summary>For each object number, its [start, end) inside <see cref="Bytes"/>.</summary>
    public IReadOnlyDictionary<int, (int Start, int End)> ObjectSpans { get; }
}
