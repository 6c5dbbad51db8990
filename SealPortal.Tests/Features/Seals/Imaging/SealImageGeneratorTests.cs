using System.Diagnostics;
using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Tests.Features.Seals.Imaging;

public class SealImageGeneratorTests
{
    private const string Organisation = "示例科技有限公司";
    private const string SealName = "合同专用章";

    private static readonly Lazy<byte[]> SamplePng = new(() =>
        TestFonts.Generator.GeneratePng(new SealImageSpec(Organisation, SealName)));

    [Fact]
    public void Png_decodes_with_valid_chunks_and_the_requested_size()
    {
        var png = PngTestDecoder.Decode(SamplePng.Value);
        Assert.Equal(600, png.Width);
        Assert.Equal(600, png.Height);
        Assert.Equal("IHDR", png.ChunkTypes[0]);
        Assert.Contains("IDAT", png.ChunkTypes);
        Assert.Equal("IEND", png.ChunkTypes[^1]);
    }

    [Fact]
    public void Star_centre_and_ring_are_opaque_red_and_corners_fully_transparent()
    {
        var png = PngTestDecoder.Decode(SamplePng.Value);
        var red = ((byte)230, (byte)0, (byte)0, (byte)255);
        for (var dy = -5; dy <= 5; dy++)
        {
            for (var dx = -5; dx <= 5; dx++)
                Assert.Equal(red, png.Pixel(300 + dx, 300 + dy));
        }
        // Radius 0.97 of the half size lies inside the ring band (0.90..0.98).
        var ringOffset = (int)Math.Round(300 * 0.97);
        Assert.Equal(red, png.Pixel(300 - ringOffset, 300));
        Assert.Equal(red, png.Pixel(300 + ringOffset, 300));
        Assert.Equal(red, png.Pixel(300, 300 - ringOffset));
        Assert.Equal(red, png.Pixel(300, 300 + ringOffset));
        foreach (var (x0, y0) in new[] { (0, 0), (560, 0), (0, 560), (560, 560) })
        {
            for (var y = y0; y < y0 + 40; y++)
            {
                for (var x = x0; x < x0 + 40; x++)
                    Assert.Equal(0, png.Alpha(x, y));
            }
        }
        // Inside the ring, between the star and the text, nothing is drawn.
        Assert.Equal(0, png.Alpha(300, 300 - 130));
    }

    [Fact]
    public void Edges_are_anti_aliased_and_every_inked_pixel_has_the_seal_colour()
    {
        var png = PngTestDecoder.Decode(SamplePng.Value);
        int partial = 0, opaque = 0;
        for (var y = 0; y < png.Height; y++)
        {
            for (var x = 0; x < png.Width; x++)
            {
                var (r, g, b, a) = png.Pixel(x, y);
                if (a == 0)
                    continue;
                Assert.Equal((230, 0, 0), (r, g, b));
                if (a == 255)
                    opaque++;
                else
                    partial++;
            }
        }
        Assert.True(partial > 2000, $"only {partial} partially covered pixels: edges are not anti-aliased");
        Assert.True(opaque > partial, "more edge than ink");
        // Along the ring's outer edge, the coverage falls off over about one pixel, in steps.
        var edge = Enumerable.Range(0, 8).Select(x => png.Alpha(x, 300)).ToArray();
        Assert.Contains(edge, a => a is > 0 and < 255);
    }

    [Fact]
    public void Name_reads_clockwise_from_the_lower_left_and_leaves_the_bottom_free()
    {
        var mask = TestFonts.Generator.Render(new SealImageSpec(Organisation, SealName) { SizePx = 400 });
        var angles = SealLayout.ArcAngles(Organisation.Length);
        var r = 200 * SealLayout.OuterRadiusOfHalfSize;
        var textRadius = r * (1 - SealLayout.RingWidthOfRadius - SealLayout.ArcGapOfRadius - SealLayout.ArcCharacterHeightOfRadius(8) / 2);

        double InkNear(double degrees)
        {
            var a = degrees * Math.PI / 180;
            var cx = 200 + textRadius * Math.Sin(a);
            var cy = 200 - textRadius * Math.Cos(a);
            double sum = 0;
            for (var y = (int)cy - 15; y <= (int)cy + 15; y++)
            {
                for (var x = (int)cx - 15; x <= (int)cx + 15; x++)
                    sum += mask[x, y];
            }
            return sum / (31 * 31);
        }

        foreach (var angle in angles)
            Assert.True(InkNear(angle) > 0.1, $"no character at {angle:F0}°");
        // Without a code the lower arc stays empty: the name does not run all around.
        Assert.True(InkNear(180) < 0.001, "ink at the bottom of the arc");

        // The first character is 示: its mirrored or rotated copy would put the ink elsewhere.
        // 示 has two horizontal strokes at the top; rotated outwards at the lower left they
        // lie on the side away from the centre.
        var first = angles[0] * Math.PI / 180;
        var outward = (Math.Sin(first), -Math.Cos(first));
        double Along(double offset)
        {
            var x = 200 + (textRadius + offset) * outward.Item1;
            var y = 200 + (textRadius + offset) * outward.Item2;
            double sum = 0;
            for (var t = -12; t <= 12; t++)
                sum += mask[(int)(x - t * outward.Item2), (int)(y + t * outward.Item1)];
            return sum;
        }
        var outer = Enumerable.Range(10, 12).Max(o => Along(o));
        Assert.True(outer > 12, $"示's top strokes not on the outer side (max line ink {outer:F1})");
    }

    [Fact]
    public void The_character_at_the_top_of_the_arc_stands_upright_and_is_not_mirrored()
    {
        // Nine characters put the fifth exactly at 12 o'clock, where it is not rotated at all.
        var mask = TestFonts.Generator.Render(new SealImageSpec("LLLLLLLLL", "公章") { SizePx = 400 });
        var r = 200 * SealLayout.OuterRadiusOfHalfSize;
        var height = r * SealLayout.ArcCharacterHeightOfRadius(9);
        var centreY = 200 - r * (1 - SealLayout.RingWidthOfRadius - SealLayout.ArcGapOfRadius) + height / 2;
        int minX = 400, maxX = 0, minY = 400, maxY = 0;
        for (var y = (int)(centreY - height / 2); y <= (int)(centreY + height / 2); y++)
        {
            for (var x = 200 - (int)height / 2; x <= 200 + (int)height / 2; x++)
            {
                if (mask[x, y] < 0.5f)
                    continue;
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
            }
        }
        Assert.True(maxX > minX && maxY > minY, "no L at the top of the arc");
        var stemColumn = minX + 1;
        var rightTop = (x: maxX - 1, y: minY + 1);
        Assert.True(mask[stemColumn, minY + 1] > 0.5f, "the stem is not at the upper left");
        Assert.True(mask[rightTop.x, maxY - 1] > 0.5f, "the foot is not at the lower right");
        Assert.True(mask[rightTop.x, rightTop.y] < 0.1f, "the upper right is inked: L is mirrored or upside down");
    }

    [Fact]
    public void Arc_angles_spread_clockwise_over_210_to_240_degrees_for_real_names()
    {
        Assert.Equal(210, SealLayout.ArcSweepDegrees(8));
        Assert.Equal(240, SealLayout.ArcSweepDegrees(24));
        foreach (var n in new[] { 8, 12, 16, 24 })
        {
            var angles = SealLayout.ArcAngles(n);
            Assert.InRange(angles[^1] - angles[0], 210, 240);
            Assert.Equal(-angles[0], angles[^1], 6);
            Assert.True(angles.Zip(angles.Skip(1)).All(p => p.Second > p.First), "clockwise order");
        }
    }

    [Fact]
    public void Code_adds_ink_along_the_lower_arc()
    {
        var withCode = TestFonts.Generator.Render(new SealImageSpec(Organisation, SealName) { SizePx = 300, Code = "1101080012345" });
        var without = TestFonts.Generator.Render(new SealImageSpec(Organisation, SealName) { SizePx = 300 });
        double Bottom(SealCoverage m)
        {
            double sum = 0;
            for (var y = 262; y < 282; y++)
            {
                for (var x = 120; x < 180; x++)
                    sum += m[x, y];
            }
            return sum;
        }
        Assert.True(Bottom(without) < 1, "ink at the bottom without a code");
        Assert.True(Bottom(withCode) > 50, "the code is not drawn along the bottom");
    }

    [Fact]
    public void Size_and_colour_are_honoured()
    {
        var png = PngTestDecoder.Decode(TestFonts.Generator.GeneratePng(
            new SealImageSpec(Organisation, SealName) { SizePx = 128, Color = SealColor.Parse("#0033CC") }));
        Assert.Equal(128, png.Width);
        Assert.Equal(128, png.Height);
        Assert.Equal(((byte)0, (byte)0x33, (byte)0xCC, (byte)255), png.Pixel(64, 64));
    }

    [Theory]
    [InlineData("示", "合同专用章", "2 to 24 characters")]
    [InlineData("一二三四五六七八九十一二三四五六七八九十一二三四五", "合同专用章", "it has 25")]
    [InlineData("示例科技有限公司", "  ", "seal name must have 1 to 10")]
    [InlineData("示例科技有限公司", "合同专用章合同专用章章", "seal name must have 1 to 10")]
    [InlineData("示例\u0007科技", "合同专用章", "control character")]
    [InlineData("示例科技\uE000有限公司", "合同专用章", "U+E000")]
    public void Unusable_texts_are_refused_with_a_clear_message(string organisation, string sealName, string expected)
    {
        var ex = Assert.Throws<SealImageException>(() => TestFonts.Generator.GeneratePng(new SealImageSpec(organisation, sealName)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Sizes_outside_the_range_are_refused()
    {
        Assert.Throws<SealImageException>(() => TestFonts.Generator.Render(new SealImageSpec(Organisation, SealName) { SizePx = 10 }));
        Assert.Throws<SealImageException>(() => TestFonts.Generator.Render(new SealImageSpec(Organisation, SealName) { SizePx = 10_000 }));
        Assert.Throws<SealImageException>(() => SealColor.Parse("red"));
    }

    /// <summary>
    /// MuPDF decodes PNGs with its own code; its pixels must match ours, which rules out an
    /// encoder and a test decoder that agree with each other but not with the format. MuPDF
    /// premultiplies alpha internally, so colours of partly transparent pixels are compared
    /// premultiplied, to within rounding.
    /// </summary>
    [Fact]
    public void An_independent_decoder_reads_the_same_pixels()
    {
        var directory = Directory.CreateTempSubdirectory("seal-image-");
        try
        {
            var pngPath = Path.Combine(directory.FullName, "seal.png");
            var pamPath = Path.Combine(directory.FullName, "seal.pam");
            File.WriteAllBytes(pngPath, SamplePng.Value);

            var (exit, output) = Run("mutool", $"draw -q -F pam -c rgba -r 96 -o {pamPath} {pngPath}");
            Assert.True(exit == 0, $"mutool failed: {output}");
            var (width, height, pixels) = ReadPam(File.ReadAllBytes(pamPath));
            var ours = PngTestDecoder.Decode(SamplePng.Value);
            Assert.Equal((600, 600), (width, height));
            Assert.Equal(ours.Rgba.Length, pixels.Length);
            var differing = 0;
            for (var i = 0; i < pixels.Length; i += 4)
            {
                var alpha = ours.Rgba[i + 3];
                if (pixels[i + 3] != alpha)
                {
                    differing++;
                    continue;
                }
                for (var c = 0; c < 3; c++)
                {
                    if (Math.Abs(ours.Rgba[i + c] * alpha - pixels[i + c] * alpha) > (alpha == 255 ? 0 : 510))
                        differing++;
                }
            }
            Assert.Equal(0, differing);
            Assert.Equal(230, pixels[(300 * 600 + 300) * 4]);

            var (fileExit, description) = Run("file", pngPath);
            Assert.Equal(0, fileExit);
            Assert.Contains("PNG image data, 600 x 600, 8-bit/color RGBA, non-interlaced", description);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static (int Exit, string Output) Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000), $"{program} did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static (int Width, int Height, byte[] Pixels) ReadPam(byte[] pam)
    {
        var headerEnd = System.Text.Encoding.ASCII.GetString(pam, 0, Math.Min(pam.Length, 200)).IndexOf("ENDHDR\n", StringComparison.Ordinal);
        Assert.True(headerEnd > 0, "PAM header");
        var header = System.Text.Encoding.ASCII.GetString(pam, 0, headerEnd)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("4", header["DEPTH"]);
        Assert.Equal("255", header["MAXVAL"]);
        return (int.Parse(header["WIDTH"]), int.Parse(header["HEIGHT"]), pam[(headerEnd + 7)..]);
    }
}
