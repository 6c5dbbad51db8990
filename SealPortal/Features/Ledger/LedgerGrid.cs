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
public sealed class LedgerGrid(IDbContextFactory<SealPortalDbContext> contexts, CompanyTime time)
{
    public async Task<LedgerChoices> ChoicesAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = new LedgerQuery(db, time);
        return new(await query.SealsAsync(user, ct), await query.DepartmentsAsync(ct), await query.PeopleAsync(ct));
    }

    /// <summary>Pages through the entries <paramref name="filter"/> matches.</summary>
    public LedgerPager Pager(LedgerFilter filter) => new(this, filter);

    internal async Task<int> CountAsync(ClaimsPrincipal user, LedgerFilter filter, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await new LedgerQuery(db, time).CountAsync(user, filter, ct);
    }

    internal async Task<IReadOnlyList<LedgerGridRow>> RowsAsync(ClaimsPrincipal user, LedgerFilter filter, bool oldestFirst,
        int skip, int take, int total, LedgerCursor? after, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await new LedgerQuery(db, time).GridPageAsync(user, filter, oldestFirst, skip, take, total, after, ct);
    }
}

/// <summary>The pages of one ledger filter, as the grid asks for them (see <see cref="KeysetPager{TRow,TKey}"/>).</summary>
public sealed class LedgerPager(LedgerGrid grid, LedgerFilter filter)
{
    private readonly KeysetPager<LedgerGridRow, LedgerCursor> _pages = new(r => r.Cursor);

    public LedgerFilter Filter => filter;

    /// <summary>A page of the entries <paramref name="user"/> (as they are now) may read.</summary>
    public Task<ListPage<LedgerGridRow>> PageAsync(ClaimsPrincipal user, GridPageRequest request, CancellationToken ct = default) =>
        _pages.PageAsync(request, c => grid.CountAsync(user, filter, c),
            (r, c) => grid.RowsAsync(user, filter, r.OldestFirst, r.Skip, r.Take, r.Total, r.After, c), ct);
}
