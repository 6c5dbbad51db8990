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
/// (<see cref="PendingApproval"/>) for the user and their delegators, then searches, sorts and pages that list.
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
        if (q.Term is { } term)
            query = query.Where(r => r.Number.Contains(term) || r.Purpose.Contains(term) ||
                                     (r.Counterparty != null && r.Counterparty.Contains(term)) || r.Applicant!.DisplayName.Contains(term));
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
        IEnumerable<InboxItem> items = await WaitingAsync(db, userId, filter, ct);
        if (q.Term is { } term)
            items = items.Where(i => Has(i.Number, term) || Has(i.Purpose, term) || Has(i.Counterparty, term) || Has(i.Applicant, term));
        items = (q.SortBy, q.Descending) switch
        {
            ("Number", false) => items.OrderBy(i => i.Number, StringComparer.Ordinal),
            ("Number", true) => items.OrderByDescending(i => i.Number, StringComparer.Ordinal),
            ("Applicant", false) => items.OrderBy(i => i.Applicant, StringComparer.CurrentCulture),
            ("Applicant", true) => items.OrderByDescending(i => i.Applicant, StringComparer.CurrentCulture),
            ("Purpose", false) => items.OrderBy(i => i.Purpose, StringComparer.CurrentCulture),
            ("Purpose", true) => items.OrderByDescending(i => i.Purpose, StringComparer.CurrentCulture),
            ("DueAt", false) => items.OrderBy(i => i.DueAt ?? DateTimeOffset.MaxValue),
            ("DueAt", true) => items.OrderByDescending(i => i.DueAt ?? DateTimeOffset.MinValue),
            _ => items,
        };
        var list = items.ToList();
        return new(await WithSealNamesAsync(db, list.Skip(q.Skip).Take(q.Take).ToList(), ct), list.Count);
    }

    /// <summary>What waits for <paramref name="userId"/>, also as deputy: overdue first, then by deadline, then oldest first.</summary>
    public async Task<IReadOnlyList<InboxItem>> InboxAllAsync(string userId, InboxFilter filter, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await WithSealNamesAsync(db, await WaitingAsync(db, userId, filter, ct), ct);
    }

    /// <summary>How many requests wait for <paramref name="userId"/> (also as deputy), and how many of them are overdue.</summary>
    public async Task<(int Waiting, int Overdue, InboxItem? Next)> WaitingCountsAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var items = await WaitingAsync(db, userId, new InboxFilter(), ct);
        return (items.Count, items.Count(i => i.Overdue), items.FirstOrDefault());
    }

    /// <summary>
    /// The inbox from the pending-approvals table (written with each workflow save): the user's own pending
    /// approvals and those of the approvers who delegate to the user now, never the user's own requests, as the
    /// workflow engine's rights would answer. Sorted overdue first, then by deadline, then oldest first; no seal names.
    /// </summary>
    private async Task<List<InboxItem>> WaitingAsync(SealPortalDbContext db, string userId, InboxFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Delegations are few per deputy; their time window is checked here, where DateTimeOffset compares on every provider.
        var delegators = (await db.ApproverDelegations.AsNoTracking()
                .Where(d => d.DeputyUserId == userId && d.CancelledAt == null)
                .Select(d => new { d.DelegatorUserId, d.From, d.Until }).ToListAsync(ct))
            .Where(d => d.From <= now && now < d.Until).Select(d => d.DelegatorUserId).Where(id => id != userId).Distinct().ToList();
        var approvers = delegators.Append(userId).ToList();
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
        var rows = await query
            .Select(x => new
            {
                x.r.Id, x.r.Number, x.r.Purpose, x.r.DocumentType, x.r.Urgent, x.r.Counterparty,
                Applicant = x.r.Applicant!.DisplayName, Department = x.r.Department!.Name,
                x.p.ApproverUserId, x.p.Slot, x.p.NodeName, x.p.NodeKey, x.p.WorkflowVersion, x.p.Since, x.p.DueAt,
            })
            .ToListAsync(ct);

        var found = new List<(InboxItem Item, string? DeputyFor)>();
        foreach (var request in rows.GroupBy(r => r.Id))
        {
            var slots = request.OrderBy(r => r.Slot).ToList();
            var c = slots[0];
            var overdue = c.DueAt is { } due && now >= due;
            if (filter.OverdueOnly && !overdue)
                continue;
            // Shown as deputy only when every right is a deputy's, for the first approver in the step's order.
            var deputyFor = slots.Any(s => s.ApproverUserId == userId) ? null : c.ApproverUserId;
            found.Add((new InboxItem(c.Id, c.Number, c.Purpose, c.DocumentType, c.Applicant, c.Department, c.Urgent,
                c.NodeName, c.Since, c.DueAt, overdue, null, [], c.Counterparty, c.NodeKey, c.WorkflowVersion), deputyFor));
        }
        var names = await NamesAsync(db, found.Select(f => f.DeputyFor), ct);
        return found
            .Select(f => f.DeputyFor is null ? f.Item : f.Item with { OnBehalfOf = names[f.DeputyFor] })
            .OrderByDescending(i => i.Overdue)
            .ThenBy(i => i.DueAt ?? DateTimeOffset.MaxValue)
            .ThenBy(i => i.EnteredAt)
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

    private static bool Has(string? text, string term) => text is not null && text.Contains(term, StringComparison.CurrentCultureIgnoreCase);
}
