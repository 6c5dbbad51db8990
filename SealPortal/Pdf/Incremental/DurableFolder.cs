namespace SealPortal.Pdf.Incremental;

/// <summary>
/// Makes a folder's entries durable. On Linux and macOS a rename or a new link reaches the disk only once its
/// folder is flushed too, and .NET cannot open a folder as a file, so this asks libc directly. Windows needs no
/// such step. Failures are ignored: the flush is a guarantee against power loss, not part of the operation.
/// </summary>
/// <remarks>
/// Concurrent callers for the same folder share flushes (a group commit): a caller returns once a flush of the
/// folder that <em>started after it called</em> has finished. Its rename or link was done before the call, so
/// that flush covers it, exactly as a flush of its own would; several seals finishing together then cost the
/// disk one folder flush instead of one each, and a caller never waits for more than the flush in progress
/// plus its own.
/// </remarks>
public static class DurableFolder
{
    private sealed class Group
    {
        public long Requested;
        public long Completed;
        public bool Running;
        public int Users;
    }

    // A plain object, not System.Threading.Lock: the waiters need Monitor.Wait and PulseAll.
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Group> Groups = new(StringComparer.Ordinal);

    /// <summary>fsyncs <paramref name="folder"/> itself (its list of names), not the files in it.</summary>
    public static void Sync(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        Group group;
        long ticket;
        lock (Gate)
        {
            if (!Groups.TryGetValue(folder, out group!))
                Groups[folder] = group = new Group();
            group.Users++;
            ticket = ++group.Requested;
        }
        try
        {
            while (true)
            {
                long covers;
                lock (Gate)
                {
                    // A flush already running may have started before this call: it does not count; wait for it
                    // to end, then either a later one (started after this call) has covered us, or we start one.
                    while (group.Running && group.Completed < ticket)
                        Monitor.Wait(Gate);
                    if (group.Completed >= ticket)
                        return;
                    group.Running = true;
                    covers = group.Requested;
                }
                try
                {
                    FlushFolder(folder);
                }
                finally
                {
                    lock (Gate)
                    {
                        group.Running = false;
                        group.Completed = Math.Max(group.Completed, covers);
                        Monitor.PulseAll(Gate);
                    }
                }
            }
        }
        finally
        {
            lock (Gate)
            {
                if (--group.Users == 0)
                    Groups.Remove(folder);
            }
        }
    }

    /// <summary>Tests only: how many calls for <paramref name="folder"/> the group in progress has seen (0 when none is in progress).</summary>
    internal static long CallsInProgress(string folder)
    {
        lock (Gate)
            return Groups.TryGetValue(folder, out var g) ? g.Requested : 0;
    }

    /// <summary>Tests only: called with the folder just before each flush of it.</summary>
    internal static Action<string>? BeforeFlush { get; set; }

    private static void FlushFolder(string folder)
    {
        BeforeFlush?.Invoke(folder);
        var fd = NativeMethods.open(folder, 0);
        if (fd < 0)
            return;
        try
        {
            NativeMethods.fsync(fd);
        }
        finally
        {
            NativeMethods.close(fd);
        }
    }

    private static class NativeMethods
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true, CharSet = System.Runtime.InteropServices.CharSet.Ansi)]
        public static extern int open(string path, int flags);

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
