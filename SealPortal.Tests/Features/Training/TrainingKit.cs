using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Training;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Training;

/// <summary>Training set up the way an administrator and a trainer would, through <see cref="TrainingService"/>.</summary>
public static class TrainingKit
{
    public static async Task<ClaimsPrincipal> PrincipalAsync(SealPortalFactory portal, string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
    }

    public static async Task<string> UserIdAsync(SealPortalFactory portal, string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    /// <summary>
    /// An administrator plans a keeper training with a session <paramref name="daysAgo"/> days ago, which the administrator
    /// gives; the administrator, as its trainer, records that <paramref name="keeper"/> attended. Answers the session id.
    /// </summary>
    public static async Task<int> TrainKeeperAsync(SealPortalFactory portal, string keeper, double daysAgo = 1)
    {
        var training = portal.Services.GetRequiredService<TrainingService>();
        var clock = portal.Services.GetRequiredService<TimeProvider>();
        var admin = await PrincipalAsync(portal, "admin");
        var plan = await training.CreatePlanAsync(admin, new PlanInput("保管人培训 " + Guid.NewGuid().ToString("N")[..6], "印章保管、登记与交接。",
            TrainingKind.Keeper, null, [Roles.SealKeeper], []));
        Assert.True(plan.Succeeded, plan.ToString());
        var session = await training.AddSessionAsync(admin, plan.Id!.Value,
            new SessionInput(clock.GetUtcNow().AddDays(-daysAgo), 60, "会议室", await UserIdAsync(portal, "admin")));
        Assert.True(session.Succeeded, session.ToString());
        var recorded = await training.RecordAttendanceAsync(admin, session.Id!.Value, await UserIdAsync(portal, keeper), true);
        Assert.True(recorded.Succeeded, recorded.ToString());
        return session.Id!.Value;
    }
}
