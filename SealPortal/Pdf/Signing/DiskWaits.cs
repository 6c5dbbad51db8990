using System.Collections.Concurrent;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// Runs the blocking disk calls that end a signature (fsync, close, rename) on the engine's own
/// threads instead of thread-pool threads. An fsync blocks its thread for as long as the disk
/// takes (milliseconds); on the thread pool, a few seals waiting on the disk at once left no
/// thread for the CPU work of the others until the pool slowly added threads, and the cores sat
/// idle. The threads start on demand (at most <see cref="MaxThreads"/>, then work queues) and
/// stay for later seals; they are background threads.
/// </summary>
internal static class DiskWaits
{
    public const int MaxThreads = 16;
    private static readonly BlockingCollection<Action> Queue = new(new ConcurrentQueue<Action>());
    private static int _threads;
    private static int _idle;

    /// <summary>Runs <paramref name="action"/> on a disk-wait thread; the returned task completes on the thread pool.</summary>
    public static Task Run(Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add(() =>
        {
            try
            {
                action();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        if (Volatile.Read(ref _idle) == 0)
            StartThread();
        return done.Task;
    }

    private static void StartThread()
    {
        if (Interlocked.Increment(ref _threads) > MaxThreads)
        {
            Interlocked.Decrement(ref _threads);
            return;
        }
        new Thread(Loop) { IsBackground = true, Name = "PDF signer disk waits" }.Start();
    }

    private static void Loop()
    {
        while (true)
        {
            Interlocked.Increment(ref _idle);
            var work = Queue.Take();
            Interlocked.Decrement(ref _idle);
            work();
        }
    }
}
