using System.Security.Cryptography;
using System.Text;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// The /ByteRange and /Contents placeholders of a signature dictionary (a seal's or a document
/// time-stamp's), and the one pass that writes the update around them: copy and hash the source,
/// fill in the byte range, hash the update except the /Contents gap, and later put the DER in.
/// </summary>
internal static class SignatureSlot
{
    private const string ByteRangePlaceholder = "[0 9999999999 9999999999 9999999999]";

    /// <summary>A /ByteRange value wide enough for any offset in a 10 GB file, patched in <see cref="WriteAsync"/>.</summary>
    public static PdfRawObj ByteRange() => new(Encoding.ASCII.GetBytes(ByteRangePlaceholder));

    /// <summary>A /Contents hex string of zeros with room for <paramref name="maxDer"/> bytes.</summary>
    public static PdfRawObj Contents(int maxDer)
    {
        var contents = new byte[2 + 2 * maxDer];
        contents.AsSpan().Fill((byte)'0');
        contents[0] = (byte)'<';
        contents[^1] = (byte)'>';
        return new PdfRawObj(contents);
    }

    /// <summary>
    /// Writes source + update to <paramref name="output"/> (from position 0), asks
    /// <paramref name="build"/> for the DER over the SHA-256 of the byte ranges and writes it
    /// into the reserved /Contents.
    /// </summary>
    /// <returns>The four /ByteRange numbers and the file length.</returns>
    /// <exception cref="PdfSigningException">The DER is larger than reserved, or the file too large.</exception>
    public static async Task<(long[] ByteRange, long Length)> WriteAsync(PdfFile source, PdfUpdateBytes update, PdfRefObj sigRef, int maxDer,
        Stream output, Func<byte[], CancellationToken, Task<byte[]>> build, CancellationToken ct)
    {
        var (objStart, objEnd) = update.ObjectSpans[sigRef.Number];
        var span = update.Bytes[objStart..objEnd];
        var brRel = span.IndexOf(Encoding.ASCII.GetBytes(ByteRangePlaceholder));
        var ctRel = span.IndexOf("/Contents <"u8);
        if (brRel < 0 || ctRel < 0) throw new InvalidOperationException("signature placeholders not found in the update");
        var contentsStart = objStart + ctRel + "/Contents ".Length;
        var contentsEnd = contentsStart + 2 + 2 * maxDer;
        var total = update.BaseOffset + update.Bytes.Length;
        long[] byteRange = [0, update.BaseOffset + contentsStart, update.BaseOffset + contentsEnd, total - (update.BaseOffset + contentsEnd)];
        var brText = $"[0 {byteRange[1]} {byteRange[2]} {byteRange[3]}";
        if (brText.Length + 1 > ByteRangePlaceholder.Length) throw new PdfSigningException("the PDF is too large to sign");
        brText = brText.PadRight(ByteRangePlaceholder.Length - 1) + "]";
        Encoding.ASCII.GetBytes(brText).CopyTo(update.Bytes[(objStart + brRel)..]);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        output.Position = 0;
        output.SetLength(0);
        source.ReadRange(0, source.Length, chunk =>
        {
            hash.AppendData(chunk);
            output.Write(chunk);
        });
        ct.ThrowIfCancellationRequested();
        var bytes = update.Bytes.ToArray();
        hash.AppendData(bytes, 0, contentsStart);
        hash.AppendData(bytes, contentsEnd, bytes.Length - contentsEnd);
        output.Write(bytes);

        var der = await build(hash.GetHashAndReset(), ct);
        if (der.Length == 0 || der.Length > maxDer)
            throw new PdfSigningException($"the signature ({der.Length} bytes) does not fit the space reserved for it ({maxDer} bytes)");
        output.Position = update.BaseOffset + contentsStart + 1;
        output.Write(Encoding.ASCII.GetBytes(Convert.ToHexString(der)));
        output.Position = total;
        await output.FlushAsync(ct);
        return (byteRange, total);
    }
}
