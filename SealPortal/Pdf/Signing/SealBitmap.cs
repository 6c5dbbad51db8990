namespace SealPortal.Pdf.Signing;

/// <summary>
/// The seal's picture as a PDF image needs it: 8-bit RGB samples and an optional 8-bit alpha
/// plane (null when every pixel is opaque). The engine reads no image file format; whoever
/// holds the PNG decodes it, so the engine stays free of an imaging library.
/// </summary>
public sealed class SealBitmap
{
    /// <summary>Largest accepted width/height; a seal never needs more and it bounds memory.</summary>
    public const int MaxDimension = 8192;

    /// <exception cref="ArgumentException">sizes out of range or planes of the wrong length.</exception>
    public SealBitmap(int width, int height, byte[] rgb, byte[]? alpha)
    {
        if (width is < 1 or > MaxDimension || height is < 1 or > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(width), $"a seal bitmap is 1 to {MaxDimension} pixels wide and high, not {width} x {height}");
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Length != (long)width * height * 3)
            throw new ArgumentException($"{width} x {height} RGB needs {(long)width * height * 3} bytes, not {rgb.Length}", nameof(rgb));
        if (alpha is not null && alpha.Length != (long)width * height)
            throw new ArgumentException($"{width} x {height} alpha needs {(long)width * height} bytes, not {alpha.Length}", nameof(alpha));
        Width = width; Height = height; Rgb = rgb; Alpha = alpha;
    }

    public int Width { get; }
    public int Height { get; }
    /// <summary>Row-major R, G, B samples, top row first.</summary>
    public byte[] Rgb { get; }
    /// <summary>One alpha sample per pixel, or null when the image is fully opaque.</summary>
    public byte[]? Alpha { get; }

    // The planes as the PDF stores them (FlateDecode), made on first use and kept: a seal's picture is the same for
    // every document it seals (the portal keeps one bitmap per seal), and compressing a 400 x 400 picture again for
    // each seal cost more than the rest of the seal but the RSA signature. So the planes must not be changed once
    // the bitmap has sealed. Two seals at once may both compress; they get equal bytes, and either copy is kept.
    private byte[]? _flateRgb, _flateAlpha, _flateStencil;

    internal byte[] FlateRgb() => _flateRgb ??= Flate(Rgb);

    internal byte[]? FlateAlpha() => Alpha is null ? null : _flateAlpha ??= Flate(Alpha);

    /// <summary>The 1-bit explicit mask (PDF/A-1, which has no soft masks), compressed; null for an opaque image.</summary>
    internal byte[]? FlateStencil() => Alpha is null ? null : _flateStencil ??= Flate(StencilBits(Alpha, Width, Height));

    /// <summary>One bit per pixel, rows padded to whole bytes, most significant bit first: 1 where alpha is below half.</summary>
    private static byte[] StencilBits(byte[] alpha, int width, int height)
    {
        var rowBytes = (width + 7) / 8;
        var bits = new byte[rowBytes * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (alpha[y * width + x] < 128)
                    bits[y * rowBytes + x / 8] |= (byte)(0x80 >> (x % 8));
            }
        }
        return bits;
    }

    private static byte[] Flate(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }
}
