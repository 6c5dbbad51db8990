using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.AuditTrail;

/// <summary>Search of the audit trail: actor (part of the name), action, period (company days, inclusive), free text.</summary>
public sealed record AuditSearch(string? Actor = null, AuditAction? Action = null, DateOnly? From = null, DateOnly? To = null, string? Text = null,
    long? Before = null)
{
    /// <summary>Null error when every given value is valid; otherwise the resource key of the problem.</summary>
    public static (AuditSearch Search, string? Error) Parse(string? actor, string? action, string? from, string? to, string? text)
    {
        AuditAction? a = null;
        if (!string.IsNullOrWhiteSpace(action))
        {
            if (int.TryParse(action, out _) || !Enum.TryParse<AuditAction>(action, ignoreCase: true, out var v) || !Enum.IsDefined(v))
                return (new(), "The action filter is not valid.");
            a = v;
        }
        var (f, t, periodError) = DayRange.Parse(from, to);
        if (periodError is not null)
            return (new(), periodError);
        if (actor is { Length: > 256 } || text is { Length: > 200 })
            return (new(), "The search text is too long.");
        return (new AuditSearch(Blank(actor), a, f, t, Blank(text)), null);
    }

    public string ToQuery() => string.Join("&", new[]
    {
        Actor is { } ac ? $"actor={Uri.EscapeDataString(ac)}" : null,
        Action is { } a ? $"action={a}" : null,
        From is { } f ? $"from={f:yyyy-MM-dd}" : null,
        To is { } t ? $"to={t:yyyy-MM-dd}" : null,
        Text is { } x ? $"text={Uri.EscapeDataString(x)}" : null,
        Before is { } b ? $"before={b}" : null,
    }.Where(x => x is not null));

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public sealed record AuditRow(long Sequence, DateTime At, AuditAction Action, string Actor, string? SourceAddress, string? Subject, string? Detail);

/// <summary>
/// The audit trail for the interactive page: one context per call. Newest first, or oldest first when
/// the grid sorts by time ascending; the next page is a keyset read after the last row of the page
/// before (remembered by <see cref="AuditPager"/>), the last pages are read from the other end.
/// </summary>
public sealed class AuditTrailGrid(IDbContextFactory<SealPortalDbContext> contexts, CompanyTime time)
{
    public AuditPager Pager(AuditSearch search) => new(this, search);

    internal async Task<int> CountAsync(AuditSearch s, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Filtered(db, s).CountAsync(ct);
    }

    internal async Task<IReadOnlyList<AuditRow>> RowsAsync(AuditSearch s, bool oldestFirst, int skip, int take, int total, long? after, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = Filtered(db, s);
        IQueryable<AuditEvent> Order(IQueryable<AuditEvent> x, bool ascending) => ascending ? x.OrderBy(e => e.Sequence) : x.OrderByDescending(e => e.Sequence);
        IQueryable<AuditEvent> page;
        var reversed = false;
        if (after is { } a)
            page = Order(oldestFirst ? q.Where(e => e.Sequence > a) : q.Where(e => e.Sequence < a), oldestFirst).Take(take);
        else if (skip > 0 && skip >= total / 2)
        {
            var count = Math.Min(take, total - skip);
            if (count <= 0)
                return [];
            page = Order(q, !oldestFirst).Skip(total - skip - count).Take(count);
            reversed = true;
        }
        else
            page = Order(q, oldestFirst).Skip(skip).Take(take);
        var rows = await page.Select(e => new AuditRow(e.Sequence, e.At, e.Action, e.Actor, e.SourceAddress, e.Subject, e.Detail)).ToListAsync(ct);
        if (reversed)
            rows.Reverse();
        return rows;
    }

    private IQueryable<AuditEvent> Filtered(SealPortalDbContext db, AuditSearch s)
    {
        var q = db.AuditEvents.AsNoTracking();
        if (s.Actor is { } actor)
            q = q.Where(e => e.Actor.Contains(actor));
        if (s.Action is { } action)
            q = q.Where(e => e.Action == action);
        // Company days, turned once into UTC bounds on the stored column.
        var (start, end) = time.UtcRange(s.From, s.To);
        if (start is { } from)
            q = q.Where(e => e.At >= from);
        if (end is { } until)
            q = q.Where(e => e.At < until);
        if (s.Text is { } text)
            q = q.Where(e => e.Actor.Contains(text) || (e.Subject != null && e.Subject.Contains(text)) ||
                             (e.Detail != null && e.Detail.Contains(text)) || (e.SourceAddress != null && e.SourceAddress.Contains(text)));
        if (s.Before is { } before)
            q = q.Where(e => e.Sequence < before);
        return q;
    }
}

/// <summary>The pages of one search, as the grid asks for them (see <see cref="KeysetPager{TRow,TKey}"/>).</summary>
public sealed class AuditPager(AuditTrailGrid grid, AuditSearch search)
{
    private readonly KeysetPager<AuditRow, AuditRow> _pages = new(r => r);

    public AuditSearch Search => search;

    public Task<ListPage<AuditRow>> PageAsync(GridPageRequest request, CancellationToken ct = default) =>
        _pages.PageAsync(request, c => grid.CountAsync(search, c),
            (r, c) => grid.RowsAsync(search, r.OldestFirst, r.Skip, r.Take, r.Total, r.After?.Sequence, c), ct);
}
