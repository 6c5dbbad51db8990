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

    public async Task<ListPage<SealRequestRow>> MineAsync(string userId, ListQuery q, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.SealRequests.AsNoTracking().Where(r => r.ApplicantUserId == userId);
        if (q.Status is { } status)
            query = query.Where(r => r.Status == status);
        if (q.Term?.ToLowerInvariant() is { } t)
            // Whatever the case, as the inbox searches: lower() on both sides is the same on every provider.
            query = query.Where(r => r.Number.ToLower().Contains(t) || r.Purpose.ToLower().Contains(t) ||
                                     (r.Counterparty != null && r.Counterparty.ToLower().Contains(t)) || r.Applicant!.DisplayName.ToLower().Contains(t));
        var total = await query.CountAsync(ct);
        // Creation order is id order, which every provider sorts natively (SQLite cannot order by a DateTimeOffset).
        query = (q.SortBy, q.Descending) switch
        {
            ("Number", false) => query.OrderBy(r => r.Number),
            ("Number", true) => query.OrderByDescending(r => r.Number),
            ("Purpose", false) => query.OrderBy(r => r.Purpose).ThenByDescending(r => r.Id),
            ("Purpose", true) => query.OrderByDescending(r => r.Purpose).ThenByDescending(r => r.Id),
            ("Status", false) => query.OrderBy(r => r.Status).ThenByDescending(r => r.Id),
            ("Status", true) => query.OrderByDescending(r => r.Status).ThenByDescending(r => r.Id),
            (_, false) => query.OrderBy(r => r.Id),
            _ => query.OrderByDescending(r => r.Id),
        };
        var rows = await query.Skip(q.Skip).Take(q.Take)
            .Select(r => new
            {
                r.Id, r.Number, r.Purpose, r.DocumentType, r.Status, r.Urgent, r.CreatedAt, r.SubmittedAt,
                Seals = r.Seals.Select(s => s.Seal!.Name).ToList(),
            })
            .ToListAsync(ct);
        return new(rows.Select(r => new SealRequestRow(r.Id, r.Number, r.Purpose, r.DocumentType, r.Status, r.Urgent, r.CreatedAt, r.SubmittedAt,
            r.Seals.Distinct().ToList())).ToList(), total);
    }

    /// <summary>Columns the inbox sorts by; the default is the inbox's own order (overdue first, then by deadline).</summary>
    public static readonly IReadOnlyList<string> InboxSortable = ["Number", "Applicant", "Purpose", "DueAt"];

    public async Task<ListPage<InboxItem>> InboxAsync(string userId, InboxFilter filter, ListQuery q, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var approvers = await ApproversAsync(db, userId, now, ct);
        var keys = Keys(db, userId, approvers, filter, q.Term, now);
        var total = await keys.CountAsync(ct);
        var nowMs = now.ToUnixTimeMilliseconds();
        // Each order ends on the request's id, so pages never overlap or skip a row.
        var ordered = (q.SortBy, q.Descending) switch
        {
            ("Number", false) => keys.OrderBy(k => k.Number).ThenBy(k => k.Id),
            ("Number", true) => keys.OrderByDescending(k => k.Number).ThenBy(k => k.Id),
            ("Applicant", false) => keys.OrderBy(k => k.Applicant).ThenBy(k => k.Id),
            ("Applicant", true) => keys.OrderByDescending(k => k.Applicant).ThenBy(k => k.Id),
            ("Purpose", false) => keys.OrderBy(k => k.Purpose).ThenBy(k => k.Id),
            ("Purpose", true) => keys.OrderByDescending(k => k.Purpose).ThenBy(k => k.Id),
            ("DueAt", false) => keys.OrderBy(k => k.DueUnixMs == null).ThenBy(k => k.DueUnixMs).ThenBy(k => k.Id),
            ("DueAt", true) => keys.OrderBy(k => k.DueUnixMs == null).ThenByDescending(k => k.DueUnixMs).ThenBy(k => k.Id),
            _ => InboxOrder(keys, nowMs),
        };
        var ids = await ordered.Skip(q.Skip).Take(q.Take).Select(k => k.Id).ToListAsync(ct);
        return new(await WithSealNamesAsync(db, await ItemsAsync(db, userId, approvers, ids, now, ct), ct), total);
    }

    /// <summary>What waits for <paramref name="userId"/>, also as deputy: overdue first, then by deadline, then oldest first.</summary>
    public async Task<IReadOnlyList<InboxItem>> InboxAllAsync(string userId, InboxFilter filter, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var approvers = await ApproversAsync(db, userId, now, ct);
        var ids = await InboxOrder(Keys(db, userId, approvers, filter, null, now), now.ToUnixTimeMilliseconds())
            .Select(k => k.Id).ToListAsync(ct);
        return await WithSealNamesAsync(db, await ItemsAsync(db, userId, approvers, ids, now, ct), ct);
    }

    /// <summary>How many requests wait for <paramref name="userId"/> (also as deputy), how many of them are overdue, and the first.</summary>
    public async Task<(int Waiting, int Overdue, InboxItem? Next)> WaitingCountsAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var approvers = await ApproversAsync(db, userId, now, ct);
        var waiting = await Keys(db, userId, approvers, new InboxFilter(), null, now).CountAsync(ct);
        if (waiting == 0)
            return (0, 0, null);
        var overdue = await Keys(db, userId, approvers, new InboxFilter(OverdueOnly: true), null, now).CountAsync(ct);
        var first = await InboxOrder(Keys(db, userId, approvers, new InboxFilter(), null, now), now.ToUnixTimeMilliseconds())
            .Select(k => k.Id).Take(1).ToListAsync(ct);
        var next = await WithSealNamesAsync(db, await ItemsAsync(db, userId, approvers, first, now, ct), ct);
        return (waiting, overdue, next.FirstOrDefault());
    }

    /// <summary>The inbox's own order: overdue first, then by deadline (none last), then the longest waiting, then id.</summary>
    private static IQueryable<InboxKey> InboxOrder(IQueryable<InboxKey> keys, long nowMs) =>
        keys.OrderByDescending(k => k.DueUnixMs != null && k.DueUnixMs <= nowMs).ThenBy(k => k.DueUnixMs == null)
            .ThenBy(k => k.DueUnixMs).ThenBy(k => k.SinceUnixMs).ThenBy(k => k.Id);

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

    /// <summary>One row per request in the inbox, with what it is sorted by.</summary>
    private sealed class InboxKey
    {
        public int Id { get; init; }
        public long SinceUnixMs { get; init; }
        public long? DueUnixMs { get; init; }
        public string Number { get; init; } = "";
        public string Purpose { get; init; } = "";
        public string Applicant { get; init; } = "";
    }

    /// <summary>
    /// The inbox as a query, from the pending-approvals table (written with each workflow save): the rows of the user and
    /// of the approvers who delegate to the user, never the user's own requests, as the workflow engine's rights would
    /// answer. Every pending row of a request is at its current step, so the request's keys are the same on each of them.
    /// </summary>
    private static IQueryable<InboxKey> Keys(SealPortalDbContext db, string userId, List<string> approvers, InboxFilter filter, string? term, DateTimeOffset now)
    {
        var query = from p in db.PendingApprovals.AsNoTracking()
                    join r in db.SealRequests.AsNoTracking() on p.SealRequestId equals r.Id
                    where approvers.Contains(p.ApproverUserId) && r.ApplicantUserId != userId && r.Status == SealRequestStatus.InApproval
                    select new { p, r };
        if (filter.SealId is { } sealId)
            query = query.Where(x => x.r.Seals.Any(s => s.SealId == sealId));
        if (!string.IsNullOrEmpty(filter.DocumentType))
            query = query.Where(x => x.r.DocumentType == filter.DocumentType);
        if (filter.UrgentOnly)
            query = query.Where(x => x.r.Urgent);
        if (filter.OverdueOnly)
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            query = query.Where(x => x.p.DueUnixMs != null && x.p.DueUnixMs <= nowMs);
        }
        if (term?.ToLowerInvariant() is { } t)
            // Whatever the case: lower() on both sides is the same on every provider (Latin letters; Chinese has no case).
            query = query.Where(x => x.r.Number.ToLower().Contains(t) || x.r.Purpose.ToLower().Contains(t) ||
                                     (x.r.Counterparty != null && x.r.Counterparty.ToLower().Contains(t)) || x.r.Applicant!.DisplayName.ToLower().Contains(t));
        return query.Select(x => new InboxKey
        {
            Id = x.r.Id, SinceUnixMs = x.p.SinceUnixMs, DueUnixMs = x.p.DueUnixMs,
            Number = x.r.Number, Purpose = x.r.Purpose, Applicant = x.r.Applicant!.DisplayName,
        }).Distinct();
    }

    /// <summary>The inbox items of these requests, in the order of <paramref name="ids"/>; no seal names.</summary>
    private static async Task<List<InboxItem>> ItemsAsync(SealPortalDbContext db, string userId, List<string> approvers, List<int> ids,
        DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        var rows = await (from p in db.PendingApprovals.AsNoTracking()
                          join r in db.SealRequests.AsNoTracking() on p.SealRequestId equals r.Id
                          where ids.Contains(r.Id) && approvers.Contains(p.ApproverUserId)
                          select new
                          {
                              r.Id, r.Number, r.Purpose, r.DocumentType, r.Urgent, r.Counterparty,
                              Applicant = r.Applicant!.DisplayName, Department = r.Department!.Name,
                              p.ApproverUserId, p.Slot, p.NodeName, p.NodeKey, p.WorkflowVersion, p.Since, p.DueAt,
                          })
            .ToListAsync(ct);

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
        return items.Select(i => i with { SealNames = seals[i.Id].Distinct().ToList() }).ToList();
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
