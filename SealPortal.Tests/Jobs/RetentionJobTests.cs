using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Features.Archive;
using SealPortal.Jobs;

namespace SealPortal.Tests.Jobs;

/// <summary>The retention job, run as the job server would, on a fake clock.</summary>
public class RetentionJobTests
{
    [Fact]
    public async Task The_retention_job_removes_day_old_work_folders_and_half_written_archive_files_and_nothing_else()
    {
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, new Dictionary<string, string?>());
        var archive = portal.Services.GetRequiredService<ArchiveStore>();
        var kept = await archive.StoreAsync("%PDF-1.7 archived"u8.ToArray());
        var tmp = Path.Combine(storage.DataFolder, "tmp");
        var old = Directory.CreateDirectory(Path.Combine(tmp, "sealing-old")).FullName;
        await File.WriteAllTextAsync(Path.Combine(old, "sealed.pdf"), "half");
        var stage = Directory.CreateDirectory(Path.Combine(tmp, "sealed-7")).FullName;
        var incoming = Path.Combine(archive.Root, ".incoming-old.tmp");
        await File.WriteAllTextAsync(incoming, "half");
        var young = Directory.CreateDirectory(Path.Combine(tmp, "sealing-young")).FullName;

        // A day and an hour later by the job's clock; the young folder is touched just before the run.
        clock.Advance(TimeSpan.FromHours(25));
        Directory.SetLastWriteTimeUtc(young, clock.GetUtcNow().UtcDateTime);
        await portal.InScopeAsync(sp => ActivatorUtilities.CreateInstance<RetentionJob>(sp).RunAsync(CancellationToken.None));

        Assert.False(Directory.Exists(old));
        Assert.False(File.Exists(incoming));
        Assert.True(Directory.Exists(young));
        // A sealing stage is settled by sealing itself (it may hold committed files), never swept.
        Assert.True(Directory.Exists(stage));
        Assert.True(archive.Exists(kept.Sha256));
    }
}
