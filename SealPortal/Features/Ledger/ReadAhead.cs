using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SealPortal.Features.Ledger;

/// <summary>
/// Reads a database stream on another thread, a bounded buffer ahead of its consumer, so the
/// database's time and the consumer's work (formatting an export, hashing a chain) overlap instead
/// of adding up. Only the reading thread touches the stream (and so its DbContext); when the
/// consumer stops early or fails, the read is cancelled and awaited before this returns, so the
/// context is free again when the caller's scope disposes it.
/// </summary>
public static class ReadAhead
{
    public const int DefaultCapacity = 256;

    public static async IAsyncEnumerable<T> Of<T>(IAsyncEnumerable<T> rows, [EnumeratorCancellation] CancellationToken ct, int capacity = DefaultCapacity)
    {
        var buffer = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var row in rows.WithCancellation(stop.Token))
                    await buffer.Writer.WriteAsync(row, stop.Token);
                buffer.Writer.Complete();
            }
            catch (Exception ex)
            {
                // Handed to the consumer's side, which rethrows it; the task itself never faults.
                buffer.Writer.Complete(ex);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var row in buffer.Reader.ReadAllAsync(ct))
                yield return row;
        }
        finally
        {
            await stop.CancelAsync();
            await reader;
        }
    }
}
