using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;

namespace SealPortal.Jobs;

/// <summary>
/// Keeps a job from running beside another run of the same job method, in this portal and in any other on
/// the same job storage: the run takes the storage's distributed lock on "{type}.{method}" for as long
/// as it performs, and waits at most
/// <c>timeoutInSeconds</c> for it, then fails with Hangfire's DistributedLockTimeoutException.
/// <para>
/// Why not DisableConcurrentExecution: it asks the storage once for the whole timeout, and the SQLite
/// storage (Hangfire.Storage.SQLite 0.4.3) then waits in slices of a tenth of that timeout, woken early
/// only by a Monitor.Pulse when the holder lets go. A waiter that found the lock taken but had not yet
/// begun to wait when the holder let go misses that pulse (a lost wake-up) and sleeps the whole slice:
/// six minutes for the integrity check's hour, though the lock was free after milliseconds. "Run check
/// now" pressed three times queues three checks that each take the lock in turn, the last two only for an
/// instant, so the race is there on every press; under load it was lost and the third check sat in
/// Processing for minutes. Here the lock is asked for in short attempts (<see cref="Attempt"/>), so a
/// missed pulse costs at most a tenth of an attempt, and a job server that stops is not kept waiting.
/// </para>
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class OneAtATimeAttribute : JobFilterAttribute, IServerFilter
{
    /// <summary>One attempt at the storage's lock; the SQLite storage looks again every tenth of it.</summary>
    public static readonly TimeSpan Attempt = TimeSpan.FromSeconds(2);

    private const string LockItem = "SealPortal.OneAtATime.Lock";

    public OneAtATimeAttribute(int timeoutInSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeoutInSeconds);
        Timeout = TimeSpan.FromSeconds(timeoutInSeconds);
    }

    /// <summary>How long a run waits for the one before it, in all.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The lock's name: the job's type and method.</summary>
    public static string Resource(Job job) => $"{job.Type.FullName}.{job.Method.Name}";

    public void OnPerforming(PerformingContext context)
    {
        var token = context.CancellationToken;
        context.Items[LockItem] = Acquire(context.Connection, Resource(context.BackgroundJob.Job), Timeout,
            () => token.ThrowIfCancellationRequested());
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.Remove(LockItem, out var held) && held is IDisposable distributedLock)
            distributedLock.Dispose();
    }

    /// <summary>
    /// The storage's lock on <paramref name="resource"/>, asked for in attempts of <see cref="Attempt"/> (or less)
    /// until <paramref name="timeout"/> has passed; <paramref name="beforeAttempt"/> runs before each one (the
    /// job server's shutdown throws there).
    /// </summary>
    /// <exception cref="DistributedLockTimeoutException">When the lock stayed taken for <paramref name="timeout"/>.</exception>
    public static IDisposable Acquire(IStorageConnection connection, string resource, TimeSpan timeout, Action? beforeAttempt = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            beforeAttempt?.Invoke();
            var left = until - DateTime.UtcNow;
            var attempt = left < Attempt ? left : Attempt;
            try
            {
                return connection.AcquireDistributedLock(resource, attempt > TimeSpan.Zero ? attempt : TimeSpan.FromMilliseconds(1));
            }
            catch (DistributedLockTimeoutException) when (DateTime.UtcNow < until)
            {
                // Taken all this attempt: ask again (a missed wake-up ends here).
            }
        }
    }
}
