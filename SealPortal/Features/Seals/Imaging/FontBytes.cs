namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// Big-endian reads over a font file that never index outside it: every offset in a font
/// comes from the file itself, so a damaged file must turn into a FontFormatException
/// naming what was being read, not an IndexOutOfRangeException deep in the rasterizer.
/// </summary>
internal readonly struct FontBytes(byte[] data, string source)
{
    public byte[] Data { get; } = data;
    public string Source { get; } = source;
    public int Length => Data.Length;

    public void Require(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset + length > Data.Length)
            throw new FontFormatException(
                $"Font {Source} is truncated or corrupt: {what} at offset {offset} (+{length} bytes) lies outside the file ({Data.Length} bytes).");
    }

    public byte U8(long offset, string what)
    {
        Require(offset, 1, what);
        return Data[offset];
    }

    public sbyte I8(long offset, string what) => unchecked((sbyte)U8(offset, what));

    public ushort U16(long offset, string what)
    {
        Require(offset, 2, what);
        return (ushort)((Data[offset] << 8) | Data[offset + 1]);
    }

    public short I16(long offset, string what) => unchecked((short)U16(offset, what));

    public uint U32(long offset, string what)
    {
        Require(offset, 4, what);
        return ((uint)Data[offset] << 24) | ((uint)Data[offset + 1] << 16) | ((uint)Data[offset + 2] << 8) | Data[offset + 3];
    }

    public string Tag(long offset, string what)
    {
        Require(offset, 4, what);
        Span<char> c = stackalloc char[4];
        for (var i = 0; i < 4; i++)
            c[i] = (char)Data[offset + i];
        return new string(c);
    }

    /// <summary>F2Dot14 fixed point as used by composite glyph scales.</summary>
    public double F2Dot14(long offset, string what) => I16(offset, what) / 16384.0;
}
