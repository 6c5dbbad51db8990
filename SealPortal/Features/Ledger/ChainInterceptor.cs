using System.Collections.Concurrent;
using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>
/// Links new ledger entries and audit events into their chains at the moment they are saved,
/// inside the transaction that saves them.
/// </summary>
/// <remarks>
/// Why a lock and not "unique sequence + retry": an entry is written in the caller's transaction
/// together with the event it records (a decision, a sealing, ...). On a sequence clash a retry
/// would have to replay the caller's whole unit of work, which the ledger cannot do. So the
/// append takes the chain's lock first, then reads the head, so a second writer waits and then
/// sees the first one's entry: on PostgreSQL a transaction-scoped advisory lock (works across
/// several portal processes and is released by commit or rollback); on SQLite the transaction
/// itself, because Microsoft.Data.Sqlite begins transactions IMMEDIATE, i.e. holding the
/// database's single write lock. The unique index on Sequence stays as the last line of defence:
/// if anything bypasses the lock, the second writer fails instead of forking the chain.
/// When the caller has no transaction, the interceptor opens one around SaveChanges and commits
/// it right after, so reading the head and inserting are still one atomic step.
/// </remarks>
public sealed class ChainInterceptor : SaveChangesInterceptor
{
    public static readonly ChainInterceptor Instance = new();

    // Arbitrary but fixed keys for pg_advisory_xact_lock; taken in this order to avoid deadlocks.
    private const long LedgerLockKey = 0x5EA1_1ED6_0001;
    private const long AuditLockKey = 0x5EA1_1ED6_0002;

    private static long s_appendOrder;

    private readonly ConditionalWeakTable<DbContext, Owned> _owned = new();

    /// <summary>
    /// One gate per SQLite database file: the saves of this process that extend a chain queue here
    /// instead of at SQLite's write lock. Microsoft.Data.Sqlite answers a busy database by sleeping
    /// and retrying, so writers that met at the lock lost far more time than the save itself takes.
    /// </summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteGates = new(StringComparer.Ordinal);

    /// <summary>A transaction this interceptor began, and the SQLite gate it holds for it (if any).</summary>
    private sealed record Owned(IDbContextTransaction Transaction, SemaphoreSlim? Gate);

    private ChainInterceptor()
    {
    }

    internal static long NextAppendOrder() => Interlocked.Increment(ref s_appendOrder);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && Pending(db) is { } pending)
        {
            try
            {
                if (db.Database.CurrentTransaction is null)
                {
                    var gate = SqliteGate(db);
                    if (gate is not null)
                        await gate.WaitAsync(cancellationToken);
                    try
                    {
                        _owned.AddOrUpdate(db, new Owned(await db.Database.BeginTransactionAsync(cancellationToken), gate));
                    }
                    catch
                    {
                        gate?.Release();
                        throw;
                    }
                }
                if (Locks(db, pending) is { } locks)
                    await db.Database.ExecuteSqlRawAsync(locks, cancellationToken);
                if (pending.Ledger.Count > 0)
                    Link(pending.Ledger, await HeadQuery<LedgerEntry>(db).FirstOrDefaultAsync(cancellationToken));
                if (pending.Audit.Count > 0)
                    Link(pending.Audit, await HeadQuery<AuditEvent>(db).FirstOrDefaultAsync(cancellationToken));
            }
            catch
            {
                // EF calls this before its own try, so SaveChangesFailed will not run: let go of our transaction here.
                await AbandonAsync(db);
                throw;
            }
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db && Pending(db) is { } pending)
        {
            try
            {
                if (db.Database.CurrentTransaction is null)
                {
                    var gate = SqliteGate(db);
                    gate?.Wait();
                    try
                    {
                        _owned.AddOrUpdate(db, new Owned(db.Database.BeginTransaction(), gate));
                    }
                    catch
                    {
                        gate?.Release();
                        throw;
                    }
                }
                if (Locks(db, pending) is { } locks)
                    db.Database.ExecuteSqlRaw(locks);
                if (pending.Ledger.Count > 0)
                    Link(pending.Ledger, HeadQuery<LedgerEntry>(db).FirstOrDefault());
                if (pending.Audit.Count > 0)
                    Link(pending.Audit, HeadQuery<AuditEvent>(db).FirstOrDefault());
            }
            catch
            {
                AbandonAsync(db).GetAwaiter().GetResult();
                throw;
            }
        }
        return result;
    }

    /// <summary>
    /// The append locks for the chains this save extends, held until the transaction ends and taken
    /// in a fixed order (no deadlocks): advisory locks on PostgreSQL, application locks on SQL Server;
    /// SQLite, one writer at a time, needs none (null). One command, its statements run in order, so a
    /// save that extends both chains waits for one round trip to the server, not two.
    /// </summary>
    private static string? Locks(DbContext db, PendingEntries pending)
    {
        var keys = new List<long>();
        if (pending.Ledger.Count > 0)
            keys.Add(LedgerLockKey);
        if (pending.Audit.Count > 0)
            keys.Add(AuditLockKey);
        var statements = new List<string>();
        foreach (var key in keys)
        {
            if (db.Database.IsNpgsql())
                statements.Add($"SELECT pg_advisory_xact_lock({key})");
            else if (db.Database.IsSqlServer())
                statements.Add($"EXEC sp_getapplock @Resource = N'SealPortal.Chain.{key:X}', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1");
        }
        return statements.Count == 0 ? null : string.Join(";\n", statements);
    }

    /// <summary>
    /// The gate of the context's SQLite file (null on other providers and for in-memory databases).
    /// Only a transaction this interceptor begins takes it: a caller's own transaction may already hold
    /// SQLite's write lock, and waiting for the gate then could wait for a writer that waits for us.
    /// </summary>
    private static SemaphoreSlim? SqliteGate(DbContext db)
    {
        if (!db.Database.IsSqlite())
            return null;
        var source = db.Database.GetDbConnection().DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:")
            return null;
        return SqliteGates.GetOrAdd(Path.GetFullPath(source), _ => new SemaphoreSlim(1, 1));
    }

    private static IQueryable<Head> HeadQuery<T>(DbContext db) where T : class, IChainLink =>
        db.Set<T>().AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new Head(e.Sequence, e.Hash));

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && _owned.TryGetValue(db, out var owned))
        {
            _owned.Remove(db);
            try
            {
                await using (owned.Transaction)
                    await owned.Transaction.CommitAsync(cancellationToken);
            }
            finally
            {
                owned.Gate?.Release();
            }
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } db && _owned.TryGetValue(db, out var owned))
        {
            _owned.Remove(db);
            try
            {
                using (owned.Transaction)
                    owned.Transaction.Commit();
            }
            finally
            {
                owned.Gate?.Release();
            }
        }
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) =>
        await AbandonAsync(eventData.Context);

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => AbandonAsync(eventData.Context).GetAwaiter().GetResult();

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) =>
        await AbandonAsync(eventData.Context);

    public override void SaveChangesCanceled(DbContextEventData eventData) => AbandonAsync(eventData.Context).GetAwaiter().GetResult();

    /// <summary>
    /// A failed save leaves the entries unsaved in the change tracker: forget their chain position so
    /// that a later SaveChanges links them to whatever the head is then.
    /// </summary>
    private async Task AbandonAsync(DbContext? db)
    {
        if (db is null)
            return;
        if (_owned.TryGetValue(db, out var owned))
        {
            _owned.Remove(db);
            try
            {
                await owned.Transaction.DisposeAsync();
            }
            finally
            {
                owned.Gate?.Release();
            }
        }
        foreach (var e in db.ChangeTracker.Entries<LedgerEntry>().Where(x => x.State == EntityState.Added))
        {
            (e.Entity.Sequence, e.Entity.PreviousHash, e.Entity.Hash) = (0, "", "");
            foreach (var p in e.Entity.Participants)
                p.Sequence = 0;
        }
        foreach (var e in db.ChangeTracker.Entries<AuditEvent>().Where(x => x.State == EntityState.Added))
            (e.Entity.Sequence, e.Entity.PreviousHash, e.Entity.Hash) = (0, "", "");
    }

    private sealed record Head(long Sequence, string Hash);

    private sealed record PendingEntries(List<LedgerEntry> Ledger, List<AuditEvent> Audit);

    private static PendingEntries? Pending(DbContext db)
    {
        var ledger = db.ChangeTracker.Entries<LedgerEntry>()
            .Where(x => x.State == EntityState.Added && x.Entity.Hash.Length == 0)
            .Select(x => x.Entity).OrderBy(e => e.AppendOrder).ToList();
        var audit = db.ChangeTracker.Entries<AuditEvent>()
            .Where(x => x.State == EntityState.Added && x.Entity.Hash.Length == 0)
            .Select(x => x.Entity).OrderBy(e => e.AppendOrder).ToList();
        return ledger.Count == 0 && audit.Count == 0 ? null : new PendingEntries(ledger, audit);
    }

    private static void Link(List<LedgerEntry> entries, Head? head)
    {
        Link(entries, head, ChainCanonicalForm.Hash);
        foreach (var e in entries)
            foreach (var p in e.Participants)
                p.Sequence = e.Sequence;
    }

    private static void Link(List<AuditEvent> entries, Head? head) => Link(entries, head, ChainCanonicalForm.Hash);

    private static void Link<T>(List<T> entries, Head? head, Func<T, string> hash) where T : IChainLink
    {
        var (sequence, previous) = head is null ? (0L, ChainCanonicalForm.Genesis) : (head.Sequence, head.Hash);
        foreach (var e in entries)
        {
            e.Sequence = ++sequence;
            e.PreviousHash = previous;
            e.FormatVersion = ChainCanonicalForm.CurrentVersion;
            e.Hash = previous = hash(e);
        }
    }
}
