using Microsoft.Win32.SafeHandles;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// Closes the last handles to files that seals replaced (see <see cref="PdfSigner.OpenPrevious"/>), which frees
/// them, one after another on a thread of its own, off the seals' wait.
/// </summary>
/// <remarks>
/// Freeing a replaced file is real work for the file system even when the file is small: about 0.35 ms per
/// one-page file on this project's machines. Done inside the rename it lengthened every seal by that much and
/// held the folder's lock meanwhile, so concurrent seals in one folder queued behind it. Handed to the thread pool
/// it woke a worker per seal that then spun looking for more work, about 7% of the CPU of a loop of one-page
/// seals. This thread sleeps on a monitor between files and never spins.
/// </remarks>
internal static class ReplacedFiles
{
    private static readonly Queue<SafeFileHandle> Pending = new();
    // A plain object, not System.Threading.Lock: the thread needs Monitor.Wait and Pulse.
    private static readonly object Gate = new();
    private static bool _started, _sleeping;

    /// <summary>Closes <paramref name="handle"/> soon, on the freeing thread.</summary>
    public static void Free(SafeFileHandle handle)
    {
        lock (Gate)
        {
            Pending.Enqueue(handle);
            if (!_started)
            {
                _started = true;
                new Thread(Run) { IsBackground = true, Name = "SealPortal replaced files" }.Start();
            }
            // PulseAll, not Pulse: Drain (tests) waits on the same monitor, and a single pulse taken by it would
            // leave the freeing thread asleep with this handle queued.
            else if (_sleeping)
                Monitor.PulseAll(Gate);
        }
    }

    /// <summary>Tests only: waits until every handle given so far is closed.</summary>
    internal static void Drain()
    {
        lock (Gate)
            while (Pending.Count > 0 || (_started && !_sleeping))
                Monitor.Wait(Gate, 10);
    }

    private static void Run()
    {
        while (true)
        {
            SafeFileHandle next;
            lock (Gate)
            {
                while (Pending.Count == 0)
                {
                    _sleeping = true;
                    Monitor.PulseAll(Gate);
                    Monitor.Wait(Gate);
                    _sleeping = false;
                }
                next = Pending.Dequeue();
            }
            try { next.Dispose(); }
            catch (IOException) { }
        }
    }
}
