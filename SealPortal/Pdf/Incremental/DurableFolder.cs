namespace SealPortal.Pdf.Incremental;

/// <summary>
/// Makes a folder's entries durable. On Linux and macOS a rename or a new link reaches the disk only once its
/// folder is flushed too, and .NET cannot open a folder as a file, so this asks libc directly. Windows needs no
/// such step. Failures are ignored: the flush is a guarantee against power loss, not part of the operation.
/// </summary>
public static class DurableFolder
{
    /// <summary>fsyncs <paramref name="folder"/> itself (its list of names), not the files in it.</summary>
    public static void Sync(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
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
