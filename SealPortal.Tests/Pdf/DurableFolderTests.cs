using SealPortal.Pdf.Incremental;

namespace SealPortal.Tests.Pdf;

/// <summary>
/// The folder flush that makes a seal's rename durable is shared by seals finishing together, and
/// never counted for a caller if it started before that caller's rename.
/// </summary>
public sealed class DurableFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durable-folder-").FullName;

    public void Dispose()
    {
        DurableFolder.BeforeFlush = null;
        Directory.Delete(_dir, true);
    }

    [Fact]
    public void Each_call_in_turn_flushes_the_folder_itself()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var flushes = 0;
        DurableFolder.BeforeFlush = f => { if (f == _dir) Interlocked.Increment(ref flushes); };
        for (var i = 0; i < 3; i++) DurableFolder.Sync(_dir);
        Assert.Equal(3, flushes);
    }

    [Fact]
    public async Task A_call_made_while_a_flush_runs_waits_for_a_later_flush()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var flushes = 0;
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        DurableFolder.BeforeFlush = f =>
        {
            if (f != _dir) return;
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstStarted.Set();
                releaseFirst.Wait(TimeSpan.FromSeconds(30));
            }
        };
        var first = Task.Factory.StartNew(() => DurableFolder.Sync(_dir), TaskCreationOptions.LongRunning);
        Assert.True(firstStarted.Wait(TimeSpan.FromSeconds(30)));
        // This caller's rename would have happened after the running flush began: that flush cannot cover it.
        var second = Task.Factory.StartNew(() => DurableFolder.Sync(_dir), TaskCreationOptions.LongRunning);
        await Until(() => DurableFolder.CallsInProgress(_dir) == 2);
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(300)));
        Assert.False(second.IsCompleted, "returned on a flush that started before it was called");
        releaseFirst.Set();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, flushes);
    }

    [Fact]
    public async Task Callers_waiting_together_share_one_later_flush()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var flushes = 0;
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        DurableFolder.BeforeFlush = f =>
        {
            if (f != _dir) return;
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstStarted.Set();
                releaseFirst.Wait(TimeSpan.FromSeconds(30));
            }
        };
        var first = Task.Factory.StartNew(() => DurableFolder.Sync(_dir), TaskCreationOptions.LongRunning);
        Assert.True(firstStarted.Wait(TimeSpan.FromSeconds(30)));
        var waiting = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() => DurableFolder.Sync(_dir), TaskCreationOptions.LongRunning)).ToArray();
        // All eight have called before the running flush ends.
        await Until(() => DurableFolder.CallsInProgress(_dir) == 9);
        releaseFirst.Set();
        await Task.WhenAll(waiting.Append(first)).WaitAsync(TimeSpan.FromSeconds(30));
        // The first flush, then one flush, started after all eight called, covers them all.
        Assert.Equal(2, flushes);
        Assert.Equal(0, DurableFolder.CallsInProgress(_dir));
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), "timed out");
    }

    [Fact]
    public void A_missing_folder_is_ignored()
    {
        DurableFolder.Sync(Path.Combine(_dir, "not-there"));
    }
}
