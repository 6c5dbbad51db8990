using System.Security.Cryptography;
using SealPortal.Features.Archive;
using SealPortal.Hosting;

namespace SealPortal.Features.Sealing;

/// <summary>
/// The files one sealing run makes (sealed documents, the decision record), kept in
/// &lt;DataFolder&gt;/tmp/sealed-{request} until the database has committed the rows that name them, and
/// only then moved into the archive. A run killed before its commit leaves no archive file nobody
/// names; one killed after it leaves files the next run (or the next start) still publishes.
/// </summary>
internal sealed class SealingStage
{
    public const string FolderPrefix = "sealed-";

    private readonly ArchiveStore _archive;
    private readonly string _folder;

    private SealingStage(ArchiveStore archive, string folder)
    {
        _archive = archive;
        _folder = folder;
    }

    public static SealingStage For(ArchiveStore archive, string dataFolder, int sealRequestId) =>
        new(archive, Path.Combine(dataFolder, "tmp", $"{FolderPrefix}{sealRequestId}"));

    /// <summary>The request whose stage <paramref name="folder"/> is, or null for any other folder.</summary>
    public static int? RequestOf(string folder) =>
        Path.GetFileName(folder) is { } name && name.StartsWith(FolderPrefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(FolderPrefix.Length), out var id) ? id : null;

    /// <summary>
    /// A file that a committed row names: from the archive, or, in the moment between the commit and the move into
    /// the archive (or after a crash there, until the next start publishes it), from the request's stage. Null when
    /// it is in neither.
    /// </summary>
    public static Stream? OpenCommitted(ArchiveStore archive, string dataFolder, int sealRequestId, string sha256)
    {
        // Twice: a staged file can be moved away between the two looks; it is in the archive by then.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (archive.Exists(sha256))
                return archive.OpenRead(sha256);
            var staged = Path.Combine(dataFolder, "tmp", $"{FolderPrefix}{sealRequestId}", sha256);
            try
            {
                return new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
            }
        }
        return null;
    }

    /// <summary>Moves a finished file (named by its SHA-256) into the stage and makes it durable.</summary>
    public Task<string> AddAsync(string path, string sha256, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        PrivateFiles.CreateFolder(_folder);
        var target = Path.Combine(_folder, sha256);
        File.Move(path, target, overwrite: true);
        using (var file = new FileStream(target, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            file.Flush(flushToDisk: true);
        return Task.FromResult(sha256);
    }

    public async Task<string> AddAsync(byte[] content, CancellationToken ct)
    {
        PrivateFiles.CreateFolder(_folder);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        await using (var file = new FileStream(Path.Combine(_folder, sha256), FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await file.WriteAsync(content, ct);
            file.Flush(flushToDisk: true);
        }
        return sha256;
    }

    /// <summary>After the commit: every staged file goes to the archive, then the stage is gone.</summary>
    public Task PublishAsync(CancellationToken ct) => RecoverAsync(null, ct);

    /// <summary>
    /// What an earlier run left: the files the database names (<paramref name="committed"/>; null is
    /// all of them, right after this run's own commit) go to the archive, the rest are dropped.
    /// </summary>
    public async Task RecoverAsync(IReadOnlySet<string>? committed, CancellationToken ct)
    {
        if (!Directory.Exists(_folder))
            return;
        foreach (var path in Directory.EnumerateFiles(_folder))
        {
            var sha256 = Path.GetFileName(path);
            // Staged files were flushed before the commit that names them: the archive takes them as they are.
            if ((committed is null || committed.Contains(sha256)) && !_archive.Exists(sha256))
                await _archive.AdoptAsync(path, ct);
        }
        Discard();
    }

    public void Discard() => DocumentSealer.DeleteFolder(_folder);
}
