using System.Collections.Concurrent;

namespace SealPortal.Features.Seals.Imaging;

/// <summary>What kind of outlines a font file carries, decided from its table directory alone.</summary>
public enum FontOutlineKind
{
    NotAFont,
    TrueType,
    Cff,
}

/// <summary>
/// A minimal reader for TrueType-outline fonts (.ttf, and the first face of a .ttc):
/// enough to map characters to glyphs, read advance widths and turn glyphs into paths.
/// Hinting, kerning and CFF outlines are deliberately out of scope: a seal needs
/// large, evenly placed characters, nothing more.
/// </summary>
public sealed class TrueTypeFont
{
    private const uint TrueTypeVersion = 0x00010000;

    private static readonly ConcurrentDictionary<string, Lazy<TrueTypeFont>> LoadedFonts = new(StringComparer.Ordinal);

    private readonly FontBytes _bytes;
    private readonly int _glyfOffset;
    private readonly int _glyfLength;
    private readonly int _locaOffset;
    private readonly bool _longLoca;
    private readonly int _hmtxOffset;
    private readonly int _hmtxLength;
    private readonly int _numberOfHMetrics;
    private readonly CharacterMap _cmap;
    private readonly ConcurrentDictionary<int, VectorPath> _outlines = new();

    public string Source { get; }
    public int UnitsPerEm { get; }
    public int GlyphCount { get; }

    private TrueTypeFont(byte[] data, string source, int faceIndex)
    {
        Source = source;
        _bytes = new FontBytes(data, source);
        var faceOffset = FaceOffset(_bytes, faceIndex);
        var tables = ReadTableDirectory(_bytes, faceOffset);

        if (!tables.ContainsKey("glyf") && (tables.ContainsKey("CFF ") || tables.ContainsKey("CFF2")))
            throw new FontFormatException(
                $"Font {source} has CFF (PostScript) outlines, which are not supported: use a TrueType (glyf) CJK font such as fonts-wqy-zenhei.");

        var head = RequireTable(tables, "head", 54);
        UnitsPerEm = _bytes.U16(head.Offset + 18, "head.unitsPerEm");
        if (UnitsPerEm is < 16 or > 16384)
            throw new FontFormatException($"Font {source} has an invalid unitsPerEm ({UnitsPerEm}).");
        var indexToLocFormat = _bytes.I16(head.Offset + 50, "head.indexToLocFormat");
        if (indexToLocFormat is not (0 or 1))
            throw new FontFormatException($"Font {source} has an invalid indexToLocFormat ({indexToLocFormat}).");
        _longLoca = indexToLocFormat == 1;

        var maxp = RequireTable(tables, "maxp", 6);
        GlyphCount = _bytes.U16(maxp.Offset + 4, "maxp.numGlyphs");
        if (GlyphCount == 0)
            throw new FontFormatException($"Font {source} contains no glyphs.");

        var loca = RequireTable(tables, "loca", (GlyphCount + 1) * (_longLoca ? 4 : 2));
        _locaOffset = loca.Offset;
        var glyf = RequireTable(tables, "glyf", 0);
        _glyfOffset = glyf.Offset;
        _glyfLength = glyf.Length;

        var hhea = RequireTable(tables, "hhea", 36);
        _numberOfHMetrics = _bytes.U16(hhea.Offset + 34, "hhea.numberOfHMetrics");
        var hmtx = RequireTable(tables, "hmtx", _numberOfHMetrics * 4);
        if (_numberOfHMetrics == 0)
            throw new FontFormatException($"Font {source} has no horizontal metrics.");
        _hmtxOffset = hmtx.Offset;
        _hmtxLength = hmtx.Length;

        var cmap = RequireTable(tables, "cmap", 4);
        _cmap = CharacterMap.Read(_bytes, cmap.Offset, cmap.Length, GlyphCount);
    }

    /// <summary>Parses a font held in memory; faceIndex selects a face of a TrueType Collection.</summary>
    public static TrueTypeFont Parse(byte[] data, string source, int faceIndex = 0) => new(data, source, faceIndex);

    /// <summary>
    /// Loads a font file once per process: CJK fonts are tens of megabytes and every seal
    /// would otherwise read and parse them again.
    /// </summary>
    /// <exception cref="FontNotFoundException">the file cannot be read.</exception>
    /// <exception cref="FontFormatException">the file is not a usable TrueType font.</exception>
    public static TrueTypeFont Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var lazy = LoadedFonts.GetOrAdd(fullPath, p => new Lazy<TrueTypeFont>(() => Parse(ReadFontFile(p), p)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed load must not stay cached: the file may be replaced by a good one.
            LoadedFonts.TryRemove(new KeyValuePair<string, Lazy<TrueTypeFont>>(fullPath, lazy));
            throw;
        }
    }

    private static byte[] ReadFontFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FontNotFoundException($"Cannot read font file {path}: {ex.Message}");
        }
    }

    /// <summary>
    /// Reads only the table directory of the first face, so that choosing among installed
    /// fonts does not read 20 MB CFF collections we could not use anyway.
    /// </summary>
    public static FontOutlineKind Probe(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var header = ReadAt(stream, 0, 12);
            var faceOffset = 0L;
            if (header.Length == 12 && header[0] == 't' && header[1] == 't' && header[2] == 'c' && header[3] == 'f')
            {
                var first = ReadAt(stream, 12, 4);
                if (first.Length < 4)
                    return FontOutlineKind.NotAFont;
                faceOffset = (uint)first[0] << 24 | (uint)first[1] << 16 | (uint)first[2] << 8 | first[3];
                header = ReadAt(stream, faceOffset, 12);
            }
            if (header.Length < 12)
                return FontOutlineKind.NotAFont;
            var numTables = header[4] << 8 | header[5];
            var directory = ReadAt(stream, faceOffset + 12, numTables * 16);
            if (directory.Length < numTables * 16)
                return FontOutlineKind.NotAFont;
            var hasGlyf = false;
            var hasCff = false;
            for (var i = 0; i < numTables; i++)
            {
                var tag = System.Text.Encoding.ASCII.GetString(directory, i * 16, 4);
                hasGlyf |= tag == "glyf";
                hasCff |= tag is "CFF " or "CFF2";
            }
            return hasGlyf ? FontOutlineKind.TrueType : hasCff ? FontOutlineKind.Cff : FontOutlineKind.NotAFont;
        }
        catch (IOException)
        {
            return FontOutlineKind.NotAFont;
        }
        catch (UnauthorizedAccessException)
        {
            return FontOutlineKind.NotAFont;
        }
    }

    private static byte[] ReadAt(FileStream stream, long offset, int count)
    {
        if (offset < 0 || offset >= stream.Length)
            return [];
        stream.Position = offset;
        var buffer = new byte[Math.Min(count, (int)Math.Min(int.MaxValue, stream.Length - offset))];
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Glyph id for a Unicode code point; 0 (.notdef) when the font lacks it.</summary>
    public int GetGlyphId(int codePoint) => _cmap.Lookup(codePoint);

    public int GetAdvanceWidth(int glyphId)
    {
        CheckGlyphId(glyphId);
        var index = Math.Min(glyphId, _numberOfHMetrics - 1);
        var offset = (long)_hmtxOffset + index * 4L;
        if (index * 4L + 2 > _hmtxLength)
            throw new FontFormatException($"Font {Source}: hmtx is too short for glyph {glyphId}.");
        return _bytes.U16(offset, "hmtx.advanceWidth");
    }

    /// <summary>The glyph outline in font units, y pointing up, origin on the baseline.</summary>
    public VectorPath GetGlyphOutline(int glyphId)
    {
        CheckGlyphId(glyphId);
        return _outlines.GetOrAdd(glyphId, id => ToPath(ReadGlyph(id, 0, new PointBudget())));
    }

    private void CheckGlyphId(int glyphId)
    {
        if (glyphId < 0 || glyphId >= GlyphCount)
            throw new ArgumentOutOfRangeException(nameof(glyphId), $"glyph {glyphId} is outside 0..{GlyphCount - 1}");
    }

    private (int Offset, int Length) GlyphLocation(int glyphId)
    {
        long start, end;
        if (_longLoca)
        {
            start = _bytes.U32(_locaOffset + glyphId * 4L, "loca");
            end = _bytes.U32(_locaOffset + (glyphId + 1) * 4L, "loca");
        }
        else
        {
            start = _bytes.U16(_locaOffset + glyphId * 2L, "loca") * 2L;
            end = _bytes.U16(_locaOffset + (glyphId + 1) * 2L, "loca") * 2L;
        }
        if (end < start || end > _glyfLength)
            throw new FontFormatException($"Font {Source}: loca entry of glyph {glyphId} ({start}..{end}) lies outside glyf ({_glyfLength} bytes).");
        return ((int)(_glyfOffset + start), (int)(end - start));
    }

    private const int MaxCompositeDepth = 8;
    private const int MaxPointsPerGlyph = 1 << 16;

    /// <summary>
    /// Points (and components) one glyph may still produce. Depth alone does not bound the
    /// work: a damaged composite that lists itself many times would grow exponentially.
    /// </summary>
    private sealed class PointBudget
    {
        public int Remaining { get; private set; } = MaxPointsPerGlyph;

        public void Spend(int points, string source, int glyphId)
        {
            Remaining -= points;
            if (Remaining < 0)
                throw new FontFormatException($"Font {source}: glyph {glyphId} expands to more than {MaxPointsPerGlyph} points.");
        }
    }

    private List<List<OutlinePoint>> ReadGlyph(int glyphId, int depth, PointBudget budget)
    {
        if (depth > MaxCompositeDepth)
            throw new FontFormatException($"Font {Source}: composite glyphs nest deeper than {MaxCompositeDepth} levels (a cycle?).");
        budget.Spend(1, Source, glyphId);
        var (offset, length) = GlyphLocation(glyphId);
        if (length == 0)
            return [];
        if (length < 10)
            throw new FontFormatException($"Font {Source}: glyph {glyphId} is shorter than its header.");
        var contourCount = _bytes.I16(offset, "glyph header");
        return contourCount >= 0
            ? ReadSimpleGlyph(glyphId, offset, length, contourCount, budget)
            : ReadCompositeGlyph(glyphId, offset, length, depth, budget);
    }

    private List<List<OutlinePoint>> ReadSimpleGlyph(int glyphId, int offset, int length, int contourCount, PointBudget budget)
    {
        var end = offset + length;
        var p = offset + 10;
        var endPoints = new int[contourCount];
        for (var i = 0; i < contourCount; i++)
        {
            endPoints[i] = _bytes.U16(p, "glyph endPtsOfContours");
            p += 2;
            if (i > 0 && endPoints[i] <= endPoints[i - 1])
                throw new FontFormatException($"Font {Source}: glyph {glyphId} has contour end points out of order.");
        }
        if (contourCount == 0)
            return [];
        var pointCount = endPoints[^1] + 1;
        budget.Spend(pointCount, Source, glyphId);

        var instructionLength = _bytes.U16(p, "glyph instructionLength");
        p += 2 + instructionLength;

        var flags = new byte[pointCount];
        for (var i = 0; i < pointCount;)
        {
            var flag = ReadInGlyph(p++, end, glyphId);
            flags[i++] = flag;
            if ((flag & 8) != 0)
            {
                var repeat = ReadInGlyph(p++, end, glyphId);
                for (var r = 0; r < repeat && i < pointCount; r++)
                    flags[i++] = flag;
            }
        }

        var xs = new int[pointCount];
        var ys = new int[pointCount];
        p = ReadCoordinates(xs, flags, 2, 16, p, end, glyphId);
        ReadCoordinates(ys, flags, 4, 32, p, end, glyphId);

        var contours = new List<List<OutlinePoint>>(contourCount);
        var start = 0;
        foreach (var last in endPoints)
        {
            var contour = new List<OutlinePoint>(last - start + 1);
            for (var i = start; i <= last; i++)
                contour.Add(new OutlinePoint(xs[i], ys[i], (flags[i] & 1) != 0));
            contours.Add(contour);
            start = last + 1;
        }
        return contours;
    }

    private int ReadCoordinates(int[] values, byte[] flags, int shortBit, int sameOrPositiveBit, int p, int end, int glyphId)
    {
        var value = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var flag = flags[i];
            if ((flag & shortBit) != 0)
            {
                var delta = ReadInGlyph(p++, end, glyphId);
                value += (flag & sameOrPositiveBit) != 0 ? delta : -delta;
            }
            else if ((flag & sameOrPositiveBit) == 0)
            {
                if (p + 2 > end)
                    throw GlyphOverrun(glyphId);
                value += _bytes.I16(p, "glyph coordinate");
                p += 2;
            }
            values[i] = value;
        }
        return p;
    }

    private byte ReadInGlyph(int p, int end, int glyphId) => p < end ? _bytes.U8(p, "glyph data") : throw GlyphOverrun(glyphId);

    private FontFormatException GlyphOverrun(int glyphId) =>
        new($"Font {Source}: glyph {glyphId} data runs past its loca length.");

    private List<List<OutlinePoint>> ReadCompositeGlyph(int glyphId, int offset, int length, int depth, PointBudget budget)
    {
        const int argsAreWords = 0x0001, argsAreXy = 0x0002, haveScale = 0x0008, moreComponents = 0x0020,
            haveXyScale = 0x0040, haveTwoByTwo = 0x0080, scaledComponentOffset = 0x0800;

        var end = offset + length;
        var p = offset + 10;
        var result = new List<List<OutlinePoint>>();
        int flags;
        do
        {
            if (p + 4 > end)
                throw GlyphOverrun(glyphId);
            flags = _bytes.U16(p, "component flags");
            var componentId = _bytes.U16(p + 2, "component glyph index");
            p += 4;
            if (componentId >= GlyphCount)
                throw new FontFormatException($"Font {Source}: glyph {glyphId} refers to missing glyph {componentId}.");

            int arg1, arg2;
            var argsBytes = (flags & argsAreWords) != 0 ? 4 : 2;
            if (p + argsBytes > end)
                throw GlyphOverrun(glyphId);
            var xy = (flags & argsAreXy) != 0;
            if ((flags & argsAreWords) != 0)
            {
                arg1 = xy ? _bytes.I16(p, "component args") : _bytes.U16(p, "component args");
                arg2 = xy ? _bytes.I16(p + 2, "component args") : _bytes.U16(p + 2, "component args");
            }
            else
            {
                arg1 = xy ? _bytes.I8(p, "component args") : _bytes.U8(p, "component args");
                arg2 = xy ? _bytes.I8(p + 1, "component args") : _bytes.U8(p + 1, "component args");
            }
            p += argsBytes;

            double a = 1, b = 0, c = 0, d = 1;
            var scaleBytes = (flags & haveScale) != 0 ? 2 : (flags & haveXyScale) != 0 ? 4 : (flags & haveTwoByTwo) != 0 ? 8 : 0;
            if (p + scaleBytes > end)
                throw GlyphOverrun(glyphId);
            if ((flags & haveScale) != 0)
            {
                a = d = _bytes.F2Dot14(p, "component scale");
            }
            else if ((flags & haveXyScale) != 0)
            {
                a = _bytes.F2Dot14(p, "component scale");
                d = _bytes.F2Dot14(p + 2, "component scale");
            }
            else if ((flags & haveTwoByTwo) != 0)
            {
                a = _bytes.F2Dot14(p, "component matrix");
                b = _bytes.F2Dot14(p + 2, "component matrix");
                c = _bytes.F2Dot14(p + 4, "component matrix");
                d = _bytes.F2Dot14(p + 6, "component matrix");
            }
            p += scaleBytes;

            var component = ReadGlyph(componentId, depth + 1, budget);
            var transformed = new List<List<OutlinePoint>>(component.Count);
            foreach (var contour in component)
                transformed.Add(contour.ConvertAll(q => new OutlinePoint(a * q.X + c * q.Y, b * q.X + d * q.Y, q.OnCurve)));

            double dx, dy;
            if (xy)
            {
                dx = arg1;
                dy = arg2;
                if ((flags & scaledComponentOffset) != 0)
                    (dx, dy) = (a * dx + c * dy, b * dx + d * dy);
            }
            else
            {
                // Point matching: move the component so that its point arg2 lands on point arg1 of what is built so far.
                var anchor = PointAt(result, arg1) ?? throw new FontFormatException($"Font {Source}: glyph {glyphId} matches missing point {arg1}.");
                var own = PointAt(transformed, arg2) ?? throw new FontFormatException($"Font {Source}: glyph {glyphId} matches missing point {arg2}.");
                dx = anchor.X - own.X;
                dy = anchor.Y - own.Y;
            }
            foreach (var contour in transformed)
                result.Add(contour.ConvertAll(q => q with { X = q.X + dx, Y = q.Y + dy }));
        }
        while ((flags & moreComponents) != 0);
        return result;
    }

    private static OutlinePoint? PointAt(List<List<OutlinePoint>> contours, int index)
    {
        foreach (var contour in contours)
        {
            if (index < contour.Count)
                return contour[index];
            index -= contour.Count;
        }
        return null;
    }

    /// <summary>
    /// TrueType contours alternate on- and off-curve points; two off-curve points in a row
    /// imply an on-curve point halfway between them.
    /// </summary>
    private static VectorPath ToPath(List<List<OutlinePoint>> contours)
    {
        var path = new VectorPath();
        foreach (var contour in contours)
        {
            var n = contour.Count;
            if (n < 2)
                continue;
            var first = contour.FindIndex(q => q.OnCurve);
            OutlinePoint start;
            var sequence = new List<OutlinePoint>(n + 1);
            if (first >= 0)
            {
                start = contour[first];
                for (var k = 1; k < n; k++)
                    sequence.Add(contour[(first + k) % n]);
            }
            else
            {
                start = Mid(contour[0], contour[1]);
                for (var k = 1; k <= n; k++)
                    sequence.Add(contour[k % n]);
            }
            sequence.Add(start);

            path.MoveTo(start.X, start.Y);
            OutlinePoint? control = null;
            foreach (var q in sequence)
            {
                if (q.OnCurve)
                {
                    if (control is { } c)
                        path.QuadTo(c.X, c.Y, q.X, q.Y);
                    else
                        path.LineTo(q.X, q.Y);
                    control = null;
                }
                else
                {
                    if (control is { } c)
                    {
                        var mid = Mid(c, q);
                        path.QuadTo(c.X, c.Y, mid.X, mid.Y);
                    }
                    control = q;
                }
            }
            path.Close();
        }
        return path;
    }

    private static OutlinePoint Mid(OutlinePoint a, OutlinePoint b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2, true);

    private readonly record struct OutlinePoint(double X, double Y, bool OnCurve);

    private readonly record struct TableRecord(int Offset, int Length);

    private TableRecord RequireTable(Dictionary<string, TableRecord> tables, string tag, long minLength)
    {
        if (!tables.TryGetValue(tag, out var table))
            throw new FontFormatException($"Font {Source} has no '{tag}' table, so it is not a usable TrueType font.");
        if (table.Length < minLength)
            throw new FontFormatException($"Font {Source}: table '{tag}' is {table.Length} bytes, expected at least {minLength}.");
        return table;
    }

    private static long FaceOffset(FontBytes bytes, int faceIndex)
    {
        if (bytes.Length < 12)
            throw new FontFormatException($"Font {bytes.Source} is too short ({bytes.Length} bytes) to be a font.");
        var tag = bytes.Tag(0, "font header");
        if (tag == "ttcf")
        {
            var count = bytes.U32(8, "TTC numFonts");
            if (faceIndex < 0 || faceIndex >= count)
                throw new FontFormatException($"Font {bytes.Source}: face {faceIndex} requested but the collection holds {count}.");
            return bytes.U32(12 + 4L * faceIndex, "TTC offset table");
        }
        if (faceIndex != 0)
            throw new FontFormatException($"Font {bytes.Source} is a single font; face {faceIndex} does not exist.");
        return 0;
    }

    private static Dictionary<string, TableRecord> ReadTableDirectory(FontBytes bytes, long faceOffset)
    {
        var version = bytes.U32(faceOffset, "sfnt version");
        if (version == 0x4F54544F) // 'OTTO'
            throw new FontFormatException(
                $"Font {bytes.Source} has CFF (PostScript) outlines, which are not supported: use a TrueType (glyf) CJK font such as fonts-wqy-zenhei.");
        if (version != TrueTypeVersion && version != 0x74727565) // 'true' (old Apple fonts)
            throw new FontFormatException($"Font {bytes.Source} is not a TrueType font (sfnt version 0x{version:X8}).");
        var numTables = bytes.U16(faceOffset + 4, "numTables");
        var tables = new Dictionary<string, TableRecord>(StringComparer.Ordinal);
        for (var i = 0; i < numTables; i++)
        {
            var record = faceOffset + 12 + 16L * i;
            var tag = bytes.Tag(record, "table record");
            var offset = bytes.U32(record + 8, "table offset");
            var length = bytes.U32(record + 12, "table length");
            bytes.Require(offset, length, $"table '{tag}'");
            tables[tag] = new TableRecord((int)offset, (int)length);
        }
        return tables;
    }
}
