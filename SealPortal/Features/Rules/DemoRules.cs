using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Rules;

/// <summary>
/// The demo company's seal-management rules, version 1, published by the seed when its history starts.
/// Every demo user acknowledged it then, so the demo's requests go through; an administrator who
/// publishes version 2 sees every user asked again.
/// </summary>
public static class DemoRules
{
    public const string Title = "示例科技有限公司用印管理制度";

    public const string Body = """
        一、适用范围：本制度适用于公司全部实体印章与电子印章的申请、审批、使用、保管和归档。

        二、先审批后用印：任何用印须先在本平台提交申请，经部门负责人及制度规定的审批人批准后方可盖章；不得先盖章后补手续。

        三、按授权范围使用：每枚印章只能用于其授权范围内的文件类型，例如财务专用章只用于财务事务，合同专用章只用于合同签订。

        四、专人保管：实体印章由指定保管人保管，不得转借他人或带离办公场所；电子印章的证书和密码不得外泄。

        五、如实登记：每次用印均记入用印台账，写明用途、文件和经办人，台账不得涂改或删除。

        六、责任追究：违反本制度用印的，由相关部门和责任人承担责任，情节严重的依公司规定处理。
        """;

    /// <summary>Publishes version 1 (unless a version exists) and records that every user present acknowledged it, now.</summary>
    public static async Task SeedAsync(SealPortalDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.SealRules.AnyAsync(ct))
            return;
        var now = clock.GetUtcNow();
        var rules = new SealRulesVersion { Version = 1, Title = Title, Body = Body, PublishedAt = now, PublishedBy = AuditTrail.AuditTrail.SystemActor };
        db.SealRules.Add(rules);
        await db.SaveChangesAsync(ct);
        foreach (var userId in await db.Users.Select(u => u.Id).ToListAsync(ct))
            db.RuleAcknowledgements.Add(new RuleAcknowledgement { UserId = userId, RulesVersionId = rules.Id, AcknowledgedAt = now });
        await db.SaveChangesAsync(ct);
    }
}
