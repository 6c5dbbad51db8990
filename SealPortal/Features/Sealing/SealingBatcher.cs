using System.Threading.Channels;
using Hangfire;
using SealPortal.Jobs;

namespace SealPortal.Features.Sealing;

/// <summary>
/// Gathers the requests approved meanwhile into one job of the job server (<see cref="SealingBatchJob"/>), at most
/// <see cref="MaxBatch"/> to a job, instead of one job per request. On PostgreSQL Hangfire writes a job one statement
/// at a time, each a round trip and each state change a commit: queueing, fetching and finishing a job cost about as
/// much CPU (the portal's and the server's) as sealing a one-page request, so a job per request held sealing to half
/// the target rate. The batch forms by itself: while one job is being written, the approvals that arrive wait
/// and go into the next, so a lone approval is queued at once and a burst of them in a few jobs.
/// </summary>
/// <remarks>
/// Nothing here is the durable fact: that is the request's committed status, approved with unsealed documents,
/// which <see cref="SealingQueue.ResumeAsync"/> queues again at every start. A crash between the approval's commit
/// and the job's write loses no work (as before, when the same gap lay between the commit and writing the request's
/// own job); a job server that stops writes what it holds first (<see cref="FlushAsync"/>). Each request in a batch
/// is sealed in its own transaction with its own ledger entries and audit lines; a failure that should be tried again
/// becomes that request's own <see cref="SealingJob"/>, with the retries and backoff it always had.
/// </remarks>
public sealed class SealingBatcher(IBackgroundJobClient client, ILogger<SealingBatcher> logger)
{
    /// <summary>
    /// Requests per job: enough that the job server's own work per request is small, few enough that a burst
    /// still spreads over every worker and the last job does not seal alone for long.
    /// </summary>
    public const int MaxBatch = 10;

    private readonly Channel<int> _waiting = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object _start = new();
    private Task? _pump;

    /// <summary>Queues the request for the next batch job; false once the job server has stopped (the next start queues it).</summary>
    public bool Add(int sealRequestId)
    {
        if (!_waiting.Writer.TryWrite(sealRequestId))
            return false;
        if (_pump is null)
        {
            lock (_start)
                _pump ??= Task.Run(PumpAsync);
        }
        return true;
    }

    /// <summary>Writes the jobs for every request still held, and takes no more (the job server stops).</summary>
    public async Task FlushAsync()
    {
        _waiting.Writer.TryComplete();
        Task? pump;
        lock (_start)
            pump = _pump;
        if (pump is not null)
            await pump;
    }

    private async Task PumpAsync()
    {
        var reader = _waiting.Reader;
        var batch = new List<int>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var id))
            {
                if (!batch.Contains(id))
                    batch.Add(id);
            }
            var ids = batch.ToArray();
            batch.Clear();
            try
            {
                var job = client.Enqueue<SealingBatchJob>(JobQueues.Sealing, j => j.RunAsync(ids, CancellationToken.None));
                logger.LogDebug("Sealing of request(s) {Ids} queued as job {Job}", ids, job);
            }
            catch (Exception ex)
            {
                // The requests stay approved and unsealed in the database: the next start queues them again.
                logger.LogError(ex, "Sealing of request(s) {Ids} could not be queued; they wait for the portal's next start", ids);
            }
        }
    }
}
