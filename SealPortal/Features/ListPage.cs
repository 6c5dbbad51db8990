namespace SealPortal.Features;

/// <summary>
/// What a server-data grid asks its page for: the sort column (null for the list's own order), its
/// direction, and one page (numbered from 0).
/// </summary>
public sealed record GridPageRequest(string? SortBy = null, bool Descending = false, int Page = 0, int PageSize = 25)
{
    public const int MaxPageSize = 100;

    public int Skip => Math.Max(0, Page) * Take;

    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);
}

/// <summary>One page of a list and the number of rows of the whole list.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Total);

/// <summary>What a keyset-paged list reads for one page (see <see cref="KeysetPager{TRow,TKey}"/>).</summary>
/// <param name="OldestFirst">The list's order turned round (the grid sorted its one sortable column ascending).</param>
/// <param name="After">The key of the last row of the page before, when that page was read: then a keyset read.</param>
public sealed record KeysetRead<TKey>(bool OldestFirst, int Skip, int Take, int Total, TKey? After) where TKey : class;

/// <summary>
/// The pages of one filter of a long list (the ledger, the audit trail), as a grid asks for them. It
/// remembers the key of the last row of each page it read, so the next page is a keyset read, and the
/// length of the list, counted again whenever the grid asks for its first page (a new sort, a new
/// page size or a reload). The list's own order is newest first; a sort of its one sortable column
/// (the time) ascending turns it round.
/// </summary>
public sealed class KeysetPager<TRow, TKey>(Func<TRow, TKey> keyOf) where TKey : class
{
    private readonly Dictionary<int, TKey> _lastOfPage = [];
    private (bool OldestFirst, int Take) _shape;
    private int? _total;

    public async Task<ListPage<TRow>> PageAsync(GridPageRequest request, Func<CancellationToken, Task<int>> count,
        Func<KeysetRead<TKey>, CancellationToken, Task<IReadOnlyList<TRow>>> read, CancellationToken ct = default)
    {
        var oldestFirst = request.SortBy is not null && !request.Descending;
        if (_shape != (oldestFirst, request.Take) || request.Page == 0 || _total is null)
        {
            _lastOfPage.Clear();
            _shape = (oldestFirst, request.Take);
            _total = await count(ct);
        }
        var rows = await read(new KeysetRead<TKey>(oldestFirst, request.Skip, request.Take, _total.Value,
            _lastOfPage.GetValueOrDefault(request.Page - 1)), ct);
        if (rows.Count > 0)
            _lastOfPage[request.Page] = keyOf(rows[^1]);
        return new(rows, _total.Value);
    }
}
