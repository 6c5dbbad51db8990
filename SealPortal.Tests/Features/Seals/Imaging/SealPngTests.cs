using SealPortal.Features.Seals.Imaging;
using SealPortal.Pdf.Signing;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Seals.Imaging;

/// <summary>Uploaded seal images decode through SkiaSharp, checked against PNGs written by the tests' own encoder.</summary>
public sealed class SealPngTests
{
    [Fact]
    public void Rgba_with_all_five_filters_decodes_exactly_and_keeps_alpha()
    {
        byte[] Px(int x, int y) => [(byte)(x * 13 + y), (byte)(y * 7), (byte)(x ^ y), (byte)(x * 20)];
        var img = SealPng.Decode(PdfTestKit.Png(11, 10, 6, Px));
        Assert.Equal((11, 10), (img.Width, img.Height));
        for (var y = 0; y < 10; y++)
            for (var x = 0; x < 11; x++)
            {
                var p = Px(x, y);
                Assert.Equal(p[..3], img.Rgb.AsSpan((y * 11 + x) * 3, 3).ToArray());
                Assert.Equal(p[3], img.Alpha![y * 11 + x]);
            }
    }

    [Fact]
    public void Opaque_rgb_has_no_alpha_plane()
        => Assert.Null(SealPng.Decode(PdfTestKit.Png(4, 4, 2, (x, y) => [1, 2, 3])).Alpha);

    [Fact]
    public void Palette_with_tRNS_expands_to_rgb_and_alpha()
    {
        var img = SealPng.Decode(PdfTestKit.Png(3, 1, 3, (x, y) => [(byte)x], palette: [255, 0, 0, 0, 255, 0, 0, 0, 255], trns: [0, 128]));
        Assert.Equal([255, 0, 0, 0, 255, 0, 0, 0, 255], img.Rgb);
        Assert.Equal([0, 128, 255], img.Alpha);
    }

    [Fact]
    public void Gray_and_gray_alpha_expand_to_equal_rgb_samples()
    {
        var g = SealPng.Decode(PdfTestKit.Png(2, 2, 0, (x, y) => [(byte)(x * 100 + y)]));
        Assert.Equal([0, 0, 0, 100, 100, 100, 1, 1, 1, 101, 101, 101], g.Rgb);
        Assert.Null(g.Alpha);
        var ga = SealPng.Decode(PdfTestKit.Png(2, 1, 4, (x, y) => [50, (byte)(x == 0 ? 0 : 255)]));
        Assert.Equal([50, 50, 50, 50, 50, 50], ga.Rgb);
        Assert.Equal([0, 255], ga.Alpha);
    }

    [Fact]
    public void Interlaced_pngs_decode_to_the_same_pixels()
    {
        byte[] Px(int x, int y) => [(byte)(x * 30), (byte)(y * 30), 7, 255];
        var plain = SealPng.Decode(PdfTestKit.Png(1, 1, 6, Px));
        var interlaced = SealPng.Decode(Interlaced(PdfTestKit.Png(1, 1, 6, Px)));
        Assert.Equal(plain.Rgb, interlaced.Rgb);
    }

    [Fact]
    public void Images_larger_than_the_limit_are_refused_before_decoding()
    {
        // A header claiming 9000 x 9000 in a file of a few dozen bytes.
        var png = PdfTestKit.Png(1, 1, 6, (x, y) => [1, 2, 3, 4]);
        var huge = (byte[])png.Clone();
        foreach (var offset in new[] { 16, 20 })
        {
            huge[offset] = 0; huge[offset + 1] = 0; huge[offset + 2] = 0x23; huge[offset + 3] = 0x28;
        }
        FixIhdrCrc(huge);
        var ex = Assert.Throws<SealImageException>(() => SealPng.Decode(huge));
        Assert.Contains($"between 1 and {SealBitmap.MaxDimension} pixels", ex.Message);
    }

    [Theory]
    [InlineData("not a png")]
    [InlineData("truncated")]
    [InlineData("bad crc")]
    [InlineData("no data")]
    public void Invalid_pngs_are_rejected_with_a_clear_message(string kind)
    {
        var good = PdfTestKit.Png(8, 8, 6, (x, y) => [1, 2, 3, 4]);
        byte[] bad = kind switch
        {
            "not a png" => "GIF89a........"u8.ToArray(),
            "truncated" => good[..(good.Length - 20)],
            "bad crc" => Flip(good, 30),
            _ => PdfTestKit.Png(8, 8, 6, (x, y) => [1, 2, 3, 4])[..33].Concat(IendChunk()).ToArray(),
        };
        var ex = Assert.Throws<SealImageException>(() => SealPng.Decode(bad));
        Assert.Contains("seal image", ex.Message);
    }

    private static byte[] Flip(byte[] b, int i) { var c = (byte[])b.Clone(); c[i] ^= 0xFF; return c; }

    private static byte[] IendChunk() => [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    /// <summary>
    /// Marks the IHDR as Adam7-interlaced. A 1 x 1 image has its one pixel in the first pass and
    /// the six other passes empty, so the IDAT stays valid.
    /// </summary>
    private static byte[] Interlaced(byte[] png)
    {
        var c = (byte[])png.Clone();
        c[8 + 8 + 12] = 1;
        FixIhdrCrc(c);
        return c;
    }

    private static void FixIhdrCrc(byte[] c)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in c.AsSpan(12, 17))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        crc = ~crc;
        c[29] = (byte)(crc >> 24); c[30] = (byte)(crc >> 16); c[31] = (byte)(crc >> 8); c[32] = (byte)crc;
    }
}
