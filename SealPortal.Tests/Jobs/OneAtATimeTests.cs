using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using SealPortal.Jobs;

namespace SealPortal.Tests.Jobs;

/// <summary>
/// The lock that keeps a job from running beside itself (<see cref="OneAtATimeAttribute"/>) over the SQLite job
/// storage, whose own wait sleeps a tenth of the timeout unless a pulse in this process wakes it.
/// </summary>
public class OneAtATimeTests
{
    [Fact]
    public async Task A_run_waiting_for_the_lock_takes_it_soon_after_it_is_freed_even_when_no_wake_up_reaches_it()
    {
        var folder = Directory.CreateTempSubdirectory("sealportal-lock-");
        try
        {
            var file = Path.Combine(folder.FullName, "jobs.db");
            using (var storage = new SQLiteStorage(file, new SQLiteStorageOptions()))
            {
                using var holder = storage.GetConnection();
                using var held = holder.AcquireDistributedLock("integrity-check", TimeSpan.FromSeconds(5));
                using var other = storage.GetConnection();
                // The integrity check's timeout: the storage alone would sleep 6 minutes between looks.
                var waiter = Task.Factory.StartNew(() => OneAtATimeAttribute.Acquire(other, "integrity-check", TimeSpan.FromHours(1)),
                    TaskCreationOptions.LongRunning);
                await Task.Delay(TimeSpan.FromSeconds(1));
                Assert.False(waiter.IsCompleted, "a second run took the lock while the first held it");

                // Freed as a holder in another process frees it (or one whose pulse came before the waiter waited):
                // the lock's row goes, and no wake-up reaches this waiter.
                await using (var sql = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()))
                {
                    await sql.OpenAsync();
                    await using var delete = sql.CreateCommand();
                    delete.CommandText = "DELETE FROM DistributedLock";  // the only lock in this new file
                    Assert.Equal(1, await delete.ExecuteNonQueryAsync());
                }
                var taken = await waiter.WaitAsync(TimeSpan.FromSeconds(30));
                taken.Dispose();
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_run_that_waits_longer_than_its_timeout_fails_with_the_storage_timeout()
    {
        var folder = Directory.CreateTempSubdirectory("sealportal-lock-");
        try
        {
            using var storage = new SQLiteStorage(Path.Combine(folder.FullName, "jobs.db"), new SQLiteStorageOptions());
            using var holder = storage.GetConnection();
            using var held = holder.AcquireDistributedLock("outbox", TimeSpan.FromSeconds(5));
            using var other = storage.GetConnection();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            await Assert.ThrowsAsync<Hangfire.Storage.DistributedLockTimeoutException>(() => Task.Run(() =>
                OneAtATimeAttribute.Acquire(other, "outbox", TimeSpan.FromSeconds(3))));
            Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(3), $"gave up after {waited.Elapsed.TotalSeconds:F1} s of a 3 s timeout");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
