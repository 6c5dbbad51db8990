using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>The choices of the ledger page's filters, as the user may use them (a keeper: their own seals).</summary>
public sealed record LedgerChoices(
    IReadOnlyList<(int Id, string Name)> Seals, IReadOnlyList<(int Id, string Name)> Departments, IReadOnlyList<(string Id, string Name)> People);

/// <summary>
/// The ledger for the interactive page: every call opens a context of its own (a circuit lives long;
/// it holds none) and runs <see cref="LedgerQuery"/> in it, so the grid gets exactly the rows, role
/// restriction and filters the exports get.
/// </summary>
public sealed class LedgerGrid(IDbContextFactory<SealPortalDbContext> contexts)
{
    public async Task<LedgerChoices> ChoicesAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = new LedgerQuery(db);
        return new(await query.SealsAsync(user, ct), await query.DepartmentsAsync(ct), await query.PeopleAsync(ct));
    }

    /// <summary>Pages through the entries <paramref name="filter"/> matches.</summary>
    public LedgerPager Pager(LedgerFilter filter) => new(this, filter);

    internal async Task<int> CountAsync(ClaimsPrincipal user, LedgerFilter filter, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await new LedgerQuery(db).CountAsync(user, filter, ct);
    }

    internal async Task<IReadOnlyList<LedgerGridRow>> RowsAsync(ClaimsPrincipal user, LedgerFilter filter, bool oldestFirst,
        int skip, int take, int total, LedgerCursor? after, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await new LedgerQuery(db).GridPageAsync(user, filter, oldestFirst, skip, take, total, after, ct);
    }
}

/// <summary>
/// The pages of one filter, as the grid asks for them. It remembers the last row of each page it
/// read, so the next page is a keyset read, and the count of the list, read again whenever the grid
/// asks for its first page (a new filter, a new sort, or a reload).
/// </summary>
public sealed class LedgerPager(LedgerGrid grid, LedgerFilter filter)
{
    private readonly Dictionary<int, LedgerCursor> _lastOfPage = [];
    private (bool OldestFirst, int Take) _shape;
    private int? _total;

    public LedgerFilter Filter => filter;

    /// <summary>A page of the entries <paramref name="user"/> (as they are now) may read.</summary>
    public async Task<ListPage<LedgerGridRow>> PageAsync(ClaimsPrincipal user, GridPageRequest request, CancellationToken ct = default)
    {
        // The execution time is the one sortable column (the others have no index to sort 1,000,000 rows by):
        // unsorted is newest first, as is a descending sort.
        var oldestFirst = request.SortBy is not null && !request.Descending;
        if (_shape != (oldestFirst, request.Take) || request.Page == 0 || _total is null)
        {
            _lastOfPage.Clear();
            _shape = (oldestFirst, request.Take);
            _total = await grid.CountAsync(user, filter, ct);
        }
        var after = _lastOfPage.TryGetValue(request.Page - 1, out var cursor) ? cursor : null;
        var rows = await grid.RowsAsync(user, filter, oldestFirst, request.Skip, request.Take, _total.Value, after, ct);
        if (rows.Count > 0)
            _lastOfPage[request.Page] = rows[^1].Cursor;
        return new(rows, _total.Value);
    }
}
