namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// The cmap subtable used to map code points to glyph ids. Format 12 is preferred since it
/// reaches characters beyond the BMP (CJK Extension B appears in company names); format 4
/// covers the BMP and is what most fonts carry.
/// </summary>
internal sealed class CharacterMap
{
    private readonly FontBytes _bytes;
    private readonly int _glyphCount;
    private readonly int _format;
    private readonly long _subtable;
    private readonly int _count;

    private CharacterMap(FontBytes bytes, int glyphCount, int format, long subtable, int count)
    {
        _bytes = bytes;
        _glyphCount = glyphCount;
        _format = format;
        _subtable = subtable;
        _count = count;
    }

    public static CharacterMap Read(FontBytes bytes, int cmapOffset, int cmapLength, int glyphCount)
    {
        var numTables = bytes.U16(cmapOffset + 2, "cmap numTables");
        if (4 + numTables * 8L > cmapLength)
            throw new FontFormatException($"Font {bytes.Source}: cmap lists {numTables} subtables but is only {cmapLength} bytes.");

        long? format4 = null;
        long? format12 = null;
        for (var i = 0; i < numTables; i++)
        {
            var record = cmapOffset + 4 + 8L * i;
            var platform = bytes.U16(record, "cmap platformID");
            var encoding = bytes.U16(record + 2, "cmap encodingID");
            var offset = bytes.U32(record + 4, "cmap subtable offset");
            if (offset + 2 > cmapLength)
                throw new FontFormatException($"Font {bytes.Source}: cmap subtable {i} lies outside cmap.");
            var unicode = platform == 0 || (platform == 3 && encoding is 1 or 10);
            if (!unicode)
                continue;
            var subtable = cmapOffset + offset;
            var format = bytes.U16(subtable, "cmap subtable format");
            if (format == 12)
                format12 ??= subtable;
            else if (format == 4)
                format4 ??= subtable;
        }

        if (format12 is { } t12)
        {
            var groups = bytes.U32(t12 + 12, "cmap format 12 numGroups");
            bytes.Require(t12 + 16, groups * 12L, "cmap format 12 groups");
            return new CharacterMap(bytes, glyphCount, 12, t12, (int)groups);
        }
        if (format4 is { } t4)
        {
            var segCountX2 = bytes.U16(t4 + 6, "cmap format 4 segCountX2");
            if (segCountX2 % 2 != 0)
                throw new FontFormatException($"Font {bytes.Source}: cmap format 4 has an odd segCountX2.");
            bytes.Require(t4 + 14, segCountX2 * 4L + 2, "cmap format 4 segment arrays");
            return new CharacterMap(bytes, glyphCount, 4, t4, segCountX2 / 2);
        }
        throw new FontFormatException($"Font {bytes.Source} has no Unicode cmap (format 4 or 12).");
    }

    public int Lookup(int codePoint)
    {
        if (codePoint < 0)
            return 0;
        var glyph = _format == 12 ? LookupFormat12(codePoint) : LookupFormat4(codePoint);
        return glyph < _glyphCount ? glyph : 0;
    }

    private int LookupFormat12(int codePoint)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var group = _subtable + 16 + 12L * mid;
            var start = _bytes.U32(group, "cmap group");
            var end = _bytes.U32(group + 4, "cmap group");
            if ((uint)codePoint < start)
                hi = mid - 1;
            else if ((uint)codePoint > end)
                lo = mid + 1;
            else
                return (int)Math.Min(int.MaxValue, _bytes.U32(group + 8, "cmap group") + ((uint)codePoint - start));
        }
        return 0;
    }

    private int LookupFormat4(int codePoint)
    {
        if (codePoint > 0xFFFF)
            return 0;
        var endCodes = _subtable + 14;
        var startCodes = endCodes + 2L * _count + 2;
        var idDeltas = startCodes + 2L * _count;
        var idRangeOffsets = idDeltas + 2L * _count;

        int lo = 0, hi = _count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_bytes.U16(endCodes + 2L * mid, "cmap endCode") < codePoint)
                lo = mid + 1;
            else
                hi = mid;
        }
        var segment = lo;
        if (_bytes.U16(endCodes + 2L * segment, "cmap endCode") < codePoint)
            return 0;
        var startCode = _bytes.U16(startCodes + 2L * segment, "cmap startCode");
        if (codePoint < startCode)
            return 0;
        var delta = _bytes.U16(idDeltas + 2L * segment, "cmap idDelta");
        var rangeOffsetAt = idRangeOffsets + 2L * segment;
        var rangeOffset = _bytes.U16(rangeOffsetAt, "cmap idRangeOffset");
        if (rangeOffset == 0)
            return (codePoint + delta) & 0xFFFF;
        var glyph = _bytes.U16(rangeOffsetAt + rangeOffset + 2L * (codePoint - startCode), "cmap glyphIdArray");
        return glyph == 0 ? 0 : (glyph + delta) & 0xFFFF;
    }
}
