using System.IO.Compression;

namespace SealPortal.Tests.Features.Seals.Imaging;

/// <summary>
/// A PNG reader written separately from the encoder (bitwise CRC, its own unfiltering), so
/// that a mistake in the encoder is not mirrored by the same mistake when reading back.
/// Handles what the seal encoder promises: 8-bit RGBA, non-interlaced, all five filters.
/// </summary>
internal sealed record DecodedPng(int Width, int Height, byte[] Rgba, IReadOnlyList<string> ChunkTypes)
{
    public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
    {
        var i = (y * Width + x) * 4;
        return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
    }

    public byte Alpha(int x, int y) => Rgba[(y * Width + x) * 4 + 3];
}

internal static class PngTestDecoder
{
    public static DecodedPng Decode(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.AsSpan(0, 8).SequenceEqual(signature), "PNG signature");

        var types = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0;
        var p = 8;
        while (p < png.Length)
        {
            Assert.True(p + 12 <= png.Length, "chunk header runs past the end");
            var length = (int)ReadU32(png, p);
            var type = System.Text.Encoding.ASCII.GetString(png, p + 4, 4);
            Assert.True(p + 12 + length <= png.Length, $"chunk {type} runs past the end");
            var expectedCrc = ReadU32(png, p + 8 + length);
            Assert.Equal(expectedCrc, BitwiseCrc(png.AsSpan(p + 4, 4 + length)));
            var data = png.AsSpan(p + 8, length);
            types.Add(type);
            switch (type)
            {
                case "IHDR":
                    Assert.Equal(13, length);
                    width = (int)ReadU32(png, p + 8);
                    height = (int)ReadU32(png, p + 12);
                    Assert.Equal(8, data[8]);
                    Assert.Equal(6, data[9]);
                    Assert.Equal(0, data[12]);
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
            p += 12 + length;
        }
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        var stride = width * 4;
        Assert.Equal((stride + 1) * height, raw.Length);

        var rgba = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            Assert.InRange(filter, 0, 4);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= 4 ? rgba[y * stride + i - 4] : 0;
                int b = y > 0 ? rgba[(y - 1) * stride + i] : 0;
                int c = i >= 4 && y > 0 ? rgba[(y - 1) * stride + i - 4] : 0;
                var predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    _ => PaethPredictor(a, b, c),
                };
                rgba[y * stride + i] = (byte)(raw[y * (stride + 1) + 1 + i] + predicted);
            }
        }
        return new DecodedPng(width, height, rgba, types);
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
            return a;
        return pb <= pc ? b : c;
    }

    private static uint ReadU32(byte[] b, int p) => (uint)(b[p] << 24 | b[p + 1] << 16 | b[p + 2] << 8 | b[p + 3]);

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var octet in data)
        {
            crc ^= octet;
            for (var k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
