using System.Globalization;
using System.Text;

namespace SealPortal.Pdf.Incremental;

/// <summary>
/// Base of the PDF object model read by <see cref="PdfFile"/> and written by
/// <see cref="PdfIncrementalWriter"/>. The names end in "Obj" so that they never clash with
/// PDFsharp's <c>PdfSharp.Pdf</c> types when both namespaces are imported.
/// </summary>
public abstract class PdfObj
{
    /// <summary>Appends the PDF syntax of this object (no leading or trailing white space).</summary>
    public abstract void WriteTo(PdfByteWriter w);

    /// <summary>The object serialized to PDF syntax (handy for tests and diagnostics).</summary>
    public override string ToString()
    {
        var w = new PdfByteWriter();
        WriteTo(w);
        return Encoding.Latin1.GetString(w.WrittenSpan);
    }
}

/// <summary>The PDF <c>null</c> object.</summary>
public sealed class PdfNullObj : PdfObj
{
    /// <summary>The one instance.</summary>
    public static readonly PdfNullObj Instance = new();
    private PdfNullObj() { }
    /// <inheritdoc/>
    public override void WriteTo(PdfByteWriter w) => w.WriteAscii("null");
}

/// <summary>A PDF boolean.</summary>
public sealed class PdfBoolObj(bool value) : PdfObj
{
    /// <summary>The value.</summary>
    public bool Value { get; } = value;
    /// <inheritdoc/>
    public override void WriteTo(PdfByteWriter w) => w.WriteAscii(Value ? "true" : "false");
}

/// <summary>A PDF number: an integer (<see cref="IsInteger"/>) or a real.</summary>
public sealed class PdfNumObj : PdfObj
{
    /// <summary>Creates an integer.</summary>
    public PdfNumObj(long value) { LongValue = value; DoubleValue = value; IsInteger = true; }
    /// <summary>Creates a real.</summary>
    public PdfNumObj(double value) { DoubleValue = value; LongValue = (long)Math.Round(value); IsInteger = false; }

    /// <summary>True when written without a decimal point.</summary>
    public bool IsInteger { get; }
    /// <summary>The value, rounded for reals.</summary>
    public long LongValue { get; }
    /// <summary>The value as a double.</summary>
    public double DoubleValue { get; }

    /// <inheritdoc/>
    public override void WriteTo(PdfByteWriter w)
    {
        if (IsInteger) w.WriteLong(LongValue);
        else w.WriteReal(DoubleValue);
    }
}

/// <summary>A PDF string (literal or hexadecimal); <see cref="Bytes"/> holds the decoded bytes.</summary>
public sealed class PdfStringObj(byte[] bytes, bool hex = false) : PdfObj
{
    /// <summary>The string's bytes after escapes were resolved.</summary>
    public byte[] Bytes { get; } = bytes;
    /// <summary>Whether it is written as &lt;hex&gt;.</summary>
    public bool IsHex { get; } = hex;

    /// <summary>
    /// A text string: PDFDocEncoding-compatible Latin-1 when possible, else UTF-16BE with BOM,
    /// as the PDF specification defines text strings.
    /// </summary>
    public static PdfStringObj FromText(string text)
    {
        foreach (var c in text)
        {
            if (c > 0xFF || c < 0x20 && c != '\n' && c != '\r' && c != '\t')
            {
                var utf16 = Encoding.BigEndianUnicode.GetBytes(text);
                var b = new byte[utf16.Length + 2];
                b[0] = 0xFE; b[1] = 0xFF;
                utf16.CopyTo(b, 2);
                return new PdfStringObj(b, hex: true);
            }
        }
        return new PdfStringObj(Encoding.Latin1.GetBytes(text));
    }

    /// <summary>Decodes a text string (UTF-16BE with BOM, UTF-8 with BOM, else Latin-1).</summary>
    public string ToText()
    {
        if (Bytes.Length >= 2 && Bytes[0] == 0xFE && Bytes[1] == 0xFF)
            return Encoding.BigEndianUnicode.GetString(Bytes, 2, Bytes.Length - 2);
        if (Bytes.Length >= 3 && Bytes[0] == 0xEF && Bytes[1] == 0xBB && Bytes[2] == 0xBF)
            return Encoding.UTF8.GetString(Bytes, 3, Bytes.Length - 3);
        return Encoding.Latin1.GetString(Bytes);
    }

    /// <inheritdoc/>
    public override void WriteTo(PdfByteWriter w)
    {
        if (IsHex)
        {
            w.WriteByte((byte)'<');
            w.WriteHex(Bytes);
            w.WriteByte((byte)'>');
            return;
        }
        w.WriteByte((byte)'(');
        foreach (var b in Bytes)
        {
            switch (b)
            {
                case (byte)'(' or (byte)')' or (byte)'\\':
                    w.WriteByte((byte)'\\'); w.WriteByte(b); break;
                case (byte)'\r': w.WriteAscii("\\r"); break;
                case (byte)'\n': w.WriteAscii("\\n"); break;
                default: w.WriteByte(b); break;
            }
        }
        w.WriteByte((byte)')');
    }
}

/// <summary>A PDF name; <see cref="Value"/> is the decoded name without the slash.</summary>
public sealed class PdfNameObj : PdfObj, IEquatable<PdfNameObj>
{
    /// <summary>Creates a name from its decoded text (e.g. "Type").</summary>
    public PdfNameObj(string value) => Value = value;
    /// <summary>The decoded name (each #xx resolved), as Latin-1 text.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    public bool Equals(PdfNameObj? other) => other is not null && other.Value == Value;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PdfNameObj n && Equals(n);
    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override void WriteTo(PdfByteWriter w)
    {
        w.WriteByte((byte)'/');
        foreach (var c in Value)
        {
            var b = (byte)c;
            if (b < 0x21 || b > 0x7E || b == '#' || PdfLexer.IsDelimiter(b))
            {
                w.WriteByte((byte)'#');
                w.WriteHex([b]);
            }
            else w.WriteByte(b);
        }
    }
}

/// <summary>A PDF array.</summary>
public sealed class PdfArrayObj : PdfObj
{
    /// <summary>Creates an empty array or one with the given items.</summary>
    public PdfArrayObj(IEnumerable<PdfObj>? items = null) => Items = items is null ? [] : [.. items];
    /// <summary>The items; mutable so that an update can extend a copy.</summary>
    public List<PdfObj> Items { get; }
    /// <summary>Number of items.</summary>
    public int Count => Items.Count;
    /// <summary>Item at an index.</summary>
    public PdfObj this[int i] => Items[i];

    /// <summary>A shallow copy whose list can be changed without touching the cached original.</summary>
    public PdfArrayObj Clone() => new(Items);

    /// <inheritdoc/>
    public override void WriteTo(PdfByteWriter w)
    {
        w.WriteByte((byte)'[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0) w.WriteByte((byte)' ');
            Items[i].WriteTo(w);
        }
        w.WriteByte((byte)']');
    }
}

/// <summary>A PDF dictionary; key order is kept as read.</summary>
public class PdfDictObj : PdfObj
{
    private readonly List<KeyValuePair<string, PdfObj>> _entries = [];

    /// <summary>Creates an empty dictionary.</summary>
    public PdfDictObj() { }

    /// <summary>Creates a dictionary holding the same entries as <paramref name="source"/>.</summary>
    public PdfDictObj(PdfDictObj source) => _entries.AddRange(source._entries);

    /// <summary>The entries in order (keys without slash).</summary>
    public IReadOnlyList<KeyValuePair<string, PdfObj>> Entries => _entries;

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The value for a key (without slash), or null when absent.</summary>
    public PdfObj? Get(string key)
    {
        var i = IndexOf(key);
        return i < 0 ? null : _entries[i].Value;
    }

    /// <summary>Whether the key is present.</summary>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>Sets or replaces a value; a null value removes the key.</summary>
    public PdfDictObj Set(string key, PdfObj? value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            if (value is null)
            {
                _entries.RemoveAt(i);
                _index = null;
            }
            else _entries[i] = new(key, value);
            return this;
        }
        if (value is null) return this;
        _entries.Add(new(key, value));
        _index?.Add(key, _entries.Count - 1);
        return this;
    }

    // Small dictionaries are searched linearly; a hostile file's huge dictionary gets an index
    // so that reading it stays linear instead of quadratic.
    private Dictionary<string, int>? _index;

    private int IndexOf(string key)
    {
        if (_entries.Count <= 16)
        {
            for (var i = 0; i < _entries.Count; i++)
                if (_entries[i].Key == key) return i;
            return -1;
        }
        if (_index is null)
        {
            _index = new Dictionary<string, int>(_entries.Count, StringComparer.Ordinal);
            for (var i = 0; i < _entries.Count; i++) _index.TryAdd(_entries[i].Key, i);
        }
        return _index.TryGetValue(key, out var at) ? at : -1;
    }

    /// <summary>Shortcut: the value if it is a name, else null.</summary>
    public string? GetName(string key) => (Get(key) as PdfNameObj)?.Value;

    /// <summary>A shallow copy that can be changed without touching the cached original.</summary>
    public PdfDictObj Clone() => new(this);

    /// <inheritdoc/>
    public override void WriteTo(PdfByteWriter w)
    {
        w.WriteAscii("<<");
        foreach (var (k, v) in _entries)
        {
            new PdfNameObj(k).WriteTo(w);
            w.WriteByte((byte)' ');
            v.WriteTo(w);
        }
        w.WriteAscii(">>");
    }
}

/// <summary>An indirect reference <c>N G R</c>.</summary>
public sealed class PdfRefObj(int number, int generation) : PdfObj, IEquatable<PdfRefObj>
{
    /// <summary>Object number.</summary>
    public int Number { get; } = number;
    /// <summary>Generation number.</summary>
    public int Generation { get; } = generation;

    /// <inheritdoc/>
    public bool Equals(PdfRefObj? other) => other is not null && other.Number == Number && other.Generation == Generation;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PdfRefObj r && Equals(r);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Number, Generation);

    /// <inheritdoc/>
    public override void WriteTo(PdfByteWriter w)
    {
        w.WriteLong(Number); w.WriteByte((byte)' ');
        w.WriteLong(Generation); w.WriteAscii(" R");
    }
}

/// <summary>
/// A PDF stream: its dictionary plus either a location of the raw (still encoded) data in the
/// source file, or raw bytes held in memory (for streams made by an update).
/// Read the data through <see cref="PdfFile.ReadRawStreamData"/> or <see cref="PdfFile.DecodeStream"/>.
/// </summary>
public sealed class PdfStreamObj : PdfDictObj
{
    /// <summary>A stream read from a file: the raw data lies at <paramref name="dataOffset"/>.</summary>
    public PdfStreamObj(PdfDictObj dict, long dataOffset, long dataLength) : base(dict)
    {
        DataOffset = dataOffset;
        DataLength = dataLength;
    }

    /// <summary>A new stream whose raw (already encoded) bytes are in memory; /Length is set on write.</summary>
    public PdfStreamObj(PdfDictObj dict, byte[] rawData) : base(dict)
    {
        RawData = rawData;
        DataOffset = -1;
        DataLength = rawData.Length;
    }

    /// <summary>Offset of the first data byte in the source file, or -1 for in-memory streams.</summary>
    public long DataOffset { get; }
    /// <summary>Number of raw data bytes.</summary>
    public long DataLength { get; }
    /// <summary>The raw bytes for in-memory streams, else null.</summary>
    public byte[]? RawData { get; }

    /// <summary>
    /// Writes the dictionary then the in-memory data. Only streams built in memory can be
    /// written; an update never rewrites a stream that is already in the file.
    /// </summary>
    public override void WriteTo(PdfByteWriter w)
    {
        if (RawData is null)
            throw new InvalidOperationException("only in-memory streams can be written");
        var d = new PdfDictObj(this);
        d.Set("Length", new PdfNumObj(RawData.Length));
        d.WriteTo(w);
        w.WriteAscii("\nstream\n");
        w.Write(RawData);
        w.WriteAscii("\nendstream");
    }
}

/// <summary>A growable byte buffer with PDF-syntax helpers (ASCII, numbers, hex).</summary>
public sealed class PdfByteWriter
{
    private byte[] _buf;
    private int _len;

    /// <summary>Creates a writer with an initial capacity.</summary>
    public PdfByteWriter(int capacity = 1024) => _buf = new byte[Math.Max(16, capacity)];

    /// <summary>Bytes written so far.</summary>
    public int Length => _len;
    /// <summary>The written bytes (valid until the next write).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buf.AsSpan(0, _len);
    /// <summary>The written bytes as a writable span, for patching placeholders in place.</summary>
    public Span<byte> WrittenSpanMutable => _buf.AsSpan(0, _len);
    /// <summary>A copy of the written bytes.</summary>
    public byte[] ToArray() => _buf.AsSpan(0, _len).ToArray();

    private void Ensure(int extra)
    {
        if (_len + extra <= _buf.Length) return;
        var n = Math.Max(_buf.Length * 2, _len + extra);
        Array.Resize(ref _buf, n);
    }

    /// <summary>Appends one byte.</summary>
    public void WriteByte(byte b) { Ensure(1); _buf[_len++] = b; }

    /// <summary>Appends bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes) { Ensure(bytes.Length); bytes.CopyTo(_buf.AsSpan(_len)); _len += bytes.Length; }

    /// <summary>Appends ASCII text (chars above 0xFF are not expected).</summary>
    public void WriteAscii(string s)
    {
        Ensure(s.Length);
        foreach (var c in s) _buf[_len++] = (byte)c;
    }

    /// <summary>Appends an integer in decimal.</summary>
    public void WriteLong(long v)
    {
        Ensure(20);
        v.TryFormat(_buf.AsSpan(_len), out var n, default, CultureInfo.InvariantCulture);
        _len += n;
    }

    /// <summary>Appends a real without exponent, at most 5 decimals, trailing zeros removed.</summary>
    public void WriteReal(double v)
    {
        if (double.IsNaN(v) || double.IsInfinity(v)) v = 0;
        var s = v.ToString("0.#####", CultureInfo.InvariantCulture);
        if (s == "-0") s = "0";
        WriteAscii(s);
    }

    /// <summary>Appends bytes as upper-case hexadecimal digits.</summary>
    public void WriteHex(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length * 2);
        const string digits = "0123456789ABCDEF";
        foreach (var b in bytes)
        {
            _buf[_len++] = (byte)digits[b >> 4];
            _buf[_len++] = (byte)digits[b & 15];
        }
    }
}

/// <summary>
/// Bytes written verbatim; used for fixed-width placeholders (a signature's /ByteRange and
/// /Contents) that are patched in place after the update is laid out.
/// </summary>
public sealed class PdfRawObj(byte[] syntax) : PdfObj
{
    /// <summary>The exact PDF syntax to write.</summary>
    public byte[] Syntax { get; } = syntax;
    /// <inheritdoc/>
    public override void WriteTo(PdfByteWriter w) => w.Write(Syntax);
}
