using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>
/// The ledger filters of the page and the exports. <see cref="From"/> and <see cref="To"/> are
/// inclusive calendar days of the execution time, in the company's time zone.
/// </summary>
public sealed record LedgerFilter(int? SealId = null, int? DepartmentId = null, string? Person = null,
    DateOnly? From = null, DateOnly? To = null, SealKind? Kind = null)
{
    public string Describe() => string.Join(", ", new[]
    {
        SealId is { } s ? $"seal={s}" : null,
        DepartmentId is { } d ? $"department={d}" : null,
        Person is { } p ? $"person={p}" : null,
        From is { } f ? $"from={f:yyyy-MM-dd}" : null,
        To is { } t ? $"to={t:yyyy-MM-dd}" : null,
        Kind is { } k ? $"kind={k}" : null,
    }.Where(x => x is not null));
}

/// <summary>One ledger entry as the page and the exports show it.</summary>
public sealed record LedgerRow(
    long Id, long Sequence, string? RequestNumber, int SealId, string SealName, SealKind Kind,
    string ApplicantName, string DepartmentName, DateTime? AppliedAt, string ApproversJson, DateTime? ApprovedAt,
    string ExecutorName, DateTime ExecutedAt, string DocumentName, string DocumentSha256, int Copies, string Hash)
{
    public IReadOnlyList<LedgerApproval> Approvers => LedgerApprovals.FromJson(ApproversJson);
}

public sealed record LedgerPage(IReadOnlyList<LedgerRow> Rows, LedgerCursor? NextBefore);

/// <summary>One ledger entry as the grid shows it: only the columns it shows (no hash, no ids but the seal's).</summary>
public sealed record LedgerGridRow(
    long Sequence, string? RequestNumber, int SealId, string SealName, SealKind Kind, string ApplicantName, DateTime? AppliedAt,
    string DepartmentName, string ApproversJson, string ExecutorName, DateTime ExecutedAt, string DocumentName, string DocumentSha256, int Copies)
{
    public IReadOnlyList<LedgerApproval> Approvers => LedgerApprovals.FromJson(ApproversJson);

    public LedgerCursor Cursor => new(ExecutedAt, Sequence);
}

/// <summary>
/// Where a page ends: the execution time and sequence of its last row. Written "ticks.sequence"
/// in the address (e.g. before=638712345678900000.1234).
/// </summary>
public sealed record LedgerCursor(DateTime ExecutedAt, long Sequence)
{
    public override string ToString() => FormattableString.Invariant($"{ExecutedAt.Ticks}.{Sequence}");

    public static bool TryParse(string? text, out LedgerCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
            return true;
        var parts = text.Split('.');
        if (parts.Length != 2 ||
            !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks) ||
            !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence) ||
            ticks > DateTime.MaxValue.Ticks)
            return false;
        cursor = new LedgerCursor(new DateTime(ticks, DateTimeKind.Utc), sequence);
        return true;
    }
}

/// <summary>
/// Reads the ledger for a user. Auditors and administrators see every entry; a seal keeper sees
/// only the entries of seals they are custodian of, and that restriction is part of the query, so
/// the page, the exports and any future reader get it alike. Everyone else sees nothing.
/// Entries are listed by execution time, newest first (ties by sequence), and paged by keyset
/// (rows after the last one shown), so page 10,000 costs what page 1 costs. Every filter column has
/// an index (column, ExecutedAt, Sequence), so a filtered page or export, with or without a period,
/// is one index range read in order; the person filter reads the participants table's index
/// (a person may be applicant, approver or executor of an entry).
/// </summary>
public sealed class LedgerQuery(SealPortalDbContext db, CompanyTime time)
{
    public const int PageSize = 50;

    /// <summary>Auditors and administrators read the whole ledger; keepers only their seals.</summary>
    public static bool SeesAll(ClaimsPrincipal user) => user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin);

    /// <summary>True when a keeper's filter names a seal that is not among <paramref name="seals"/> (theirs, from <see cref="SealsAsync"/>): a 403.</summary>
    public static bool NamesSealNotKept(ClaimsPrincipal user, LedgerFilter filter, IReadOnlyList<(int Id, string Name)> seals) =>
        filter.SealId is { } id && !SeesAll(user) && !seals.Any(s => s.Id == id);

    public async Task<LedgerPage> PageAsync(ClaimsPrincipal user, LedgerFilter filter, LedgerCursor? before, int size = PageSize, CancellationToken ct = default)
    {
        var q = Filtered(user, filter);
        if (before is { } b)
        {
            var (at, sequence) = (b.ExecutedAt, b.Sequence);
            // The first condition alone bounds the index range; the second drops the rows already shown.
            q = q.Where(x => x.ExecutedAt <= at && (x.ExecutedAt < at || x.Sequence < sequence));
        }
        var page = Project(Newest(q).Take(size + 1));
        var rows = await ReadAsync(filter, () => page.ToListAsync(ct), ct);
        var next = rows.Count > size ? new LedgerCursor(rows[size - 1].ExecutedAt, rows[size - 1].Sequence) : null;
        return new LedgerPage(rows.Take(size).ToList(), next);
    }

    /// <summary>How many entries the filter matches for the user (the grid's pager shows it).</summary>
    public async Task<int> CountAsync(ClaimsPrincipal user, LedgerFilter filter, CancellationToken ct = default)
    {
        // The whole ledger, as an auditor or administrator opens it: one chain numbered 1, 2, 3, ... with no gaps
        // (ChainInterceptor links each entry to the head; nothing deletes entries, and a missing one is tampering that
        // the integrity check reports), so its length is its last number, read at the end of the unique Sequence
        // index. Counting 1,000,000 index entries took 140-240 ms on PostgreSQL, on every first page of the grid.
        if (SeesAll(user) && filter == new LedgerFilter())
            return checked((int)(await db.LedgerEntries.MaxAsync(e => (long?)e.Sequence, ct) ?? 0));
        return await ReadAsync(filter, () => CountedRows(user, filter).CountAsync(ct), ct);
    }

    /// <summary>
    /// The rows <see cref="CountAsync"/> counts, as a query (the tests read its plan). Under the person filter with
    /// no condition on the entry's own columns (department, kind) only the participants' index is counted: joining
    /// each of them to its entry cost a lookup per row (240 ms for an approver's 50,000 entries of one seal).
    /// </summary>
    internal IQueryable<long> CountedRows(ClaimsPrincipal user, LedgerFilter filter) => Keys(user, filter).Select(k => k.Sequence);

    /// <summary>
    /// The (ExecutedAt, Sequence) of every entry the filter matches for the user, and nothing else, so the
    /// database reads them from an index alone: the one of the filter column (every one ends in ExecutedAt,
    /// Sequence), or the participants' under the person filter when the entry's own columns are not filtered.
    /// </summary>
    internal IQueryable<OrderKey> Keys(ClaimsPrincipal user, LedgerFilter filter)
    {
        if (!string.IsNullOrWhiteSpace(filter.Person) && filter.DepartmentId is null && filter.Kind is null)
        {
            var rows = Participants(user, filter);
            var (start, end) = time.UtcRange(filter.From, filter.To);
            if (start is { } from)
                rows = rows.Where(p => p.ExecutedAt >= from);
            if (end is { } until)
                rows = rows.Where(p => p.ExecutedAt < until);
            return rows.Select(p => new OrderKey { ExecutedAt = p.ExecutedAt, Sequence = p.Sequence });
        }
        return Filtered(user, filter).Select(x => new OrderKey { ExecutedAt = x.ExecutedAt, Sequence = x.Sequence });
    }

    /// <summary>
    /// The key of the row at <paramref name="offset"/> (from 0) of the matching rows in the given order, or null
    /// past the end. It walks <see cref="Keys"/>, an index and no table rows. A keeper's entries are the
    /// union of their seals' ranges of the (SealId, ExecutedAt, Sequence) index, walked side by side in order
    /// (<paramref name="keptSeals"/>, from <see cref="KeptSealIdsAsync"/>); each still carries the keeper
    /// condition. Walked as one "seal in (kept)" list the rows came from the time index, each looked up in the
    /// table for its seal: 500,000 lookups for the middle page of a keeper of two seals in twenty.
    /// </summary>
    internal IQueryable<OrderKey> KeyAt(ClaimsPrincipal user, LedgerFilter filter, bool oldestFirst, int offset, IReadOnlyList<int>? keptSeals = null)
    {
        var keys = keptSeals is { Count: > 0 } ids && ByKeptSeal(user, filter)
            ? ids.Select(id => Keys(user, filter with { SealId = id })).Aggregate((a, b) => a.Concat(b))
            : Keys(user, filter);
        return KeyAt(keys, oldestFirst, offset);
    }

    /// <summary>The key at <paramref name="offset"/> (from 0) of <paramref name="keys"/> in the listing's order.</summary>
    private static IQueryable<OrderKey> KeyAt(IQueryable<OrderKey> keys, bool oldestFirst, int offset) =>
        (oldestFirst
            ? keys.OrderBy(k => k.ExecutedAt).ThenBy(k => k.Sequence)
            : keys.OrderByDescending(k => k.ExecutedAt).ThenByDescending(k => k.Sequence)).Skip(offset).Take(1);

    /// <summary>
    /// One page of the grid, in execution order (newest first unless <paramref name="oldestFirst"/>).
    /// With <paramref name="after"/> (the last row of the page before) it is a keyset read, as cheap
    /// for page 40,000 as for page 1. Without, the page is a jump: first the key of the row next to the
    /// page is found by skipping keys in an index alone (<see cref="KeyAt"/>), from the start of the list for
    /// the first half and from its end for the second, then the page is a keyset read from that key. Skipping
    /// whole rows instead made the middle page of 1,000,000 entries take 169 ms on SQLite, which fetched
    /// every skipped entry's table row.
    /// </summary>
    public async Task<IReadOnlyList<LedgerGridRow>> GridPageAsync(ClaimsPrincipal user, LedgerFilter filter, bool oldestFirst,
        int skip, int take, int total, LedgerCursor? after, CancellationToken ct = default)
    {
        if (after is not null || skip <= 0)
            return await KeysetAsync(user, filter, oldestFirst, take, after, ct);
        if (skip >= total)
            return [];
        // Far from both ends the day counts find the page; near an end, walking that end's keys is as cheap.
        if (Math.Min(skip, total - skip) > NearEnd && await ByDayCountsAsync(user, filter, oldestFirst, skip - 1, total, ct) is { } jump)
            return jump.Before is { } before0 ? await KeysetAsync(user, filter, oldestFirst, take, before0, ct) : [];
        if (skip < total / 2)
        {
            // The last row of the page before, then the page after it.
            var before = await CursorAtAsync(user, filter, oldestFirst, skip - 1, ct);
            return before is null ? [] : await KeysetAsync(user, filter, oldestFirst, take, before, ct);
        }
        // From the end: the page is the rows fromEnd .. fromEnd + count - 1 in the other order, read after the row before them there.
        var count = Math.Min(take, total - skip);
        if (count <= 0)
            return [];
        var fromEnd = total - skip - count;
        LedgerCursor? next = null;
        if (fromEnd > 0 && (next = await CursorAtAsync(user, filter, !oldestFirst, fromEnd - 1, ct)) is null)
            return [];
        var rows = await KeysetAsync(user, filter, !oldestFirst, count, next, ct);
        return [.. rows.AsEnumerable().Reverse()];
    }

    /// <summary>How many keys a jump walks from the nearer end of the list before it asks the day counts instead (about 1 ms).</summary>
    internal int NearEnd { get; init; } = 5_000;

    /// <summary>A jump's answer from the day counts: the row before the page (null: the day counts found no such row).</summary>
    internal sealed record DayJump(LedgerCursor? Before);

    /// <summary>
    /// The key of the row at <paramref name="position"/> (from 0) in the order, found through <see cref="LedgerDayCount"/>:
    /// whole days are added up from the list's start until the day that holds the position, and only that day's
    /// keys are skipped (an index range of a day's entries). Null when the counts cannot answer: a filter they do not
    /// cover (department, kind, person, a period in the company's days), or counts that do not add up to the list's
    /// <paramref name="total"/> (an entry written meanwhile, or counts that were tampered with); the caller then skips
    /// through the index as before, so the counts can make a jump faster but never wrong.
    /// </summary>
    internal async Task<DayJump?> ByDayCountsAsync(ClaimsPrincipal user, LedgerFilter filter, bool oldestFirst, int position, int total, CancellationToken ct = default)
    {
        if (filter.DepartmentId is not null || filter.Kind is not null || filter.From is not null || filter.To is not null ||
            !string.IsNullOrWhiteSpace(filter.Person))
            return null;
        IQueryable<LedgerDayCount> counts = db.LedgerDayCounts.AsNoTracking();
        var all = SeesAll(user);
        if (!all)
        {
            if (!user.IsInRole(Roles.SealKeeper))
                return null;
            var kept = KeptSeals(user);
            counts = counts.Where(c => kept.Contains(c.SealId));
        }
        if (filter.SealId is { } seal)
            counts = counts.Where(c => c.SealId == seal);
        else if (all)
            counts = counts.Where(c => c.SealId == LedgerDayCount.AllSeals);
        var perDay = counts.GroupBy(c => c.Day).Select(g => new { Day = g.Key, Count = g.Sum(c => c.Count) });
        var days = await (oldestFirst ? perDay.OrderBy(d => d.Day) : perDay.OrderByDescending(d => d.Day)).ToListAsync(ct);
        if (days.Sum(d => (long)d.Count) != total)
            return null;
        var before = 0L;
        foreach (var d in days)
        {
            if (before + d.Count <= position)
            {
                before += d.Count;
                continue;
            }
            var start = d.Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var end = start.AddDays(1);
            var key = await KeyAt(Keys(user, filter).Where(k => k.ExecutedAt >= start && k.ExecutedAt < end), oldestFirst, (int)(position - before))
                .FirstOrDefaultAsync(ct);
            // A day with fewer entries than its count says: do not trust the counts.
            return key is null ? null : new DayJump(new LedgerCursor(key.ExecutedAt, key.Sequence));
        }
        return new DayJump(null);
    }

    private async Task<LedgerCursor?> CursorAtAsync(ClaimsPrincipal user, LedgerFilter filter, bool oldestFirst, int offset, CancellationToken ct)
    {
        var kept = ByKeptSeal(user, filter) ? await KeptSealIdsAsync(user, ct) : null;
        var key = await ReadAsync(filter, () => KeyAt(user, filter, oldestFirst, offset, kept).FirstOrDefaultAsync(ct), ct);
        return key is null ? null : new LedgerCursor(key.ExecutedAt, key.Sequence);
    }

    /// <summary>Up to this many kept seals are walked one index range each (a compound query has a branch per seal).</summary>
    private const int MaxSealRanges = 16;

    /// <summary>
    /// A keeper's list with no seal or person filter, on SQLite: the one <see cref="KeyAt"/> walks seal by seal. SQLite
    /// merges the ranges in order (MERGE (UNION ALL)); PostgreSQL sorts the union as it sorts "seal in (kept)", so there
    /// the plain query stays.
    /// </summary>
    private bool ByKeptSeal(ClaimsPrincipal user, LedgerFilter filter) =>
        !SeesAll(user) && user.IsInRole(Roles.SealKeeper) && filter.SealId is null && string.IsNullOrWhiteSpace(filter.Person) &&
        db.Database.IsSqlite();

    /// <summary>The ids of the seals the keeper keeps, when there are at most <see cref="MaxSealRanges"/>; else null.</summary>
    internal async Task<IReadOnlyList<int>?> KeptSealIdsAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var ids = await KeptSeals(user).OrderBy(id => id).Take(MaxSealRanges + 1).ToListAsync(ct);
        return ids.Count is > 0 and <= MaxSealRanges ? ids : null;
    }

    /// <summary>The first <paramref name="take"/> rows in the order, after <paramref name="after"/> when given.</summary>
    private Task<List<LedgerGridRow>> KeysetAsync(ClaimsPrincipal user, LedgerFilter filter, bool oldestFirst, int take, LedgerCursor? after, CancellationToken ct)
    {
        var q = Filtered(user, filter);
        if (after is { } a)
        {
            var (at, sequence) = (a.ExecutedAt, a.Sequence);
            q = oldestFirst
                ? q.Where(x => x.ExecutedAt >= at && (x.ExecutedAt > at || x.Sequence > sequence))
                : q.Where(x => x.ExecutedAt <= at && (x.ExecutedAt < at || x.Sequence < sequence));
        }
        return ReadAsync(filter, () => ProjectGrid(InOrder(q, oldestFirst).Take(take)).ToListAsync(ct), ct);
    }

    /// <summary>
    /// Runs a read. PostgreSQL's planner takes the person and the entry filters as independent. For a
    /// person who approves every use of a seal, "person + seal" then looks like a long scan and gets
    /// parallel workers, whose start-up is most of the time (about 40 ms on a 2-core server, 160 ms for
    /// the whole page), while the serial walk of the participants index takes about 1 ms. SET LOCAL
    /// keeps the hint to this one read.
    /// </summary>
    private async Task<T> ReadAsync<T>(LedgerFilter filter, Func<Task<T>> read, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(filter.Person) || !db.Database.IsNpgsql() || db.Database.CurrentTransaction is not null)
            return await read();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL max_parallel_workers_per_gather = 0", ct);
        var result = await read();
        await tx.CommitAsync(ct);
        return result;
    }

    private static IQueryable<Ordered> Newest(IQueryable<Ordered> q) => InOrder(q, oldestFirst: false);

    private static IQueryable<Ordered> InOrder(IQueryable<Ordered> q, bool oldestFirst) => oldestFirst
        ? q.OrderBy(x => x.ExecutedAt).ThenBy(x => x.Sequence)
        : q.OrderByDescending(x => x.ExecutedAt).ThenByDescending(x => x.Sequence);

    /// <summary>Every matching entry, newest first, read as a stream for the exports.</summary>
    public IAsyncEnumerable<LedgerRow> StreamAsync(ClaimsPrincipal user, LedgerFilter filter) =>
        Project(Newest(Filtered(user, filter))).AsAsyncEnumerable();

    /// <summary>The seals the user may filter by: all for readers of the whole ledger, their own for a keeper.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> SealsAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var seals = db.Seals.AsNoTracking();
        if (!SeesAll(user))
        {
            var me = user.FindFirstValue(ClaimTypes.NameIdentifier);
            seals = seals.Where(s => s.CustodianUserId != null && s.CustodianUserId == me);
        }
        return (await seals.OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct)).Select(s => (s.Id, s.Name)).ToList();
    }

    public async Task<IReadOnlyList<(int Id, string Name)>> DepartmentsAsync(CancellationToken ct = default) =>
        (await db.Departments.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(ct)).Select(d => (d.Id, d.Name)).ToList();

    public async Task<IReadOnlyList<(string Id, string Name)>> PeopleAsync(CancellationToken ct = default) =>
        (await db.Users.AsNoTracking().OrderBy(u => u.UserName).Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct))
        .Select(u => (u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? u.Id : u.DisplayName)).ToList();

    /// <summary>
    /// An entry with the (ExecutedAt, Sequence) the listing is ordered, ranged and paged by. They are
    /// the entry's own columns, except under the person filter, where they are the participant
    /// row's copies: then the (UserId, ExecutedAt, Sequence) index of the participants delivers the
    /// rows in order and each entry is fetched by its key.
    /// </summary>
    private sealed class Ordered
    {
        public DateTime ExecutedAt { get; init; }
        public long Sequence { get; init; }
        public LedgerEntry Entry { get; init; } = null!;
    }

    /// <summary>Where a row stands in the listing's order: its (ExecutedAt, Sequence), as in <see cref="Ordered"/>.</summary>
    internal sealed class OrderKey
    {
        public DateTime ExecutedAt { get; init; }
        public long Sequence { get; init; }
    }

    private IQueryable<Ordered> Filtered(ClaimsPrincipal user, LedgerFilter f)
    {
        var q = db.LedgerEntries.AsNoTracking();
        var byPerson = !string.IsNullOrWhiteSpace(f.Person);
        // Under the person filter the role and seal conditions go on the participant row (Participants).
        if (!byPerson && !SeesAll(user))
        {
            if (!user.IsInRole(Roles.SealKeeper))
                q = q.Where(e => false);
            var kept = KeptSeals(user);
            q = q.Where(e => kept.Contains(e.SealId));
        }
        if (f.SealId is { } seal && !byPerson)
            q = q.Where(e => e.SealId == seal);
        if (f.DepartmentId is { } dept)
            q = q.Where(e => e.DepartmentId == dept);
        if (f.Kind is { } kind)
            q = q.Where(e => e.Kind == kind);

        IQueryable<Ordered> ordered;
        if (byPerson)
        {
            ordered = from p in Participants(user, f)
                      join e in q on p.LedgerEntryId equals e.Id
                      select new Ordered { ExecutedAt = p.ExecutedAt, Sequence = p.Sequence, Entry = e };
        }
        else
        {
            ordered = q.Select(e => new Ordered { ExecutedAt = e.ExecutedAt, Sequence = e.Sequence, Entry = e });
        }
        // Company days, turned once into UTC bounds: the stored column is compared as it is, so the index ranges over it.
        var (start, end) = time.UtcRange(f.From, f.To);
        if (start is { } from)
            ordered = ordered.Where(x => x.ExecutedAt >= from);
        if (end is { } until)
            ordered = ordered.Where(x => x.ExecutedAt < until);
        return ordered;
    }

    private IQueryable<int> KeptSeals(ClaimsPrincipal user)
    {
        var me = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return db.Seals.Where(s => s.CustodianUserId != null && s.CustodianUserId == me).Select(s => s.Id);
    }

    /// <summary>
    /// The person filter's participant rows the user may read, with the seal conditions on the row's copy of the seal:
    /// "person + seal" is one range of the (UserId, SealId, ExecutedAt, Sequence) index.
    /// </summary>
    private IQueryable<LedgerParticipant> Participants(ClaimsPrincipal user, LedgerFilter f)
    {
        var person = f.Person!.Trim();
        var rows = db.LedgerParticipants.AsNoTracking().Where(p => p.UserId == person);
        if (!SeesAll(user))
        {
            if (!user.IsInRole(Roles.SealKeeper))
                rows = rows.Where(p => false);
            var kept = KeptSeals(user);
            rows = rows.Where(p => kept.Contains(p.SealId));
        }
        if (f.SealId is { } seal)
            rows = rows.Where(p => p.SealId == seal);
        return rows;
    }

    private static IQueryable<LedgerGridRow> ProjectGrid(IQueryable<Ordered> q) =>
        q.Select(x => new LedgerGridRow(x.Entry.Sequence, x.Entry.RequestNumber, x.Entry.SealId, x.Entry.SealName, x.Entry.Kind,
            x.Entry.ApplicantName, x.Entry.AppliedAt, x.Entry.DepartmentName, x.Entry.ApproversJson, x.Entry.ExecutorName,
            x.Entry.ExecutedAt, x.Entry.DocumentName, x.Entry.DocumentSha256, x.Entry.Copies));

    private static IQueryable<LedgerRow> Project(IQueryable<Ordered> q) =>
        q.Select(x => new LedgerRow(x.Entry.Id, x.Entry.Sequence, x.Entry.RequestNumber, x.Entry.SealId, x.Entry.SealName, x.Entry.Kind,
            x.Entry.ApplicantName, x.Entry.DepartmentName, x.Entry.AppliedAt, x.Entry.ApproversJson, x.Entry.ApprovedAt, x.Entry.ExecutorName,
            x.Entry.ExecutedAt, x.Entry.DocumentName, x.Entry.DocumentSha256, x.Entry.Copies, x.Entry.Hash));
}
