using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Requests;

/// <summary>How a list page asks for one page of rows: a search text, an optional status, a sort column and the page.</summary>
public sealed record ListQuery(string? Search = null, SealRequestStatus? Status = null, string? SortBy = null, bool Descending = true,
    int Page = 0, int PageSize = 25)
{
    public const int MaxPageSize = 100;

    public int Skip => Math.Max(0, Page) * Take;

    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);

    /// <summary>The search text trimmed, or null when there is nothing to search for.</summary>
    public string? Term => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();
}

public sealed record ListPage<T>(IReadOnlyList<T> Items, int Total);

/// <summary>
/// The request lists of the interactive pages. Each call opens a context of its own and reads one page:
/// "my requests" is paged, sorted and searched in the database; the inbox is decided by the workflow
/// engine per request (see <see cref="SealRequestService.InboxAsync"/>) and paged after that.
/// </summary>
public sealed class RequestQueries(IDbContextFactory<SealPortalDbContext> contexts, IServiceScopeFactory scopes)
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
        IReadOnlyList<InboxItem> all;
        await using (var scope = scopes.CreateAsyncScope())
            all = await scope.ServiceProvider.GetRequiredService<SealRequestService>().InboxAsync(userId, filter, ct);
        IEnumerable<InboxItem> items = all;
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
        return new(list.Skip(q.Skip).Take(q.Take).ToList(), list.Count);
    }

    /// <summary>Every seal by name, for the inbox's seal filter.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> SealNamesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.Seals.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct))
            .Select(s => (s.Id, s.Name)).ToList();
    }

    /// <summary>
    /// The request page's content for <paramref name="user"/>, or null: with <c>Allowed</c> false the request exists
    /// and the user may not see it (403); with <c>Allowed</c> true there is no such request (404).
    /// </summary>
    public async Task<(SealRequestView? View, bool Allowed)> DetailsAsync(int requestId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealRequestService>().GetAsync(requestId, user, ct);
    }

    /// <summary>The first request in <paramref name="userId"/>'s inbox other than <paramref name="exceptRequestId"/>: the next item to decide.</summary>
    public async Task<InboxItem?> NextAsync(string userId, int exceptRequestId, CancellationToken ct = default)
    {
        var page = await InboxAsync(userId, new InboxFilter(), new ListQuery(PageSize: 2), ct);
        return page.Items.FirstOrDefault(i => i.Id != exceptRequestId);
    }

    /// <summary>Active seals <paramref name="userId"/> may ask for, with the reason for each one they may not.</summary>
    public async Task<IReadOnlyList<(int Id, string Name, SealType Type, SealKind Kind, string? Unusable)>> SealChoicesAsync(string userId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealRequestService>().SealChoicesAsync(userId, null, ct);
    }

    private static bool Has(string? text, string term) => text is not null && text.Contains(term, StringComparison.CurrentCultureIgnoreCase);
}
