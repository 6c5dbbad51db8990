using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Sealing;

namespace SealPortal.Features.Retention;

/// <summary>
/// What the portal keeps only while it works: sealing work folders under &lt;DataFolder&gt;/tmp and
/// half-written archive files. Archived files and ledger entries are never touched (see
/// <see cref="RetentionOptions"/>); a sealing stage (tmp/sealed-*) is settled by sealing itself.
/// </summary>
public sealed class TempFolders(IOptions<SealPortalOptions> portal, ArchiveStore archive, TimeProvider clock, ILogger<TempFolders> logger)
{
    /// <summary>How old leftovers must be before the daily sweep removes them: no run takes a day.</summary>
    public static readonly TimeSpan SweepAge = TimeSpan.FromDays(1);

    private string Root => Path.Combine(portal.Value.DataFolder, "tmp");

    /// <summary>At start nothing of this portal is running yet, so every work folder is a killed run's.</summary>
    public int CleanAtStart() => Clean(DateTime.MaxValue);

    /// <summary>The daily retention job.</summary>
    public Task<int> SweepAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Clean((clock.GetUtcNow() - SweepAge).UtcDateTime));
    }

    private int Clean(DateTime olderThanUtc)
    {
        var removed = 0;
        if (Directory.Exists(Root))
        {
            foreach (var folder in Directory.EnumerateDirectories(Root, DocumentSealer.WorkFolderPrefix + "*"))
            {
                if (Directory.GetLastWriteTimeUtc(folder) < olderThanUtc)
                {
                    DocumentSealer.DeleteFolder(folder);
                    removed++;
                }
            }
        }
        if (Directory.Exists(archive.Root))
        {
            // The archive folder may be shared with other running instances: at start only this instance's
            // own half-written files are certainly abandoned; another's are removed once they are a day old.
            var sweepBefore = (clock.GetUtcNow() - SweepAge).UtcDateTime;
            foreach (var file in Directory.EnumerateFiles(archive.Root, ".incoming-*.tmp"))
            {
                var own = Path.GetFileName(file).StartsWith(archive.IncomingPrefix, StringComparison.Ordinal);
                if (File.GetLastWriteTimeUtc(file) < (own ? olderThanUtc : sweepBefore))
                {
                    File.Delete(file);
                    removed++;
                }
            }
        }
        if (removed > 0)
            logger.LogInformation("Removed {Count} temporary file(s) or folder(s) left by interrupted work", removed);
        return removed;
    }
}
