using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Pdf;

public sealed class PngImageTests
{
    [Fact]
    public void Rgba_with_all_five_filters_decodes_exactly_and_keeps_alpha()
    {
        byte[] Px(int x, int y) => [(byte)(x * 13 + y), (byte)(y * 7), (byte)(x ^ y), (byte)(x * 20)];
        var img = PngImage.Decode(PdfTestKit.Png(11, 10, 6, Px));
        Assert.Equal((11, 10, 3), (img.Width, img.Height, img.Components));
        for (var y = 0; y < 10; y++)
            for (var x = 0; x < 11; x++)
            {
                var p = Px(x, y);
                Assert.Equal(p[..3], img.Pixels.AsSpan((y * 11 + x) * 3, 3).ToArray());
                Assert.Equal(p[3], img.Alpha![y * 11 + x]);
            }
    }

    [Fact]
    public void Opaque_rgb_has_no_alpha_plane()
        => Assert.Null(PngImage.Decode(PdfTestKit.Png(4, 4, 2, (x, y) => [1, 2, 3])).Alpha);

    [Fact]
    public void Palette_with_tRNS_expands_to_rgb_and_alpha()
    {
        var img = PngImage.Decode(PdfTestKit.Png(3, 1, 3, (x, y) => [(byte)x], palette: [255, 0, 0, 0, 255, 0, 0, 0, 255], trns: [0, 128]));
        Assert.Equal([255, 0, 0, 0, 255, 0, 0, 0, 255], img.Pixels);
        Assert.Equal([0, 128, 255], img.Alpha);
    }

    [Fact]
    public void Gray_and_gray_alpha_stay_one_component()
    {
        var g = PngImage.Decode(PdfTestKit.Png(2, 2, 0, (x, y) => [(byte)(x * 100 + y)]));
        Assert.Equal([0, 100, 1, 101], g.Pixels);
        var ga = PngImage.Decode(PdfTestKit.Png(2, 1, 4, (x, y) => [50, (byte)(x == 0 ? 0 : 255)]));
        Assert.Equal(1, ga.Components);
        Assert.Equal([0, 255], ga.Alpha);
    }

    [Theory]
    [InlineData("not a png")]
    [InlineData("truncated")]
    [InlineData("bad crc")]
    [InlineData("interlaced")]
    [InlineData("no data")]
    public void Invalid_pngs_are_rejected_with_a_clear_message(string kind)
    {
        var good = PdfTestKit.Png(8, 8, 6, (x, y) => [1, 2, 3, 4]);
        byte[] bad = kind switch
        {
            "not a png" => "GIF89a........"u8.ToArray(),
            "truncated" => good[..(good.Length - 20)],
            "bad crc" => Flip(good, 30),
            "interlaced" => Interlaced(good),
            _ => PdfTestKit.Png(8, 8, 6, (x, y) => [1, 2, 3, 4])[..33].Concat(IendChunk()).ToArray(),
        };
        var ex = Assert.Throws<SealImageException>(() => PngImage.Decode(bad));
        Assert.Contains("seal image", ex.Message);
    }

    private static byte[] Flip(byte[] b, int i) { var c = (byte[])b.Clone(); c[i] ^= 0xFF; return c; }

    private static byte[] IendChunk() => [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    private static byte[] Interlaced(byte[] png)
    {
        // Set the IHDR interlace byte and recompute the chunk's CRC so only interlacing is "wrong".
        var c = (byte[])png.Clone();
        c[8 + 8 + 12] = 1;
        var crc = 0xFFFFFFFFu;
        foreach (var b in c.AsSpan(12, 17))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        crc = ~crc;
        c[29] = (byte)(crc >> 24); c[30] = (byte)(crc >> 16); c[31] = (byte)(crc >> 8); c[32] = (byte)crc;
        return c;
    }
}
