using System.Buffers.Binary;
using System.IO.Compression;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Signing;

/// <summary>A PNG that cannot be used as a seal image; the message says why.</summary>
public sealed class SealImageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A decoded PNG reduced to what a PDF image needs: 8-bit samples, gray or RGB, and an optional
/// 8-bit alpha plane (kept only when some pixel is not opaque).
/// </summary>
public sealed class PngImage
{
    /// <summary>Largest accepted width/height; a seal never needs more and it bounds memory.</summary>
    public const int MaxDimension = 8192;

    private PngImage(int width, int height, int components, byte[] pixels, byte[]? alpha)
    {
        Width = width; Height = height; Components = components; Pixels = pixels; Alpha = alpha;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>1 (gray) or 3 (RGB).</summary>
    public int Components { get; }
    /// <summary>Row-major 8-bit samples, <see cref="Components"/> per pixel.</summary>
    public byte[] Pixels { get; }
    /// <summary>One 8-bit alpha sample per pixel, or null when the image is fully opaque.</summary>
    public byte[]? Alpha { get; }

    /// <summary>Decodes a PNG file's bytes (all color types; bit depths 1, 2, 4, 8, 16; no interlacing).</summary>
    /// <exception cref="SealImageException">The bytes are not a PNG this decoder accepts.</exception>
    public static PngImage Decode(ReadOnlySpan<byte> png)
    {
        try { return DecodeCore(png); }
        catch (SealImageException) { throw; }
        catch (Exception e) when (e is InvalidDataException or PdfFormatException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new SealImageException($"the seal image is not a valid PNG ({e.Message})", e);
        }
    }

    private static PngImage DecodeCore(ReadOnlySpan<byte> png)
    {
        ReadOnlySpan<byte> sig = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 8 || !png[..8].SequenceEqual(sig)) throw new SealImageException("the seal image is not a PNG file");
        var pos = 8;
        int width = 0, height = 0, depth = 0, colorType = -1;
        byte[]? palette = null;
        byte[]? trns = null;
        var idat = new MemoryStream();
        var seenEnd = false;
        while (pos + 12 <= png.Length)
        {
            var len = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            if (len > int.MaxValue || pos + 12 + (long)len > png.Length) throw new SealImageException("the seal image PNG is truncated");
            var type = System.Text.Encoding.ASCII.GetString(png.Slice(pos + 4, 4));
            var data = png.Slice(pos + 8, (int)len);
            if (Crc32(png.Slice(pos + 4, 4 + (int)len)) != BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + (int)len)..]))
                throw new SealImageException($"the seal image PNG is damaged (checksum error in its {type} chunk)");
            pos += 12 + (int)len;
            switch (type)
            {
                case "IHDR":
                    if (len != 13) throw new SealImageException("the seal image PNG has an invalid header");
                    width = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data), int.MaxValue);
                    height = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data[4..]), int.MaxValue);
                    depth = data[8];
                    colorType = data[9];
                    if (data[10] != 0 || data[11] != 0) throw new SealImageException("the seal image PNG uses an unknown compression or filter method");
                    if (data[12] != 0) throw new SealImageException("interlaced PNG seal images are not supported; save it without interlacing");
                    break;
                case "PLTE": palette = data.ToArray(); break;
                case "tRNS": trns = data.ToArray(); break;
                case "IDAT": idat.Write(data); break;
                case "IEND": seenEnd = true; break;
            }
            if (seenEnd) break;
        }
        if (colorType < 0) throw new SealImageException("the seal image PNG has no IHDR header");
        if (!seenEnd) throw new SealImageException("the seal image PNG is truncated (no IEND)");
        if (width <= 0 || height <= 0 || width > MaxDimension || height > MaxDimension)
            throw new SealImageException($"the seal image must be between 1 and {MaxDimension} pixels wide and high");
        var channels = colorType switch
        {
            0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4,
            _ => throw new SealImageException($"the seal image PNG has an invalid color type {colorType}"),
        };
        var validDepth = colorType switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            _ => depth is 8 or 16,
        };
        if (!validDepth) throw new SealImageException($"the seal image PNG has an invalid bit depth {depth} for color type {colorType}");
        if (colorType == 3 && (palette is null || palette.Length % 3 != 0 || palette.Length == 0))
            throw new SealImageException("the seal image PNG is a palette image without a valid palette");

        var rowLen = (int)(((long)width * channels * depth + 7) / 8);
        var bpp = Math.Max(1, channels * depth / 8);
        var expected = (long)(rowLen + 1) * height;
        idat.Position = 0;
        byte[] inflated;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            inflated = new byte[expected];
            var got = 0;
            while (got < inflated.Length)
            {
                var n = z.Read(inflated, got, inflated.Length - got);
                if (n <= 0) break;
                got += n;
            }
            if (got < inflated.Length) throw new SealImageException("the seal image PNG has too little image data");
        }
        var raw = PdfStreamDecoder.PngUnfilter(inflated, rowLen, bpp, "the seal image");

        var components = colorType is 0 or 4 ? 1 : 3;
        var pixels = new byte[(long)width * height * components];
        var alpha = new byte[(long)width * height];
        var anyTransparent = false;
        for (var y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * rowLen, rowLen);
            for (var x = 0; x < width; x++)
            {
                var p = y * width + x;
                byte a = 255;
                switch (colorType)
                {
                    case 0:
                    {
                        var v = Sample(row, x, depth, out var rawV);
                        pixels[p] = v;
                        if (trns is { Length: >= 2 } && rawV == BinaryPrimitives.ReadUInt16BigEndian(trns)) a = 0;
                        break;
                    }
                    case 2:
                    {
                        var r = Sample(row, x * 3, depth, out var rr);
                        var g = Sample(row, x * 3 + 1, depth, out var rg);
                        var b = Sample(row, x * 3 + 2, depth, out var rb);
                        pixels[p * 3] = r; pixels[p * 3 + 1] = g; pixels[p * 3 + 2] = b;
                        if (trns is { Length: >= 6 } && rr == BinaryPrimitives.ReadUInt16BigEndian(trns)
                            && rg == BinaryPrimitives.ReadUInt16BigEndian(trns.AsSpan(2)) && rb == BinaryPrimitives.ReadUInt16BigEndian(trns.AsSpan(4))) a = 0;
                        break;
                    }
                    case 3:
                    {
                        Sample(row, x, depth, out var idx);
                        if (idx * 3 + 2 >= palette!.Length) throw new SealImageException("the seal image PNG uses a color outside its palette");
                        pixels[p * 3] = palette[idx * 3]; pixels[p * 3 + 1] = palette[idx * 3 + 1]; pixels[p * 3 + 2] = palette[idx * 3 + 2];
                        if (trns is not null && idx < trns.Length) a = trns[idx];
                        break;
                    }
                    case 4:
                        pixels[p] = Sample(row, x * 2, depth, out _);
                        a = Sample(row, x * 2 + 1, depth, out _);
                        break;
                    case 6:
                        pixels[p * 3] = Sample(row, x * 4, depth, out _);
                        pixels[p * 3 + 1] = Sample(row, x * 4 + 1, depth, out _);
                        pixels[p * 3 + 2] = Sample(row, x * 4 + 2, depth, out _);
                        a = Sample(row, x * 4 + 3, depth, out _);
                        break;
                }
                alpha[p] = a;
                if (a != 255) anyTransparent = true;
            }
        }
        return new PngImage(width, height, components, pixels, anyTransparent ? alpha : null);
    }

    private static readonly uint[] CrcTable = MakeCrcTable();

    private static uint[] MakeCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    /// <summary>The CRC-32 every PNG chunk carries over its type and data (ISO 3309, as the PNG spec defines).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    /// <summary>Sample <paramref name="index"/> of a row scaled to 8 bits; <paramref name="raw"/> is the unscaled value.</summary>
    private static byte Sample(ReadOnlySpan<byte> row, int index, int depth, out int raw)
    {
        switch (depth)
        {
            case 8: raw = row[index]; return (byte)raw;
            case 16: raw = row[index * 2] << 8 | row[index * 2 + 1]; return row[index * 2];
            default:
            {
                var bit = index * depth;
                raw = (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
                return (byte)(raw * 255 / ((1 << depth) - 1));
            }
        }
    }
}
