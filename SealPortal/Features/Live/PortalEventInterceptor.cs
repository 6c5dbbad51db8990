using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SealPortal.Data;

namespace SealPortal.Features.Live;

/// <summary>
/// Writes <see cref="PortalEvent"/> rows (and the workflow notifications, see <see cref="WorkflowNotifications"/>)
/// into the very save that changes a request or adds a notification, whichever handler makes that save. So an
/// event is committed exactly when its change is, and rolled back with it; no handler has to remember it.
/// After the commit it wakes this instance's <see cref="LiveEventDispatcher"/> at once; other instances learn of
/// the rows by PostgreSQL NOTIFY (a trigger on the table, so in the same transaction) or by their short poll.
/// </summary>
public sealed class PortalEventInterceptor(LiveSignal signal, WorkflowNotifications notifications, TimeProvider clock)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>Rows this interceptor added to a save that has not finished yet: dropped again if the save fails.</summary>
    private readonly ConditionalWeakTable<DbContext, List<object>> _added = new();

    /// <summary>Contexts whose saved events wait for the commit of an open transaction.</summary>
    private readonly ConditionalWeakTable<DbContext, object> _awaitingCommit = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is SealPortalDbContext db)
            await StageAsync(db, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        // Notifications read the recipient's language and preferences: asynchronous only. Synchronous saves are rare
        // (none touches requests today); this keeps them correct rather than fast.
        if (eventData.Context is SealPortalDbContext db)
            StageAsync(db, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SavedChanges(eventData, result));

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } db && _added.TryGetValue(db, out _))
        {
            _added.Remove(db);
            if (db.Database.CurrentTransaction is null)
                signal.Pulse();
            else
                _awaitingCommit.AddOrUpdate(db, this);
        }
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Drop(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return Task.CompletedTask;
    }

    // EF reports a concurrency conflict here, not through SaveChangesFailed.
    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        Drop(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Drop(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        Committed(eventData.Context);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        _ = eventData.Context is { } db && _awaitingCommit.Remove(db);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken)
    {
        _ = eventData.Context is { } db && _awaitingCommit.Remove(db);
        return Task.CompletedTask;
    }

    private void Committed(DbContext? db)
    {
        if (db is not null && _awaitingCommit.Remove(db))
            signal.Pulse();
    }

    /// <summary>
    /// A failed save leaves its Added rows in the tracker; a caller that retries (after a concurrency conflict) would
    /// otherwise save this attempt's events and notifications beside the next attempt's.
    /// </summary>
    private void Drop(DbContext? db)
    {
        if (db is null || !_added.TryGetValue(db, out var rows))
            return;
        _added.Remove(db);
        foreach (var row in rows)
            db.Entry(row).State = EntityState.Detached;
    }

    private async ValueTask StageAsync(SealPortalDbContext db, CancellationToken ct)
    {
        if (db.ChangeTracker.AutoDetectChangesEnabled)
            db.ChangeTracker.DetectChanges();
        var requests = db.ChangeTracker.Entries<SealRequest>().Where(Changed).ToList();
        var otherRequestIds = db.ChangeTracker.Entries<SealRequestDocument>()
                .Where(e => e.State == EntityState.Modified && e.Property(d => d.SealedSha256).IsModified).Select(e => e.Entity.SealRequestId)
            .Concat(db.ChangeTracker.Entries<PhysicalStamping>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.SealRequestId))
            .Except(requests.Select(e => e.Entity.Id)).Distinct().ToList();
        if (requests.Count == 0 && otherRequestIds.Count == 0 && !db.ChangeTracker.Entries<Notification>().Any(e => e.State == EntityState.Added))
            return;

        var added = new List<object>();
        var now = clock.GetUtcNow().UtcDateTime;
        var notificationsBeforeSet = db.ChangeTracker.Entries<Notification>().Where(e => e.State == EntityState.Added).Select(e => (object)e.Entity).ToHashSet();
        var mailBefore = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).Select(e => (object)e.Entity).ToHashSet();
        foreach (var entry in requests)
        {
            var change = RequestChange.Of(entry);
            await notifications.StageAsync(db, change, ct);
            added.Add(Add(db, RequestEvent(change.Id, change.Status, await AudienceAsync(db, change.ApplicantUserId, change.ApproverUserIds, change, ct), now)));
        }
        foreach (var id in otherRequestIds)
        {
            var r = await db.SealRequests.AsNoTracking().Where(x => x.Id == id)
                .Select(x => new { x.ApplicantUserId, x.ApproverUserIds, x.Status }).FirstOrDefaultAsync(ct);
            if (r is not null)
                added.Add(Add(db, RequestEvent(id, r.Status, await AudienceAsync(db, r.ApplicantUserId, r.ApproverUserIds, null, ct), now)));
        }
        var told = db.ChangeTracker.Entries<Notification>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        added.AddRange(told.Where(n => !notificationsBeforeSet.Contains(n)));
        added.AddRange(db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)
            .Where(m => !mailBefore.Contains(m)));
        var users = told.Select(n => n.UserId).Distinct().ToList();
        if (users.Count > 0)
            added.Add(Add(db, new PortalEvent { Kind = PortalEventKind.Notification, UserIds = Join(users), CreatedAt = now }));
        _added.AddOrUpdate(db, added);
    }

    private static bool Changed(EntityEntry<SealRequest> e) => e.State switch
    {
        EntityState.Added or EntityState.Deleted => true,
        EntityState.Modified => e.Property(r => r.Status).IsModified || e.Property(r => r.WorkflowStateJson).IsModified ||
                                e.Property(r => r.SealingError).IsModified,
        _ => false,
    };

    private static PortalEvent Add(SealPortalDbContext db, PortalEvent e)
    {
        db.PortalEvents.Add(e);
        return e;
    }

    private static PortalEvent RequestEvent(int? id, SealRequestStatus status, (string Users, string Roles) audience, DateTime now) => new()
    {
        Kind = PortalEventKind.RequestChanged, SealRequestId = id, Status = status.ToString(), UserIds = audience.Users, Roles = audience.Roles,
        CreatedAt = now,
    };

    /// <summary>
    /// The applicant, everyone ever asked to decide, and the deputies of those now asked; keepers too once sealing or
    /// stamping is at stake (their dashboard lists approved requests).
    /// </summary>
    private async Task<(string Users, string Roles)> AudienceAsync(SealPortalDbContext db, string applicant, string approverIds, RequestChange? change,
        CancellationToken ct)
    {
        var users = new HashSet<string> { applicant };
        users.UnionWith(approverIds.Split('|', StringSplitOptions.RemoveEmptyEntries));
        if (change?.PendingApprovers is { Count: > 0 } pending)
        {
            users.UnionWith(pending);
            var now = clock.GetUtcNow();
            // Filtered here, not in SQL: SQLite cannot compare DateTimeOffset values in a query.
            var delegations = await db.ApproverDelegations.AsNoTracking()
                .Where(d => pending.Contains(d.DelegatorUserId) && d.CancelledAt == null)
                .Select(d => new { d.DeputyUserId, d.From, d.Until }).ToListAsync(ct);
            users.UnionWith(delegations.Where(d => d.From <= now && now < d.Until).Select(d => d.DeputyUserId));
        }
        var sealing = change is null || change.Status is SealRequestStatus.Approved or SealRequestStatus.SealingFailed or SealRequestStatus.Completed ||
                      change.OldStatus is SealRequestStatus.Approved or SealRequestStatus.SealingFailed;
        return (Join(users), sealing ? $"|{Roles.SealKeeper}|{Roles.Admin}|" : "|");
    }

    internal static string Join(IEnumerable<string> ids) => "|" + string.Concat(ids.Select(i => i + "|"));
}
