using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Hosting;
using SealPortal.Pdf.Incremental;

namespace SealPortal.Features.Archive;

/// <summary>A file in the archive: its name there (lower-case hex SHA-256) and its length in bytes.</summary>
public sealed record ArchivedFile(string Sha256, long Length);

/// <summary>
/// The archive (归档): content-addressed, write-once files under &lt;ArchiveFolder&gt;/ab/abcdef... (by default
/// &lt;DataFolder&gt;/archive; a folder shared by every instance when several serve one database).
/// A file's name is the SHA-256 of its bytes, so storing it again is a no-op and a changed file
/// would no longer match its name. The store never overwrites or deletes a file.
/// </summary>
public sealed class ArchiveStore
{
    private readonly string root;

    private readonly string instance;

    public ArchiveStore(IOptions<SealPortalOptions> options)
        : this(options.Value.ArchiveFolder, options.Value.InstanceName)
    {
    }

    /// <summary>An archive rooted at <paramref name="root"/> (tests and command-line tools).</summary>
    public ArchiveStore(string root, string instance = "local")
    {
        this.root = Path.GetFullPath(root);
        this.instance = instance;
    }

    public string Root => root;

    /// <summary>The prefix of the half-written files this instance leaves when it is killed mid-write.</summary>
    public string IncomingPrefix => $".incoming-{instance}-";

    /// <summary>
    /// Copies the stream into the archive. The bytes go to a temporary file in the archive folder first,
    /// are flushed to disk, and only then get their final name by a rename that refuses to replace an
    /// existing file, so a crash leaves either nothing or the whole file, never a half-written one.
    /// </summary>
    public async Task<ArchivedFile> StoreAsync(Stream content, CancellationToken ct = default)
    {
        PrivateFiles.CreateFolder(root);
        var temp = Path.Combine(root, $"{IncomingPrefix}{Guid.NewGuid():N}.tmp");
        string sha256;
        long length;
        try
        {
            await using (var file = new FileStream(temp, PrivateFiles.NewFile(FileMode.CreateNew, FileAccess.Write, FileOptions.Asynchronous, 81920)))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
                length = file.Length;
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var target = PathOf(sha256);
            if (File.Exists(target))
                return new ArchivedFile(sha256, length);
            var folder = Path.GetDirectoryName(target)!;
            PrivateFiles.CreateFolder(folder);
            try
            {
                File.Move(temp, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Someone stored the same bytes at the same moment; theirs is identical, so keep theirs.
                return new ArchivedFile(sha256, length);
            }
            File.SetAttributes(target, FileAttributes.ReadOnly);
            DurableFolder.Sync(folder);
            return new ArchivedFile(sha256, length);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>
    /// Takes a finished file that is already flushed to disk (a sealing run's staged file) into the
    /// archive under the SHA-256 of its bytes, read again here. On Linux and macOS the archive gets a
    /// second name for the same bytes (a hard link, which refuses to replace an existing file), so only
    /// the new directory entry has to reach the disk; on another file system, or elsewhere, the bytes
    /// are copied as <see cref="StoreAsync(Stream, CancellationToken)"/> does. The file at
    /// <paramref name="path"/> stays where it is; the caller removes it.
    /// </summary>
    public async Task<ArchivedFile> AdoptAsync(string path, CancellationToken ct = default)
    {
        string sha256;
        long length;
        await using (var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan | FileOptions.Asynchronous))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct));
            length = read.Length;
        }
        var target = PathOf(sha256);
        if (File.Exists(target))
            return new ArchivedFile(sha256, length);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            var folder = Path.GetDirectoryName(target)!;
            PrivateFiles.CreateFolder(folder);
            if (NativeMethods.link(path, target) == 0)
            {
                File.SetUnixFileMode(target, UnixFileMode.UserRead);
                DurableFolder.Sync(folder);
                return new ArchivedFile(sha256, length);
            }
            if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == EEXIST)
                return new ArchivedFile(sha256, length);
        }
        await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return await StoreAsync(content, ct);
    }

    /// <summary>errno "file exists" on Linux and macOS.</summary>
    private const int EEXIST = 17;

    /// <summary>Stores a byte array; see <see cref="StoreAsync(Stream, CancellationToken)"/>.</summary>
    public async Task<ArchivedFile> StoreAsync(byte[] content, CancellationToken ct = default)
    {
        using var stream = new MemoryStream(content, writable: false);
        return await StoreAsync(stream, ct);
    }

    /// <summary>Opens an archived file for reading; throws <see cref="FileNotFoundException"/> when it is not there.</summary>
    public Stream OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The archive holds no file {sha256}.", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
    }

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>Where the file with this SHA-256 is (or would be) kept. Refuses anything that is not 64 hex digits.</summary>
    public string PathOf(string sha256)
    {
        if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigit))
            throw new ArgumentException("An archive name is a SHA-256 in 64 hex digits.", nameof(sha256));
        var name = sha256.ToLowerInvariant();
        return Path.Combine(root, name[..2], name);
    }

    private static class NativeMethods
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true, CharSet = System.Runtime.InteropServices.CharSet.Ansi)]
        public static extern int link(string existing, string created);
    }
}
