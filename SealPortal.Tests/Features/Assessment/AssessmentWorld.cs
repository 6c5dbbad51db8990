using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features;
using SealPortal.Features.Assessment;
using SealPortal.Features.Rules;
using SealPortal.Tests.Features.Ledger;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Assessment;

/// <summary>A portal of its own per test class: the rules published here would otherwise stop other classes' applicants.</summary>
public sealed class AssessmentPortal : SealingPortal
{
    private Task<AssessmentWorld>? _world;

    public Task<AssessmentWorld> WorldAsync()
    {
        lock (this)
            return _world ??= AssessmentWorld.SeedAsync(this);
    }
}

/// <summary>
/// The scenario every assessment test measures, in the month before the current one (P) of the company's calendar
/// (Asia/Shanghai), with the demo company's departments: 销售部 (applicant, depthead), 法务部 (reviewer),
/// 总经办 (executive, keeper, admin), 财务部 (auditor).
/// <list type="bullet">
/// <item>Overdue approvals: depthead decided one approval late and one in time; reviewer has one pending past its
/// deadline, one pending not yet due (next month) and one transferred after its deadline; executive decided late
/// twice, with deadlines one minute before and at the company's midnight that starts P (only the second is in P).
/// So 销售部 1, 法务部 2, 总经办 1, 财务部 0.</item>
/// <item>Audit findings: an issue and an "ok" on uses of a 财务部 seal in P, an issue on a 销售部 seal in P and one on it
/// the month before. So 财务部 1, 销售部 1.</item>
/// <item>Violations: 销售部 a case opened in P (open) and one closed as no violation (left out); 总经办 a case opened
/// in P and closed with a warning; 法务部 a case opened one minute before P (in the month before). So 销售部 1, 总经办 1.</item>
/// <item>Training: general plan A (everyone, created before P), general plan B (销售部 only), keeper plan K (keepers;
/// left out, keeper training is not this fact), general plan C created at the midnight that ends P (left out of P).
/// A's session in P: applicant, executive, keeper, auditor present, depthead absent; A's session at the midnight that
/// ends P: reviewer and admin present (too late for P); B's session in P: depthead present; K's: keeper present.
/// So in pairs of person and plan 销售部 2/4 (applicant A, depthead B), 法务部 0/1, 总经办 2/3, 财务部 1/1.</item>
/// <item>Rules (one version published): accepted by applicant, reviewer, executive, keeper; not by depthead, admin,
/// auditor. So 销售部 1/2, 法务部 1/1, 总经办 2/3, 财务部 0/1.</item>
/// </list>
/// Sub-scores: overdue 100 − 10 each, findings and violations 100 − 25 each, training and rules the share in percent.
/// Weights overdue 25, findings 20, violations 25, training 15, rules 15 (Σ 100) make the scores
/// 销售部 (25·90 + 20·75 + 25·75 + 15·50 + 15·50)/100 = (2250 + 1500 + 1875 + 750 + 750)/100 = 71.25 → 71,
/// 法务部 (25·80 + 20·100 + 25·100 + 15·0 + 15·100)/100 = (2000 + 2000 + 2500 + 0 + 1500)/100 = 80,
/// 总经办 (25·90 + 20·100 + 25·75 + 15·66.7 + 15·66.7)/100 = (2250 + 2000 + 1875 + 1000 + 1000)/100 = 81.25 → 81,
/// 财务部 (25·100 + 20·75 + 25·100 + 15·100 + 15·0)/100 = (2500 + 1500 + 2500 + 1500 + 0)/100 = 80.
/// </summary>
public sealed record AssessmentWorld(
    AssessmentPeriod Period,
    AssessmentPeriod Quarter,
    IReadOnlyDictionary<string, int> Departments,
    IReadOnlyDictionary<string, string> Users,
    string LateRequestNumber,
    string PendingRequestNumber,
    string TransferredRequestNumber,
    int FinanceAuditId,
    long FinanceIssueSequence,
    int SalesCaseId,
    string SalesCaseNumber,
    int GeneralPlanId,
    int SalesPlanId)
{
    public int Sales => Departments["销售部"];
    public int Legal => Departments["法务部"];
    public int Office => Departments["总经办"];
    public int Finance => Departments["财务部"];

    public static async Task<ClaimsPrincipal> PrincipalAsync(SealPortalFactory portal, string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
    }

    public static async Task<AssessmentWorld> SeedAsync(AssessmentPortal portal)
    {
        var time = portal.Services.GetRequiredService<CompanyTime>();
        var period = AssessmentPeriod.Containing(AssessmentPeriodKind.Month, time.CurrentDay.AddDays(-time.CurrentDay.Day));
        // UTC: PostgreSQL stores only offset 0.
        var start = time.StartOf(period.FirstDay).ToUniversalTime();
        DateTimeOffset Day(int day, int hour = 10) => start.AddDays(day - 1).AddHours(hour);

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var departments = await db.Departments.ToDictionaryAsync(d => d.Name, d => d.Id);
        var users = await db.Users.ToDictionaryAsync(u => u.UserName!, u => u.Id);
        // The expected shares below count these users; a seed that adds users to the demo departments must change them.
        var perDepartment = await db.Users.GroupBy(u => u.Department!.Name).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
        Assert.Equal(new Dictionary<string, int> { ["销售部"] = 2, ["法务部"] = 1, ["总经办"] = 3, ["财务部"] = 1 }, perDepartment);

        SealRequest Request(string number) => new()
        {
            Number = number, ApplicantUserId = users["applicant"], DepartmentId = departments["销售部"], Purpose = "考核测试",
            Status = SealRequestStatus.InApproval, CreatedAt = start, SubmittedAt = start,
        };
        var late = Request("AS-LATE");
        var pending = Request("AS-PENDING");
        var transferred = Request("AS-TRANSFER");
        var boundary = Request("AS-BOUNDARY");
        db.SealRequests.AddRange(late, pending, transferred, boundary);
        await db.SaveChangesAsync();

        ApprovalDecision Decision(SealRequest r, string user, DateTimeOffset due, DateTimeOffset at, ApprovalOutcome outcome = ApprovalOutcome.Approved) => new()
        {
            SealRequestId = r.Id, NodeId = "department-head", NodeName = "部门负责人审批", ApproverUserId = users[user], ActorUserId = users[user],
            Outcome = outcome, DecidedAt = at, DecidedUnixMs = at.ToUnixTimeMilliseconds(), DueAt = due, DueUnixMs = due.ToUnixTimeMilliseconds(),
        };
        PendingApproval Pending(SealRequest r, string user, DateTimeOffset due) => new()
        {
            SealRequestId = r.Id, NodeId = "legal", NodeName = "法务审核", NodeKey = "contract/1#1", ApproverUserId = users[user], WorkflowVersion = 1,
            Since = due.AddDays(-2), SinceUnixMs = due.AddDays(-2).ToUnixTimeMilliseconds(), DueAt = due, DueUnixMs = due.ToUnixTimeMilliseconds(),
            DueOrder = due.ToUnixTimeMilliseconds(), ApplicantUserId = r.ApplicantUserId, DocumentType = DocumentTypes.Contract,
        };
        db.ApprovalDecisions.AddRange(
            Decision(late, "depthead", Day(10), Day(12)),
            Decision(late, "depthead", Day(11), Day(10)),
            Decision(transferred, "reviewer", Day(15), Day(15).AddHours(1), ApprovalOutcome.Transferred),
            Decision(boundary, "executive", start.AddMinutes(-1), Day(3)),
            Decision(boundary, "executive", start, Day(3)));
        db.PendingApprovals.AddRange(
            Pending(pending, "reviewer", Day(20)),
            Pending(pending, "reviewer", time.StartOf(period.LastDay.AddDays(1)).AddDays(5).ToUniversalTime()));
        await db.SaveChangesAsync();

        var financeSeal = new Seal { Name = "考核财务章", Type = SealType.Finance, Kind = SealKind.Physical, DepartmentId = departments["财务部"] };
        var salesSeal = new Seal { Name = "考核销售章", Type = SealType.Contract, Kind = SealKind.Physical, DepartmentId = departments["销售部"] };
        db.Seals.AddRange(financeSeal, salesSeal);
        await db.SaveChangesAsync();
        await LedgerWorld.AppendAsync(portal.Services,
            LedgerWorld.Draft(financeSeal.Id, financeSeal.Name, financeSeal.DepartmentId, Day(5), 1, kind: SealKind.Physical),
            LedgerWorld.Draft(financeSeal.Id, financeSeal.Name, financeSeal.DepartmentId, Day(6), 2, kind: SealKind.Physical),
            LedgerWorld.Draft(salesSeal.Id, salesSeal.Name, salesSeal.DepartmentId, start.AddDays(-10), 3, kind: SealKind.Physical),
            LedgerWorld.Draft(salesSeal.Id, salesSeal.Name, salesSeal.DepartmentId, Day(25), 4, kind: SealKind.Physical));
        var entries = await db.LedgerEntries.Where(e => e.SealId == financeSeal.Id || e.SealId == salesSeal.Id).OrderBy(e => e.Sequence)
            .Select(e => new { e.Id, e.Sequence }).ToListAsync();
        var audit = new SealAudit
        {
            PeriodFrom = period.FirstDay.AddMonths(-1), PeriodTo = period.LastDay, OpenedBy = "auditor", OpenedAt = Day(28), SampleRule = "4",
            SampleSize = 4, PopulationCount = 4, SamplingSeed = "assessment", Version = Guid.NewGuid(),
            Items = entries.Select((e, i) => new SealAuditItem
            {
                Ordinal = i + 1, LedgerEntryId = e.Id, Finding = i == 1 ? SealAuditFinding.Ok : SealAuditFinding.Issue,
                Note = i == 1 ? null : $"缺少审批记录 {i + 1}", RecordedBy = "auditor", RecordedAt = Day(28),
            }).ToList(),
        };
        db.SealAudits.Add(audit);
        await db.SaveChangesAsync();

        var rules = portal.Services.GetRequiredService<SealRulesService>();
        var published = await rules.PublishAsync(await PrincipalAsync(portal, "admin"), "用印管理制度", "一、先审批后用印。");
        Assert.True(published.Succeeded, published.Message);
        var current = (await rules.CurrentAsync())!;
        foreach (var user in new[] { "applicant", "reviewer", "executive", "keeper" })
            Assert.True((await rules.AcknowledgeAsync(await PrincipalAsync(portal, user), current.Id)).Succeeded);

        ViolationCase Case(string number, string department, string? responsible, DateTimeOffset openedAt, ViolationOutcome? outcome = null) => new()
        {
            Number = number, Kind = ViolationKind.UseWithoutApproval, DepartmentId = departments[department],
            ResponsibleUserId = responsible is null ? null : users[responsible], Facts = "考核测试：未经审批用印。",
            Status = outcome is null ? ViolationCaseStatus.Open : ViolationCaseStatus.Closed, Outcome = outcome,
            OpenedAt = openedAt.UtcDateTime, OpenedBy = "auditor", Version = Guid.NewGuid(),
            ClosedAt = outcome is null ? null : openedAt.AddDays(2).UtcDateTime, ClosedBy = outcome is null ? null : "auditor",
        };
        var salesCase = Case("AS-V1", "销售部", "applicant", Day(8));
        db.ViolationCases.AddRange(salesCase, Case("AS-V2", "销售部", "depthead", Day(9), ViolationOutcome.NoViolation),
            Case("AS-V3", "总经办", null, Day(12), ViolationOutcome.Warning), Case("AS-V4", "法务部", "reviewer", start.AddMinutes(-1)));
        await db.SaveChangesAsync();

        var end = time.StartOf(period.LastDay.AddDays(1)).ToUniversalTime();
        TrainingPlan Plan(string title, TrainingKind kind, DateTimeOffset createdAt, string roles = "", string departmentIds = "") => new()
        {
            Title = title, Description = "考核测试", Kind = kind, AudienceRoles = roles, AudienceDepartmentIds = departmentIds, CreatedAt = createdAt, CreatedBy = "admin",
        };
        var general = Plan("考核通用培训", TrainingKind.General, start.AddDays(-20));
        var salesOnly = Plan("考核销售培训", TrainingKind.General, start, departmentIds: departments["销售部"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var keeperPlan = Plan("考核保管人培训", TrainingKind.Keeper, start, roles: Roles.SealKeeper);
        var later = Plan("考核新培训", TrainingKind.General, end);
        db.TrainingPlans.AddRange(general, salesOnly, keeperPlan, later);
        await db.SaveChangesAsync();
        TrainingSession Session(TrainingPlan plan, DateTimeOffset at) => new()
        {
            PlanId = plan.Id, StartsAt = at, StartsUnixMs = at.ToUnixTimeMilliseconds(), DurationMinutes = 60, Place = "会议室", TrainerUserId = users["admin"],
        };
        var inP = Session(general, Day(14));
        var atEnd = Session(general, end);
        var sales = Session(salesOnly, Day(16));
        var keeping = Session(keeperPlan, Day(16));
        db.TrainingSessions.AddRange(inP, atEnd, sales, keeping);
        await db.SaveChangesAsync();
        TrainingAttendance Present(TrainingSession session, string user, bool attended = true) => new()
        {
            SessionId = session.Id, UserId = users[user], Attended = attended, RecordedAt = session.StartsAt.AddHours(1), RecordedBy = "admin",
        };
        db.TrainingAttendances.AddRange(
            Present(inP, "applicant"), Present(inP, "executive"), Present(inP, "keeper"), Present(inP, "auditor"), Present(inP, "depthead", attended: false),
            Present(atEnd, "reviewer"), Present(atEnd, "admin"), Present(sales, "depthead"), Present(keeping, "keeper"));
        await db.SaveChangesAsync();

        return new AssessmentWorld(period, AssessmentPeriod.Containing(AssessmentPeriodKind.Quarter, period.FirstDay), departments, users,
            late.Number, pending.Number, transferred.Number, audit.Id, entries[0].Sequence, salesCase.Id, salesCase.Number, general.Id, salesOnly.Id);
    }
}
