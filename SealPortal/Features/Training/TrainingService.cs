using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Requests;

namespace SealPortal.Features.Training;

public sealed record PlanInput(string? Title, string? Description, TrainingKind Kind, string? Schedule,
    IReadOnlyList<string> AudienceRoles, IReadOnlyList<int> AudienceDepartmentIds);

public sealed record SessionInput(DateTimeOffset? StartsAt, int DurationMinutes, string? Place, string? TrainerUserId);

public sealed record PlanRow(int Id, string Title, TrainingKind Kind, string? Schedule, int Sessions, DateTimeOffset? NextSession);

public sealed record SessionView(int Id, int PlanId, string PlanTitle, TrainingKind Kind, DateTimeOffset StartsAt, int DurationMinutes,
    string Place, string TrainerUserId, string Trainer);

public sealed record MaterialView(int Id, int? SessionId, string FileName, long Length, DateTimeOffset UploadedAt, string UploadedBy);

/// <summary>A plan as its page shows it; <see cref="MayManage"/> for administrators (add sessions and materials).</summary>
public sealed record PlanDetail(int Id, string Title, string Description, TrainingKind Kind, string? Schedule, IReadOnlyList<string> AudienceRoles,
    IReadOnlyList<string> AudienceDepartments, IReadOnlyList<SessionView> Sessions, IReadOnlyList<MaterialView> Materials, bool MayManage,
    DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>The audience's department ids (empty: every department), for the edit form.</summary>
    public IReadOnlyList<int> AudienceDepartmentIds { get; init; } = [];
}

/// <summary>One plan that targets the user, its sessions, and whether (and when) the user attended one.</summary>
public sealed record MyPlan(int PlanId, string Title, TrainingKind Kind, string? Schedule, IReadOnlyList<SessionView> Sessions,
    DateTimeOffset? AttendedAt, IReadOnlyList<int> AttendedSessionIds);

/// <summary>"My training": plans that target me, sessions I train, and (for keepers) my keeper training.</summary>
public sealed record MyTraining(IReadOnlyList<MyPlan> Plans, IReadOnlyList<SessionView> Training, KeeperTrainingStatus? Keeper, int ValidityMonths);

public sealed record RosterRow(string UserId, string UserName, string DisplayName, string? Department, bool? Attended, DateTimeOffset? RecordedAt);

/// <summary>
/// A session's attendance page above its list: <see cref="MayRecord"/> for its trainer once it started. The list (the plan's
/// audience plus anyone recorded) is read a page at a time (<see cref="TrainingService.RosterPageAsync"/>).
/// </summary>
public sealed record SessionRoster(SessionView Session, bool MayRecord, bool Started);

/// <summary>One line of the completion list: a plan and a department, with its audience there and how many completed it.</summary>
public sealed record CompletionRow(int PlanId, string Title, TrainingKind Kind, int DepartmentId, string Department, int Audience, int Completed);

/// <summary>A training list's filters: a search text (title, or user and department on the attendance list) and the kind of plan. Null: any.</summary>
public sealed record TrainingFilter(string? Search = null, TrainingKind? Kind = null)
{
    public string? Term => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim().ToLowerInvariant();
}

public sealed record DepartmentCompletion(int DepartmentId, string Department, int Audience, int Completed);

public sealed record PlanCompletion(int PlanId, string Title, TrainingKind Kind, IReadOnlyList<DepartmentCompletion> Departments);

public sealed record TrainingCompletion(bool AllDepartments, IReadOnlyList<PlanCompletion> Plans);

/// <summary>
/// Training (培训, issue 15 part 2) as the interactive pages and the download endpoint use it. Every call opens its own
/// context and checks the user it is given (the circuit's user as the database has them now; null means signed out).
/// Administrators create and edit plans, add and edit sessions (until they start) and attach materials; the trainer named on a session, and only they,
/// record its attendance; everyone sees the plans that target them; department heads (their department), auditors
/// and administrators see completion per department.
/// </summary>
public sealed class TrainingService(IDbContextFactory<SealPortalDbContext> dbs, IHttpContextAccessor http, TimeProvider clock,
    IOptions<TrainingOptions> options, IOptions<RequestsOptions> uploads, ILogger<TrainingService> logger)
{
    public const string SessionEnded = SealPortal.Components.Interactive.CircuitUser.SessionEnded;
    public const string AdminsOnly = "Only administrators may plan training.";
    public const string NotTheTrainer = "Only the trainer of this session may record its attendance.";
    public const string NoSuchPlan = "No such training plan.";
    public const string NoSuchSession = "No such training session.";

    public int ValidityMonths => options.Value.KeeperValidityMonths;

    // ------------------------------------------------------------------ reading

    /// <summary>Columns the plan list sorts by; anything else is newest first.</summary>
    public static readonly IReadOnlyList<string> PlanSortable = [nameof(PlanRow.Title), nameof(PlanRow.Kind)];

    /// <summary>One page of every plan, for administrators (filtered, sorted and paged in the database); null for anyone else.</summary>
    public async Task<ListPage<PlanRow>?> PlansPageAsync(ClaimsPrincipal? user, TrainingFilter filter, GridPageRequest request, CancellationToken ct = default)
    {
        if (user?.IsInRole(Roles.Admin) != true)
            return null;
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.TrainingPlans.AsNoTracking();
        if (filter.Kind is { } kind)
            query = query.Where(p => p.Kind == kind);
        if (filter.Term is { } t)
            query = query.Where(p => p.Title.ToLower().Contains(t));
        var total = await query.CountAsync(ct);
        query = (request.SortBy, request.Descending) switch
        {
            (nameof(PlanRow.Title), false) => query.OrderBy(p => p.Title).ThenByDescending(p => p.Id),
            (nameof(PlanRow.Title), true) => query.OrderByDescending(p => p.Title).ThenByDescending(p => p.Id),
            (nameof(PlanRow.Kind), false) => query.OrderBy(p => p.Kind).ThenByDescending(p => p.Id),
            (nameof(PlanRow.Kind), true) => query.OrderByDescending(p => p.Kind).ThenByDescending(p => p.Id),
            _ => query.OrderByDescending(p => p.Id),
        };
        var plans = await query.Skip(request.Skip).Take(request.Take)
            .Select(p => new
            {
                p.Id, p.Title, p.Kind, p.Schedule,
                Sessions = db.TrainingSessions.Count(s => s.PlanId == p.Id),
                Next = db.TrainingSessions.Where(s => s.PlanId == p.Id && s.StartsUnixMs >= nowMs).Min(s => (long?)s.StartsUnixMs),
            })
            .ToListAsync(ct);
        return new(plans.Select(p => new PlanRow(p.Id, p.Title, p.Kind, p.Schedule, p.Sessions,
            p.Next is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null)).ToList(), total);
    }

    /// <summary>A plan for whoever may see it (administrators, auditors, department heads, its audience, its trainers); otherwise null.</summary>
    public async Task<PlanDetail?> PlanAsync(ClaimsPrincipal? user, int planId, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var plan = await db.TrainingPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null || !await MaySeePlanAsync(db, user, userId, plan, ct))
            return null;
        var sessions = await Sessions(db.TrainingSessions.AsNoTracking().Where(s => s.PlanId == planId)).ToListAsync(ct);
        var materials = await db.TrainingMaterials.AsNoTracking().Where(m => m.PlanId == planId).OrderBy(m => m.Id)
            .Select(m => new MaterialView(m.Id, m.SessionId, m.FileName, m.Length, m.UploadedAt, m.UploadedBy)).ToListAsync(ct);
        var departmentIds = Audience.DepartmentIds(plan);
        var departments = departmentIds.Count == 0 ? [] : await db.Departments.AsNoTracking().Where(d => departmentIds.Contains(d.Id))
            .OrderBy(d => d.Name).Select(d => d.Name).ToListAsync(ct);
        return new PlanDetail(plan.Id, plan.Title, plan.Description, plan.Kind, plan.Schedule, Audience.Roles(plan), departments,
            sessions, materials, user.IsInRole(Roles.Admin), plan.CreatedAt, plan.CreatedBy) { AudienceDepartmentIds = departmentIds };
    }

    /// <summary>The plans that target <paramref name="user"/>, the sessions they train, and their keeper training when they are a keeper.</summary>
    public async Task<MyTraining?> MineAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var departmentId = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DepartmentId).SingleOrDefaultAsync(ct);
        var roles = UserRoles(user);
        var plans = (await db.TrainingPlans.AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct))
            .Where(p => Audience.Includes(p, roles, departmentId)).ToList();
        var planIds = plans.Select(p => p.Id).ToList();
        var sessions = await Sessions(db.TrainingSessions.AsNoTracking().Where(s => planIds.Contains(s.PlanId))).ToListAsync(ct);
        var attended = await db.TrainingAttendances.AsNoTracking()
            .Where(a => a.UserId == userId && a.Attended && planIds.Contains(a.Session!.PlanId))
            .Select(a => new { a.SessionId, a.Session!.PlanId, a.Session.StartsUnixMs }).ToListAsync(ct);
        var mine = plans.Select(p =>
        {
            var mineAttended = attended.Where(a => a.PlanId == p.Id).ToList();
            return new MyPlan(p.Id, p.Title, p.Kind, p.Schedule, sessions.Where(s => s.PlanId == p.Id).ToList(),
                mineAttended.Count == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(mineAttended.Max(a => a.StartsUnixMs)),
                mineAttended.Select(a => a.SessionId).ToList());
        }).ToList();
        var training = await Sessions(db.TrainingSessions.AsNoTracking().Where(s => s.TrainerUserId == userId)).ToListAsync(ct);
        var keeper = user.IsInRole(Roles.SealKeeper)
            ? await KeeperTraining.StatusAsync(db, userId, clock.GetUtcNow(), ValidityMonths, ct)
            : null;
        return new MyTraining(mine, training, keeper, ValidityMonths);
    }

    /// <summary>A session's attendance page (without its list), for its trainer, administrators and auditors; otherwise null.</summary>
    public async Task<SessionRoster?> RosterAsync(ClaimsPrincipal? user, int sessionId, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var session = await Sessions(db.TrainingSessions.AsNoTracking().Where(s => s.Id == sessionId)).SingleOrDefaultAsync(ct);
        if (session is null || !MayReadRoster(user, userId, session))
            return null;
        var started = session.StartsAt <= clock.GetUtcNow();
        return new SessionRoster(session, session.TrainerUserId == userId && started, started);
    }

    private static bool MayReadRoster(ClaimsPrincipal user, string userId, SessionView session) =>
        session.TrainerUserId == userId || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Auditor);

    /// <summary>Columns the attendance list sorts by; anything else is by department, then user name.</summary>
    public static readonly IReadOnlyList<string> RosterSortable = [nameof(RosterRow.UserName), nameof(RosterRow.Department)];

    /// <summary>
    /// One page of a session's attendance list: the users in its plan's audience (the plan's roles and departments, matched in
    /// the database) and anyone recorded, with what was recorded; searched (user, name, department), sorted and paged in the
    /// database. For its trainer, administrators and auditors; empty for anyone else.
    /// </summary>
    public async Task<ListPage<RosterRow>> RosterPageAsync(ClaimsPrincipal? user, int sessionId, TrainingFilter filter, GridPageRequest request,
        CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return new([], 0);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var session = await Sessions(db.TrainingSessions.AsNoTracking().Where(s => s.Id == sessionId)).SingleOrDefaultAsync(ct);
        if (session is null || !MayReadRoster(user, userId, session))
            return new([], 0);
        var plan = await db.TrainingPlans.AsNoTracking().SingleAsync(p => p.Id == session.PlanId, ct);
        var roles = Audience.Roles(plan).ToList();
        var departments = Audience.DepartmentIds(plan).ToList();
        var anyRole = roles.Count == 0;
        var anyDepartment = departments.Count == 0;
        // Audience.Includes, as a query: one of the roles (none named: any) and one of the departments (none named: any).
        var query = db.Users.AsNoTracking().Where(u =>
            (anyRole || db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && roles.Contains(r.Name!))))
                && (anyDepartment || u.DepartmentId != null && departments.Contains(u.DepartmentId.Value))
            || db.TrainingAttendances.Any(a => a.SessionId == sessionId && a.UserId == u.Id));
        if (filter.Term is { } t)
            query = query.Where(u => u.UserName!.ToLower().Contains(t) || u.DisplayName.ToLower().Contains(t)
                || u.Department != null && u.Department.Name.ToLower().Contains(t));
        var total = await query.CountAsync(ct);
        var rows = query.Select(u => new
        {
            u.Id, u.UserName, u.DisplayName,
            Department = u.Department == null ? null : u.Department.Name,
            Attended = db.TrainingAttendances.Where(a => a.SessionId == sessionId && a.UserId == u.Id).Select(a => (bool?)a.Attended).FirstOrDefault(),
            RecordedAt = db.TrainingAttendances.Where(a => a.SessionId == sessionId && a.UserId == u.Id).Select(a => (DateTimeOffset?)a.RecordedAt).FirstOrDefault(),
        });
        rows = (request.SortBy, request.Descending) switch
        {
            (nameof(RosterRow.UserName), false) => rows.OrderBy(r => r.UserName),
            (nameof(RosterRow.UserName), true) => rows.OrderByDescending(r => r.UserName),
            (nameof(RosterRow.Department), true) => rows.OrderByDescending(r => r.Department).ThenBy(r => r.UserName),
            _ => rows.OrderBy(r => r.Department).ThenBy(r => r.UserName),
        };
        var page = await rows.Skip(request.Skip).Take(request.Take).ToListAsync(ct);
        return new(page.Select(r => new RosterRow(r.Id, r.UserName ?? "", string.IsNullOrEmpty(r.DisplayName) ? r.UserName ?? "" : r.DisplayName,
            r.Department, r.Attended, r.RecordedAt)).ToList(), total);
    }

    /// <summary>
    /// Completion per plan and department: for auditors and administrators every department, for a department head
    /// their own; null for anyone else. A user completed a plan when they attended one of its sessions (for keeper
    /// training: one within the validity).
    /// </summary>
    public async Task<TrainingCompletion?> CompletionAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        var all = user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin);
        if (!all && !user.IsInRole(Roles.DepartmentHead))
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        int? only = null;
        if (!all)
        {
            only = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DepartmentId).FirstOrDefaultAsync(ct);
            if (only is null)
                return new TrainingCompletion(false, []);
        }
        var departments = await db.Departments.AsNoTracking().Where(d => only == null || d.Id == only).OrderBy(d => d.Name)
            .Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        // The same rule as the department assessment's training fact (TrainingCompletionRule), as of now.
        var standing = await TrainingCompletionRule.StandingAsync(db, only is { } o ? [o] : null, clock.GetUtcNow(), ValidityMonths, ct: ct);
        var result = standing.Select(p => new PlanCompletion(p.PlanId, p.Title, p.Kind, departments.Select(d => new DepartmentCompletion(d.Id, d.Name,
            p.Audience.Count(u => u.DepartmentId == d.Id), p.Audience.Count(u => u.DepartmentId == d.Id && u.Completed))).ToList())).ToList();
        return new TrainingCompletion(all, result);
    }

    /// <summary>Columns the completion list sorts by; anything else is newest plan first, then by department.</summary>
    public static readonly IReadOnlyList<string> CompletionSortable = [nameof(CompletionRow.Title), nameof(CompletionRow.Department)];

    /// <summary>
    /// One page of the completion list, a line per plan and department: for auditors and administrators every department,
    /// for a department head their own (in the query, whatever is asked); null for anyone else. The lines are filtered,
    /// sorted and paged in the database; the counts are then taken for the plans and departments of the page only, by the
    /// rule of <see cref="TrainingCompletionRule"/> as of now.
    /// </summary>
    public async Task<ListPage<CompletionRow>?> CompletionPageAsync(ClaimsPrincipal? user, TrainingFilter filter, GridPageRequest request,
        CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        var all = user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin);
        if (!all && !user.IsInRole(Roles.DepartmentHead))
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        int? only = null;
        if (!all)
        {
            only = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DepartmentId).FirstOrDefaultAsync(ct);
            if (only is null)
                return new([], 0);
        }
        var plans = db.TrainingPlans.AsNoTracking();
        if (filter.Kind is { } kind)
            plans = plans.Where(p => p.Kind == kind);
        if (filter.Term is { } t)
            plans = plans.Where(p => p.Title.ToLower().Contains(t));
        var pairs = from p in plans
                    from d in db.Departments.AsNoTracking().Where(d => only == null || d.Id == only)
                    select new { PlanId = p.Id, p.Title, p.Kind, DepartmentId = d.Id, Department = d.Name };
        var total = await pairs.CountAsync(ct);
        pairs = (request.SortBy, request.Descending) switch
        {
            (nameof(CompletionRow.Title), false) => pairs.OrderBy(x => x.Title).ThenByDescending(x => x.PlanId).ThenBy(x => x.Department),
            (nameof(CompletionRow.Title), true) => pairs.OrderByDescending(x => x.Title).ThenByDescending(x => x.PlanId).ThenBy(x => x.Department),
            (nameof(CompletionRow.Department), false) => pairs.OrderBy(x => x.Department).ThenByDescending(x => x.PlanId),
            (nameof(CompletionRow.Department), true) => pairs.OrderByDescending(x => x.Department).ThenByDescending(x => x.PlanId),
            _ => pairs.OrderByDescending(x => x.PlanId).ThenBy(x => x.Department),
        };
        var page = await pairs.Skip(request.Skip).Take(request.Take).ToListAsync(ct);
        if (page.Count == 0)
            return new([], total);
        var standing = (await TrainingCompletionRule.StandingAsync(db, page.Select(x => x.DepartmentId).Distinct().ToList(), clock.GetUtcNow(),
            ValidityMonths, ct: ct, planIds: page.Select(x => x.PlanId).Distinct().ToList())).ToDictionary(p => p.PlanId);
        return new(page.Select(x =>
        {
            var audience = standing.TryGetValue(x.PlanId, out var p) ? p.Audience.Where(m => m.DepartmentId == x.DepartmentId).ToList() : [];
            return new CompletionRow(x.PlanId, x.Title, x.Kind, x.DepartmentId, x.Department, audience.Count, audience.Count(m => m.Completed));
        }).ToList(), total);
    }

    /// <summary>The bytes of a material for whoever may see its plan; null otherwise (or when there is no such material).</summary>
    public async Task<(string FileName, byte[] Content)?> MaterialAsync(ClaimsPrincipal? user, int materialId, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var material = await db.TrainingMaterials.AsNoTracking().Where(m => m.Id == materialId).Select(m => new { m.PlanId, m.FileName }).SingleOrDefaultAsync(ct);
        if (material is null)
            return null;
        var plan = await db.TrainingPlans.AsNoTracking().SingleAsync(p => p.Id == material.PlanId, ct);
        if (!await MaySeePlanAsync(db, user, userId, plan, ct))
            return null;
        var content = await db.TrainingMaterialContents.AsNoTracking().Where(c => c.Id == materialId).Select(c => c.Content).SingleAsync(ct);
        return (material.FileName, content);
    }

    /// <summary>The users an administrator may name as a trainer: every user, by name.</summary>
    public async Task<IReadOnlyList<(string Id, string DisplayName)>> TrainerCandidatesAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(ct);
        return users.Select(u => (u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? "" : u.DisplayName)).ToList();
    }

    public async Task<IReadOnlyList<(int Id, string Name)>> DepartmentsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.Departments.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(ct)).Select(d => (d.Id, d.Name)).ToList();
    }

    // ------------------------------------------------------------------ writing

    public async Task<CommandResult> CreatePlanAsync(ClaimsPrincipal? user, PlanInput input, CancellationToken ct = default)
    {
        if (RefuseManaging(user) is { } refused)
            return refused;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var plan = new TrainingPlan { CreatedAt = clock.GetUtcNow(), CreatedBy = user!.Identity!.Name! };
        if (await FillPlanAsync(db, plan, input, ct) is { } bad)
            return bad;
        db.TrainingPlans.Add(plan);
        using (AuditTrail.AuditTrail.ActingAs(user))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.TrainingChanged, $"plan created ({plan.Kind}): {plan.Title}", $"training plan {plan.Title}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} created training plan {PlanId} {Title}", plan.CreatedBy, plan.Id, plan.Title);
        return CommandResult.Ok(plan.Id);
    }

    /// <summary>Changes a plan's title, content, kind, schedule and audience, with the same checks as a new plan.</summary>
    public async Task<CommandResult> UpdatePlanAsync(ClaimsPrincipal? user, int planId, PlanInput input, CancellationToken ct = default)
    {
        if (RefuseManaging(user) is { } refused)
            return refused;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var plan = await db.TrainingPlans.SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
            return CommandResult.NotFound(NoSuchPlan);
        var before = (plan.Title, plan.Description, plan.Kind, plan.Schedule, plan.AudienceRoles, plan.AudienceDepartmentIds);
        if (await FillPlanAsync(db, plan, input, ct) is { } bad)
            return bad;
        var changes = new List<string>();
        if (before.Title != plan.Title)
            changes.Add($"title {before.Title} → {plan.Title}");
        if (before.Description != plan.Description)
            changes.Add("content changed");
        if (before.Kind != plan.Kind)
            changes.Add($"kind {before.Kind} → {plan.Kind}");
        if (before.Schedule != plan.Schedule)
            changes.Add($"schedule {before.Schedule ?? "none"} → {plan.Schedule ?? "none"}");
        if (before.AudienceRoles != plan.AudienceRoles || before.AudienceDepartmentIds != plan.AudienceDepartmentIds)
            changes.Add($"audience roles [{plan.AudienceRoles}] departments [{plan.AudienceDepartmentIds}]");
        if (changes.Count == 0)
            return CommandResult.Invalid("Nothing was changed.");
        using (AuditTrail.AuditTrail.ActingAs(user!))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.TrainingChanged, "plan edited: " + string.Join("; ", changes), $"training plan {plan.Title}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} edited training plan {PlanId}", user!.Identity?.Name, planId);
        return CommandResult.Ok(planId);
    }

    private static CommandResult? RefuseManaging(ClaimsPrincipal? user) =>
        user is null ? CommandResult.Forbidden(SessionEnded)
        : !user.IsInRole(Roles.Admin) ? CommandResult.Forbidden(AdminsOnly)
        : null;

    /// <summary>Checks a plan's fields and copies them onto <paramref name="plan"/>; the refusal when one is wrong (nothing copied then).</summary>
    private static async Task<CommandResult?> FillPlanAsync(SealPortalDbContext db, TrainingPlan plan, PlanInput input, CancellationToken ct)
    {
        var title = (input.Title ?? "").Trim();
        var description = (input.Description ?? "").Trim();
        var schedule = string.IsNullOrWhiteSpace(input.Schedule) ? null : input.Schedule.Trim();
        if (title.Length == 0)
            return CommandResult.Invalid("Give the plan a title.");
        if (title.Length > TrainingLimits.TitleLength)
            return CommandResult.Invalid("The title has at most {0} characters.", TrainingLimits.TitleLength);
        if (description.Length == 0)
            return CommandResult.Invalid("Describe the content of the training.");
        if (description.Length > TrainingLimits.DescriptionLength)
            return CommandResult.Invalid("The content has at most {0} characters.", TrainingLimits.DescriptionLength);
        if (schedule is { Length: > TrainingLimits.ScheduleLength })
            return CommandResult.Invalid("The schedule has at most {0} characters.", TrainingLimits.ScheduleLength);
        if (!Enum.IsDefined(input.Kind))
            return CommandResult.Invalid("Choose the kind of training.");
        if (input.AudienceRoles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknownRole)
            return CommandResult.Invalid("There is no role {0}.", unknownRole);
        var departmentIds = input.AudienceDepartmentIds.Distinct().ToList();
        var known = await db.Departments.Where(d => departmentIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        if (departmentIds.FirstOrDefault(d => !known.Contains(d)) is var missing and not 0)
            return CommandResult.Invalid("The department {0} no longer exists; choose the audience again.", missing);
        plan.Title = title;
        plan.Description = description;
        plan.Kind = input.Kind;
        plan.Schedule = schedule;
        plan.AudienceRoles = string.Join(',', input.AudienceRoles.Distinct().Order(StringComparer.Ordinal));
        plan.AudienceDepartmentIds = string.Join(',', departmentIds.Order());
        return null;
    }

    public async Task<CommandResult> AddSessionAsync(ClaimsPrincipal? user, int planId, SessionInput input, CancellationToken ct = default)
    {
        if (RefuseManaging(user) is { } refused)
            return refused;
        if (CheckSession(input) is { } bad)
            return bad;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var plan = await db.TrainingPlans.AsNoTracking().Where(p => p.Id == planId).Select(p => new { p.Title }).SingleOrDefaultAsync(ct);
        if (plan is null)
            return CommandResult.NotFound(NoSuchPlan);
        if (!await db.Users.AnyAsync(u => u.Id == input.TrainerUserId, ct))
            return CommandResult.Invalid("The trainer is not a user of the portal.");
        var session = new TrainingSession { PlanId = planId };
        FillSession(session, input);
        db.TrainingSessions.Add(session);
        using (AuditTrail.AuditTrail.ActingAs(user!))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.TrainingChanged, $"session added at {session.StartsAt:u}, {session.Place}", $"training plan {plan.Title}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} added session {SessionId} to training plan {PlanId}", user!.Identity?.Name, session.Id, planId);
        return CommandResult.Ok(session.Id);
    }

    public const string SessionStarted = "The session has started; it can no longer be changed.";
    public const string AttendanceRecorded = "Attendance is recorded for this session: it can no longer be moved or given another trainer.";

    /// <summary>
    /// Changes a session's time, length, place and trainer before it starts. Once attendance is recorded the session
    /// keeps its time and trainer (what was attended, and who recorded it); once it has started it does not change.
    /// </summary>
    public async Task<CommandResult> UpdateSessionAsync(ClaimsPrincipal? user, int sessionId, SessionInput input, CancellationToken ct = default)
    {
        if (RefuseManaging(user) is { } refused)
            return refused;
        if (CheckSession(input) is { } bad)
            return bad;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var session = await db.TrainingSessions.Include(s => s.Plan).SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
            return CommandResult.NotFound(NoSuchSession);
        var moved = session.StartsUnixMs != input.StartsAt!.Value.ToUnixTimeMilliseconds() || session.TrainerUserId != input.TrainerUserId;
        if (moved && await db.TrainingAttendances.AnyAsync(a => a.SessionId == sessionId, ct))
            return CommandResult.Conflict(AttendanceRecorded);
        if (session.StartsAt <= clock.GetUtcNow())
            return CommandResult.Conflict(SessionStarted);
        if (!await db.Users.AnyAsync(u => u.Id == input.TrainerUserId, ct))
            return CommandResult.Invalid("The trainer is not a user of the portal.");
        var before = $"{session.StartsAt:u}, {session.DurationMinutes} min, {session.Place}, trainer {session.TrainerUserId}";
        FillSession(session, input);
        var after = $"{session.StartsAt:u}, {session.DurationMinutes} min, {session.Place}, trainer {session.TrainerUserId}";
        if (before == after)
            return CommandResult.Invalid("Nothing was changed.");
        using (AuditTrail.AuditTrail.ActingAs(user!))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.TrainingChanged, $"session {sessionId} edited: {before} → {after}", $"training plan {session.Plan!.Title}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} edited training session {SessionId}", user!.Identity?.Name, sessionId);
        return CommandResult.Ok(sessionId);
    }

    private static CommandResult? CheckSession(SessionInput input)
    {
        var place = (input.Place ?? "").Trim();
        if (input.StartsAt is null)
            return CommandResult.Invalid("Give the session a date and time.");
        if (input.DurationMinutes is < 10 or > 24 * 60)
            return CommandResult.Invalid("A session lasts 10 minutes to 24 hours.");
        if (place.Length == 0)
            return CommandResult.Invalid("Say where the session takes place.");
        if (place.Length > TrainingLimits.PlaceLength)
            return CommandResult.Invalid("The place has at most {0} characters.", TrainingLimits.PlaceLength);
        if (string.IsNullOrEmpty(input.TrainerUserId))
            return CommandResult.Invalid("Choose the trainer.");
        return null;
    }

    private static void FillSession(TrainingSession session, SessionInput input)
    {
        var startsAt = input.StartsAt!.Value;
        session.StartsAt = startsAt.ToUniversalTime();
        session.StartsUnixMs = startsAt.ToUnixTimeMilliseconds();
        session.DurationMinutes = input.DurationMinutes;
        session.Place = input.Place!.Trim();
        session.TrainerUserId = input.TrainerUserId!;
    }

    /// <summary>
    /// Records whether <paramref name="attendeeId"/> attended the session, as its trainer (nobody else, administrators
    /// included), once the session has started. The attendee must be in the plan's audience (or already recorded).
    /// Recording again changes the answer and its time.
    /// </summary>
    public async Task<CommandResult> RecordAttendanceAsync(ClaimsPrincipal? user, int sessionId, string attendeeId, bool attended, CancellationToken ct = default)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return CommandResult.Forbidden(SessionEnded);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var session = await db.TrainingSessions.AsNoTracking().Include(s => s.Plan).SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
            return CommandResult.NotFound(NoSuchSession);
        if (session.TrainerUserId != userId)
            return CommandResult.Forbidden(NotTheTrainer);
        var now = clock.GetUtcNow();
        if (session.StartsAt > now)
            return CommandResult.Conflict("Attendance is recorded once the session has started.");
        var row = await db.TrainingAttendances.SingleOrDefaultAsync(a => a.SessionId == sessionId && a.UserId == attendeeId, ct);
        if (row is null)
        {
            var person = (await TrainingCompletionRule.PeopleAsync(db, ct, attendeeId)).SingleOrDefault();
            if (person is null)
                return CommandResult.NotFound("No such user.");
            if (!Audience.Includes(session.Plan!, person.Roles, person.DepartmentId))
                return CommandResult.Invalid("{0} is not in the audience of this training.", person.DisplayName);
            row = new TrainingAttendance { SessionId = sessionId, UserId = attendeeId };
            db.TrainingAttendances.Add(row);
        }
        row.Attended = attended;
        row.RecordedAt = now;
        row.RecordedBy = user.Identity!.Name!;
        var userName = await db.Users.AsNoTracking().Where(u => u.Id == attendeeId).Select(u => u.UserName).SingleAsync(ct);
        using (AuditTrail.AuditTrail.ActingAs(user))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.TrainingAttendanceRecorded,
                $"{userName}: {(attended ? "attended" : "absent")}", $"training session {sessionId}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two clicks at once for the same person: the other one stored the row; this answer is asked again.
            return CommandResult.Conflict("The attendance was recorded at the same moment by another click; reload and check it.");
        }
        return CommandResult.Ok(sessionId);
    }

    /// <summary>
    /// Attaches a PDF to a plan (or one of its sessions), as an administrator. The file goes through the portal's
    /// upload checks (size, a readable unencrypted PDF, active content as configured): a refusal is a 400 (or 413)
    /// naming the file and the reason, and stores nothing.
    /// </summary>
    public async Task<CommandResult> AddMaterialAsync(ClaimsPrincipal? user, int planId, int? sessionId, string fileName, long length,
        Func<Stream> open, CancellationToken ct = default)
    {
        if (user is null)
            return CommandResult.Forbidden(SessionEnded);
        if (!user.IsInRole(Roles.Admin))
            return CommandResult.Forbidden(AdminsOnly);
        // A browser may send a Windows path; only the name after the last separator of either kind is kept.
        var name = (fileName ?? "")[((fileName ?? "").LastIndexOfAny(['/', '\\']) + 1)..].Trim();
        if (name.Length is 0 or > 255)
            return CommandResult.Invalid("A file name has 1 to 255 characters.");
        var limits = uploads.Value;
        if (PdfUploadCheck.BySize(name, length, limits) is { } bySize)
            return bySize;
        using var buffer = new MemoryStream();
        await using (var source = open())
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limits.MaxUploadBytes)
                    return CommandResult.TooLarge("{0} is larger than {1} MB.", name, limits.MaxUploadBytes / (1024 * 1024));
            }
        }
        if (buffer.Length == 0)
            return CommandResult.Invalid("{0} is empty.", name);
        buffer.Position = 0;
        var (_, refusal) = PdfUploadCheck.Check(buffer, name, limits, ct);
        if (refusal is not null)
            return refusal;
        var bytes = buffer.ToArray();

        await using var db = await dbs.CreateDbContextAsync(ct);
        var plan = await db.TrainingPlans.AsNoTracking().Where(p => p.Id == planId).Select(p => new { p.Title }).SingleOrDefaultAsync(ct);
        if (plan is null)
            return CommandResult.NotFound(NoSuchPlan);
        if (sessionId is { } sid && !await db.TrainingSessions.AnyAsync(s => s.Id == sid && s.PlanId == planId, ct))
            return CommandResult.NotFound(NoSuchSession);
        var material = new TrainingMaterial
        {
            PlanId = planId, SessionId = sessionId, FileName = name, Length = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), UploadedAt = clock.GetUtcNow(), UploadedBy = user.Identity!.Name!,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.TrainingMaterials.Add(material);
        using (AuditTrail.AuditTrail.ActingAs(user))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.TrainingChanged, $"material attached: {name} ({bytes.Length} bytes)", $"training plan {plan.Title}");
        await db.SaveChangesAsync(ct);
        db.TrainingMaterialContents.Add(new TrainingMaterialContent { Id = material.Id, Content = bytes });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("{Actor} attached {File} to training plan {PlanId}", user.Identity?.Name, name, planId);
        return CommandResult.Ok(material.Id);
    }

    // ------------------------------------------------------------------ helpers

    private static IReadOnlyList<string> UserRoles(ClaimsPrincipal user) => user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();

    private async Task<bool> MaySeePlanAsync(SealPortalDbContext db, ClaimsPrincipal user, string userId, TrainingPlan plan, CancellationToken ct)
    {
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.DepartmentHead))
            return true;
        if (await db.TrainingSessions.AnyAsync(s => s.PlanId == plan.Id && s.TrainerUserId == userId, ct))
            return true;
        var departmentId = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DepartmentId).SingleOrDefaultAsync(ct);
        return Audience.Includes(plan, UserRoles(user), departmentId);
    }

    private static IQueryable<SessionView> Sessions(IQueryable<TrainingSession> sessions) =>
        sessions.OrderBy(s => s.StartsUnixMs).ThenBy(s => s.Id)
            .Select(s => new SessionView(s.Id, s.PlanId, s.Plan!.Title, s.Plan.Kind, s.StartsAt, s.DurationMinutes, s.Place, s.TrainerUserId,
                s.Trainer!.DisplayName == "" ? s.Trainer.UserName! : s.Trainer.DisplayName));
}

/// <summary>Who a plan is for: one of its roles (none: any) and one of its departments (none: any).</summary>
public static class Audience
{
    public static IReadOnlyList<string> Roles(TrainingPlan plan) => plan.AudienceRoles.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static IReadOnlyList<int> DepartmentIds(TrainingPlan plan) =>
        plan.AudienceDepartmentIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

    public static bool Includes(TrainingPlan plan, IReadOnlyCollection<string> userRoles, int? departmentId)
    {
        var roles = Roles(plan);
        if (roles.Count > 0 && !roles.Any(userRoles.Contains))
            return false;
        var departments = DepartmentIds(plan);
        return departments.Count == 0 || departmentId is { } d && departments.Contains(d);
    }
}
