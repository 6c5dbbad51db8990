using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Rules;

public sealed record RulesVersionView(int Id, int Version, string Title, string Body, DateTimeOffset PublishedAt, string PublishedBy)
{
    /// <summary>The body as paragraphs of plain text (split at blank lines), for rendering as text, never as HTML.</summary>
    public IReadOnlyList<string> Paragraphs => SealRulesText.Paragraphs(Body);
}

/// <summary>The outcome of publishing or acknowledging: <see cref="Message"/> is a resource key (English) with <see cref="Args"/>.</summary>
public sealed record RulesResult(bool Succeeded, string? Message = null, object[]? Args = null, int? Version = null)
{
    public static RulesResult Ok(int version) => new(true, Version: version);

    public static RulesResult Fail(string message, params object[] args) => new(false, message, args);
}

/// <summary>One user of a department and whether (and when) they acknowledged the current version.</summary>
public sealed record AcknowledgementRow(string UserName, string DisplayName, string Department, DateTimeOffset? AcknowledgedAt);

/// <summary>A department's count of users who acknowledged the current version.</summary>
public sealed record DepartmentAcknowledgements(int DepartmentId, string Department, int Users, int Acknowledged);

/// <summary>
/// What the acknowledgement page shows above its list: the current version and the departments the viewer may see with
/// their counts. The users are read a page at a time (<see cref="SealRulesService.UsersPageAsync"/>).
/// </summary>
public sealed record AcknowledgementStatus(RulesVersionView? Current, bool AllDepartments, IReadOnlyList<DepartmentAcknowledgements> Departments);

/// <summary>The user list's filters: a search of name, user name and department; one department; accepted or not. Null: any.</summary>
public sealed record AcknowledgementFilter(string? Search = null, int? DepartmentId = null, bool? Accepted = null)
{
    public string? Term => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim().ToLowerInvariant();
}

public static class SealRulesText
{
    public static IReadOnlyList<string> Paragraphs(string body) =>
        body.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// The rule every request command obeys: once a version of the seal-management rules exists, a user
/// makes or submits a request only after acknowledging the current (latest) version. With no version
/// published, nothing is required.
/// </summary>
public static class RulesGate
{
    public const string Required = "Read and accept the seal-management rules (version {0}) before you make or submit a request; they are on your dashboard.";

    /// <summary>The current version's number when <paramref name="userId"/> has not acknowledged it; null when nothing is required.</summary>
    public static async Task<int?> PendingVersionAsync(SealPortalDbContext db, string userId, CancellationToken ct = default)
    {
        var current = await db.SealRules.AsNoTracking().OrderByDescending(r => r.Version).Select(r => new { r.Id, r.Version }).FirstOrDefaultAsync(ct);
        if (current is null)
            return null;
        var acknowledged = await db.RuleAcknowledgements.AsNoTracking().AnyAsync(a => a.UserId == userId && a.RulesVersionId == current.Id, ct);
        return acknowledged ? null : current.Version;
    }

    /// <summary>A Forbidden result naming the version to acknowledge, or null when the user may go on.</summary>
    public static async Task<Requests.CommandResult?> RefusalAsync(SealPortalDbContext db, string userId, CancellationToken ct = default) =>
        await PendingVersionAsync(db, userId, ct) is { } version ? Requests.CommandResult.Forbidden(Required, version) : null;
}

/// <summary>
/// The seal-management rules as the interactive pages use them. Every call opens its own context and
/// checks the user it is given (the circuit's user as the database has them now): null means signed out.
/// Publishing is for administrators; reading is for everyone signed in; the acknowledgement status is for
/// department heads (their own department), auditors and administrators (every department).
/// </summary>
public sealed class SealRulesService(IDbContextFactory<SealPortalDbContext> dbs, IHttpContextAccessor http, TimeProvider clock,
    ILogger<SealRulesService> logger)
{
    public const string SessionEnded = SealPortal.Components.Interactive.CircuitUser.SessionEnded;

    public async Task<RulesVersionView?> CurrentAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Views(db.SealRules.AsNoTracking().OrderByDescending(r => r.Version)).FirstOrDefaultAsync(ct);
    }

    /// <summary>Every version, newest first.</summary>
    public async Task<IReadOnlyList<RulesVersionView>> HistoryAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Views(db.SealRules.AsNoTracking().OrderByDescending(r => r.Version)).ToListAsync(ct);
    }

    /// <summary>The current version when <paramref name="user"/> still has to acknowledge it; otherwise null.</summary>
    public async Task<RulesVersionView?> PendingAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        // One query: the current version, unless the user acknowledged it (then nothing, and its text is not read).
        var current = db.SealRules.AsNoTracking().OrderByDescending(r => r.Version).Take(1);
        return await Views(current.Where(r => !db.RuleAcknowledgements.Any(a => a.UserId == userId && a.RulesVersionId == r.Id)))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>When <paramref name="user"/> acknowledged version <paramref name="rulesVersionId"/>, if they did.</summary>
    public async Task<DateTimeOffset?> AcknowledgedAtAsync(ClaimsPrincipal? user, int rulesVersionId, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var at = await db.RuleAcknowledgements.AsNoTracking().Where(a => a.UserId == userId && a.RulesVersionId == rulesVersionId)
            .Select(a => (DateTimeOffset?)a.AcknowledgedAt).FirstOrDefaultAsync(ct);
        return at;
    }

    /// <summary>
    /// Records that <paramref name="user"/> read and accepts version <paramref name="rulesVersionId"/>, which must
    /// still be the current one (a page left open while a newer version was published is refused). A second
    /// acknowledgement of the same version keeps the first one's time.
    /// </summary>
    public async Task<RulesResult> AcknowledgeAsync(ClaimsPrincipal? user, int rulesVersionId, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return RulesResult.Fail(SessionEnded);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var current = await db.SealRules.AsNoTracking().OrderByDescending(r => r.Version).Select(r => new { r.Id, r.Version }).FirstOrDefaultAsync(ct);
        if (current is null)
            return RulesResult.Fail("No seal-management rules are published.");
        if (current.Id != rulesVersionId)
            return RulesResult.Fail("A newer version of the rules (version {0}) was published; read it and accept that one.", current.Version);
        if (await db.RuleAcknowledgements.AnyAsync(a => a.UserId == userId && a.RulesVersionId == current.Id, ct))
            return RulesResult.Ok(current.Version);
        db.RuleAcknowledgements.Add(new RuleAcknowledgement { UserId = userId, RulesVersionId = current.Id, AcknowledgedAt = clock.GetUtcNow() });
        using (AuditTrail.AuditTrail.ActingAs(user))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.RulesAcknowledged, null, $"rules v{current.Version}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A second click that raced the first: the first one's time stands. Anything else is a real failure.
            if (!await AcknowledgedInOwnContextAsync(userId, current.Id, ct))
                throw;
        }
        logger.LogInformation("{User} acknowledged the seal rules version {Version}", user.Identity?.Name, current.Version);
        return RulesResult.Ok(current.Version);
    }

    private async Task<bool> AcknowledgedInOwnContextAsync(string userId, int rulesVersionId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.RuleAcknowledgements.AnyAsync(a => a.UserId == userId && a.RulesVersionId == rulesVersionId, ct);
    }

    /// <summary>Publishes a new version (the next number) as <paramref name="user"/>, who must be an administrator.</summary>
    public async Task<RulesResult> PublishAsync(ClaimsPrincipal? user, string? title, string? body, CancellationToken ct = default)
    {
        if (user is null)
            return RulesResult.Fail(SessionEnded);
        if (!user.IsInRole(Roles.Admin))
            return RulesResult.Fail("Only administrators may publish the seal-management rules.");
        title = (title ?? "").Trim();
        body = (body ?? "").Trim();
        if (title.Length == 0)
            return RulesResult.Fail("Give the rules a title.");
        if (title.Length > SealRulesLimits.TitleLength)
            return RulesResult.Fail("The title has at most {0} characters.", SealRulesLimits.TitleLength);
        if (body.Length == 0)
            return RulesResult.Fail("Write the text of the rules.");
        if (body.Length > SealRulesLimits.BodyLength)
            return RulesResult.Fail("The text of the rules has at most {0} characters.", SealRulesLimits.BodyLength);

        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = (await db.SealRules.MaxAsync(r => (int?)r.Version, ct) ?? 0) + 1;
        var actor = user.Identity!.Name!;
        db.SealRules.Add(new SealRulesVersion { Version = version, Title = title, Body = body, PublishedAt = clock.GetUtcNow(), PublishedBy = actor });
        using (AuditTrail.AuditTrail.ActingAs(user))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.RulesPublished, title, $"rules v{version}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another administrator published the same number a moment before: nothing of this one is stored.
            return RulesResult.Fail("Another version was published at the same moment; reload and try again.");
        }
        logger.LogInformation("{Actor} published the seal rules version {Version}", actor, version);
        return RulesResult.Ok(version);
    }

    /// <summary>Columns the user list sorts by; anything else is the list's own order (department, not yet accepted first, user name).</summary>
    public static readonly IReadOnlyList<string> Sortable = [nameof(AcknowledgementRow.UserName), nameof(AcknowledgementRow.Department), nameof(AcknowledgementRow.AcknowledgedAt)];

    /// <summary>
    /// The department the user may see the acknowledgements of: (true, null) every department for an auditor or
    /// administrator, (true, id) their own for a department head; (false, _) for anyone else (or a head in no department).
    /// </summary>
    private static async Task<(bool May, int? Only)> ScopeAsync(SealPortalDbContext db, ClaimsPrincipal? user, CancellationToken ct)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return (false, null);
        if (user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin))
            return (true, null);
        if (!user.IsInRole(Roles.DepartmentHead))
            return (false, null);
        var only = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DepartmentId).FirstOrDefaultAsync(ct);
        return (only is not null, only);
    }

    private static bool MayRead(ClaimsPrincipal? user) =>
        user?.FindFirstValue(ClaimTypes.NameIdentifier) is not null
        && (user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.DepartmentHead));

    /// <summary>
    /// The acknowledgement status of the current version: for an auditor or administrator every department,
    /// for a department head their own department; for anyone else null (nothing is read). Counted in the database.
    /// </summary>
    public async Task<AcknowledgementStatus?> StatusAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (!MayRead(user))
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (may, only) = await ScopeAsync(db, user, ct);
        if (!may)
            return new AcknowledgementStatus(null, false, []);
        var current = await Views(db.SealRules.AsNoTracking().OrderByDescending(r => r.Version)).FirstOrDefaultAsync(ct);
        var currentId = current?.Id ?? 0;
        var inScope = db.Users.AsNoTracking().Where(u => u.DepartmentId != null && (only == null || u.DepartmentId == only));
        var users = await inScope.GroupBy(u => u.DepartmentId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var accepted = await inScope.Where(u => db.RuleAcknowledgements.Any(a => a.UserId == u.Id && a.RulesVersionId == currentId))
            .GroupBy(u => u.DepartmentId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var departments = await db.Departments.AsNoTracking().Where(d => only == null || d.Id == only)
            .OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        var counts = departments.Select(d => new DepartmentAcknowledgements(d.Id, d.Name, users.GetValueOrDefault(d.Id), accepted.GetValueOrDefault(d.Id))).ToList();
        return new AcknowledgementStatus(current, only is null, counts);
    }

    /// <summary>
    /// One page of the users the viewer may see (a department head: only their department's, whatever the filter asks)
    /// with whether and when they accepted the current version; filtered, sorted and paged in the database, reading
    /// only the shown columns. Empty for anyone else.
    /// </summary>
    public async Task<ListPage<AcknowledgementRow>> UsersPageAsync(ClaimsPrincipal? user, AcknowledgementFilter filter, GridPageRequest request,
        CancellationToken ct = default)
    {
        if (!MayRead(user))
            return new([], 0);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (may, only) = await ScopeAsync(db, user, ct);
        if (!may)
            return new([], 0);
        var currentId = await db.SealRules.AsNoTracking().OrderByDescending(r => r.Version).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct) ?? 0;
        var query = db.Users.AsNoTracking().Where(u => u.DepartmentId != null && (only == null || u.DepartmentId == only));
        if (filter.DepartmentId is { } department)
            query = query.Where(u => u.DepartmentId == department);
        if (filter.Term is { } t)
            query = query.Where(u => u.UserName!.ToLower().Contains(t) || u.DisplayName.ToLower().Contains(t) || u.Department!.Name.ToLower().Contains(t));
        if (filter.Accepted == true)
            query = query.Where(u => db.RuleAcknowledgements.Any(a => a.UserId == u.Id && a.RulesVersionId == currentId));
        else if (filter.Accepted == false)
            query = query.Where(u => !db.RuleAcknowledgements.Any(a => a.UserId == u.Id && a.RulesVersionId == currentId));
        var total = await query.CountAsync(ct);
        var rows = query.Select(u => new
        {
            u.UserName,
            u.DisplayName,
            Department = u.Department!.Name,
            // The acknowledgement's id orders like its time (SQLite sorts no DateTimeOffset).
            AckId = db.RuleAcknowledgements.Where(a => a.UserId == u.Id && a.RulesVersionId == currentId).Select(a => (int?)a.Id).FirstOrDefault(),
            At = db.RuleAcknowledgements.Where(a => a.UserId == u.Id && a.RulesVersionId == currentId).Select(a => (DateTimeOffset?)a.AcknowledgedAt).FirstOrDefault(),
        });
        rows = (request.SortBy, request.Descending) switch
        {
            (nameof(AcknowledgementRow.UserName), false) => rows.OrderBy(r => r.UserName),
            (nameof(AcknowledgementRow.UserName), true) => rows.OrderByDescending(r => r.UserName),
            (nameof(AcknowledgementRow.Department), false) => rows.OrderBy(r => r.Department).ThenBy(r => r.UserName),
            (nameof(AcknowledgementRow.Department), true) => rows.OrderByDescending(r => r.Department).ThenBy(r => r.UserName),
            (nameof(AcknowledgementRow.AcknowledgedAt), false) => rows.OrderBy(r => r.AckId == null ? 0 : 1).ThenBy(r => r.AckId).ThenBy(r => r.UserName),
            (nameof(AcknowledgementRow.AcknowledgedAt), true) => rows.OrderByDescending(r => r.AckId == null ? 0 : 1).ThenByDescending(r => r.AckId).ThenBy(r => r.UserName),
            _ => rows.OrderBy(r => r.Department).ThenBy(r => r.AckId == null ? 0 : 1).ThenBy(r => r.UserName),
        };
        var page = await rows.Skip(request.Skip).Take(request.Take).ToListAsync(ct);
        return new(page.Select(u => new AcknowledgementRow(u.UserName ?? "", string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? "" : u.DisplayName,
            u.Department, u.At)).ToList(), total);
    }

    private static IQueryable<RulesVersionView> Views(IQueryable<SealRulesVersion> rules) =>
        rules.Select(r => new RulesVersionView(r.Id, r.Version, r.Title, r.Body, r.PublishedAt, r.PublishedBy));
}
