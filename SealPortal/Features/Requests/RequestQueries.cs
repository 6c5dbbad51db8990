using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>How a list page asks for one page of rows: a search text, an optional status, a sort column and the page.</summary>
public sealed record ListQuery(string? Search = null, SealRequestStatus? Status = null, string? SortBy = null, bool Descending = true,
    int Page = 0, int PageSize = 25)
{
    public int Skip => Math.Max(0, Page) * Take;

    public int Take => Math.Clamp(PageSize, 1, GridPageRequest.MaxPageSize);

    /// <summary>The search text trimmed, or null when there is nothing to search for.</summary>
    public string? Term => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();

    /// <summary>The grid's page, sort and direction with a page's search text and status.</summary>
    public static ListQuery Of(GridPageRequest page, string? search, SealRequestStatus? status = null) =>
        new(search, status, page.SortBy, page.Descending, page.Page, page.PageSize);
}

/// <summary>
/// The read side of requests: "my requests", the inbox and the request's details (RequestQueries.Details.cs).
/// Each call opens a context of its own, so pages in a long-lived circuit, endpoints and jobs can all use it:
/// "my requests" is paged, sorted and searched in the database; the inbox reads the pending-approvals table
/// (<see cref="PendingApproval"/>) for the user and their delegators, and also searches, sorts and pages in the database.
/// </summary>
public sealed partial class RequestQueries(IDbContextFactory<SealPortalDbContext> contexts, WorkingCalendar calendar, ArchiveStore archive, TimeProvider clock)
{
    /// <summary>Columns "my requests" sorts by; anything else sorts by creation.</summary>
    public static readonly IReadOnlyList<string> MineSortable = ["Number", "Purpose", "Status", "CreatedAt"];

    /// <summary>
    /// How many of the purpose's first characters PostgreSQL's index for "my requests" sorted by purpose holds
    /// (<see cref="SealPortalDbContext.PurposePrefixIndexName"/>, on (applicant, substring(purpose, 1, 64), id)). A purpose
    /// may have 1,000 characters, more bytes than a B-tree entry may (2,704), so the index cannot hold it whole. The sort
    /// is by this prefix, then by the whole purpose, then by id: the index gives the rows in prefix order and PostgreSQL
    /// sorts only the runs of rows with the same prefix (an incremental sort), so the first page reads 25 rows, not all
    /// of the applicant's. Ordered by the database's collation as before; it is the order of the whole purpose wherever
    /// a prefix sorts as the text it starts (always under a byte-order collation such as C or C.UTF-8). Changing this
    /// length needs a migration that makes the index again with it.
    /// </summary>
    public const int PurposePrefixLength = 64;

    public async Task<ListPage<SealRequestRow>> MineAsync(string userId, ListQuery q, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.SealRequests.AsNoTracking().Where(r => r.ApplicantUserId == userId);
        List<int>? candidates = null;
        if (q.Status is { } status)
            query = query.Where(r => r.Status == status);
        if (q.Term?.ToLowerInvariant() is { } t)
        {
            // Every row's applicant is the user: whether their own name matches is one answer for all rows, asked once,
            // so the search reads only the request's own columns (on SQLite one covering index, see OnModelCreating).
            var own = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
            if (own is null || !own.ToLowerInvariant().Contains(t, StringComparison.Ordinal))
            {
                if (db.Database.IsSqlite())
                {
                    // The requests the search index finds, when they are few, tested again with LIKE (see RequestSearch).
                    candidates = await RequestSearch.CandidatesAsync(db, t, ct);
                    if (candidates is not null)
                        query = query.Where(r => candidates.Contains(r.Id));
                    query = query.Where(OwnColumnsLike(t));
                }
                else
                {
                    query = query.Where(db.Database.IsNpgsql() ? OwnColumnsILike(t) : OwnColumnsMatch(t));
                }
            }
        }
        var prefixed = db.Database.IsNpgsql();
        // A few candidates are looked up by their ids and sorted after: sorted by an expression of the column (the same
        // order; a column without a collation and || are both BINARY), SQLite cannot walk the column's index for the
        // order instead, which read all of the applicant's 100,000 index entries (or rows, for the number) to find 11.
        var few = candidates is not null;
        var countable = query;
        // Creation order is id order, which every provider sorts natively (SQLite cannot order by a DateTimeOffset).
        // Ties are broken by the id in the sort's own direction, so one index per sort serves both directions.
        query = (q.SortBy, q.Descending) switch
        {
            ("Number", false) when few => query.OrderBy(r => r.Number + ""),
            ("Number", true) when few => query.OrderByDescending(r => r.Number + ""),
            ("Number", false) => query.OrderBy(r => r.Number),
            ("Number", true) => query.OrderByDescending(r => r.Number),
            // PostgreSQL: by the purpose's first characters first, which its index holds (see PurposePrefixLength).
            ("Purpose", false) when prefixed => query.OrderBy(r => r.Purpose.Substring(0, PurposePrefixLength)).ThenBy(r => r.Purpose).ThenBy(r => r.Id),
            ("Purpose", true) when prefixed => query.OrderByDescending(r => r.Purpose.Substring(0, PurposePrefixLength))
                .ThenByDescending(r => r.Purpose).ThenByDescending(r => r.Id),
            ("Purpose", false) when few => query.OrderBy(r => r.Purpose + "").ThenBy(r => r.Id),
            ("Purpose", true) when few => query.OrderByDescending(r => r.Purpose + "").ThenByDescending(r => r.Id),
            ("Purpose", false) => query.OrderBy(r => r.Purpose).ThenBy(r => r.Id),
            ("Purpose", true) => query.OrderByDescending(r => r.Purpose).ThenByDescending(r => r.Id),
            ("Status", false) => query.OrderByDeclared(r => r.Status, descending: false).ThenBy(r => r.Id),
            ("Status", true) => query.OrderByDeclared(r => r.Status, descending: true).ThenByDescending(r => r.Id),
            (_, false) => query.OrderBy(r => r.Id),
            _ => query.OrderByDescending(r => r.Id),
        };
        var page = query.Skip(q.Skip).Take(q.Take);
        List<int>? ids = null;
        if (q.Skip > 0 || (q.Term is not null && db.Database.IsSqlite()))
        {
            // After the first page the page's ids are read first (off an index alone), then their rows: skipping
            // thousands of rows walks an index, not the requests, whose rows carry the workflow state. A search on SQLite
            // too: asked for the ids alone, SQLite tests the search on an index that holds the searched columns
            // (IX_SealRequests_MineSearchStatus or MineSearchNewest) instead of reading every row of the applicant.
            ids = await page.Select(r => r.Id).ToListAsync(ct);
            page = db.SealRequests.AsNoTracking().Where(r => ids.Contains(r.Id));
        }
        var rows = await page
            .Select(r => new { r.Id, r.Number, r.Purpose, r.DocumentType, r.Status, r.Urgent, r.CreatedAt, r.SubmittedAt })
            .ToListAsync(ct);
        if (ids is not null)
            rows = rows.OrderBy(r => ids.IndexOf(r.Id)).ToList();
        // A first page that is not full holds everything there is (a narrow search, a new user): no count to run.
        var total = q.Skip == 0 && rows.Count < q.Take ? rows.Count : await countable.CountAsync(ct);
        // The seal names of this page's requests only: as a nested collection of the page's query, SQLite joined the
        // page to a subquery over every request's seal rows (100,000 at the bench's size).
        var pageIds = rows.Select(r => r.Id).ToList();
        var seals = pageIds.Count == 0 ? Enumerable.Empty<int>().ToLookup(id => id, _ => "")
            : (await db.SealRequestSeals.AsNoTracking().Where(s => pageIds.Contains(s.SealRequestId)).OrderBy(s => s.Id)
                .Select(s => new { s.SealRequestId, s.Seal!.Name }).ToListAsync(ct)).ToLookup(s => s.SealRequestId, s => s.Name);
        return new(rows.Select(r => new SealRequestRow(r.Id, r.Number, r.Purpose, r.DocumentType, r.Status, r.Urgent, r.CreatedAt, r.SubmittedAt,
            new ValueList<string>(seals[r.Id].Distinct()))).ToList(), total);
    }

    /// <summary>Columns the inbox sorts by; the default is the inbox's own order (overdue first, then by deadline).</summary>
    public static readonly IReadOnlyList<string> InboxSortable = ["Number", "Applicant", "Purpose", "DueAt"];

    public async Task<ListPage<InboxItem>> InboxAsync(string userId, InboxFilter filter, ListQuery q, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var approvers = await ApproversAsync(db, userId, now, ct);
        var pending = Pending(db, userId, approvers, filter, await SearchAsync(db, q.Term, ct), now);
        var total = await CountAsync(pending, approvers, ct);
        var keys = Keys(pending, approvers);
        var single = approvers.Count == 1;
        // Each order ends on the request's id, so pages never overlap or skip a row. The inbox's own order, the deadline and
        // (without deputy rights) the number come from the pending rows' indexes; the other columns of the request are read
        // only to sort by them. backward: the same order reversed, to read a page near the end from the end.
        IQueryable<int> Ordered(bool backward) => (q.SortBy, q.Descending) switch
        {
            ("Number", var descending) when single =>
                Then(By(pending, p => p.RequestNumber, descending != backward), p => p.SealRequestId, descending != backward).Select(p => p.SealRequestId),
            ("Number", var descending) => ByRequest(db, keys, r => r.Number, descending, backward),
            ("Purpose", var descending) => ByRequest(db, keys, r => r.Purpose, descending, backward),
            ("Applicant", var descending) => ByRequest(db, keys, r => r.Applicant!.DisplayName, descending, backward),
            ("DueAt", false) => Then(By(keys, k => k.DueOrder, backward), k => k.Id, backward).Select(k => k.Id),
            ("DueAt", true) => Then(Then(By(keys, k => k.DueOrder == long.MaxValue, backward), k => k.DueOrder, !backward), k => k.Id, backward).Select(k => k.Id),
            _ => InboxOrder(keys, backward).Select(k => k.Id),
        };
        // A page past the middle is read from the end: the database skips the rows after it instead of the rows before it,
        // so the last page costs what the first does (skipping 100,000 index entries cost more than everything else).
        var size = Math.Min(q.Take, total - q.Skip);
        var after = total - q.Skip - size;
        List<int> ids;
        if (size > 0 && after < q.Skip)
        {
            ids = await Ordered(backward: true).Skip(after).Take(size).ToListAsync(ct);
            ids.Reverse();
        }
        else
        {
            ids = await Ordered(backward: false).Skip(q.Skip).Take(q.Take).ToListAsync(ct);
        }
        return new(await WithSealNamesAsync(db, await ItemsAsync(db, userId, approvers, ids, now, ct), ct), total);
    }

    private static IOrderedQueryable<T> By<T, TKey>(IQueryable<T> query, System.Linq.Expressions.Expression<Func<T, TKey>> key, bool descending) =>
        descending ? query.OrderByDescending(key) : query.OrderBy(key);

    private static IOrderedQueryable<T> Then<T, TKey>(IOrderedQueryable<T> query, System.Linq.Expressions.Expression<Func<T, TKey>> key, bool descending) =>
        descending ? query.ThenByDescending(key) : query.ThenBy(key);

    private static IQueryable<int> ByRequest<T>(SealPortalDbContext db, IQueryable<InboxKey> keys, System.Linq.Expressions.Expression<Func<SealRequest, T>> column,
        bool descending, bool backward)
    {
        var joined = from k in keys join r in db.SealRequests.AsNoTracking() on k.Id equals r.Id select r;
        return Then(By(joined, column, descending != backward), r => r.Id, backward).Select(r => r.Id);
    }

    /// <summary>What waits for <paramref name="userId"/>, also as deputy: overdue first, then by deadline, then oldest first.</summary>
    public async Task<IReadOnlyList<InboxItem>> InboxAllAsync(string userId, InboxFilter filter, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var approvers = await ApproversAsync(db, userId, now, ct);
        var ids = await InboxOrder(Keys(Pending(db, userId, approvers, filter, null, now), approvers)).Select(k => k.Id).ToListAsync(ct);
        return await WithSealNamesAsync(db, await ItemsAsync(db, userId, approvers, ids, now, ct), ct);
    }

    /// <summary>
    /// How many requests wait for <paramref name="userId"/> (also as deputy), how many of them are overdue, and of the first
    /// the number and purpose the dashboard shows, read with its key in one query.
    /// </summary>
    public async Task<(int Waiting, int Overdue, (int Id, string Number, string Purpose)? Next)> WaitingSummaryAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var approvers = await ApproversAsync(db, userId, now, ct);
        var (waiting, overdue) = await CountsAsync(db, userId, approvers, now, ct);
        if (waiting == 0)
            return (0, 0, null);
        var next = await InboxOrder(Keys(Pending(db, userId, approvers, new InboxFilter(), null, now), approvers)).Take(1)
            .Join(db.SealRequests, k => k.Id, r => r.Id, (k, r) => new { r.Id, r.Number, r.Purpose })
            .FirstOrDefaultAsync(ct);
        return (waiting, overdue, next is null ? null : (next.Id, next.Number, next.Purpose));
    }

    private static async Task<(int Waiting, int Overdue)> CountsAsync(SealPortalDbContext db, string userId, List<string> approvers, DateTimeOffset now, CancellationToken ct)
    {
        if (approvers.Count == 1)
        {
            // Both counts in one pass over the approver's index (no deputy rights: one row per request).
            var nowMs = now.ToUnixTimeMilliseconds();
            var counts = await Pending(db, userId, approvers, new InboxFilter(), null, now).GroupBy(p => 1)
                .Select(g => new { Waiting = g.Count(), Overdue = g.Count(p => p.DueOrder <= nowMs) }).FirstOrDefaultAsync(ct);
            return (counts?.Waiting ?? 0, counts?.Overdue ?? 0);
        }
        var waiting = await CountAsync(Pending(db, userId, approvers, new InboxFilter(), null, now), approvers, ct);
        var overdue = waiting == 0 ? 0 : await CountAsync(Pending(db, userId, approvers, new InboxFilter(OverdueOnly: true), null, now), approvers, ct);
        return (waiting, overdue);
    }

    /// <summary>
    /// The inbox's own order: overdue first, then by deadline (none last), then the longest waiting, then id. An overdue
    /// deadline is earlier than any other, so this is <see cref="PendingApproval.DueOrder"/> ascending.
    /// </summary>
    private static IOrderedQueryable<InboxKey> InboxOrder(IQueryable<InboxKey> keys, bool backward = false) =>
        Then(Then(By(keys, k => k.DueOrder, backward), k => k.SinceUnixMs, backward), k => k.Id, backward);

    /// <summary>The user and the approvers who delegate to the user now.</summary>
    private static async Task<List<string>> ApproversAsync(SealPortalDbContext db, string userId, DateTimeOffset now, CancellationToken ct)
    {
        // Delegations are few per deputy; their time window is checked here, where DateTimeOffset compares on every provider.
        var delegators = (await db.ApproverDelegations.AsNoTracking()
                .Where(d => d.DeputyUserId == userId && d.CancelledAt == null)
                .Select(d => new { d.DelegatorUserId, d.From, d.Until }).ToListAsync(ct))
            .Where(d => d.From <= now && now < d.Until).Select(d => d.DelegatorUserId).Where(id => id != userId).Distinct().ToList();
        return delegators.Append(userId).ToList();
    }

    /// <summary>
    /// An inbox search: the lowered text, and the users whose display name contains it (read once, before the inbox's
    /// queries). A pending row carries its request's applicant, so "the applicant's name matches" is a test of that column
    /// against these few ids, and the request's own columns are all that is searched per request.
    /// </summary>
    /// <param name="Candidates">On SQLite, the requests the search index finds when they are few (null otherwise, see RequestSearch).</param>
    private sealed record InboxSearch(string Lowered, List<string> NamedApplicants, List<int>? Candidates);

    private static async Task<InboxSearch?> SearchAsync(SealPortalDbContext db, string? term, CancellationToken ct)
    {
        if (term?.ToLowerInvariant() is not { } t)
            return null;
        // The same test of the name as before (lower() of it contains the lowered text), over the users alone.
        var named = await db.Users.AsNoTracking().Where(u => u.DisplayName.ToLower().Contains(t)).Select(u => u.Id).ToListAsync(ct);
        return new(t, named, db.Database.IsSqlite() ? await RequestSearch.CandidatesAsync(db, t, ct) : null);
    }

    /// <summary>One row per request in the inbox, with what its own order sorts by.</summary>
    private sealed class InboxKey
    {
        public int Id { get; init; }
        public long SinceUnixMs { get; init; }
        public long DueOrder { get; init; }
    }

    /// <summary>
    /// The inbox's pending rows: those of the user and of the approvers who delegate to the user, never on the user's
    /// own requests, as the workflow engine's rights would answer, with the page's filters. Rows exist only while their
    /// request is in approval (<see cref="RequestWorkflowStore.ReplacePendingAsync"/>). Without a search, everything
    /// here is in the approver's index; a search reads the requests it has to.
    /// </summary>
    private static IQueryable<PendingApproval> Pending(SealPortalDbContext db, string userId, List<string> approvers, InboxFilter filter, InboxSearch? search, DateTimeOffset now)
    {
        var query = db.PendingApprovals.AsNoTracking();
        // One approver (no delegation running) is an equality, which every provider seeks on its index. Its rows are then
        // those not on the approver's own requests: written as the applicant differing from the approver (the same rows,
        // the approver being the user), which is the predicate of the count's partial index (IX_PendingApprovals_Count),
        // so the count reads that index (one deduplicated key on PostgreSQL) instead of every row of the inbox.
        // A SQLite search whose requests are the search index's few candidates, no applicant named: the approver's column is
        // compared as an expression (the same test), which no index holds, so SQLite finds the pending rows from the
        // candidates (IX_PendingApprovals_SealRequestId) and sorts those few; compared as the column, it walked all of the
        // approver's rows (100,000 in the bench) in the index's order to test each against the candidates.
        var fromCandidates = search is { Candidates: not null, NamedApplicants.Count: 0 } && db.Database.IsSqlite();
        query = (approvers.Count == 1, fromCandidates) switch
        {
            (true, false) => query.Where(p => p.ApproverUserId == userId && p.ApplicantUserId != p.ApproverUserId),
            (true, true) => query.Where(p => p.ApproverUserId + "" == userId && p.ApplicantUserId != p.ApproverUserId),
            (false, false) => query.Where(p => approvers.Contains(p.ApproverUserId) && p.ApplicantUserId != userId),
            (false, true) => query.Where(p => approvers.Contains(p.ApproverUserId + "") && p.ApplicantUserId != userId),
        };
        if (filter.SealId is { } sealId)
            query = query.Where(p => db.SealRequestSeals.Any(s => s.SealRequestId == p.SealRequestId && s.SealId == sealId));
        if (!string.IsNullOrEmpty(filter.DocumentType))
            query = query.Where(p => p.DocumentType == filter.DocumentType);
        if (filter.UrgentOnly)
        {
            // Compared with a value, not tested as a bare column: SQLite seeks an equality on its index, not a bare column.
            var urgent = true;
            query = query.Where(p => p.Urgent == urgent);
        }
        if (filter.OverdueOnly)
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            query = query.Where(p => p.DueOrder <= nowMs);
        }
        if (search is { } s)
        {
            // The search of both lists, whatever the case: number, purpose, counterparty and the applicant's name.
            var named = s.NamedApplicants;
            // The requests whose own columns match, as a set the pending rows are joined to: on PostgreSQL found through the
            // trigram index (IX_SealRequests_Search), on SQLite as the few candidates of its trigram index (RequestSearch)
            // or, for a term too short or too common for it, by one scan of a covering index that holds the searched
            // columns (IX_SealRequests_MineSearch*). Tested per pending row instead, each of the inbox's requests was read
            // from the table: 100,000 in the bench, 435 ms on PostgreSQL, and on SQLite 1.4 s (2.4 s with lower() and the
            // applicant joined, as before) against 0.3 s for the set, on a loaded machine. The set is of every applicant's requests, so it costs
            // what "my requests" searched costs for the whole company.
            var own = db.Database.IsNpgsql() ? OwnColumnsILike(s.Lowered) : db.Database.IsSqlite() ? OwnColumnsLike(s.Lowered) : OwnColumnsMatch(s.Lowered);
            // On SQLite the candidates of the search index, when it found few, are looked up by id and tested again.
            var requests = db.SealRequests.AsQueryable();
            if (s.Candidates is { } candidates)
                requests = requests.Where(r => candidates.Contains(r.Id));
            var matching = requests.Where(own).Select(r => r.Id);
            query = named.Count == 0
                ? query.Where(p => matching.Contains(p.SealRequestId))
                : query.Where(p => named.Contains(p.ApplicantUserId) || matching.Contains(p.SealRequestId));
        }
        return query;
    }

    /// <summary>
    /// The search of the request's own columns, whatever the case: lower() on both sides is the same on every provider
    /// (Latin letters; Chinese has no case). Number, purpose and counterparty.
    /// </summary>
    private static System.Linq.Expressions.Expression<Func<SealRequest, bool>> OwnColumnsMatch(string lowered) =>
        r => r.Number.ToLower().Contains(lowered) || r.Purpose.ToLower().Contains(lowered) ||
             (r.Counterparty != null && r.Counterparty.ToLower().Contains(lowered));

    /// <summary>
    /// <see cref="OwnColumnsMatch"/> for SQLite, whose LIKE ignores the case of Latin letters as lower() does: a third of
    /// the CPU of lower() on every row (the search reads all of an applicant's rows, 100,000 in the bench).
    /// </summary>
    private static System.Linq.Expressions.Expression<Func<SealRequest, bool>> OwnColumnsLike(string lowered)
    {
        var pattern = ContainsPattern(lowered);
        return r => EF.Functions.Like(r.Number, pattern, @"\") || EF.Functions.Like(r.Purpose, pattern, @"\") ||
                    (r.Counterparty != null && EF.Functions.Like(r.Counterparty, pattern, @"\"));
    }

    /// <summary>
    /// <see cref="OwnColumnsMatch"/> for PostgreSQL, in the form its trigram index answers
    /// (<see cref="SealPortalDbContext.SearchIndexName"/>): ILIKE on the column itself, not LIKE on lower() of it. In a UTF-8
    /// database ILIKE compares lower() of the text with lower() of the pattern, which is the lowered term: the same test.
    /// </summary>
    private static System.Linq.Expressions.Expression<Func<SealRequest, bool>> OwnColumnsILike(string lowered)
    {
        var pattern = ContainsPattern(lowered);
        return r => EF.Functions.ILike(r.Number, pattern, @"\") || EF.Functions.ILike(r.Purpose, pattern, @"\") ||
                    (r.Counterparty != null && EF.Functions.ILike(r.Counterparty, pattern, @"\"));
    }

    /// <summary>A LIKE pattern (escape character \) that matches a text containing <paramref name="text"/> as it is.</summary>
    private static string ContainsPattern(string text) =>
        "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal) + "%";

    /// <summary>One key per request: with deputies, a request can wait for the user and a delegator at once.</summary>
    private static IQueryable<InboxKey> Keys(IQueryable<PendingApproval> pending, List<string> approvers) =>
        approvers.Count == 1
            ? pending.Select(p => new InboxKey { Id = p.SealRequestId, SinceUnixMs = p.SinceUnixMs, DueOrder = p.DueOrder })
            : pending.GroupBy(p => p.SealRequestId).Select(g => new InboxKey { Id = g.Key, SinceUnixMs = g.Min(p => p.SinceUnixMs), DueOrder = g.Min(p => p.DueOrder) });

    private static Task<int> CountAsync(IQueryable<PendingApproval> pending, List<string> approvers, CancellationToken ct) =>
        approvers.Count == 1 ? pending.CountAsync(ct) : pending.Select(p => p.SealRequestId).Distinct().CountAsync(ct);

    /// <summary>The inbox items of these requests, in the order of <paramref name="ids"/>; no seal names.</summary>
    private static async Task<List<InboxItem>> ItemsAsync(SealPortalDbContext db, string userId, List<string> approvers, List<int> ids,
        DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        // The page's rows are found by their requests' ids alone, and the approvers picked here: with the approver in the
        // query too, SQLite walked the approver's index (every request waiting for them) to find the page's 25.
        var rows = (await (from p in db.PendingApprovals.AsNoTracking()
                          join r in db.SealRequests.AsNoTracking() on p.SealRequestId equals r.Id
                          where ids.Contains(p.SealRequestId)
                          select new
                          {
                              r.Id, r.Number, r.Purpose, r.DocumentType, r.Urgent, r.Counterparty,
                              Applicant = r.Applicant!.DisplayName, Department = r.Department!.Name,
                              p.ApproverUserId, p.Slot, p.NodeName, p.NodeKey, p.WorkflowVersion, p.Since, p.DueAt,
                          })
            .ToListAsync(ct)).Where(r => approvers.Contains(r.ApproverUserId)).ToList();

        var found = new Dictionary<int, (InboxItem Item, string? DeputyFor)>();
        foreach (var request in rows.GroupBy(r => r.Id))
        {
            var slots = request.OrderBy(r => r.Slot).ToList();
            var c = slots[0];
            var overdue = c.DueAt is { } due && now >= due;
            // Shown as deputy only when every right is a deputy's, for the first approver in the step's order.
            var deputyFor = slots.Any(s => s.ApproverUserId == userId) ? null : c.ApproverUserId;
            found[c.Id] = (new InboxItem(c.Id, c.Number, c.Purpose, c.DocumentType, c.Applicant, c.Department, c.Urgent,
                c.NodeName, c.Since, c.DueAt, overdue, null, [], c.Counterparty, c.NodeKey, c.WorkflowVersion), deputyFor);
        }
        var names = await NamesAsync(db, found.Values.Select(f => f.DeputyFor), ct);
        return ids.Where(found.ContainsKey).Select(id => found[id])
            .Select(f => f.DeputyFor is null ? f.Item : f.Item with { OnBehalfOf = names[f.DeputyFor] })
            .ToList();
    }

    /// <summary>The items with the names of their seals, read for these requests only.</summary>
    private static async Task<List<InboxItem>> WithSealNamesAsync(SealPortalDbContext db, List<InboxItem> items, CancellationToken ct)
    {
        if (items.Count == 0)
            return items;
        var ids = items.Select(i => i.Id).ToList();
        var seals = (await db.SealRequestSeals.AsNoTracking().Where(s => ids.Contains(s.SealRequestId))
                .OrderBy(s => s.Id).Select(s => new { s.SealRequestId, s.Seal!.Name }).ToListAsync(ct))
            .ToLookup(s => s.SealRequestId, s => s.Name);
        return items.Select(i => i with { SealNames = new ValueList<string>(seals[i.Id].Distinct()) }).ToList();
    }

    /// <summary>Display names of the given users in one query; a user who is gone keeps their id.</summary>
    private static async Task<Dictionary<string, string>> NamesAsync(SealPortalDbContext db, IEnumerable<string?> userIds, CancellationToken ct)
    {
        var ids = userIds.OfType<string>().Distinct().ToList();
        var names = ids.Count == 0 ? new Dictionary<string, string>() : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        foreach (var id in ids.Where(id => !names.ContainsKey(id)))
            names[id] = id;
        return names;
    }

    /// <summary>Every seal by name, for the inbox's seal filter.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> SealNamesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.Seals.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct))
            .Select(s => (s.Id, s.Name)).ToList();
    }

    /// <summary>The first request in <paramref name="userId"/>'s inbox other than <paramref name="exceptRequestId"/>: the next item to decide.</summary>
    public async Task<InboxItem?> NextAsync(string userId, int exceptRequestId, CancellationToken ct = default)
    {
        var page = await InboxAsync(userId, new InboxFilter(), new ListQuery(PageSize: 2), ct);
        return page.Items.FirstOrDefault(i => i.Id != exceptRequestId);
    }

}
