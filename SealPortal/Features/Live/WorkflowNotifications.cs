using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Notifications;
using SealPortal.Features.Workflows;
using SealPortal.Resources;
using SealPortal.Workflow;

namespace SealPortal.Features.Live;

/// <summary>One request's change inside a save: the row before and after, as far as notifications and events need it.</summary>
public sealed record RequestChange(
    int? Id, string Number, string Purpose, string ApplicantUserId, string ApproverUserIds,
    SealRequestStatus? OldStatus, SealRequestStatus Status, WorkflowState? OldState, WorkflowState? State, string? SealingError, Guid Stamp)
{
    /// <summary>Who may decide now (empty unless the request waits at a node).</summary>
    public IReadOnlyList<string> PendingApprovers =>
        State is { Status: RequestStatus.InApproval, Current: { } node } ? node.PendingApprovers.ToList() : [];

    public static RequestChange Of(EntityEntry<SealRequest> e)
    {
        var r = e.Entity;
        var added = e.State == EntityState.Added;
        SealRequestStatus? oldStatus = added ? null : e.Property(x => x.Status).OriginalValue;
        var oldJson = added ? null : e.Property(x => x.WorkflowStateJson).OriginalValue;
        return new(added ? null : r.Id, r.Number, r.Purpose, r.ApplicantUserId, r.ApproverUserIds, oldStatus, r.Status,
            Parse(oldJson), e.Property(x => x.WorkflowStateJson).IsModified || added ? Parse(r.WorkflowStateJson) : Parse(oldJson),
            r.SealingError, r.ConcurrencyStamp);
    }

    private static WorkflowState? Parse(string? json) => json is null ? null : WorkflowJson.Deserialize<WorkflowState>(json);
}

/// <summary>
/// The workflow's notifications, in the app and by mail (through <see cref="Notifier"/>, so each user's e-mail
/// preferences apply): a request reaching an approver, an approved request reaching the keepers of its physical
/// seals, and approved / returned / rejected / sealed / sealing failed for the applicant. Staged by <see cref="PortalEventInterceptor"/> into the save that makes the change,
/// so each is sent once: with the change, never without it. The dedup keys make a replayed save harmless too.
/// </summary>
public sealed class WorkflowNotifications(TimeProvider clock, IOptions<SmtpOptions> smtp, IStringLocalizer<SharedResource> text, CompanyTime time)
{
    public async Task StageAsync(SealPortalDbContext db, RequestChange change, CancellationToken ct)
    {
        if (change.Id is not { } id || change.Status == SealRequestStatus.Draft)
            return;
        var notifier = new Notifier(db, clock, smtp, text, time);
        var link = $"/requests/{id}";

        if (change.State is { Status: RequestStatus.InApproval, Current: { } node } state)
        {
            var old = change.OldState?.Current;
            var sameVisit = old is not null && old.NodeIndex == node.NodeIndex && old.EnteredAt == node.EnteredAt && change.OldState!.Round == state.Round;
            var before = sameVisit ? old!.PendingApprovers.ToHashSet() : [];
            // A slot that came by an automatic transfer is announced by the deadline job already.
            var reached = node.Slots.Where(s => s.Status == SlotStatus.Pending && s.TransferredFromUserId is null && !before.Contains(s.AssigneeUserId))
                .Select(s => s.AssigneeUserId).Distinct().ToList();
            if (reached.Count > 0)
            {
                var applicant = await db.Users.AsNoTracking().Where(u => u.Id == change.ApplicantUserId)
                    .Select(u => u.DisplayName ?? u.UserName).FirstOrDefaultAsync(ct) ?? "";
                var visit = $"req:{id}:wait:{state.Round}:{node.NodeIndex}:{node.EnteredAt.ToUnixTimeMilliseconds()}";
                foreach (var userId in reached)
                    await notifier.AddLocalizedAsync(userId, NotificationKind.Assigned, "Seal request {0} waits for your decision",
                        "{1} asks to use a seal: {2}", [change.Number, applicant, change.Purpose], link, visit, ct);
                await TellDeputiesAsync(db, notifier, change, reached, applicant, link, visit, ct);
            }
        }

        if (change.OldStatus == change.Status)
            return;
        var round = change.State?.Round ?? 0;
        var comment = change.State?.Decisions.LastOrDefault()?.Comment ?? "—";
        (string Subject, string Body, object?[] Args, string Key)? outcome = change.Status switch
        {
            SealRequestStatus.Approved when change.OldStatus is not SealRequestStatus.SealingFailed =>
                ("Seal request {0} was approved", "Your seal request {0} ({1}) was approved.", [change.Number, change.Purpose], $"req:{id}:approved:{round}"),
            SealRequestStatus.Returned =>
                ("Seal request {0} was returned", "Your seal request {0} ({1}) was returned for revision. Comment: {2}", [change.Number, change.Purpose, comment], $"req:{id}:returned:{round}"),
            SealRequestStatus.Rejected =>
                ("Seal request {0} was rejected", "Your seal request {0} ({1}) was rejected. Comment: {2}", [change.Number, change.Purpose, comment], $"req:{id}:rejected:{round}"),
            SealRequestStatus.Completed =>
                ("Seal request {0} is completed", "Your seal request {0} ({1}) is sealed; the documents are ready.", [change.Number, change.Purpose], $"req:{id}:completed"),
            // Each failure is its own fact (a keeper may retry, and it may fail again): the row's new stamp tells them apart.
            SealRequestStatus.SealingFailed =>
                ("Sealing of request {0} failed", "Sealing of your seal request {0} ({1}) failed: {2}", [change.Number, change.Purpose, change.SealingError ?? "—"], $"req:{id}:sealfail:{change.Stamp:N}"),
            _ => null,
        };
        if (outcome is { } o)
            await notifier.AddLocalizedAsync(change.ApplicantUserId, NotificationKind.Outcome, o.Subject, o.Body, o.Args, link, o.Key, ct);

        // A physical seal is stamped by its keeper (custodian): the approval is their cue, once per keeper.
        if (change.Status == SealRequestStatus.Approved && change.OldStatus == SealRequestStatus.InApproval)
        {
            var physical = await db.SealRequestSeals.AsNoTracking()
                .Where(s => s.SealRequestId == id && s.Seal!.Kind == SealKind.Physical && s.Seal.CustodianUserId != null)
                .Select(s => new { Keeper = s.Seal!.CustodianUserId!, s.Seal.Name }).ToListAsync(ct);
            foreach (var keeper in physical.GroupBy(s => s.Keeper))
                await notifier.AddLocalizedAsync(keeper.Key, NotificationKind.Assigned, "Seal request {0} waits for your seal",
                    "Seal request {0} ({1}) is approved. Stamp it with {2} and record the stamping on the request.",
                    [change.Number, change.Purpose, string.Join(", ", keeper.Select(s => s.Name).Order())], link, $"req:{id}:stamp:{round}:{keeper.Key}", ct);
        }    }

    /// <summary>
    /// A deputy decides for the approvers who delegate to them (the inbox lists those items), so a request reaching such
    /// an approver reaches the deputy too, naming for whom. Only delegations running now count; the applicant is never
    /// told to decide their own request, and someone asked in their own right hears it once, as themselves.
    /// </summary>
    private async Task TellDeputiesAsync(SealPortalDbContext db, Notifier notifier, RequestChange change, List<string> reached, string applicant,
        string link, string visit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The window is compared here: SQLite cannot compare DateTimeOffset values in a query.
        var deputies = (await db.ApproverDelegations.AsNoTracking()
                .Where(d => reached.Contains(d.DelegatorUserId) && d.CancelledAt == null)
                .Select(d => new { d.DelegatorUserId, d.DeputyUserId, d.From, d.Until, Name = d.Delegator!.DisplayName ?? d.Delegator.UserName }).ToListAsync(ct))
            .Where(d => d.From <= now && now < d.Until && d.DeputyUserId != change.ApplicantUserId && !reached.Contains(d.DeputyUserId))
            .GroupBy(d => d.DeputyUserId);
        foreach (var deputy in deputies)
            await notifier.AddLocalizedAsync(deputy.Key, NotificationKind.Assigned, "Seal request {0} waits for a decision you may take as deputy",
                "{1} asks to use a seal: {2}. You stand in for {3}.",
                [change.Number, applicant, change.Purpose, string.Join(", ", deputy.Select(d => d.Name).Distinct().Order())], link,
                $"{visit}:deputy", ct);
    }
}
