using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features;
using SealPortal.Features.Requests;
using SealPortal.Features.Seals;
using SealPortal.Features.Training;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Training;

/// <summary>A portal of its own: the plans and attendance written here would otherwise change other classes' keepers.</summary>
public sealed class TrainingPortal : SealPortalFactory;

/// <summary>
/// Training (issue 15, part 2) over a real portal and database: only administrators plan; only the trainer named
/// on a session records its attendance, once it started, for its audience; a seal is given only to a keeper whose
/// keeper training is current, and the registry says why otherwise; materials are PDFs that pass the portal's
/// upload checks, served only to those who may see the plan. Tests share the database, so each makes its own plans
/// (and its own keeper where a keeper's state matters).
/// </summary>
public sealed class TrainingTests(TrainingPortal portal) : IClassFixture<TrainingPortal>
{
    private TrainingService Training => portal.Services.GetRequiredService<TrainingService>();

    private DateTimeOffset Now => portal.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    private Task<ClaimsPrincipal> PrincipalAsync(string userName) => TrainingKit.PrincipalAsync(portal, userName);

    private Task<string> UserIdAsync(string userName) => TrainingKit.UserIdAsync(portal, userName);

    private async Task<T> DbAsync<T>(Func<SealPortalDbContext, Task<T>> read)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>());
    }

    private async Task<int> PlanAsync(TrainingKind kind = TrainingKind.General, IReadOnlyList<string>? roles = null, IReadOnlyList<int>? departments = null)
    {
        var plan = await Training.CreatePlanAsync(await PrincipalAsync("admin"),
            new PlanInput("培训 " + Guid.NewGuid().ToString("N")[..8], "培训内容。", kind, "每季度一次", roles ?? [], departments ?? []));
        Assert.True(plan.Succeeded, plan.ToString());
        return plan.Id!.Value;
    }

    private async Task<int> SessionAsync(int planId, DateTimeOffset startsAt, string trainer = "admin")
    {
        var session = await Training.AddSessionAsync(await PrincipalAsync("admin"), planId, new SessionInput(startsAt, 60, "会议室", await UserIdAsync(trainer)));
        Assert.True(session.Succeeded, session.ToString());
        return session.Id!.Value;
    }

    /// <summary>A keeper of this test's own, in 总经办.</summary>
    private async Task<(string Id, string DisplayName)> NewKeeperAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var user = new ApplicationUser
        {
            UserName = "keeper-" + suffix, DisplayName = "李伟 Li Wei " + suffix,
            DepartmentId = await db.Departments.Where(d => d.Name == "总经办").Select(d => d.Id).SingleAsync(),
        };
        Assert.True((await users.CreateAsync(user, "Keeper-Pass-1234!")).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.SealKeeper)).Succeeded);
        return (user.Id, user.DisplayName);
    }

    private async Task<SealResult> RegisterSealAsync(string? custodian)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var department = await db.Departments.Select(d => d.Id).FirstAsync();
        return await scope.ServiceProvider.GetRequiredService<SealRegistry>().CreateAsync(
            new SealInput("测试章 " + Guid.NewGuid().ToString("N")[..6], SealType.Contract, SealKind.Physical, department, custodian, null), "admin");
    }

    private async Task<SealResult> EditSealAsync(int sealId, string? custodian, string? name = null)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
        var seal = (await registry.GetAsync(sealId))!;
        return await registry.EditAsync(sealId, new SealInput(name ?? seal.Name, seal.Type, seal.Kind, seal.DepartmentId, custodian, seal.OrganizationName), "admin");
    }

    [Fact]
    public async Task The_registry_gives_a_seal_only_to_a_keeper_whose_keeper_training_is_current_and_says_why_otherwise()
    {
        var (keeper, name) = await NewKeeperAsync();
        var seals = await DbAsync(db => db.Seals.CountAsync());

        var untrained = await RegisterSealAsync(keeper);
        Assert.False(untrained.Succeeded);
        Assert.Equal(StatusCodes.Status400BadRequest, untrained.StatusCode);
        Assert.Equal(KeeperTraining.None, untrained.Error);
        Assert.Equal(new object[] { name }, untrained.Args!);
        Assert.Equal(seals, await DbAsync(db => db.Seals.CountAsync()));

        // Attended a keeper training 13 months ago: lapsed a month ago, with the date it lapsed.
        var admin = await PrincipalAsync("admin");
        var keeperPlan = await PlanAsync(TrainingKind.Keeper, [Roles.SealKeeper]);
        var old = await SessionAsync(keeperPlan, Now.AddMonths(-13));
        Assert.True((await Training.RecordAttendanceAsync(admin, old, keeper, true)).Succeeded);
        // General training does not count for the gate.
        var general = await PlanAsync();
        var recent = await SessionAsync(general, Now.AddDays(-2));
        Assert.True((await Training.RecordAttendanceAsync(admin, recent, keeper, true)).Succeeded);

        var lapsed = await RegisterSealAsync(keeper);
        Assert.False(lapsed.Succeeded);
        Assert.Equal(KeeperTraining.Lapsed, lapsed.Error);
        var startsAt = await DbAsync(db => db.TrainingSessions.Where(s => s.Id == old).Select(s => s.StartsUnixMs).SingleAsync());
        var time = portal.Services.GetRequiredService<CompanyTime>();
        Assert.Equal(new object[] { name, time.Date(DateTimeOffset.FromUnixTimeMilliseconds(startsAt).AddMonths(12)), 12 }, lapsed.Args!);
        Assert.Equal(seals, await DbAsync(db => db.Seals.CountAsync()));

        // An absence does not count either.
        var current = await SessionAsync(keeperPlan, Now.AddDays(-3));
        Assert.True((await Training.RecordAttendanceAsync(admin, current, keeper, false)).Succeeded);
        Assert.Equal(KeeperTraining.Lapsed, (await RegisterSealAsync(keeper)).Error);

        // Attended three days ago: the seal is given, and a seal without a custodian needs nothing.
        Assert.True((await Training.RecordAttendanceAsync(admin, current, keeper, true)).Succeeded);
        var given = await RegisterSealAsync(keeper);
        Assert.True(given.Succeeded, given.Error);
        Assert.Equal(keeper, await DbAsync(db => db.Seals.Where(s => s.Id == given.SealId).Select(s => s.CustodianUserId).SingleAsync()));
        var unkept = await RegisterSealAsync(null);
        Assert.True(unkept.Succeeded, unkept.Error);

        // Changing the custodian to an untrained keeper is refused; editing a seal whose custodian stays is not.
        var (other, otherName) = await NewKeeperAsync();
        var change = await EditSealAsync(given.SealId!.Value, other);
        Assert.Equal((KeeperTraining.None, (object)otherName), (change.Error, change.Args![0]));
        Assert.Equal(keeper, await DbAsync(db => db.Seals.Where(s => s.Id == given.SealId).Select(s => s.CustodianUserId).SingleAsync()));
        Assert.False((await EditSealAsync(unkept.SealId!.Value, other)).Succeeded);
        Assert.True((await EditSealAsync(given.SealId!.Value, keeper, "改名后的章 " + Guid.NewGuid().ToString("N")[..4])).Succeeded);
    }

    [Fact]
    public async Task Only_the_trainer_of_a_session_records_its_attendance_once_it_started_and_only_for_its_audience()
    {
        var sales = await DbAsync(db => db.Departments.Where(d => d.Name == "销售部").Select(d => d.Id).SingleAsync());
        var plan = await PlanAsync(departments: [sales]);
        // The department head trains this one; the administrator, who planned it, is not its trainer.
        var session = await SessionAsync(plan, Now.AddHours(-2), trainer: "depthead");
        var applicant = await UserIdAsync("applicant");
        var rows = await DbAsync(db => db.TrainingAttendances.CountAsync());

        foreach (var userName in new[] { "admin", "auditor", "applicant", "keeper", "reviewer", "executive" })
        {
            var refused = await Training.RecordAttendanceAsync(await PrincipalAsync(userName), session, applicant, true);
            Assert.Equal((CommandKind.Forbidden, TrainingService.NotTheTrainer), (refused.Kind, refused.Message));
        }
        Assert.Equal(TrainingService.SessionEnded, (await Training.RecordAttendanceAsync(null, session, applicant, true)).Message);
        Assert.Equal(CommandKind.NotFound, (await Training.RecordAttendanceAsync(await PrincipalAsync("depthead"), 999_999, applicant, true)).Kind);
        Assert.Equal(rows, await DbAsync(db => db.TrainingAttendances.CountAsync()));

        // The keeper (总经办) is not in this plan's audience (销售部).
        var stranger = await Training.RecordAttendanceAsync(await PrincipalAsync("depthead"), session, await UserIdAsync("keeper"), true);
        Assert.Equal(CommandKind.Invalid, stranger.Kind);
        Assert.Equal("{0} is not in the audience of this training.", stranger.Message);

        var head = await PrincipalAsync("depthead");
        var before = Now.AddSeconds(-1);
        Assert.True((await Training.RecordAttendanceAsync(head, session, applicant, false)).Succeeded);
        Assert.True((await Training.RecordAttendanceAsync(head, session, applicant, true)).Succeeded);
        var row = await DbAsync(db => db.TrainingAttendances.AsNoTracking().SingleAsync(a => a.SessionId == session && a.UserId == applicant));
        Assert.True(row.Attended);
        Assert.Equal("depthead", row.RecordedBy);
        Assert.InRange(row.RecordedAt, before, Now.AddSeconds(1));
        Assert.Equal(2, await DbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.TrainingAttendanceRecorded && e.Subject == $"training session {session}")));

        // A session that has not started yet takes no attendance, even from its trainer.
        var later = await SessionAsync(plan, Now.AddDays(3), trainer: "depthead");
        var early = await Training.RecordAttendanceAsync(head, later, applicant, true);
        Assert.Equal((CommandKind.Conflict, "Attendance is recorded once the session has started."), (early.Kind, early.Message));

        // The roster: the trainer may record; an auditor reads it; anyone else sees nothing.
        var roster = await Training.RosterAsync(head, session);
        Assert.NotNull(roster);
        Assert.True(roster.MayRecord);
        var rosterRows = (await Training.RosterPageAsync(head, session, new(), new(PageSize: 100))).Items;
        Assert.Equal(["applicant", "depthead"], rosterRows.Select(r => r.UserName).Order());
        Assert.True(rosterRows.Single(r => r.UserName == "applicant").Attended);
        var audited = await Training.RosterAsync(await PrincipalAsync("auditor"), session);
        Assert.NotNull(audited);
        Assert.False(audited.MayRecord);
        Assert.Equal(2, (await Training.RosterPageAsync(await PrincipalAsync("auditor"), session, new(), new())).Total);
        Assert.False((await Training.RosterAsync(await PrincipalAsync("admin"), session))!.MayRecord);
        foreach (var userName in new[] { "applicant", "keeper", "reviewer", "executive" })
        {
            Assert.Null(await Training.RosterAsync(await PrincipalAsync(userName), session));
            Assert.Equal(0, (await Training.RosterPageAsync(await PrincipalAsync(userName), session, new(), new())).Total);
        }
        Assert.Equal(0, (await Training.RosterPageAsync(null, session, new(), new())).Total);
    }

    [Fact]
    public async Task Only_administrators_plan_and_bad_input_gets_a_message_and_stores_nothing()
    {
        var plans = await DbAsync(db => db.TrainingPlans.CountAsync());
        var input = new PlanInput("培训", "内容", TrainingKind.General, null, [], []);
        foreach (var userName in new[] { "applicant", "depthead", "reviewer", "executive", "keeper", "auditor" })
        {
            var refused = await Training.CreatePlanAsync(await PrincipalAsync(userName), input);
            Assert.Equal((CommandKind.Forbidden, TrainingService.AdminsOnly), (refused.Kind, refused.Message));
            Assert.Equal(TrainingService.AdminsOnly, (await Training.AddSessionAsync(await PrincipalAsync(userName), 1, new SessionInput(Now, 60, "会议室", "x"))).Message);
        }
        Assert.Equal(TrainingService.SessionEnded, (await Training.CreatePlanAsync(null, input)).Message);

        var admin = await PrincipalAsync("admin");
        Assert.Equal("Give the plan a title.", (await Training.CreatePlanAsync(admin, input with { Title = "  " })).Message);
        Assert.Equal("Describe the content of the training.", (await Training.CreatePlanAsync(admin, input with { Description = null })).Message);
        Assert.Equal("There is no role {0}.", (await Training.CreatePlanAsync(admin, input with { AudienceRoles = ["Janitor"] })).Message);
        var gone = await Training.CreatePlanAsync(admin, input with { AudienceDepartmentIds = [987_654] });
        Assert.Equal(("The department {0} no longer exists; choose the audience again.", (object)987_654), (gone.Message, gone.Args![0]));
        Assert.Equal(plans, await DbAsync(db => db.TrainingPlans.CountAsync()));

        var plan = await PlanAsync();
        var sessions = await DbAsync(db => db.TrainingSessions.CountAsync());
        var trainer = await UserIdAsync("reviewer");
        Assert.Equal("Give the session a date and time.", (await Training.AddSessionAsync(admin, plan, new SessionInput(null, 60, "会议室", trainer))).Message);
        Assert.Equal("Say where the session takes place.", (await Training.AddSessionAsync(admin, plan, new SessionInput(Now, 60, " ", trainer))).Message);
        Assert.Equal("A session lasts 10 minutes to 24 hours.", (await Training.AddSessionAsync(admin, plan, new SessionInput(Now, 5, "会议室", trainer))).Message);
        Assert.Equal("The trainer is not a user of the portal.", (await Training.AddSessionAsync(admin, plan, new SessionInput(Now, 60, "会议室", "nobody"))).Message);
        Assert.Equal(CommandKind.NotFound, (await Training.AddSessionAsync(admin, 987_654, new SessionInput(Now, 60, "会议室", trainer))).Kind);
        Assert.Equal(sessions, await DbAsync(db => db.TrainingSessions.CountAsync()));
        Assert.True(await DbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == AuditAction.TrainingChanged && e.Actor == "admin")));
    }

    [Fact]
    public async Task An_administrator_edits_a_plan_and_a_session_not_yet_started_and_each_edit_is_in_the_audit_trail()
    {
        var admin = await PrincipalAsync("admin");
        var plan = await PlanAsync();
        var session = await SessionAsync(plan, Now.AddDays(3));
        var finance = await DbAsync(db => db.Departments.Where(d => d.Name == "财务部").Select(d => d.Id).SingleAsync());
        var title = "改过的培训 " + Guid.NewGuid().ToString("N")[..6];

        var edited = await Training.UpdatePlanAsync(admin, plan, new PlanInput($"  {title} ", "新的内容。", TrainingKind.Keeper, "每月一次", [Roles.SealKeeper], [finance]));
        Assert.True(edited.Succeeded, edited.ToString());
        var stored = await DbAsync(db => db.TrainingPlans.AsNoTracking().SingleAsync(p => p.Id == plan));
        Assert.Equal((title, "新的内容。", TrainingKind.Keeper, "每月一次", Roles.SealKeeper, finance.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (stored.Title, stored.Description, stored.Kind, stored.Schedule, stored.AudienceRoles, stored.AudienceDepartmentIds));
        var detail = (await Training.PlanAsync(admin, plan))!;
        Assert.Equal([finance], detail.AudienceDepartmentIds);

        var reviewer = await UserIdAsync("reviewer");
        var moved = Now.AddDays(4);
        var sessionEdit = await Training.UpdateSessionAsync(admin, session, new SessionInput(moved, 120, " 三楼会议室 ", reviewer));
        Assert.True(sessionEdit.Succeeded, sessionEdit.ToString());
        var storedSession = await DbAsync(db => db.TrainingSessions.AsNoTracking().SingleAsync(x => x.Id == session));
        Assert.Equal((moved.ToUnixTimeMilliseconds(), 120, "三楼会议室", reviewer), (storedSession.StartsUnixMs, storedSession.DurationMinutes, storedSession.Place, storedSession.TrainerUserId));

        var trail = await DbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.Action == AuditAction.TrainingChanged && e.Subject == $"training plan {title}")
            .OrderBy(e => e.Sequence).Select(e => new { e.Detail, e.Actor }).ToListAsync());
        Assert.Equal(2, trail.Count);
        Assert.StartsWith("plan edited: title ", trail[0].Detail);
        Assert.Contains("kind General → Keeper", trail[0].Detail);
        Assert.Contains($"session {session} edited: ", trail[1].Detail);
        Assert.Contains("三楼会议室", trail[1].Detail);
        Assert.All(trail, t => Assert.Equal("admin", t.Actor));
    }

    [Fact]
    public async Task A_started_session_or_one_with_attendance_keeps_its_time_and_trainer_and_bad_edits_get_a_message()
    {
        var admin = await PrincipalAsync("admin");
        var adminId = await UserIdAsync("admin");
        var plan = await PlanAsync(TrainingKind.General, [Roles.SealKeeper]);
        var future = await SessionAsync(plan, Now.AddDays(2));
        var started = await SessionAsync(plan, Now.AddHours(-1));
        Assert.True((await Training.RecordAttendanceAsync(admin, started, await UserIdAsync("keeper"), true)).Succeeded);
        var startedBefore = await DbAsync(db => db.TrainingSessions.AsNoTracking().SingleAsync(x => x.Id == started));
        var trail = await DbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.TrainingChanged));

        // Attendance is recorded: no other time, no other trainer.
        var movedAway = await Training.UpdateSessionAsync(admin, started, new SessionInput(Now.AddDays(1), 60, "会议室", adminId));
        Assert.Equal((CommandKind.Conflict, TrainingService.AttendanceRecorded), (movedAway.Kind, movedAway.Message));
        var otherTrainer = await Training.UpdateSessionAsync(admin, started, new SessionInput(startedBefore.StartsAt, 60, "会议室", await UserIdAsync("reviewer")));
        Assert.Equal((CommandKind.Conflict, TrainingService.AttendanceRecorded), (otherTrainer.Kind, otherTrainer.Message));
        // Started: not even the place.
        var place = await Training.UpdateSessionAsync(admin, started, new SessionInput(startedBefore.StartsAt, 60, "另一间", adminId));
        Assert.Equal((CommandKind.Conflict, TrainingService.SessionStarted), (place.Kind, place.Message));
        var after = await DbAsync(db => db.TrainingSessions.AsNoTracking().SingleAsync(x => x.Id == started));
        Assert.Equal((startedBefore.StartsUnixMs, startedBefore.Place, startedBefore.TrainerUserId), (after.StartsUnixMs, after.Place, after.TrainerUserId));

        // Bad input, for a session not yet started and for a plan.
        Assert.Equal("Say where the session takes place.", (await Training.UpdateSessionAsync(admin, future, new SessionInput(Now.AddDays(2), 60, " ", adminId))).Message);
        Assert.Equal("Give the session a date and time.", (await Training.UpdateSessionAsync(admin, future, new SessionInput(null, 60, "会议室", adminId))).Message);
        Assert.Equal("The trainer is not a user of the portal.", (await Training.UpdateSessionAsync(admin, future, new SessionInput(Now.AddDays(2), 60, "会议室", "nobody"))).Message);
        Assert.Equal(CommandKind.NotFound, (await Training.UpdateSessionAsync(admin, 987_654, new SessionInput(Now.AddDays(2), 60, "会议室", adminId))).Kind);
        var input = new PlanInput("培训", "内容", TrainingKind.General, null, [], []);
        Assert.Equal("Give the plan a title.", (await Training.UpdatePlanAsync(admin, plan, input with { Title = " " })).Message);
        var gone = await Training.UpdatePlanAsync(admin, plan, input with { AudienceDepartmentIds = [987_654] });
        Assert.Equal(("The department {0} no longer exists; choose the audience again.", (object)987_654), (gone.Message, gone.Args![0]));
        Assert.Equal(CommandKind.NotFound, (await Training.UpdatePlanAsync(admin, 987_654, input)).Kind);
        var same = await DbAsync(db => db.TrainingPlans.AsNoTracking().SingleAsync(p => p.Id == plan));
        Assert.Equal("Nothing was changed.", (await Training.UpdatePlanAsync(admin, plan, new PlanInput(same.Title, same.Description, same.Kind, same.Schedule, [Roles.SealKeeper], []))).Message);

        // Nobody but an administrator edits anything.
        foreach (var userName in new[] { "applicant", "depthead", "reviewer", "executive", "keeper", "auditor" })
        {
            var user = await PrincipalAsync(userName);
            Assert.Equal((CommandKind.Forbidden, TrainingService.AdminsOnly), ((await Training.UpdatePlanAsync(user, plan, input)).Kind, (await Training.UpdatePlanAsync(user, plan, input)).Message));
            Assert.Equal(TrainingService.AdminsOnly, (await Training.UpdateSessionAsync(user, future, new SessionInput(Now.AddDays(5), 60, "他处", adminId))).Message);
        }
        Assert.Equal(TrainingService.SessionEnded, (await Training.UpdatePlanAsync(null, plan, input)).Message);
        Assert.Equal(TrainingService.SessionEnded, (await Training.UpdateSessionAsync(null, future, new SessionInput(Now.AddDays(5), 60, "他处", adminId))).Message);
        Assert.Equal(same.Title, (await DbAsync(db => db.TrainingPlans.AsNoTracking().SingleAsync(p => p.Id == plan))).Title);
        Assert.Equal("会议室", (await DbAsync(db => db.TrainingSessions.AsNoTracking().SingleAsync(x => x.Id == future))).Place);
        Assert.Equal(trail, await DbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.TrainingChanged)));
    }

    [Fact]
    public async Task A_material_must_be_a_readable_pdf_and_is_served_only_to_those_who_may_see_its_plan()
    {
        var plan = await PlanAsync(roles: [Roles.Applicant]);
        var admin = await PrincipalAsync("admin");
        var materials = await DbAsync(db => db.TrainingMaterials.CountAsync());

        var text = "这不是 PDF"u8.ToArray();
        var refused = await Training.AddMaterialAsync(admin, plan, null, "课件.pdf", text.Length, () => new MemoryStream(text));
        Assert.Equal(CommandKind.Invalid, refused.Kind);
        Assert.Equal(StatusCodes.Status400BadRequest, refused.StatusCode());
        Assert.Equal("{0} is not a readable PDF: {1}", refused.Message);
        Assert.Equal("课件.pdf", refused.Args![0]);
        var broken = PdfTestKit.ClassicPdf(1)[..200];
        Assert.Equal("{0} is not a readable PDF: {1}", (await Training.AddMaterialAsync(admin, plan, null, "半个.pdf", broken.Length, () => new MemoryStream(broken))).Message);
        Assert.Equal("{0} is empty.", (await Training.AddMaterialAsync(admin, plan, null, "空.pdf", 0, () => new MemoryStream())).Message);
        var pdf = PdfTestKit.ClassicPdf(2);
        Assert.Equal(TrainingService.AdminsOnly, (await Training.AddMaterialAsync(await PrincipalAsync("applicant"), plan, null, "课件.pdf", pdf.Length, () => new MemoryStream(pdf))).Message);
        Assert.Equal(materials, await DbAsync(db => db.TrainingMaterials.CountAsync()));
        Assert.Equal(materials, await DbAsync(db => db.TrainingMaterialContents.CountAsync()));

        var added = await Training.AddMaterialAsync(admin, plan, null, "C:\\课件\\用印培训.pdf", pdf.Length, () => new MemoryStream(pdf));
        Assert.True(added.Succeeded, added.ToString());
        var id = added.Id!.Value;
        Assert.Equal("用印培训.pdf", await DbAsync(db => db.TrainingMaterials.Where(m => m.Id == id).Select(m => m.FileName).SingleAsync()));

        // The applicant is the audience; the keeper is not (and is no head, auditor or trainer); a stranger to the portal is sent to sign in.
        using (var applicant = await portal.SignInAsync("applicant"))
        {
            var response = await applicant.GetAsync($"/training/materials/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(pdf, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await applicant.GetAsync("/training/materials/987654")).StatusCode);
        }
        using (var keeper = await portal.SignInAsync("keeper"))
            Assert.Equal(HttpStatusCode.NotFound, (await keeper.GetAsync($"/training/materials/{id}")).StatusCode);
        using (var anonymous = portal.CreatePortalClient())
        {
            var response = await anonymous.GetAsync($"/training/materials/{id}");
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("%PDF", await response.Content.ReadAsStringAsync());
        }
        Assert.Null(await Training.PlanAsync(await PrincipalAsync("keeper"), plan));
        Assert.Single((await Training.PlanAsync(await PrincipalAsync("applicant"), plan))!.Materials);
    }

    [Fact]
    public async Task My_training_shows_the_plans_that_target_me_and_completion_is_for_heads_of_their_department_auditors_and_admins()
    {
        var finance = await DbAsync(db => db.Departments.Where(d => d.Name == "财务部").Select(d => d.Id).SingleAsync());
        var forKeepers = await PlanAsync(TrainingKind.Keeper, [Roles.SealKeeper]);
        var forFinance = await PlanAsync(departments: [finance]);
        var forAll = await PlanAsync();
        var session = await SessionAsync(forAll, Now.AddHours(-1));
        Assert.True((await Training.RecordAttendanceAsync(await PrincipalAsync("admin"), session, await UserIdAsync("applicant"), true)).Succeeded);

        var applicant = (await Training.MineAsync(await PrincipalAsync("applicant")))!;
        Assert.Contains(applicant.Plans, p => p.PlanId == forAll && p.AttendedAt is not null && p.AttendedSessionIds.SequenceEqual([session]));
        Assert.DoesNotContain(applicant.Plans, p => p.PlanId == forKeepers || p.PlanId == forFinance);
        Assert.Null(applicant.Keeper);
        var keeper = (await Training.MineAsync(await PrincipalAsync("keeper")))!;
        Assert.Contains(keeper.Plans, p => p.PlanId == forKeepers && p.AttendedAt is null);
        Assert.NotNull(keeper.Keeper);
        Assert.Contains((await Training.MineAsync(await PrincipalAsync("auditor")))!.Plans, p => p.PlanId == forFinance);
        Assert.Contains((await Training.MineAsync(await PrincipalAsync("admin")))!.Training, s => s.Id == session);
        Assert.Null(await Training.MineAsync(null));

        var head = (await Training.CompletionAsync(await PrincipalAsync("depthead")))!;
        Assert.False(head.AllDepartments);
        var sales = head.Plans.Single(p => p.PlanId == forAll).Departments;
        Assert.Equal(["销售部"], sales.Select(d => d.Department));
        Assert.Equal((2, 1), (sales[0].Audience, sales[0].Completed));
        Assert.Equal(0, head.Plans.Single(p => p.PlanId == forFinance).Departments.Single().Audience);

        var auditor = (await Training.CompletionAsync(await PrincipalAsync("auditor")))!;
        Assert.True(auditor.AllDepartments);
        Assert.Equal(DatabaseInitializer.DemoDepartments.Order(), auditor.Plans.Single(p => p.PlanId == forAll).Departments.Select(d => d.Department).Order());
        Assert.Equal(1, auditor.Plans.Single(p => p.PlanId == forFinance).Departments.Single(d => d.Department == "财务部").Audience);
        Assert.NotNull(await Training.CompletionAsync(await PrincipalAsync("admin")));
        foreach (var userName in new[] { "applicant", "reviewer", "executive", "keeper" })
            Assert.Null(await Training.CompletionAsync(await PrincipalAsync(userName)));
        Assert.Null(await Training.PlansPageAsync(await PrincipalAsync("auditor"), new(), new()));
        Assert.NotNull(await Training.PlansPageAsync(await PrincipalAsync("admin"), new(), new()));
    }

    [Fact]
    public async Task The_training_lists_page_sort_and_filter_in_the_database_and_a_head_gets_no_other_department_on_any_page()
    {
        var finance = await DbAsync(db => db.Departments.Where(d => d.Name == "财务部").Select(d => d.Id).SingleAsync());
        var tag = Guid.NewGuid().ToString("N")[..6];
        var planIds = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var created = await Training.CreatePlanAsync(await PrincipalAsync("admin"),
                new PlanInput($"分页培训 {tag} {i}", "内容", i == 2 ? TrainingKind.Keeper : TrainingKind.General, null, [], i == 1 ? [finance] : []));
            planIds.Add(created.Id!.Value);
        }
        var session = await SessionAsync(planIds[0], Now.AddHours(-1));
        Assert.True((await Training.RecordAttendanceAsync(await PrincipalAsync("admin"), session, await UserIdAsync("applicant"), true)).Succeeded);

        // Completion: a head, one line per page, under every sort and filter, sees only their department's lines.
        var head = await PrincipalAsync("depthead");
        var sorts = new (string? By, bool Descending)[] { (null, false) }
            .Concat(TrainingService.CompletionSortable.SelectMany(c => new (string?, bool)[] { (c, false), (c, true) })).ToList();
        foreach (var filter in new TrainingFilter[] { new(), new(Search: tag), new(Kind: TrainingKind.Keeper), new(Search: "财务") })
        {
            foreach (var (by, descending) in sorts)
            {
                var total = (await Training.CompletionPageAsync(head, filter, new(by, descending, 0, 1)))!.Total;
                var lines = new List<CompletionRow>();
                for (var page = 0; page <= total; page++)
                    lines.AddRange((await Training.CompletionPageAsync(head, filter, new(by, descending, page, 1)))!.Items);
                Assert.Equal(total, lines.Count);
                Assert.All(lines, l => Assert.Equal("销售部", l.Department));
            }
        }
        var headLines = (await Training.CompletionPageAsync(head, new(Search: tag), new(PageSize: 100)))!;
        Assert.Equal(3, headLines.Total);
        Assert.Equal((2, 1), headLines.Items.Where(l => l.PlanId == planIds[0]).Select(l => (l.Audience, l.Completed)).Single());
        Assert.Equal(0, headLines.Items.Single(l => l.PlanId == planIds[1]).Audience);

        // An auditor: a line per plan and department; the counts are those of the whole rule.
        var auditor = await PrincipalAsync("auditor");
        var lines4 = (await Training.CompletionPageAsync(auditor, new(Search: tag), new(nameof(CompletionRow.Title), false, 0, 100)))!;
        Assert.Equal(3 * DatabaseInitializer.DemoDepartments.Count, lines4.Total);
        Assert.Equal(lines4.Items.Select(l => l.Title).Order(StringComparer.Ordinal), lines4.Items.Select(l => l.Title));
        Assert.Equal((1, 0), lines4.Items.Where(l => l.PlanId == planIds[1] && l.Department == "财务部").Select(l => (l.Audience, l.Completed)).Single());
        Assert.Equal(DatabaseInitializer.DemoDepartments.Count, (await Training.CompletionPageAsync(auditor, new(Search: tag, Kind: TrainingKind.Keeper), new()))!.Total);
        var whole = (await Training.CompletionAsync(auditor))!;
        foreach (var line in lines4.Items)
        {
            var expected = whole.Plans.Single(p => p.PlanId == line.PlanId).Departments.Single(d => d.DepartmentId == line.DepartmentId);
            Assert.Equal((expected.Audience, expected.Completed), (line.Audience, line.Completed));
        }
        foreach (var userName in new[] { "applicant", "reviewer", "executive", "keeper" })
            Assert.Null(await Training.CompletionPageAsync(await PrincipalAsync(userName), new(), new()));
        Assert.Null(await Training.CompletionPageAsync(null, new(), new()));

        // The plan list (administrators): filtered by title and kind, sorted, paged.
        var admin = await PrincipalAsync("admin");
        var mine = (await Training.PlansPageAsync(admin, new(Search: tag), new(nameof(PlanRow.Title), true, 0, 2)))!;
        Assert.Equal(3, mine.Total);
        Assert.Equal([$"分页培训 {tag} 2", $"分页培训 {tag} 1"], mine.Items.Select(p => p.Title));
        Assert.Equal([$"分页培训 {tag} 0"], (await Training.PlansPageAsync(admin, new(Search: tag), new(nameof(PlanRow.Title), true, 1, 2)))!.Items.Select(p => p.Title));
        Assert.Equal([planIds[2]], (await Training.PlansPageAsync(admin, new(Search: tag, Kind: TrainingKind.Keeper), new()))!.Items.Select(p => p.Id));
        Assert.Equal(1, (await Training.PlansPageAsync(admin, new(Search: tag), new()))!.Items.Single(p => p.Id == planIds[0]).Sessions);

        // The attendance list: the plan's audience (every user here) searched and paged; the recorded answer shows.
        var all = (await Training.RosterPageAsync(admin, session, new(), new(nameof(RosterRow.UserName), false, 0, 100)));
        Assert.Equal(await DbAsync(db => db.Users.CountAsync()), all.Total);
        Assert.Equal(all.Items.Select(r => r.UserName).Order(StringComparer.Ordinal), all.Items.Select(r => r.UserName));
        Assert.True(all.Items.Single(r => r.UserName == "applicant").Attended);
        var paged = new List<string>();
        for (var page = 0; page * 2 < all.Total; page++)
            paged.AddRange((await Training.RosterPageAsync(admin, session, new(), new(nameof(RosterRow.UserName), false, page, 2))).Items.Select(r => r.UserName));
        Assert.Equal(all.Items.Select(r => r.UserName), paged);
        Assert.Equal(["applicant", "depthead"], (await Training.RosterPageAsync(admin, session, new(Search: "销售"), new())).Items.Select(r => r.UserName).Order());
        // A plan for 财务部 only: its audience is the one user there.
        var financeSession = await SessionAsync(planIds[1], Now.AddHours(-1));
        Assert.Equal(["auditor"], (await Training.RosterPageAsync(admin, financeSession, new(), new())).Items.Select(r => r.UserName));
    }
}
