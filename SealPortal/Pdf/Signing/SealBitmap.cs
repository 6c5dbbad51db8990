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
}
