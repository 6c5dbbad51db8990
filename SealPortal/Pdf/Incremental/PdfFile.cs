using System.Text;

namespace SealPortal.Pdf.Incremental;

/// <summary>Receives one chunk of file bytes from <see cref="PdfFile.ReadRange"/>.</summary>
public delegate void PdfBytesSink(ReadOnlySpan<byte> chunk);

/// <summary>How an object is stored according to a cross-reference entry.</summary>
public enum PdfXrefEntryType
{
    /// <summary>Free (deleted) object.</summary>
    Free = 0,
    /// <summary>Stored at a byte offset in the file.</summary>
    InUse = 1,
    /// <summary>Stored inside an object stream.</summary>
    Compressed = 2,
}

/// <summary>
/// One cross-reference entry. For <see cref="PdfXrefEntryType.InUse"/>, <see cref="Offset"/> is the
/// byte offset and <see cref="Generation"/> the generation; for <see cref="PdfXrefEntryType.Compressed"/>,
/// <see cref="Offset"/> is the object stream's number and <see cref="Generation"/> the index inside it.
/// </summary>
public readonly record struct PdfXrefEntry(int Number, PdfXrefEntryType Type, long Offset, int Generation);

/// <summary>Kind of cross-reference section.</summary>
public enum PdfXrefKind
{
    /// <summary>Classic "xref" table with a "trailer" dictionary (possibly hybrid with /XRefStm).</summary>
    Table,
    /// <summary>Cross-reference stream (/Type /XRef, PDF 1.5+).</summary>
    Stream,
}

/// <summary>
/// One revision of the document: the original file or one incremental update. Revision 0 is
/// the oldest. A linearized file's first-page section is merged with its main section, since
/// both are written together.
/// </summary>
public sealed class PdfRevision
{
    internal PdfRevision(int index, long xrefOffset, long endOffset, PdfXrefKind kind, PdfDictObj trailer, Dictionary<int, PdfXrefEntry> entries)
    {
        Index = index; XrefOffset = xrefOffset; EndOffset = endOffset; Kind = kind; Trailer = trailer; Entries = entries;
    }

    /// <summary>0 for the oldest revision.</summary>
    public int Index { get; internal set; }
    /// <summary>Offset of this revision's (newest) cross-reference section: what its startxref says.</summary>
    public long XrefOffset { get; internal set; }
    /// <summary>Offset just after this revision's %%EOF marker and its optional end-of-line.</summary>
    public long EndOffset { get; internal set; }
    /// <summary>Kind of this revision's newest section (decides the kind of a new update).</summary>
    public PdfXrefKind Kind { get; internal set; }
    /// <summary>The trailer (for xref streams: the stream's dictionary).</summary>
    public PdfDictObj Trailer { get; internal set; }
    /// <summary>The cross-reference entries this revision itself defines (not inherited ones).</summary>
    public IReadOnlyDictionary<int, PdfXrefEntry> Entries { get; internal set; }
    /// <summary>True when the section carried /XRefStm (a hybrid-reference file).</summary>
    public bool IsHybrid { get; internal set; }
}

/// <summary>A page found by walking the page tree, with inherited attributes resolved.</summary>
/// <param name="Number">1-based page number.</param>
/// <param name="Reference">The page object's reference.</param>
/// <param name="Dictionary">The page dictionary as stored (shared: clone before changing).</param>
/// <param name="MediaBox">Effective /MediaBox [llx lly urx ury].</param>
/// <param name="CropBox">Effective /CropBox (defaults to the media box).</param>
/// <param name="Rotate">Effective /Rotate in degrees (0, 90, 180, 270).</param>
public sealed record PdfPage(int Number, PdfRefObj Reference, PdfDictObj Dictionary, double[] MediaBox, double[] CropBox, int Rotate);

/// <summary>
/// A lazy, random-access PDF reader. It reads the trailer and cross-reference sections
/// (classic tables, xref streams, hybrid files, the /Prev chain, linearized files, incremental
/// updates) when opened, and objects only when asked; the file is never loaded whole.
/// Malformed input raises <see cref="PdfFormatException"/>; an encrypted file raises
/// <see cref="PdfEncryptedException"/>. Not thread-safe; the objects returned are cached and
/// shared, so clone dictionaries/arrays before changing them.
/// </summary>
public sealed class PdfFile : IDisposable
{
    /// <summary>Most cross-reference sections followed in a /Prev chain.</summary>
    public const int MaxSections = 4096;
    /// <summary>Largest decoded size accepted for xref and object streams.</summary>
    public const long MaxStructureStreamBytes = 256L * 1024 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly PdfLexer _lexer;
    private readonly List<PdfRevision> _revisions = [];
    private readonly Dictionary<(PdfXrefEntryType, long, int), PdfObj> _cache = [];
    private readonly HashSet<(PdfXrefEntryType, long, int)> _loading = [];
    private readonly Dictionary<int, (byte[] Data, long[] Offsets, int[] Numbers)> _objStmCache = [];
    private int _maxObjectNumber;
    private PdfReadLimits _limits = PdfReadLimits.Default;
    private long _decodedBytes;
    private int _objectsParsed;

    private PdfFile(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _lexer = new PdfLexer(stream);
    }

    /// <summary>Opens a file for reading (shared read access).</summary>
    public static PdfFile Open(string path)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PdfFormatException($"cannot read the PDF '{path}': {e.Message}", e);
        }
        // A small file is read whole, in one read, and the file closed at once: parsing its structure and
        // copying it into a signed output then read memory instead of the file again and again.
        if (fs.Length <= WholeReadLimit)
        {
            using (fs)
            {
                var all = new byte[fs.Length];
                var n = 0;
                try
                {
                    while (n < all.Length && RandomAccess.Read(fs.SafeFileHandle, all.AsSpan(n), n) is var r and > 0)
                        n += r;
                }
                catch (IOException e)
                {
                    throw new PdfFormatException($"cannot read the PDF '{path}': {e.Message}", e);
                }
                return Open(new MemoryStream(all, 0, n, writable: false));
            }
        }
        try
        {
            var file = Open(fs);
            file.FileHandle = fs.SafeFileHandle;
            return file;
        }
        catch { fs.Dispose(); throw; }
    }

    /// <summary>
    /// The open file under a PDF opened from a path and read in place (larger than <see cref="WholeReadLimit"/>),
    /// else null. Positional reads from it (<see cref="RandomAccess"/>) may run on several threads at once,
    /// which the reader's own reads may not; it lives as long as this reader.
    /// </summary>
    internal Microsoft.Win32.SafeHandles.SafeFileHandle? FileHandle { get; private set; }

    /// <summary>Files up to this size are read into memory whole by <see cref="Open(string)"/>.</summary>
    internal const int WholeReadLimit = 64 << 10;

    /// <summary>Reads the structure of a PDF from a readable, seekable stream.</summary>
    /// <param name="stream">The PDF bytes; must stay open while the reader is used.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves the stream open.</param>
    public static PdfFile Open(Stream stream, bool leaveOpen = false) => Open(stream, leaveOpen, PdfReadLimits.Default);

    /// <summary>As <see cref="Open(Stream, bool)"/>, within tighter <paramref name="limits"/> (e.g. for uploads).</summary>
    public static PdfFile Open(Stream stream, bool leaveOpen, PdfReadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(limits);
        var f = new PdfFile(stream, leaveOpen) { _limits = limits };
        try
        {
            f.ReadStructure();
        }
        catch (PdfFormatException) { throw; }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidCastException
                                      or OverflowException or NullReferenceException or InvalidOperationException or EndOfStreamException)
        {
            throw new PdfFormatException($"the PDF is malformed ({e.Message})", e);
        }
        return f;
    }

    /// <summary>Total size of the file in bytes.</summary>
    public long Length => _lexer.Length;

    /// <summary>Version in the header, e.g. "1.7" or "2.0".</summary>
    public string HeaderVersion { get; private set; } = "";

    /// <summary>Offset of "%PDF-" (normally 0; some files have junk before it).</summary>
    public long HeaderOffset { get; private set; }

    /// <summary>All revisions, oldest first.</summary>
    public IReadOnlyList<PdfRevision> Revisions => _revisions;

    /// <summary>The newest revision.</summary>
    public PdfRevision LatestRevision => _revisions[^1];

    /// <summary>The newest trailer.</summary>
    public PdfDictObj Trailer => LatestRevision.Trailer;

    /// <summary>What the final startxref points to: the /Prev an appended update must carry.</summary>
    public long StartXref { get; private set; }

    /// <summary>True when the first object is a linearization dictionary.</summary>
    public bool IsLinearized { get; private set; }

    /// <summary>Highest object number defined in any revision or declared by /Size minus one.</summary>
    public int MaxObjectNumber => _maxObjectNumber;

    /// <summary>The document catalog (/Root) of the newest revision.</summary>
    public PdfDictObj Catalog => GetCatalog(LatestRevision.Index);

    /// <summary>The document catalog as of a revision.</summary>
    public PdfDictObj GetCatalog(int revision)
        => Resolve(_revisions[revision].Trailer.Get("Root"), revision) as PdfDictObj
           ?? throw new PdfFormatException("the PDF has no document catalog (/Root)");

    // ---------------------------------------------------------------- objects

    /// <summary>
    /// The cross-reference entry in force for an object as of a revision (-1 = newest), or
    /// null when no revision up to it defines the object.
    /// </summary>
    public PdfXrefEntry? GetEntry(int number, int revision = -1)
    {
        var r = revision < 0 ? _revisions.Count - 1 : Math.Min(revision, _revisions.Count - 1);
        for (var i = r; i >= 0; i--)
            if (_revisions[i].Entries.TryGetValue(number, out var e)) return e;
        return null;
    }

    /// <summary>
    /// Reads object <paramref name="number"/> as it was in <paramref name="revision"/> (-1 = newest).
    /// Returns null for free or undefined objects (the PDF null object, as the spec says).
    /// </summary>
    public PdfObj? GetObject(int number, int revision = -1)
    {
        var e = GetEntry(number, revision);
        if (e is null || e.Value.Type == PdfXrefEntryType.Free) return null;
        return Guard(() => Load(e.Value, revision));
    }

    /// <summary>Follows references (as of <paramref name="revision"/>) until a direct object; null stays null.</summary>
    public PdfObj? Resolve(PdfObj? obj, int revision = -1)
    {
        for (var hops = 0; obj is PdfRefObj r; hops++)
        {
            if (hops > 32) throw new PdfFormatException($"reference chain too long at object {r.Number}");
            obj = GetObject(r.Number, revision);
        }
        return obj is PdfNullObj ? null : obj;
    }

    /// <summary>Resolves a dictionary entry, following references.</summary>
    public PdfObj? Get(PdfDictObj dict, string key, int revision = -1) => Resolve(dict.Get(key), revision);

    /// <summary>Raw (still encoded) stream data; refuses streams larger than <paramref name="maxBytes"/>.</summary>
    public byte[] ReadRawStreamData(PdfStreamObj s, long maxBytes = int.MaxValue)
    {
        if (s.RawData is not null) return s.RawData;
        if (s.DataLength > maxBytes || s.DataLength > Array.MaxLength)
            throw new PdfFormatException($"stream of {s.DataLength} bytes is too large to load");
        if (s.DataOffset < 0 || s.DataOffset + s.DataLength > Length)
            throw new PdfFormatException("stream data lies beyond the end of the file");
        var data = new byte[s.DataLength];
        if (_lexer.ReadAt(s.DataOffset, data) != data.Length) throw new PdfFormatException("the PDF is truncated inside a stream");
        return data;
    }

    /// <summary>Decoded stream data (FlateDecode with predictors or unfiltered).</summary>
    public byte[] DecodeStream(PdfStreamObj s, long maxDecoded = MaxStructureStreamBytes, int revision = -1)
        => Guard(() => Counted(PdfStreamDecoder.Decode(s, ReadRawStreamData(s, Math.Min(maxDecoded, _limits.MaxStreamBytes)),
            Math.Min(maxDecoded, _limits.MaxStreamBytes), o => Resolve(o, revision))));

    /// <summary>Charges decoded bytes to the file's budget, so many small bombs fail like one large one.</summary>
    private byte[] Counted(byte[] decoded)
    {
        _decodedBytes += decoded.Length;
        if (_decodedBytes > _limits.MaxTotalDecodedBytes)
            throw new PdfFormatException($"the PDF's compressed structure expands to more than {_limits.MaxTotalDecodedBytes / (1024 * 1024)} MB");
        return decoded;
    }

    /// <summary>
    /// Copies the bytes [<paramref name="offset"/>, <paramref name="offset"/>+<paramref name="count"/>)
    /// of the file to <paramref name="destination"/> with a fixed-size buffer.
    /// </summary>
    public void CopyBytes(long offset, long count, Stream destination)
    {
        var buf = new byte[81920];
        while (count > 0)
        {
            var n = _lexer.ReadAt(offset, buf.AsSpan(0, (int)Math.Min(buf.Length, count)));
            if (n <= 0) throw new PdfFormatException("the PDF is truncated");
            destination.Write(buf, 0, n);
            offset += n;
            count -= n;
        }
    }

    /// <summary>
    /// Streams the bytes [<paramref name="offset"/>, <paramref name="offset"/>+<paramref name="count"/>)
    /// to <paramref name="sink"/> in chunks of at most 81,920 bytes (the chunk is only valid during the call).
    /// </summary>
    public void ReadRange(long offset, long count, PdfBytesSink sink)
    {
        var buf = new byte[81920];
        while (count > 0)
        {
            var n = _lexer.ReadAt(offset, buf.AsSpan(0, (int)Math.Min(buf.Length, count)));
            if (n <= 0) throw new PdfFormatException("the PDF is truncated");
            sink(buf.AsSpan(0, n));
            offset += n;
            count -= n;
        }
    }

    /// <summary>
    /// Reads file bytes at <paramref name="offset"/> into <paramref name="destination"/>; returns how
    /// many were read (fewer only at the end of the file).
    /// </summary>
    internal int ReadAt(long offset, Span<byte> destination) => _lexer.ReadAt(offset, destination);

    /// <summary>Walks the page tree as of a revision (-1 = newest) and returns the pages in order.</summary>
    public IReadOnlyList<PdfPage> GetPages(int revision = -1) => WalkPages(int.MaxValue, revision);

    /// <summary>
    /// The first <paramref name="count"/> pages (fewer when the document has fewer, and then all of them):
    /// the walk of <see cref="GetPages"/>, stopped once it has them, so page 1 of a 300-page file costs
    /// the objects on the way to page 1, not all 300. Nothing beyond is read, so nothing beyond is
    /// checked either; callers that need the whole tree checked use <see cref="GetPages"/>.
    /// </summary>
    public IReadOnlyList<PdfPage> GetFirstPages(int count, int revision = -1) => WalkPages(Math.Max(0, count), revision);

    private IReadOnlyList<PdfPage> WalkPages(int wanted, int revision) => Guard(() =>
    {
        var pages = new List<PdfPage>();
        var root = Get(GetCatalog(revision < 0 ? _revisions.Count - 1 : revision), "Pages", revision) as PdfDictObj
                   ?? throw new PdfFormatException("the PDF has no page tree (/Pages)");
        var rootRef = GetCatalog(revision < 0 ? _revisions.Count - 1 : revision).Get("Pages") as PdfRefObj;
        var visited = new HashSet<int>();
        if (rootRef is not null) visited.Add(rootRef.Number);
        var stack = new Stack<(PdfDictObj Node, int KidIndex, double[]? Media, double[]? Crop, int? Rotate, int Depth)>();
        stack.Push((root, 0, Box(Get(root, "MediaBox", revision)), Box(Get(root, "CropBox", revision)), (int?)(Get(root, "Rotate", revision) as PdfNumObj)?.LongValue, 0));
        while (stack.Count > 0 && pages.Count < wanted)
        {
            var (node, idx, media, crop, rotate, depth) = stack.Pop();
            var kids = Get(node, "Kids", revision) as PdfArrayObj;
            if (kids is null || idx >= kids.Count) continue;
            stack.Push((node, idx + 1, media, crop, rotate, depth));
            if (kids[idx] is not PdfRefObj kidRef) continue;
            if (!visited.Add(kidRef.Number)) throw new PdfFormatException($"the page tree has a loop at object {kidRef.Number}");
            if (GetObject(kidRef.Number, revision) is not PdfDictObj kid) continue;
            var kMedia = Box(Get(kid, "MediaBox", revision)) ?? media;
            var kCrop = Box(Get(kid, "CropBox", revision)) ?? crop;
            var kRotate = (int?)(Get(kid, "Rotate", revision) as PdfNumObj)?.LongValue ?? rotate;
            var isPage = kid.GetName("Type") == "Page" || kid.Get("Type") is null && kid.Get("Kids") is null;
            if (isPage)
            {
                var mb = kMedia ?? [0, 0, 612, 792];
                pages.Add(new PdfPage(pages.Count + 1, kidRef, kid, mb, kCrop ?? mb, ((kRotate ?? 0) % 360 + 360) % 360));
            }
            else
            {
                if (depth > 256) throw new PdfFormatException("the page tree is too deep");
                stack.Push((kid, 0, kMedia, kCrop, kRotate, depth + 1));
            }
        }
        return (IReadOnlyList<PdfPage>)pages;
    });

    private double[]? Box(PdfObj? o)
    {
        if (o is not PdfArrayObj a || a.Count != 4) return null;
        var v = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (Resolve(a[i]) is not PdfNumObj n) return null;
            v[i] = n.DoubleValue;
        }
        return [Math.Min(v[0], v[2]), Math.Min(v[1], v[3]), Math.Max(v[0], v[2]), Math.Max(v[1], v[3])];
    }

    private static T Guard<T>(Func<T> f)
    {
        try { return f(); }
        catch (PdfFormatException) { throw; }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidCastException
                                      or OverflowException or NullReferenceException or EndOfStreamException or InvalidDataException)
        {
            throw new PdfFormatException($"the PDF is malformed ({e.Message})", e);
        }
    }

    private PdfObj? Load(PdfXrefEntry e, int revision)
    {
        var key = (e.Type, e.Offset, e.Generation);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        if (!_loading.Add(key)) throw new PdfFormatException($"circular reference while reading object {e.Number}");
        if (++_objectsParsed > _limits.MaxObjects)
            throw new PdfFormatException($"the PDF has more than {_limits.MaxObjects} objects to read");
        try
        {
            PdfObj value;
            if (e.Type == PdfXrefEntryType.InUse)
            {
                if (e.Offset < 0 || e.Offset >= Length) throw new PdfFormatException($"object {e.Number} points beyond the end of the file");
                _lexer.Position = e.Offset;
                _lexer.LengthResolver = r => Resolve(r, revision);
                var (num, _, v) = _lexer.ReadIndirectObject();
                if (num != e.Number) throw new PdfFormatException($"the cross-reference table is wrong: object {e.Number} expected at offset {e.Offset}, found {num}");
                value = v;
            }
            else
            {
                value = LoadFromObjectStream(e, revision);
            }
            _cache[key] = value;
            return value;
        }
        finally
        {
            _loading.Remove(key);
        }
    }

    private PdfObj LoadFromObjectStream(PdfXrefEntry e, int revision)
    {
        var stmNum = (int)e.Offset;
        if (!_objStmCache.TryGetValue(stmNum, out var os))
        {
            if (GetObject(stmNum, revision) is not PdfStreamObj stm || stm.GetName("Type") is not ("ObjStm" or null))
                throw new PdfFormatException($"object {e.Number} is said to be in object stream {stmNum}, which is not an object stream");
            var n = (Resolve(stm.Get("N"), revision) as PdfNumObj)?.LongValue ?? -1;
            var first = (Resolve(stm.Get("First"), revision) as PdfNumObj)?.LongValue ?? -1;
            var data = DecodeStream(stm, _limits.MaxStreamBytes, revision);
            if (n < 0 || first < 0 || first > data.Length || n > data.Length / 2 + 1)
                throw new PdfFormatException($"object stream {stmNum} has an invalid /N or /First");
            var lex = new PdfLexer(new MemoryStream(data, 0, (int)first, writable: false));
            var offsets = new long[n];
            var numbers = new int[n];
            for (var i = 0; i < n; i++)
            {
                numbers[i] = (int)Math.Min(int.MaxValue, lex.ReadUnsigned("object number in object stream"));
                offsets[i] = first + lex.ReadUnsigned("offset in object stream");
                if (offsets[i] >= data.Length) throw new PdfFormatException($"object stream {stmNum} has an offset beyond its data");
            }
            // A small cache keeps memory bounded while typical access (neighbouring objects) stays fast.
            if (_objStmCache.Count >= 8) _objStmCache.Clear();
            os = (data, offsets, numbers);
            _objStmCache[stmNum] = os;
        }
        var index = e.Generation;
        if (index < 0 || index >= os.Offsets.Length)
            throw new PdfFormatException($"object {e.Number} has index {index} outside object stream {stmNum}");
        if (os.Numbers[index] != e.Number)
            throw new PdfFormatException($"object stream {stmNum} holds object {os.Numbers[index]} where {e.Number} was expected");
        var l = new PdfLexer(new MemoryStream(os.Data, writable: false)) { Position = os.Offsets[index] };
        return l.ReadObject();
    }

    // ---------------------------------------------------------------- structure

    private sealed class Section
    {
        public long Offset;
        public long End;
        public PdfXrefKind Kind;
        public bool Hybrid;
        public PdfDictObj Trailer = new();
        public Dictionary<int, PdfXrefEntry> Entries = [];
    }

    private void ReadStructure()
    {
        if (Length < 16) throw new PdfFormatException("the file is too small to be a PDF");
        Span<byte> head = stackalloc byte[1024];
        var hn = _lexer.ReadAt(0, head);
        var hp = head[..hn].IndexOf("%PDF-"u8);
        if (hp < 0) throw new PdfFormatException("not a PDF: no %PDF- header at the start of the file");
        HeaderOffset = hp;
        var vEnd = hp + 5;
        while (vEnd < hn && (head[vEnd] is >= (byte)'0' and <= (byte)'9' || head[vEnd] == '.')) vEnd++;
        HeaderVersion = Encoding.ASCII.GetString(head[(hp + 5)..vEnd]);

        var tailStart = Math.Max(0, Length - 4096);
        var sx = _lexer.LastIndexOf("startxref"u8, tailStart, Length);
        if (sx < 0) throw new PdfFormatException("the PDF is truncated or damaged: no 'startxref' near the end of the file");
        _lexer.Position = sx + 9;
        var startXref = _lexer.TryReadUnsigned() ?? throw new PdfFormatException("the PDF is damaged: 'startxref' is not followed by an offset");
        if (_lexer.IndexOf("%%EOF"u8, _lexer.Position, Math.Min(Length, _lexer.Position + 1024)) < 0)
            throw new PdfFormatException("the PDF is truncated: no %%EOF after the last startxref");
        startXref += HeaderOffset;
        if (startXref <= 0 || startXref >= Length) throw new PdfFormatException($"the PDF is damaged: startxref {startXref} is outside the file");
        StartXref = startXref;

        var sections = new List<Section>();
        var visited = new HashSet<long>();
        long? next = startXref;
        while (next is { } off)
        {
            if (!visited.Add(off)) throw new PdfFormatException($"the /Prev chain of cross-reference sections loops at offset {off}");
            if (sections.Count >= MaxSections) throw new PdfFormatException("too many cross-reference sections");
            if (off <= 0 || off >= Length) throw new PdfFormatException($"a cross-reference section offset ({off}) is outside the file");
            var s = ReadSection(off);
            sections.Add(s);
            var prev = s.Trailer.Get("Prev") as PdfNumObj;
            next = prev is null ? null : prev.LongValue + HeaderOffset;
        }
        if (sections[0].Trailer.Get("Encrypt") is not null and not PdfNullObj) throw new PdfEncryptedException();

        // Group sections into revisions, oldest first. A section physically ending before an
        // older one (a linearized file's first-page section) belongs to that older revision.
        sections.Reverse();
        foreach (var s in sections)
        {
            if (_revisions.Count > 0 && s.End <= _revisions[^1].EndOffset)
            {
                var r = _revisions[^1];
                var merged = new Dictionary<int, PdfXrefEntry>(r.Entries);
                foreach (var (k, v) in s.Entries) merged[k] = v;
                var t = new PdfDictObj(s.Trailer);
                foreach (var (k, v) in r.Trailer.Entries) if (!t.ContainsKey(k)) t.Set(k, v);
                r.Entries = merged;
                r.Trailer = t;
                r.XrefOffset = s.Offset;
                r.Kind = s.Kind;
                r.IsHybrid |= s.Hybrid;
                continue;
            }
            _revisions.Add(new PdfRevision(_revisions.Count, s.Offset, s.End, s.Kind, s.Trailer, s.Entries) { IsHybrid = s.Hybrid });
        }
        foreach (var r in _revisions)
        {
            foreach (var k in r.Entries.Keys) _maxObjectNumber = Math.Max(_maxObjectNumber, k);
            if (r.Trailer.Get("Size") is PdfNumObj size && size.LongValue > 0 && size.LongValue <= int.MaxValue)
                _maxObjectNumber = Math.Max(_maxObjectNumber, (int)size.LongValue - 1);
        }
        if (Trailer.Get("Root") is not PdfRefObj) throw new PdfFormatException("the PDF trailer has no /Root reference");

        var firstObjPos = _lexer.IndexOf(" obj"u8, HeaderOffset, Math.Min(Length, HeaderOffset + 1024));
        if (firstObjPos > 0)
        {
            _lexer.Position = firstObjPos + 4;
            try { IsLinearized = _lexer.ReadObject() is PdfDictObj ld && ld.ContainsKey("Linearized"); }
            catch (PdfFormatException) { IsLinearized = false; }
        }
    }

    private Section ReadSection(long offset)
    {
        _lexer.Position = offset;
        _lexer.SkipWhite();
        var s = new Section { Offset = offset };
        if (_lexer.TryKeyword("xref"))
        {
            s.Kind = PdfXrefKind.Table;
            ReadXrefTable(s);
            _lexer.SkipWhite();
            if (!_lexer.TryKeyword("trailer")) throw new PdfFormatException($"the cross-reference table at offset {offset} has no trailer");
            s.Trailer = _lexer.ReadObject() as PdfDictObj ?? throw new PdfFormatException($"the trailer after offset {offset} is not a dictionary");
            var after = _lexer.Position;
            if (s.Trailer.Get("XRefStm") is PdfNumObj xs)
            {
                s.Hybrid = true;
                var stmSection = ReadXrefStreamAt(xs.LongValue + HeaderOffset);
                foreach (var (k, v) in stmSection.Entries)
                {
                    if (!s.Entries.TryGetValue(k, out var existing) || existing.Type == PdfXrefEntryType.Free)
                        s.Entries[k] = v;
                }
            }
            s.End = FindEofAfter(after);
        }
        else
        {
            var xs = ReadXrefStreamAt(offset);
            s.Kind = PdfXrefKind.Stream;
            s.Trailer = xs.Trailer;
            s.Entries = xs.Entries;
            s.End = FindEofAfter(xs.End);
        }
        return s;
    }

    private void ReadXrefTable(Section s)
    {
        for (var subsections = 0; ; subsections++)
        {
            if (subsections > 1_000_000) throw new PdfFormatException("too many cross-reference subsections");
            var save = _lexer.Position;
            var start = _lexer.TryReadUnsigned();
            if (start is null) { _lexer.Position = save; return; }
            var count = _lexer.ReadUnsigned("subsection count");
            if (start > int.MaxValue || count > int.MaxValue || count * 18 > Length - _lexer.Position)
                throw new PdfFormatException($"invalid cross-reference subsection at offset {save}");
            for (long i = 0; i < count; i++)
            {
                var off = _lexer.ReadUnsigned("cross-reference entry offset");
                var gen = _lexer.ReadUnsigned("cross-reference entry generation");
                var kind = _lexer.ReadKeyword();
                if (kind is not ("n" or "f")) throw new PdfFormatException($"invalid cross-reference entry at offset {_lexer.Position}");
                // A frequent producer bug numbers the first subsection from 1 although it begins with the free head.
                if (i == 0 && start == 1 && kind == "f" && gen == 65535 && off == 0) start = 0;
                var num = (int)(start.Value + i);
                if (num < 0) throw new PdfFormatException("cross-reference object number overflow");
                if (s.Entries.ContainsKey(num)) continue;
                s.Entries[num] = kind == "n"
                    ? new PdfXrefEntry(num, PdfXrefEntryType.InUse, off + HeaderOffset, (int)Math.Min(gen, 65535))
                    : new PdfXrefEntry(num, PdfXrefEntryType.Free, off, (int)Math.Min(gen, 65535));
            }
        }
    }

    private Section ReadXrefStreamAt(long offset)
    {
        if (offset <= 0 || offset >= Length) throw new PdfFormatException($"a cross-reference stream offset ({offset}) is outside the file");
        _lexer.Position = offset;
        _lexer.LengthResolver = null;
        PdfObj obj;
        try { (_, _, obj) = _lexer.ReadIndirectObject(); }
        catch (PdfFormatException e) { throw new PdfFormatException($"no cross-reference table or stream at offset {offset} (startxref or /Prev is wrong): {e.Message}", e); }
        var end = _lexer.Position;
        if (obj is not PdfStreamObj stm || stm.GetName("Type") != "XRef")
            throw new PdfFormatException($"the object at offset {offset} is not a cross-reference stream");
        if (stm.Get("Encrypt") is not null and not PdfNullObj) throw new PdfEncryptedException();
        var data = Counted(PdfStreamDecoder.Decode(stm, ReadRawStreamData(stm, _limits.MaxStreamBytes), _limits.MaxStreamBytes, o => o is PdfRefObj ? null : o));
        if (stm.Get("W") is not PdfArrayObj w || w.Count < 3) throw new PdfFormatException($"cross-reference stream at offset {offset} has no valid /W");
        var widths = new int[3];
        for (var i = 0; i < 3; i++)
        {
            if (w[i] is not PdfNumObj n || n.LongValue < 0 || n.LongValue > 8) throw new PdfFormatException($"cross-reference stream at offset {offset} has an invalid /W");
            widths[i] = (int)n.LongValue;
        }
        var entrySize = widths[0] + widths[1] + widths[2];
        if (entrySize == 0) throw new PdfFormatException($"cross-reference stream at offset {offset} has an empty /W");
        var size = (stm.Get("Size") as PdfNumObj)?.LongValue ?? 0;
        List<(long Start, long Count)> index = [];
        if (stm.Get("Index") is PdfArrayObj idx)
        {
            for (var i = 0; i + 1 < idx.Count; i += 2)
                if (idx[i] is PdfNumObj a && idx[i + 1] is PdfNumObj b && a.LongValue >= 0 && b.LongValue >= 0)
                    index.Add((a.LongValue, b.LongValue));
        }
        else index.Add((0, size));

        var s = new Section { Offset = offset, Kind = PdfXrefKind.Stream, End = end };
        var trailer = new PdfDictObj(stm);
        foreach (var k in new[] { "Length", "Filter", "DecodeParms", "W", "Index", "Type" }) trailer.Set(k, null);
        s.Trailer = trailer;
        var pos = 0;
        foreach (var (start, count) in index)
        {
            for (long i = 0; i < count; i++)
            {
                if (pos + entrySize > data.Length) return s;
                var type = widths[0] == 0 ? 1 : ReadField(data, pos, widths[0]);
                var f2 = ReadField(data, pos + widths[0], widths[1]);
                var f3 = ReadField(data, pos + widths[0] + widths[1], widths[2]);
                pos += entrySize;
                var num = start + i;
                if (num > int.MaxValue) throw new PdfFormatException("cross-reference object number overflow");
                if (s.Entries.ContainsKey((int)num)) continue;
                switch (type)
                {
                    case 0: s.Entries[(int)num] = new PdfXrefEntry((int)num, PdfXrefEntryType.Free, f2, (int)Math.Min(f3, 65535)); break;
                    case 1: s.Entries[(int)num] = new PdfXrefEntry((int)num, PdfXrefEntryType.InUse, f2 + HeaderOffset, (int)Math.Min(f3, 65535)); break;
                    case 2:
                        if (f2 > int.MaxValue || f3 > int.MaxValue) throw new PdfFormatException("invalid compressed cross-reference entry");
                        s.Entries[(int)num] = new PdfXrefEntry((int)num, PdfXrefEntryType.Compressed, f2, (int)f3);
                        break;
                    default: break; // Unknown types are to be ignored (PDF 32000-1, 7.5.8.3).
                }
            }
        }
        return s;
    }

    private static long ReadField(byte[] data, int pos, int width)
    {
        long v = 0;
        for (var i = 0; i < width; i++) v = (v << 8) | data[pos + i];
        return v;
    }

    private long FindEofAfter(long from)
    {
        var eof = _lexer.IndexOf("%%EOF"u8, from, Math.Min(Length, from + 1024 * 1024));
        if (eof < 0) return Length;
        var end = eof + 5;
        Span<byte> eol = stackalloc byte[2];
        var n = _lexer.ReadAt(end, eol);
        if (n >= 1 && eol[0] == '\r') { end++; if (n == 2 && eol[1] == '\n') end++; }
        else if (n >= 1 && eol[0] == '\n') end++;
        return end;
    }

    /// <summary>The file's last byte, or -1 for an empty file.</summary>
    public int ReadLastByte(Span<byte> scratch)
        => Length > 0 && _lexer.ReadAt(Length - 1, scratch[..1]) == 1 ? scratch[0] : -1;

    /// <summary>Closes the underlying stream unless it was opened with leaveOpen.</summary>
    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }
}

/// <summary>
/// How much one <see cref="PdfFile"/> may read: the largest decoded structure stream, all decoded
/// bytes together, and objects parsed. <see cref="Default"/> suits trusted files of any size;
/// <see cref="Upload"/> bounds what a stranger's upload can cost the server.
/// </summary>
public sealed record PdfReadLimits(long MaxStreamBytes, long MaxTotalDecodedBytes, int MaxObjects)
{
    public static readonly PdfReadLimits Default = new(PdfFile.MaxStructureStreamBytes, long.MaxValue, int.MaxValue);

    /// <summary>
    /// Uploads: no structure stream over 16 MB decoded, 48 MB decoded in all, 200,000 objects,
    /// so one check stays well under 64 MB of extra memory.
    /// </summary>
    public static readonly PdfReadLimits Upload = new(16L * 1024 * 1024, 48L * 1024 * 1024, 200_000);
}
