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
/// <item>Rules (one version published): accepted by applicant, reviewer, executive, keeper; not by depthead, admin,
/// auditor. So 销售部 1/2, 法务部 1/1, 总经办 2/3, 财务部 0/1.</item>
/// </list>
/// Weights 40/30/30 make the scores 销售部 (40·90 + 30·75 + 30·50)/100 = 73.5 → 74, 法务部 (40·80 + 30·100 + 30·100)/100 = 92,
/// 总经办 (40·90 + 30·100 + 30·66.7)/100 = 86, 财务部 (40·100 + 30·75 + 30·0)/100 = 62.5 → 63.
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
    long FinanceIssueSequence)
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

        return new AssessmentWorld(period, AssessmentPeriod.Containing(AssessmentPeriodKind.Quarter, period.FirstDay), departments, users,
            late.Number, pending.Number, transferred.Number, audit.Id, entries[0].Sequence);
    }
}
