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
    public Task<int> CountAsync(ClaimsPrincipal user, LedgerFilter filter, CancellationToken ct = default) =>
        ReadAsync(filter, () => CountedRows(user, filter).CountAsync(ct), ct);

    /// <summary>
    /// The rows <see cref="CountAsync"/> counts, as a query (the tests read its plan). Under the person filter with
    /// no condition on the entry's own columns (department, kind) only the participants' index is counted: joining
    /// each of them to its entry cost a lookup per row (240 ms for an approver's 50,000 entries of one seal).
    /// </summary>
    internal IQueryable<long> CountedRows(ClaimsPrincipal user, LedgerFilter filter)
    {
        if (!string.IsNullOrWhiteSpace(filter.Person) && filter.DepartmentId is null && filter.Kind is null)
        {
            var rows = Participants(user, filter);
            var (start, end) = time.UtcRange(filter.From, filter.To);
            if (start is { } from)
                rows = rows.Where(p => p.ExecutedAt >= from);
            if (end is { } until)
                rows = rows.Where(p => p.ExecutedAt < until);
            return rows.Select(p => p.Sequence);
        }
        return Filtered(user, filter).Select(x => x.Sequence);
    }

    /// <summary>
    /// One page of the grid, in execution order (newest first unless <paramref name="oldestFirst"/>).
    /// With <paramref name="after"/> (the last row of the page before) it is a keyset read, as cheap
    /// for page 40,000 as for page 1. Without, the rows are skipped in the index: from the start for
    /// the first half of the list, and from its end (in the other order, turned round) for the second
    /// half, so the last page costs what the first does; only a jump into the middle walks far.
    /// </summary>
    public async Task<IReadOnlyList<LedgerGridRow>> GridPageAsync(ClaimsPrincipal user, LedgerFilter filter, bool oldestFirst,
        int skip, int take, int total, LedgerCursor? after, CancellationToken ct = default)
    {
        var q = Filtered(user, filter);
        if (after is { } a)
        {
            var (at, sequence) = (a.ExecutedAt, a.Sequence);
            q = oldestFirst
                ? q.Where(x => x.ExecutedAt >= at && (x.ExecutedAt > at || x.Sequence > sequence))
                : q.Where(x => x.ExecutedAt <= at && (x.ExecutedAt < at || x.Sequence < sequence));
            return await ReadAsync(filter, () => ProjectGrid(InOrder(q, oldestFirst).Take(take)).ToListAsync(ct), ct);
        }
        if (skip > 0 && skip >= total / 2)
        {
            var count = Math.Min(take, total - skip);
            if (count <= 0)
                return [];
            var fromEnd = total - skip - count;
            var rows = await ReadAsync(filter, () => ProjectGrid(InOrder(q, !oldestFirst).Skip(fromEnd).Take(count)).ToListAsync(ct), ct);
            rows.Reverse();
            return rows;
        }
        return await ReadAsync(filter, () => ProjectGrid(InOrder(q, oldestFirst).Skip(skip).Take(take)).ToListAsync(ct), ct);
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
