using System.Buffers;
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
    /// Writes source + update to <paramref name="output"/> (from position 0): copies and hashes the
    /// source, hashes the update except the /Contents gap, asks <paramref name="build"/> for the DER
    /// over that SHA-256, puts it into the reserved /Contents and only then writes the update.
    /// </summary>
    /// <returns>The four /ByteRange numbers and the file length.</returns>
    /// <exception cref="PdfSigningException">The DER is larger than reserved, or the file too large.</exception>
    public static async Task<(long[] ByteRange, long Length)> WriteAsync(PdfFile source, PdfUpdateBytes update, PdfRefObj sigRef, int maxDer,
        Stream output, Func<byte[], CancellationToken, Task<byte[]>> build, CancellationToken ct, bool startWriteback = false, SignClock? clock = null)
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
        // A fresh temporary file is empty already: no truncate call for it.
        if (output.Length != 0)
            output.SetLength(0);
        // A small input is held in memory with room for the update after it, and written together with the
        // update in one write once the signature is in; a large one is copied to the output while it is hashed.
        byte[]? whole = null;
        try
        {
            var length = source.Length;
            if (length <= InlineCopyLimit)
            {
                whole = ArrayPool<byte>.Shared.Rent((int)length + update.Bytes.Length);
                var n = source.ReadAt(0, whole.AsSpan(0, (int)length));
                if (n != length) throw new PdfFormatException("the PDF is truncated");
                hash.AppendData(whole, 0, n);
            }
            else
            {
                await CopyAndHashAsync(source, output, hash, ct, startWriteback);
            }
            ct.ThrowIfCancellationRequested();
            hash.AppendData(update.Bytes[..contentsStart]);
            hash.AppendData(update.Bytes[contentsEnd..]);
            if (clock is not null) clock.Hashed = SignClock.Now;

            var der = await build(hash.GetHashAndReset(), ct);
            if (clock is not null) clock.Signed = SignClock.Now;
            if (der.Length == 0 || der.Length > maxDer)
                throw new PdfSigningException($"the signature ({der.Length} bytes) does not fit the space reserved for it ({maxDer} bytes)");
            // The DER goes into the update in memory, which is then written once: no seek back, no second write.
            if (!Convert.TryToHexString(der, update.Bytes.Slice(contentsStart + 1, 2 * der.Length), out _))
                throw new InvalidOperationException("the signature does not fit its placeholder");
            if (whole is not null)
            {
                update.Bytes.CopyTo(whole.AsSpan((int)length));
                output.Write(whole, 0, (int)length + update.Bytes.Length);
            }
            else
            {
                output.Write(update.Bytes);
            }
            await output.FlushAsync(ct);
            if (clock is not null) clock.Written = SignClock.Now;
            return (byteRange, total);
        }
        finally
        {
            if (whole is not null) ArrayPool<byte>.Shared.Return(whole);
        }
    }

    /// <summary>
    /// For a source that is a file: the copy runs on a worker, reading the file on its own, while the caller
    /// reads and hashes it. Coupled chunk by chunk (<see cref="CopyAndHashAsync"/>'s other way), the hash
    /// waited for every write, and writes wait whenever the kernel holds back a writer with too much
    /// unwritten data: a 100 MB seal took 2.5 times the disk's own time. Apart, each goes at its own pace
    /// and the seal takes about the longer of the two. Each reads the file once (from the page cache, the
    /// second time), the copy's bytes and their order are those of the file, and so is the hash.
    /// </summary>
    private static async Task CopyBesideHashAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length, Stream output,
        IncrementalHash hash, CancellationToken ct, Microsoft.Win32.SafeHandles.SafeFileHandle? handle)
    {
        var start = output.Position;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var copy = Task.Run(() =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(CopyChunk);
            try
            {
                long handedOver = 0;
                for (long offset = 0; offset < length;)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    var n = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(CopyChunk, length - offset)), offset);
                    if (n <= 0) throw new PdfFormatException("the PDF is truncated");
                    output.Write(buffer, 0, n);
                    offset += n;
                    handedOver = HandOver(handle, start, handedOver, offset, length);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }, CancellationToken.None);
        var chunk = ArrayPool<byte>.Shared.Rent(CopyChunk);
        try
        {
            for (long offset = 0; offset < length;)
            {
                ct.ThrowIfCancellationRequested();
                var n = RandomAccess.Read(file, chunk.AsSpan(0, (int)Math.Min(CopyChunk, length - offset)), offset);
                if (n <= 0) throw new PdfFormatException("the PDF is truncated");
                hash.AppendData(chunk, 0, n);
                offset += n;
            }
        }
        catch
        {
            // The copy is of no use now: stop it rather than wait for the rest of the file.
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            // The output may be touched again only once the copy has ended, however it ended.
            await copy.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ArrayPool<byte>.Shared.Return(chunk);
        }
        await copy;
    }

    /// <summary>Inputs up to this size are held in memory and written with the update in one write.</summary>
    private const int InlineCopyLimit = 1 << 20;
    private const int CopyChunk = 256 << 10;
    private const long WritebackStep = 8 << 20;
    private const uint SyncFileRangeWrite = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(Microsoft.Win32.SafeHandles.SafeFileHandle fd, long offset, long count, uint flags);

    /// <summary>
    /// With <paramref name="handle"/> (the output, to be fsynced), hands the bytes copied since <paramref name="handedOver"/>
    /// to the disk once they make <see cref="WritebackStep"/> or the copy is complete; returns what is handed over now.
    /// </summary>
    private static long HandOver(Microsoft.Win32.SafeHandles.SafeFileHandle? handle, long start, long handedOver, long written, long length)
    {
        if (handle is null || (written - handedOver < WritebackStep && written != length))
            return handedOver;
        // Only a hint: an error here changes nothing, the fsync later is what counts.
        _ = SyncFileRange(handle, start + handedOver, written - handedOver, SyncFileRangeWrite);
        return written;
    }

    /// <summary>
    /// Copies the whole source to <paramref name="output"/> (at its position) and hashes it, reading
    /// each byte once. A large input goes in 256 KiB chunks with the write of one chunk on a worker
    /// while the caller hashes it and reads the next, so on two cores the copy hides behind the
    /// hash instead of adding to it. The bytes, their order and the hash are the same either way.
    /// </summary>
    /// <param name="startWriteback">
    /// The caller will fsync the output: on Linux, hand each copied 8 MiB to the disk right away
    /// (sync_file_range, SYNC_FILE_RANGE_WRITE, which does not wait), so the disk writes while the
    /// rest is hashed and the final fsync, which still guarantees durability, has less left to wait for.
    /// </param>
    internal static async Task CopyAndHashAsync(PdfFile source, Stream output, IncrementalHash hash, CancellationToken ct, bool startWriteback = false)
    {
        var handle = startWriteback && OperatingSystem.IsLinux() && output is FileStream fs ? fs.SafeFileHandle : null;
        if (source.FileHandle is { } file && output is FileStream)
        {
            await CopyBesideHashAsync(file, source.Length, output, hash, ct, handle);
            return;
        }
        var length = source.Length;
        var start = output.Position;
        long handedOver = 0;
        var reading = ArrayPool<byte>.Shared.Rent(CopyChunk);
        var writing = ArrayPool<byte>.Shared.Rent(CopyChunk);
        var pending = Task.CompletedTask;
        try
        {
            for (long offset = 0; offset < length;)
            {
                ct.ThrowIfCancellationRequested();
                var n = source.ReadAt(offset, reading.AsSpan(0, (int)Math.Min(CopyChunk, length - offset)));
                if (n <= 0) throw new PdfFormatException("the PDF is truncated");
                // The previous chunk's write must be done before its buffer is read into again,
                // and writes must reach the file in order: one write in flight at a time.
                await pending;
                var chunk = reading;
                var written = offset + n;
                pending = Task.Run(() =>
                {
                    output.Write(chunk, 0, n);
                    handedOver = HandOver(handle, start, handedOver, written, length);
                }, CancellationToken.None);
                hash.AppendData(chunk, 0, n);
                (reading, writing) = (writing, reading);
                offset += n;
            }
            await pending;
        }
        finally
        {
            // No write may still use a buffer once it is back in the pool.
            await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ArrayPool<byte>.Shared.Return(reading);
            ArrayPool<byte>.Shared.Return(writing);
        }
    }
}
