using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Training;

/// <summary>
/// The demo company's training, written when its history starts: a keeper-training plan whose first session
/// (at the history's start, given by the administrator) every demo keeper attended, so the demo keepers' training is
/// current and seals can be given to them; and a training on the seal-management rules for everyone, with a session
/// that took place then and one a week from now (the day before it, its audience is reminded).
/// </summary>
public static class DemoTraining
{
    public const string KeeperPlanTitle = "印章保管人岗前培训";

    public const string RulesPlanTitle = "用印管理制度宣贯";

    public static async Task SeedAsync(SealPortalDbContext db, TimeProvider clock, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.TrainingPlans.AnyAsync(ct))
            return;
        var at = clock.GetUtcNow();
        var trainer = await db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleOrDefaultAsync(ct);
        if (trainer is null)
            return;
        var keeper = new TrainingPlan
        {
            Title = KeeperPlanTitle, Kind = TrainingKind.Keeper, Schedule = "每年一次；新任保管人上岗前",
            Description = "印章的领用、保管、登记与交接；实体印章的存放要求；电子印章证书与口令的保管；印章遗失的报告流程。",
            AudienceRoles = Roles.SealKeeper, CreatedAt = at, CreatedBy = AuditTrail.AuditTrail.SystemActor,
        };
        var rules = new TrainingPlan
        {
            Title = RulesPlanTitle, Kind = TrainingKind.General, Schedule = "每季度一次",
            Description = "公司用印管理制度的要点：先审批后用印、按授权范围使用、如实登记台账、责任追究。",
            CreatedAt = at, CreatedBy = AuditTrail.AuditTrail.SystemActor,
        };
        db.TrainingPlans.AddRange(keeper, rules);
        await db.SaveChangesAsync(ct);

        var keeperSession = Session(keeper.Id, at, "总经办会议室", trainer);
        var rulesSession = Session(rules.Id, at.AddHours(2), "大会议室", trainer);
        var upcoming = now.AddDays(7);
        var nextRules = Session(rules.Id, upcoming.AddTicks(-(upcoming.Ticks % TimeSpan.TicksPerHour)), "大会议室", trainer);
        db.TrainingSessions.AddRange(keeperSession, rulesSession, nextRules);
        await db.SaveChangesAsync(ct);

        var keeperRole = await db.Roles.Where(r => r.Name == Roles.SealKeeper).Select(r => r.Id).SingleAsync(ct);
        var keepers = await db.UserRoles.Where(ur => ur.RoleId == keeperRole).Select(ur => ur.UserId).ToListAsync(ct);
        foreach (var userId in keepers)
            db.TrainingAttendances.Add(new TrainingAttendance { SessionId = keeperSession.Id, UserId = userId, Attended = true, RecordedAt = keeperSession.StartsAt.AddMinutes(keeperSession.DurationMinutes), RecordedBy = "admin" });
        foreach (var userId in await db.Users.Select(u => u.Id).ToListAsync(ct))
            db.TrainingAttendances.Add(new TrainingAttendance { SessionId = rulesSession.Id, UserId = userId, Attended = true, RecordedAt = rulesSession.StartsAt.AddMinutes(rulesSession.DurationMinutes), RecordedBy = "admin" });
        await db.SaveChangesAsync(ct);
    }

    private static TrainingSession Session(int planId, DateTimeOffset startsAt, string place, string trainer) => new()
    {
        PlanId = planId, StartsAt = startsAt.ToUniversalTime(), StartsUnixMs = startsAt.ToUnixTimeMilliseconds(), DurationMinutes = 90,
        Place = place, TrainerUserId = trainer,
    };
}
