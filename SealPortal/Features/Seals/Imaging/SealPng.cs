using System.Runtime.InteropServices;
using SealPortal.Pdf.Signing;
using SkiaSharp;

namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// Seal images as PNG files, through SkiaSharp (libpng): uploaded files are decoded in full into
/// the plain bitmap the PDF engine takes, and drawn seals are encoded.
/// </summary>
public static class SealPng
{
    /// <summary>Decodes every pixel of a PNG (any colour type, bit depth or interlacing).</summary>
    /// <exception cref="SealImageException">not a PNG, damaged or truncated, or larger than <see cref="SealBitmap.MaxDimension"/>.</exception>
    public static SealBitmap Decode(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        using var stream = new SKMemoryStream(png);
        using var codec = SKCodec.Create(stream, out var opened);
        if (codec is null || codec.EncodedFormat != SKEncodedImageFormat.Png)
            throw new SealImageException(codec is null && png.AsSpan().StartsWith(Signature)
                ? $"the seal image PNG is damaged ({Describe(opened)})"
                : "the seal image is not a PNG file");
        // libpng stops reading once it has every row, so a file cut off after its last row (checksums
        // and IEND gone) would pass; a PNG ends with its IEND chunk, which is cheap to require.
        if (!png.AsSpan().EndsWith(IendChunk))
            throw new SealImageException("the seal image PNG is truncated (it does not end with an IEND chunk)");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        // Checked before any pixel is decoded, so a small file claiming a huge image costs nothing.
        if (width is < 1 or > SealBitmap.MaxDimension || height is < 1 or > SealBitmap.MaxDimension)
            throw new SealImageException($"the seal image must be between 1 and {SealBitmap.MaxDimension} pixels wide and high (it is {width} x {height})");

        var rgba = new byte[width * height * 4];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        SKCodecResult decoded;
        try
        {
            decoded = codec.GetPixels(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        // libpng fills what it could not read with zeros and says IncompleteInput: a seal must be whole.
        if (decoded != SKCodecResult.Success)
            throw new SealImageException($"the seal image PNG is damaged or truncated ({Describe(decoded)})");

        var rgb = new byte[width * height * 3];
        var alpha = new byte[width * height];
        var opaque = true;
        for (int p = 0, i = 0; p < alpha.Length; p++, i += 4)
        {
            rgb[p * 3] = rgba[i];
            rgb[p * 3 + 1] = rgba[i + 1];
            rgb[p * 3 + 2] = rgba[i + 2];
            alpha[p] = rgba[i + 3];
            opaque &= rgba[i + 3] == 255;
        }
        return new SealBitmap(width, height, rgb, opaque ? null : alpha);
    }

    /// <summary>Encodes unpremultiplied 8-bit RGBA rows as a PNG.</summary>
    public static byte[] EncodeRgba(int width, int height, byte[] rgba)
    {
        if (rgba.Length != width * height * 4)
            throw new ArgumentException($"{width} x {height} RGBA needs {width * height * 4} bytes, not {rgba.Length}", nameof(rgba));
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), handle.AddrOfPinnedObject(), width * 4);
            using var encoded = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zLibLevel: 9))
                ?? throw new InvalidOperationException($"SkiaSharp could not encode a {width} x {height} PNG");
            return encoded.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    private static ReadOnlySpan<byte> IendChunk => [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => "its data ends early or fails its checksums",
        SKCodecResult.InvalidInput => "its header is invalid",
        SKCodecResult.Unimplemented => "it uses a PNG feature that cannot be decoded",
        _ => result.ToString(),
    };
}
