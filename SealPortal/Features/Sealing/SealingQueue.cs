using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Retention;
using SealPortal.Jobs;
using SealPortal.Resources;

namespace SealPortal.Features.Sealing;

/// <summary>
/// Hands sealing to the job server (<see cref="SealingJob"/>) when this portal runs one, or seals in
/// the caller when it does not (Jobs:Enabled = false). The durable fact that a request waits for
/// sealing is its committed status, approved with unsealed documents, so nothing is lost between the
/// decision's commit and the queueing: <see cref="ResumeAsync"/> queues every such request at start.
/// </summary>
public sealed class SealingQueue(
    IServiceProvider services,
    JobScheduler scheduler,
    SealingBatcher batcher,
    SealPortalDbContext db,
    ArchiveStore archive,
    TempFolders temp,
    IOptions<SealPortalOptions> portal,
    IStringLocalizer<SharedResource> localizer,
    ILogger<SealingQueue> logger)
{
    public async Task<SealingResult> EnqueueAsync(int sealRequestId, (string Id, string Name)? executor)
    {
        // Right after an approval (or at start) nobody is named as executor: the request joins the next batch job.
        if (scheduler.Running && executor is null && batcher.Add(sealRequestId))
        {
            logger.LogDebug("Seal request {Id}: sealing queued with the next batch", sealRequestId);
            return new(StatusCodes.Status202Accepted, localizer["Sealing is queued; the documents will be sealed in a moment."]);
        }
        if (scheduler.Running)
        {
            // A keeper's retry names the keeper as executor: a job of its own. Plain values only: Hangfire stores the call's arguments, it cannot evaluate a tuple there.
            var executorId = executor?.Id;
            var executorName = executor?.Name;
            var job = services.GetRequiredService<IBackgroundJobClient>().Enqueue<SealingJob>(JobQueues.Sealing,
                j => j.RunAsync(sealRequestId, executorId, executorName, null, CancellationToken.None));
            // Debug: the job dashboard shows every queued job, and the sealing's own line follows at Information.
            logger.LogDebug("Seal request {Id}: sealing queued as job {Job}", sealRequestId, job);
            return new(StatusCodes.Status202Accepted, localizer["Sealing is queued; the documents will be sealed in a moment."]);
        }
        // Nobody's cancellation: once started, sealing runs to its end whatever happens to the caller.
        return await services.GetRequiredService<RequestSealing>().RunAsync(sealRequestId, executor, lastAttempt: true, CancellationToken.None);
    }

    /// <summary>
    /// At start: removes what killed runs left in the temporary folders, settles their stages (files a
    /// committed run named go to the archive, the others away), and queues every request still waiting.
    /// </summary>
    public async Task<int> ResumeAsync(CancellationToken ct)
    {
        temp.CleanAtStart();
        var root = Path.Combine(portal.Value.DataFolder, "tmp");
        if (Directory.Exists(root))
        {
            foreach (var folder in Directory.EnumerateDirectories(root, SealingStage.FolderPrefix + "*"))
            {
                if (SealingStage.RequestOf(folder) is not { } id)
                    continue;
                var named = await db.SealRequestDocuments.AsNoTracking().Where(d => d.SealRequestId == id && d.SealedSha256 != null)
                    .Select(d => d.SealedSha256!).ToListAsync(ct);
                var record = await db.SealRequests.AsNoTracking().Where(r => r.Id == id).Select(r => r.DecisionRecordSha256).SingleOrDefaultAsync(ct);
                if (record is not null)
                    named.Add(record);
                await SealingStage.For(archive, portal.Value.DataFolder, id).RecoverAsync(named.ToHashSet(), ct);
            }
        }

        var waiting = await db.SealRequests.AsNoTracking()
            .Where(r => r.Status == SealRequestStatus.Approved
                        && r.Documents.Any(d => d.SealedSha256 == null)
                        && r.Seals.Any(s => s.Seal!.Kind == SealKind.Electronic))
            .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
        foreach (var id in waiting)
            await EnqueueAsync(id, executor: null);
        if (waiting.Count > 0)
            logger.LogInformation("Queued {Count} approved request(s) a stopped portal left unsealed", waiting.Count);
        return waiting.Count;
    }
}
