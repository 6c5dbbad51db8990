using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Notifications;
using SealPortal.Resources;

namespace SealPortal.Features.Cases;

/// <summary>
/// Violation cases (责任追究) as the interactive pages use them. Every call opens its own context and checks
/// the user it is given (the circuit's user as the database has them now; null means signed out).
/// Auditors and administrators open and handle cases; executives read every case; a department head reads
/// their department's cases; anyone reads the cases naming them responsible. Nobody else reads anything.
/// A closed case is read-only. Every change writes the audit trail in the same save.
/// </summary>
public sealed class ViolationCaseService(IDbContextFactory<SealPortalDbContext> dbs, IHttpContextAccessor http, TimeProvider clock,
    CompanyTime time, IOptions<SmtpOptions> smtp, IStringLocalizer<SharedResource> text, ILogger<ViolationCaseService> logger)
{
    public const string SessionEnded = SealPortal.Components.Interactive.CircuitUser.SessionEnded;
    public const string HandlersOnly = "Only auditors and administrators may open or handle violation cases.";
    public const string NoAccess = "You may not see violation cases.";
    public const string NoSuchCase = "No such case.";
    public const string IsClosed = "Case {0} is closed; it can no longer be changed.";
    public const string ChangedMeanwhile = "Case {0} was changed at the same moment; it is shown again, try once more.";

    public static bool MayHandle(ClaimsPrincipal? user) => user is not null && (user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin));

    public static bool MayReadAll(ClaimsPrincipal? user) => MayHandle(user) || user?.IsInRole(Roles.Executive) == true;

    /// <summary>The audit trail's subject for a case.</summary>
    public static string Subject(string number) => $"ViolationCase {number}";

    /// <summary>What <paramref name="user"/> may do; null when signed out.</summary>
    public async Task<CaseAccess?> AccessAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await AccessAsync(db, user, userId, ct);
    }

    private static async Task<CaseAccess> AccessAsync(SealPortalDbContext db, ClaimsPrincipal user, string userId, CancellationToken ct)
    {
        int? headOf = null;
        if (user.IsInRole(Roles.DepartmentHead))
            headOf = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DepartmentId).FirstOrDefaultAsync(ct);
        return new CaseAccess(userId, user.Identity?.Name ?? "", MayHandle(user), MayReadAll(user), headOf);
    }

    /// <summary>The cases <paramref name="access"/> may read: all, their department's, and those naming them responsible.</summary>
    private static IQueryable<ViolationCase> Visible(IQueryable<ViolationCase> cases, CaseAccess access)
    {
        if (access.ReadAll)
            return cases;
        var userId = access.UserId;
        var department = access.HeadOf ?? -1;
        return cases.Where(c => c.ResponsibleUserId == userId || c.DepartmentId == department);
    }

    /// <summary>Whether the user may open the case list at all: a role that reads cases, or a case naming them.</summary>
    public async Task<bool> MayListAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return false;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var access = await AccessAsync(db, user, userId, ct);
        return access.ByRole || await db.ViolationCases.AnyAsync(c => c.ResponsibleUserId == userId, ct);
    }

    /// <summary>Columns the list sorts by; anything else sorts newest first.</summary>
    public static readonly IReadOnlyList<string> Sortable = ["Number", "Status", "Kind", "Department", "OpenedAt"];

    /// <summary>One page of the cases the user may read, filtered and paged in the database; empty for anyone else.</summary>
    public async Task<ListPage<CaseRow>> PageAsync(ClaimsPrincipal? user, CaseFilter filter, GridPageRequest request, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return new([], 0);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var access = await AccessAsync(db, user, userId, ct);
        var query = Visible(db.ViolationCases.AsNoTracking(), access);
        if (filter.Status is { } status)
            query = query.Where(c => c.Status == status);
        if (filter.Kind is { } kind)
            query = query.Where(c => c.Kind == kind);
        if (filter.DepartmentId is { } department)
            query = query.Where(c => c.DepartmentId == department);
        var (from, until) = time.UtcRange(filter.OpenedFrom, filter.OpenedTo);
        if (from is { } f)
            query = query.Where(c => c.OpenedAt >= f);
        if (until is { } u)
            query = query.Where(c => c.OpenedAt < u);
        var total = await query.CountAsync(ct);
        query = (request.SortBy, request.Descending) switch
        {
            ("Number", false) => query.OrderBy(c => c.Id),
            ("Status", false) => query.OrderByDeclared(c => c.Status, descending: false).ThenByDescending(c => c.Id),
            ("Status", true) => query.OrderByDeclared(c => c.Status, descending: true).ThenByDescending(c => c.Id),
            ("Kind", false) => query.OrderBy(c => c.Kind).ThenByDescending(c => c.Id),
            ("Kind", true) => query.OrderByDescending(c => c.Kind).ThenByDescending(c => c.Id),
            ("Department", false) => query.OrderBy(c => c.Department!.Name).ThenByDescending(c => c.Id),
            ("Department", true) => query.OrderByDescending(c => c.Department!.Name).ThenByDescending(c => c.Id),
            ("OpenedAt", false) => query.OrderBy(c => c.OpenedAt).ThenBy(c => c.Id),
            ("OpenedAt", true) => query.OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id),
            _ => query.OrderByDescending(c => c.Id),
        };
        var rows = await query.Skip(request.Skip).Take(request.Take)
            .Select(c => new CaseRow(c.Id, c.Number, c.Kind, c.Status, c.Outcome, c.Department!.Name,
                c.ResponsibleUser == null ? null : c.ResponsibleUser.DisplayName, c.OpenedAt, c.OpenedBy))
            .ToListAsync(ct);
        return new(rows, total);
    }

    /// <summary>The departments the list may filter by: every one for readers of all cases, otherwise the head's own.</summary>
    public async Task<IReadOnlyList<Choice<int>>> DepartmentFilterAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var access = await AccessAsync(db, user, userId, ct);
        if (!access.ReadAll && access.HeadOf is null)
            return [];
        var only = access.ReadAll ? (int?)null : access.HeadOf;
        return await db.Departments.AsNoTracking().Where(d => only == null || d.Id == only).OrderBy(d => d.Name)
            .Select(d => new Choice<int>(d.Id, d.Name)).ToListAsync(ct);
    }

    /// <summary>Departments and people a new case may name; for handlers only.</summary>
    public async Task<(IReadOnlyList<Choice<int>> Departments, IReadOnlyList<PersonChoice> People)> ChoicesAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (!MayHandle(user))
            return ([], []);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Name).Select(d => new Choice<int>(d.Id, d.Name)).ToListAsync(ct);
        var people = await db.Users.AsNoTracking().OrderBy(u => u.UserName)
            .Select(u => new PersonChoice(u.Id, u.DisplayName == "" ? u.UserName! : u.DisplayName + " (" + u.UserName + ")", u.DepartmentId)).ToListAsync(ct);
        return (departments, people);
    }

    /// <summary>The case for a user who may read it; otherwise the status and reason why not.</summary>
    public async Task<(CaseDetail? Case, CaseResult? Refusal, CaseAccess? Access)> GetAsync(ClaimsPrincipal? user, int id, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return (null, CaseResult.Fail(StatusCodes.Status401Unauthorized, SessionEnded), null);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var access = await AccessAsync(db, user, userId, ct);
        var found = await Visible(db.ViolationCases.AsNoTracking(), access).Where(c => c.Id == id)
            .Select(c => new
            {
                Case = c,
                Department = c.Department!.Name,
                Responsible = c.ResponsibleUser == null ? null : c.ResponsibleUser.DisplayName + " (" + c.ResponsibleUser.UserName + ")",
            })
            .FirstOrDefaultAsync(ct);
        if (found is null)
        {
            // Whoever reads no case at all learns that, not whether the number exists.
            if (!access.ByRole && !await db.ViolationCases.AnyAsync(c => c.ResponsibleUserId == userId, ct))
                return (null, CaseResult.Fail(StatusCodes.Status403Forbidden, NoAccess), access);
            return (null, CaseResult.Fail(StatusCodes.Status404NotFound, NoSuchCase), access);
        }
        var evidence = await db.ViolationCaseEvidence.AsNoTracking().Where(e => e.ViolationCaseId == id).OrderBy(e => e.Id).ToListAsync(ct);
        var links = await CaseEvidence.LinksAsync(db, evidence, ct);
        var steps = await db.ViolationCaseSteps.AsNoTracking().Where(s => s.ViolationCaseId == id).OrderBy(s => s.Ordinal)
            .Select(s => new StepView(s.Ordinal, s.At, s.Actor, s.Text)).ToListAsync(ct);
        var c = found.Case;
        return (new CaseDetail(c.Id, c.Number, c.Kind, c.Status, c.Outcome, c.OutcomeNote, c.DepartmentId, found.Department, c.ResponsibleUserId,
            found.Responsible, c.Facts, c.OpenedAt, c.OpenedBy, c.ClosedAt, c.ClosedBy,
            evidence.Select(e => new EvidenceView(e.Id, e.Kind, e.ReferenceId, e.Summary, links.GetValueOrDefault(e.Id), e.AddedAt, e.AddedBy)).ToList(),
            steps, c.Version), null, access);
    }

    /// <summary>What an item of evidence says and suggests, for the new-case form; for handlers only.</summary>
    public async Task<(EvidencePreview? Preview, CaseResult? Refusal)> PreviewAsync(ClaimsPrincipal? user, EvidenceKind kind, string? reference, CancellationToken ct = default)
    {
        if (Refuse(user) is { } refusal)
            return (null, refusal);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (preview, error, args) = await CaseEvidence.ResolveAsync(db, kind, reference, ct);
        return preview is null ? (null, CaseResult.Invalid(error!, args)) : (preview, null);
    }

    private static CaseResult? Refuse(ClaimsPrincipal? user) =>
        user?.FindFirstValue(ClaimTypes.NameIdentifier) is null ? CaseResult.Fail(StatusCodes.Status401Unauthorized, SessionEnded)
        : !MayHandle(user) ? CaseResult.Fail(StatusCodes.Status403Forbidden, HandlersOnly)
        : null;

    /// <summary>Opens a case, with its first piece of evidence when the form came from one.</summary>
    public async Task<CaseResult> OpenAsync(ClaimsPrincipal? user, NewCaseInput input, CancellationToken ct = default)
    {
        if (Refuse(user) is { } refusal)
            return refusal;
        if (input.Kind is not { } kind || !Enum.IsDefined(kind))
            return CaseResult.Invalid("Choose the kind of violation.");
        var facts = (input.Facts ?? "").Trim();
        if (facts.Length == 0)
            return CaseResult.Invalid("Write down the facts.");
        if (facts.Length > ViolationCaseLimits.FactsLength)
            return CaseResult.Invalid("The facts have at most {0} characters.", ViolationCaseLimits.FactsLength);
        if (input.DepartmentId is not { } departmentId)
            return CaseResult.Invalid("Choose the responsible department.");

        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Departments.AnyAsync(d => d.Id == departmentId, ct))
            return CaseResult.Invalid("Department {0} does not exist.", departmentId);
        var responsible = string.IsNullOrWhiteSpace(input.ResponsibleUserId) ? null : input.ResponsibleUserId.Trim();
        if (responsible is not null && !await db.Users.AnyAsync(u => u.Id == responsible, ct))
            return CaseResult.Invalid("The responsible person is not a user of the portal.");
        EvidencePreview? evidence = null;
        if (input.EvidenceKind is { } evidenceKind)
        {
            (evidence, var error, var args) = await CaseEvidence.ResolveAsync(db, evidenceKind, input.EvidenceReference, ct);
            if (evidence is null)
                return CaseResult.Invalid(error!, args);
        }

        var actor = user!.Identity!.Name!;
        var now = Utc();
        var prefix = $"V{time.Local(clock.GetUtcNow()):yy}-";
        // Two cases opened at the same moment may pick the same number: the unique index refuses the second, which takes the next.
        for (var attempt = 1; ; attempt++)
        {
            var last = await db.ViolationCases.AsNoTracking().Where(c => c.Number.StartsWith(prefix)).OrderByDescending(c => c.Number)
                .Select(c => c.Number).FirstOrDefaultAsync(ct);
            var next = (last is not null && int.TryParse(last[prefix.Length..], out var n) ? n : 0) + 1;
            var number = $"{prefix}{next:D5}";
            var @case = new ViolationCase
            {
                Number = number, Kind = kind, DepartmentId = departmentId, ResponsibleUserId = responsible, Facts = facts,
                OpenedAt = now, OpenedBy = actor, Version = Guid.NewGuid(),
            };
            if (evidence is not null)
                @case.Evidence.Add(new ViolationCaseEvidence { Kind = evidence.Kind, ReferenceId = evidence.ReferenceId, Summary = evidence.Summary, AddedAt = now, AddedBy = actor });
            db.ViolationCases.Add(@case);
            // The person named is told in the same save: they may read the case (not change it) under "Violation cases".
            if (responsible is not null)
            {
                await new Notifier(db, clock, smtp, text, time).AddLocalizedAsync(responsible, NotificationKind.General,
                    "Violation case {0} names you", "Violation case {0} was opened naming you as the responsible person. You can read it, but not change it.",
                    [number], "/cases", ct: ct);
            }
            using (AuditTrail.AuditTrail.ActingAs(user))
            {
                AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.CaseOpened,
                    $"{kind}, department {departmentId}" + (evidence is null ? "" : $", evidence {evidence.Kind} {evidence.ReferenceId}: {evidence.Summary}"),
                    Subject(number));
            }
            try
            {
                await db.SaveChangesAsync(ct);
                logger.LogInformation("{Actor} opened violation case {Number}", actor, number);
                return CaseResult.Ok(@case.Id);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Adds a handling step (who, when, what) to an open case.</summary>
    public Task<CaseResult> AddStepAsync(ClaimsPrincipal? user, int caseId, string? text, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, async (db, @case, actor, now) =>
        {
            text = (text ?? "").Trim();
            if (text.Length == 0)
                return CaseResult.Invalid("Write what was done.");
            if (text.Length > ViolationCaseLimits.StepLength)
                return CaseResult.Invalid("A step has at most {0} characters.", ViolationCaseLimits.StepLength);
            var ordinal = (await db.ViolationCaseSteps.Where(s => s.ViolationCaseId == caseId).MaxAsync(s => (int?)s.Ordinal, ct) ?? 0) + 1;
            db.ViolationCaseSteps.Add(new ViolationCaseStep { ViolationCaseId = caseId, Ordinal = ordinal, At = now, Actor = actor, Text = text });
            return (AuditAction.CaseStepAdded, $"step {ordinal}: {text}");
        }, ct);

    /// <summary>Links another item of evidence to an open case; the item must exist, and be linked once.</summary>
    public Task<CaseResult> AddEvidenceAsync(ClaimsPrincipal? user, int caseId, EvidenceKind? kind, string? reference, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, async (db, @case, actor, now) =>
        {
            if (kind is not { } k)
                return CaseResult.Invalid("Choose what the evidence is.");
            var (preview, error, args) = await CaseEvidence.ResolveAsync(db, k, reference, ct);
            if (preview is null)
                return CaseResult.Invalid(error!, args);
            if (await db.ViolationCaseEvidence.AnyAsync(e => e.ViolationCaseId == caseId && e.Kind == k && e.ReferenceId == preview.ReferenceId, ct))
                return CaseResult.Invalid("This evidence is linked to the case already.");
            db.ViolationCaseEvidence.Add(new ViolationCaseEvidence
            {
                ViolationCaseId = caseId, Kind = k, ReferenceId = preview.ReferenceId, Summary = preview.Summary, AddedAt = now, AddedBy = actor,
            });
            return (AuditAction.CaseEvidenceAdded, $"{k} {preview.ReferenceId}: {preview.Summary}");
        }, ct);

    /// <summary>
    /// Edits an open case: its kind, responsible department and person, and facts. The form's <see cref="CaseEditInput.Version"/>
    /// must still be the case's: an edit from a page loaded before another change is refused (409), not written over it.
    /// A newly named responsible person is told, as when a case is opened.
    /// </summary>
    public Task<CaseResult> EditAsync(ClaimsPrincipal? user, int caseId, CaseEditInput input, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, async (db, @case, actor, now) =>
        {
            if (@case.Version != input.Version)
                return CaseResult.Fail(StatusCodes.Status409Conflict, ChangedMeanwhile, @case.Number);
            if (input.Kind is not { } kind || !Enum.IsDefined(kind))
                return CaseResult.Invalid("Choose the kind of violation.");
            var facts = (input.Facts ?? "").Trim();
            if (facts.Length == 0)
                return CaseResult.Invalid("Write down the facts.");
            if (facts.Length > ViolationCaseLimits.FactsLength)
                return CaseResult.Invalid("The facts have at most {0} characters.", ViolationCaseLimits.FactsLength);
            if (input.DepartmentId is not { } departmentId)
                return CaseResult.Invalid("Choose the responsible department.");
            if (!await db.Departments.AnyAsync(d => d.Id == departmentId, ct))
                return CaseResult.Invalid("Department {0} does not exist.", departmentId);
            var responsible = string.IsNullOrWhiteSpace(input.ResponsibleUserId) ? null : input.ResponsibleUserId.Trim();
            if (responsible is not null && !await db.Users.AnyAsync(u => u.Id == responsible, ct))
                return CaseResult.Invalid("The responsible person is not a user of the portal.");

            var changes = new List<string>();
            if (@case.Kind != kind)
                changes.Add($"kind {@case.Kind} → {kind}");
            if (@case.DepartmentId != departmentId)
                changes.Add($"department {@case.DepartmentId} → {departmentId}");
            if (@case.ResponsibleUserId != responsible)
                changes.Add($"responsible {@case.ResponsibleUserId ?? "none"} → {responsible ?? "none"}");
            if (@case.Facts != facts)
                changes.Add($"facts: {facts}");
            if (changes.Count == 0)
                return CaseResult.Invalid("Nothing was changed.");
            if (responsible is not null && responsible != @case.ResponsibleUserId)
            {
                await new Notifier(db, clock, smtp, text, time).AddLocalizedAsync(responsible, NotificationKind.General,
                    "Violation case {0} names you", "Violation case {0} was opened naming you as the responsible person. You can read it, but not change it.",
                    [@case.Number], "/cases", ct: ct);
            }
            @case.Kind = kind;
            @case.DepartmentId = departmentId;
            @case.ResponsibleUserId = responsible;
            @case.Facts = facts;
            return (AuditAction.CaseEdited, string.Join("; ", changes));
        }, ct);

    /// <summary>Closes an open case with its outcome and the reason for it; the case is read-only afterwards.</summary>
    public Task<CaseResult> CloseAsync(ClaimsPrincipal? user, int caseId, ViolationOutcome? outcome, string? note, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, (db, @case, actor, now) =>
        {
            if (outcome is not { } o || !Enum.IsDefined(o))
                return Task.FromResult<OneOf>(CaseResult.Invalid("Choose the outcome."));
            note = (note ?? "").Trim();
            if (note.Length == 0)
                return Task.FromResult<OneOf>(CaseResult.Invalid("Write the reason for the outcome."));
            if (note.Length > ViolationCaseLimits.OutcomeNoteLength)
                return Task.FromResult<OneOf>(CaseResult.Invalid("The reason has at most {0} characters.", ViolationCaseLimits.OutcomeNoteLength));
            @case.Status = ViolationCaseStatus.Closed;
            @case.Outcome = o;
            @case.OutcomeNote = note;
            @case.ClosedAt = now;
            @case.ClosedBy = actor;
            return Task.FromResult<OneOf>((AuditAction.CaseClosed, $"{o}: {note}"));
        }, ct);

    /// <summary>Either a refusal, or the audit-trail line of a change made to the context.</summary>
    private readonly record struct OneOf(CaseResult? Refusal, AuditAction Action, string? Detail)
    {
        public static implicit operator OneOf(CaseResult refusal) => new(refusal, default, null);

        public static implicit operator OneOf((AuditAction Action, string Detail) change) => new(null, change.Action, change.Detail);
    }

    private async Task<CaseResult> ChangeAsync(ClaimsPrincipal? user, int caseId,
        Func<SealPortalDbContext, ViolationCase, string, DateTime, Task<OneOf>> change, CancellationToken ct)
    {
        if (Refuse(user) is { } refusal)
            return refusal;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var @case = await db.ViolationCases.FirstOrDefaultAsync(c => c.Id == caseId, ct);
        if (@case is null)
            return CaseResult.Fail(StatusCodes.Status404NotFound, NoSuchCase);
        if (@case.Status == ViolationCaseStatus.Closed)
            return CaseResult.Fail(StatusCodes.Status409Conflict, IsClosed, @case.Number);
        var actor = user!.Identity!.Name!;
        var outcome = await change(db, @case, actor, Utc());
        if (outcome.Refusal is { } refused)
            return refused;
        // Every change turns the version, so a step and a close made at the same moment cannot both succeed.
        @case.Version = Guid.NewGuid();
        using (AuditTrail.AuditTrail.ActingAs(user))
            AuditTrail.AuditTrail.AddTo(db, http, clock, outcome.Action, outcome.Detail, Subject(@case.Number));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return CaseResult.Fail(StatusCodes.Status409Conflict, ChangedMeanwhile, @case.Number);
        }
        logger.LogInformation("{Actor}: {Action} on violation case {Number}", actor, outcome.Action, @case.Number);
        return CaseResult.Ok(caseId);
    }

    /// <summary>Now, UTC, to the microsecond (PostgreSQL's precision), so a time reads back as it was written.</summary>
    private DateTime Utc()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % 10));
    }
}
