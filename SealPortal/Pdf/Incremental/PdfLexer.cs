using System.Text;

namespace SealPortal.Pdf.Incremental;

/// <summary>
/// Parses PDF syntax from a seekable stream through a small window buffer, so a file of any
/// size is read only where objects are touched. Not thread-safe: one lexer per reader.
/// </summary>
public sealed class PdfLexer
{
    /// <summary>Deepest nesting of arrays/dictionaries accepted; deeper input is treated as hostile.</summary>
    public const int MaxDepth = 64;

    private readonly Stream _stream;
    private readonly byte[] _buf = new byte[8192];
    private long _bufStart;
    private int _bufLen;

    /// <summary>Creates a lexer over a seekable, readable stream.</summary>
    public PdfLexer(Stream stream)
    {
        if (!stream.CanSeek || !stream.CanRead) throw new ArgumentException("the stream must be readable and seekable", nameof(stream));
        _stream = stream;
        Length = stream.Length;
    }

    /// <summary>Total number of bytes in the source.</summary>
    public long Length { get; }

    /// <summary>Current read position.</summary>
    public long Position { get; set; }

    /// <summary>Resolves an indirect /Length while a stream is being parsed; may be null.</summary>
    public Func<PdfRefObj, PdfObj?>? LengthResolver { get; set; }

    /// <summary>PDF white-space characters (NUL, TAB, LF, FF, CR, SP).</summary>
    public static bool IsWhite(int b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    /// <summary>PDF delimiter characters.</summary>
    public static bool IsDelimiter(int b) => b is '(' or ')' or '<' or '>' or '[' or ']' or '{' or '}' or '/' or '%';

    private static bool IsRegular(int b) => b >= 0 && !IsWhite(b) && !IsDelimiter(b);

    /// <summary>Next byte without consuming it, or -1 at end of input.</summary>
    public int Peek()
    {
        var p = Position;
        if (p >= Length || p < 0) return -1;
        if (p < _bufStart || p >= _bufStart + _bufLen) Fill(p);
        return _buf[p - _bufStart];
    }

    /// <summary>Next byte, consumed, or -1 at end of input.</summary>
    public int Read()
    {
        var b = Peek();
        if (b >= 0) Position++;
        return b;
    }

    private void Fill(long pos)
    {
        _stream.Position = pos;
        _bufStart = pos;
        _bufLen = 0;
        while (_bufLen < _buf.Length)
        {
            var n = _stream.Read(_buf, _bufLen, _buf.Length - _bufLen);
            if (n <= 0) break;
            _bufLen += n;
        }
        if (_bufLen == 0) throw new PdfFormatException($"the PDF is truncated: cannot read at offset {pos}");
    }

    /// <summary>Reads up to <paramref name="dest"/>.Length bytes at an absolute offset; returns the count read.</summary>
    public int ReadAt(long offset, Span<byte> dest)
    {
        if (offset < 0 || offset >= Length) return 0;
        _stream.Position = offset;
        var total = 0;
        while (total < dest.Length)
        {
            var n = _stream.Read(dest[total..]);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Skips white space and comments.</summary>
    public void SkipWhite()
    {
        while (true)
        {
            var b = Peek();
            if (b < 0) return;
            if (IsWhite(b)) { Position++; continue; }
            if (b == '%')
            {
                while (b >= 0 && b != '\r' && b != '\n') { Position++; b = Peek(); }
                continue;
            }
            return;
        }
    }

    /// <summary>Consumes a keyword (letters) at the current position after white space, returning it or "".</summary>
    public string ReadKeyword()
    {
        SkipWhite();
        var sb = new StringBuilder();
        while (IsRegular(Peek()) && sb.Length < 64) sb.Append((char)Read());
        return sb.ToString();
    }

    /// <summary>True (and consumed) when the next token is exactly <paramref name="keyword"/>.</summary>
    public bool TryKeyword(string keyword)
    {
        var save = Position;
        if (ReadKeyword() == keyword) return true;
        Position = save;
        return false;
    }

    /// <summary>Reads a non-negative integer token or returns null (position restored).</summary>
    public long? TryReadUnsigned()
    {
        var save = Position;
        SkipWhite();
        long v = 0;
        var digits = 0;
        while (Peek() is >= '0' and <= '9')
        {
            if (++digits > 18) { Position = save; return null; }
            v = v * 10 + (Read() - '0');
        }
        if (digits == 0 || IsRegular(Peek()))
        {
            Position = save;
            return null;
        }
        return v;
    }

    /// <summary>Reads a non-negative integer token or fails with a format error naming <paramref name="what"/>.</summary>
    public long ReadUnsigned(string what)
        => TryReadUnsigned() ?? throw new PdfFormatException($"expected {what} at offset {Position}");

    /// <summary>Reads one object (not an "N G obj" wrapper) at the current position.</summary>
    public PdfObj ReadObject() => ReadObject(0);

    private PdfObj ReadObject(int depth)
    {
        if (depth > MaxDepth) throw new PdfFormatException($"objects nested too deeply at offset {Position}");
        SkipWhite();
        var start = Position;
        var c = Peek();
        switch (c)
        {
            case -1:
                throw new PdfFormatException("the PDF is truncated: unexpected end of file while reading an object");
            case '/':
                Position++;
                return ReadNameBody();
            case '(':
                Position++;
                return ReadLiteralString();
            case '<':
                Position++;
                if (Peek() == '<')
                {
                    Position++;
                    return ReadDictBody(depth);
                }
                return ReadHexString();
            case '[':
            {
                Position++;
                var arr = new PdfArrayObj();
                while (true)
                {
                    SkipWhite();
                    var b = Peek();
                    if (b == ']') { Position++; return arr; }
                    if (b < 0) throw new PdfFormatException($"unterminated array starting at offset {start}");
                    arr.Items.Add(ReadObject(depth + 1));
                }
            }
            case >= '0' and <= '9' or '+' or '-' or '.':
                return ReadNumberOrRef();
            default:
            {
                var kw = ReadKeyword();
                return kw switch
                {
                    "true" => new PdfBoolObj(true),
                    "false" => new PdfBoolObj(false),
                    "null" => PdfNullObj.Instance,
                    _ => throw new PdfFormatException($"unexpected '{(kw.Length > 0 ? kw : ((char)c).ToString())}' at offset {start}"),
                };
            }
        }
    }

    private PdfDictObj ReadDictBody(int depth)
    {
        var start = Position - 2;
        var dict = new PdfDictObj();
        while (true)
        {
            SkipWhite();
            var b = Peek();
            if (b == '>')
            {
                Position++;
                if (Read() != '>') throw new PdfFormatException($"malformed dictionary end at offset {Position - 1}");
                return dict;
            }
            if (b < 0) throw new PdfFormatException($"unterminated dictionary starting at offset {start}");
            if (b != '/') throw new PdfFormatException($"dictionary key expected at offset {Position}");
            Position++;
            var key = ReadNameBody().Value;
            SkipWhite();
            if (Peek() == '>')
            {
                dict.Set(key, PdfNullObj.Instance);
                continue;
            }
            var value = ReadObject(depth + 1);
            dict.Set(key, value);
        }
    }

    private PdfNameObj ReadNameBody()
    {
        var sb = new StringBuilder();
        while (true)
        {
            var b = Peek();
            if (!IsRegular(b)) break;
            Position++;
            if (b == '#')
            {
                var h1 = HexVal(Peek());
                if (h1 >= 0)
                {
                    Position++;
                    var h2 = HexVal(Peek());
                    if (h2 >= 0)
                    {
                        Position++;
                        sb.Append((char)(h1 * 16 + h2));
                        continue;
                    }
                    Position--;
                }
            }
            sb.Append((char)b);
            if (sb.Length > 65535) throw new PdfFormatException($"name too long at offset {Position}");
        }
        return new PdfNameObj(sb.ToString());
    }

    private static int HexVal(int b) => b switch
    {
        >= '0' and <= '9' => b - '0',
        >= 'a' and <= 'f' => b - 'a' + 10,
        >= 'A' and <= 'F' => b - 'A' + 10,
        _ => -1,
    };

    private PdfStringObj ReadLiteralString()
    {
        var start = Position - 1;
        var bytes = new List<byte>();
        var nesting = 1;
        while (true)
        {
            var b = Read();
            switch (b)
            {
                case -1:
                    throw new PdfFormatException($"unterminated string starting at offset {start}");
                case '(':
                    nesting++;
                    bytes.Add((byte)b);
                    break;
                case ')':
                    if (--nesting == 0) return new PdfStringObj([.. bytes]);
                    bytes.Add((byte)b);
                    break;
                case '\r':
                    if (Peek() == '\n') Position++;
                    bytes.Add((byte)'\n');
                    break;
                case '\\':
                {
                    var e = Read();
                    switch (e)
                    {
                        case -1: throw new PdfFormatException($"unterminated string starting at offset {start}");
                        case 'n': bytes.Add((byte)'\n'); break;
                        case 'r': bytes.Add((byte)'\r'); break;
                        case 't': bytes.Add((byte)'\t'); break;
                        case 'b': bytes.Add(8); break;
                        case 'f': bytes.Add(12); break;
                        case '\r': if (Peek() == '\n') Position++; break;
                        case '\n': break;
                        case >= '0' and <= '7':
                        {
                            var v = e - '0';
                            for (var k = 0; k < 2 && Peek() is >= '0' and <= '7'; k++) v = v * 8 + (Read() - '0');
                            bytes.Add((byte)v);
                            break;
                        }
                        default: bytes.Add((byte)e); break;
                    }
                    break;
                }
                default:
                    bytes.Add((byte)b);
                    break;
            }
        }
    }

    private PdfStringObj ReadHexString()
    {
        var start = Position - 1;
        var bytes = new List<byte>();
        var hi = -1;
        while (true)
        {
            var b = Read();
            if (b == '>') break;
            if (b < 0) throw new PdfFormatException($"unterminated hex string starting at offset {start}");
            if (IsWhite(b)) continue;
            var v = HexVal(b);
            if (v < 0) throw new PdfFormatException($"invalid character in hex string at offset {Position - 1}");
            if (hi < 0) hi = v;
            else { bytes.Add((byte)(hi * 16 + v)); hi = -1; }
        }
        if (hi >= 0) bytes.Add((byte)(hi * 16));
        return new PdfStringObj([.. bytes], hex: true);
    }

    private PdfObj ReadNumberOrRef()
    {
        var start = Position;
        var sb = new StringBuilder();
        while (Peek() is >= '0' and <= '9' or '+' or '-' or '.' or 'e' or 'E' && sb.Length < 40) sb.Append((char)Read());
        var text = sb.ToString();
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l))
        {
            if (l >= 0 && l <= int.MaxValue && text[0] is >= '0' and <= '9')
            {
                var save = Position;
                var gen = TryReadUnsigned();
                if (gen is { } g && g <= 65535)
                {
                    SkipWhite();
                    if (Peek() == 'R')
                    {
                        Position++;
                        if (!IsRegular(Peek())) return new PdfRefObj((int)l, (int)g);
                    }
                }
                Position = save;
            }
            return new PdfNumObj(l);
        }
        // Some producers write "--5" or "5-"; keep what parses as a leading number.
        var trimmed = text.TrimStart('+');
        if (trimmed.StartsWith("--", StringComparison.Ordinal)) trimmed = trimmed[1..];
        if (double.TryParse(trimmed, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return new PdfNumObj(d);
        if (text is "-" or "+" or "." or "-." ) return new PdfNumObj(0L);
        throw new PdfFormatException($"invalid number '{text}' at offset {start}");
    }

    /// <summary>
    /// Reads "N G obj" followed by the object and, if present, the stream data location.
    /// Returns the object and its number/generation as found in the file.
    /// </summary>
    public (int Number, int Generation, PdfObj Value) ReadIndirectObject()
    {
        var start = Position;
        var num = TryReadUnsigned();
        var gen = num is null ? null : TryReadUnsigned();
        if (num is null || gen is null || num > int.MaxValue || gen > 65535 || !TryKeyword("obj"))
            throw new PdfFormatException($"no object header 'N G obj' at offset {start}");
        var value = ReadObject(0);
        var afterValue = Position;
        if (value is PdfDictObj dict && TryKeyword("stream"))
        {
            // The keyword is followed by CRLF or LF; a lone CR is tolerated.
            if (Peek() == '\r') { Position++; if (Peek() == '\n') Position++; }
            else if (Peek() == '\n') Position++;
            var dataOffset = Position;
            var length = ResolveStreamLength(dict, dataOffset);
            Position = dataOffset + length;
            if (!TryKeyword("endstream"))
            {
                length = ScanForEndstream(dataOffset);
                Position = dataOffset + length;
                TryKeyword("endstream");
            }
            TryKeyword("endobj");
            return ((int)num, (int)gen, new PdfStreamObj(dict, dataOffset, length));
        }
        Position = afterValue;
        TryKeyword("endobj");
        return ((int)num, (int)gen, value);
    }

    private long ResolveStreamLength(PdfDictObj dict, long dataOffset)
    {
        var lenObj = dict.Get("Length");
        if (lenObj is PdfRefObj r && LengthResolver is not null)
        {
            var save = Position;
            try { lenObj = LengthResolver(r); }
            catch (PdfFormatException) { lenObj = null; }
            Position = save;
        }
        if (lenObj is PdfNumObj { LongValue: >= 0 } n && dataOffset + n.LongValue <= Length)
            return n.LongValue;
        return ScanForEndstream(dataOffset);
    }

    /// <summary>Finds "endstream" after <paramref name="dataOffset"/> and returns the data length (EOL before it excluded).</summary>
    private long ScanForEndstream(long dataOffset)
    {
        var found = IndexOf("endstream"u8, dataOffset, Length);
        if (found < 0) throw new PdfFormatException($"stream starting at offset {dataOffset} has no valid /Length and no 'endstream'");
        var end = found;
        Span<byte> tail = stackalloc byte[2];
        if (end - dataOffset >= 2 && ReadAt(end - 2, tail) == 2)
        {
            if (tail[0] == '\r' && tail[1] == '\n') end -= 2;
            else if (tail[1] is (byte)'\n' or (byte)'\r') end -= 1;
        }
        else if (end - dataOffset == 1 && ReadAt(end - 1, tail[..1]) == 1 && tail[0] is (byte)'\n' or (byte)'\r') end -= 1;
        return end - dataOffset;
    }

    /// <summary>Offset of the first occurrence of <paramref name="needle"/> in [from, to), or -1. Reads in chunks.</summary>
    public long IndexOf(ReadOnlySpan<byte> needle, long from, long to)
    {
        to = Math.Min(to, Length);
        var pos = Math.Max(0, from);
        if (pos >= to) return -1;
        // Sized to the range (most searches look at the next kilobyte), pooled: opening a file
        // searched three times and allocated 64 KiB each time.
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(65536, needle.Length * 2), Math.Max(to - pos, needle.Length)));
        try
        {
            while (pos < to)
            {
                var want = (int)Math.Min(chunk.Length, to - pos);
                var n = ReadAt(pos, chunk.AsSpan(0, want));
                if (n < needle.Length) return -1;
                var i = chunk.AsSpan(0, n).IndexOf(needle);
                if (i >= 0) return pos + i;
                if (pos + n >= to) return -1;
                pos += n - needle.Length + 1;
            }
            return -1;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Offset of the last occurrence of <paramref name="needle"/> in [from, to), or -1. Reads backwards in chunks.</summary>
    public long LastIndexOf(ReadOnlySpan<byte> needle, long from, long to)
    {
        to = Math.Min(to, Length);
        from = Math.Max(0, from);
        if (from >= to) return -1;
        // The pool may hand out a larger array; searching in chunks of exactly this size keeps how a match that
        // straddles two chunks is found.
        var size = Math.Max(8192, needle.Length * 2);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var end = to;
            while (end > from)
            {
                var start = Math.Max(from, end - size);
                var n = ReadAt(start, chunk.AsSpan(0, (int)(end - start)));
                var i = chunk.AsSpan(0, n).LastIndexOf(needle);
                if (i >= 0) return start + i;
                if (start == from) return -1;
                end = start + needle.Length - 1;
            }
            return -1;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
