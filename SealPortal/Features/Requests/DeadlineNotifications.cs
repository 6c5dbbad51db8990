using SealPortal.Data;
using SealPortal.Features.Notifications;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// Deadline reminders, escalations and automatic transfers. The workflow engine decides what is due and
/// records that it handled it; this turns the events into notifications in the same transaction, so a
/// crash between the two can neither lose a reminder nor send it twice. The dedup key (event, request,
/// node, deadline) also keeps a repeated event from notifying twice.
/// </summary>
public sealed class DeadlineNotifications(SealPortalDbContext db, DeadlineTickHandler deadlines, Notifier notifier)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var events = await deadlines.HandleAsync(ct);
        var added = await AddNotificationsAsync(events, ct);
        await db.SaveChangesAsync(ct);
        if (transaction is not null)
            await transaction.CommitAsync(ct);
        return added;
    }

    /// <summary>Adds the notifications for <paramref name="events"/> to the pending changes; returns how many.</summary>
    public async Task<int> AddNotificationsAsync(IEnumerable<WorkflowEvent> events, CancellationToken ct)
    {
        var added = 0;
        var list = events.ToList();
        var ids = list.Select(e => int.TryParse(e.RequestId, out var id) ? id : 0).Where(id => id > 0).Distinct().ToList();
        var numbers = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(
            db.SealRequests.Where(r => ids.Contains(r.Id)), r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), r => r.Number, ct);
        async Task Tell(IEnumerable<string> users, WorkflowEvent e, string key, string subject, string body, params object?[] args)
        {
            foreach (var userId in users.Distinct())
            {
                if (await notifier.AddLocalizedAsync(userId, NotificationKind.Approval, subject, body, [numbers.GetValueOrDefault(e.RequestId, e.RequestId), .. args],
                        $"/requests/{Uri.EscapeDataString(e.RequestId)}", key, ct))
                    added++;
            }
        }

        foreach (var e in list)
        {
            switch (e)
            {
                case ReminderDue r:
                    await Tell(r.Users, e, Key(e, r.NodeId, r.DueAt), "Reminder: seal request {0} awaits your decision",
                        "Seal request {0} awaits your decision; it is due at {1}.", r.DueAt);
                    break;
                case DeadlineMissed m:
                    await Tell(m.Users, e, Key(e, m.NodeId, m.DueAt), "Seal request {0} is overdue",
                        "Your decision on seal request {0} was due at {1}.", m.DueAt);
                    break;
                case EscalationRaised x:
                    await Tell(x.EscalatedTo, e, Key(e, x.NodeId, x.DueAt), "Seal request {0} escalated to you",
                        "Seal request {0} passed its deadline ({1}) without a decision from {2}.",
                        x.DueAt, await NamesAsync(x.PendingUsers, ct));
                    break;
                case ApprovalTransferred t:
                    await Tell([t.ToUserId], e, Key(e, t.NodeId, t.NewDueAt) + ":to", "Seal request {0} was transferred to you",
                        "The approval of seal request {0} was transferred to you after its deadline passed; it is now due at {1}.",
                        t.NewDueAt);
                    await Tell([t.FromUserId], e, Key(e, t.NodeId, t.NewDueAt) + ":from", "Seal request {0} was transferred",
                        "Your pending approval of seal request {0} passed its deadline and was transferred to {1}.", await NamesAsync([t.ToUserId], ct));
                    break;
                case WorkflowProblem p:
                    await Tell(await notifier.UsersInRolesAsync([Roles.Admin], ct), e, Key(e, p.NodeId, p.At), "Approval flow problem in seal request {0}",
                        "The approval flow of seal request {0} could not handle a deadline: {1}", p.Message);
                    break;
            }
        }
        return added;
    }

    private static string Key(WorkflowEvent e, string nodeId, DateTimeOffset due) =>
        $"wf:{e.GetType().Name}:{e.RequestId}:{nodeId}:{due.UtcTicks}";

    private async Task<string> NamesAsync(IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var names = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.Users.Where(u => userIds.Contains(u.Id)).Select(u => u.DisplayName), ct);
        return string.Join(", ", names);
    }
}
