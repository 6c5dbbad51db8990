using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using SealPortal.Data;

namespace SealPortal.Jobs;

/// <summary>
/// Hangfire's dashboard at /admin/jobs, for administrators only, signed in with the portal's own cookie:
/// anyone anonymous is sent to sign in, any other signed-in user gets 403. The storage is looked up on
/// the first request, so a portal that never opens the dashboard never creates Hangfire's tables for it.
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/admin/jobs";

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        var options = new DashboardOptions
        {
            AppPath = "/",
            DashboardTitle = "SealPortal jobs",
            Authorization = [],
            AsyncAuthorization = [new AdministratorsOnly()],
            DisplayStorageConnectionString = false,
        };
        app.Map(Path, branch => branch.Run(async context =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync();
                return;
            }
            if (!context.User.IsInRole(Roles.Admin))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            var storage = context.RequestServices.GetRequiredService<JobStorage>();
            await new AspNetCoreDashboardMiddleware(_ => Task.CompletedTask, storage, options, DashboardRoutes.Routes).Invoke(context);
        }));
        return app;
    }

    /// <summary>The dashboard's own check, so it holds even where the branch above is bypassed.</summary>
    private sealed class AdministratorsOnly : IDashboardAsyncAuthorizationFilter
    {
        public Task<bool> AuthorizeAsync(DashboardContext context) =>
            Task.FromResult(context.GetHttpContext().User.IsInRole(Roles.Admin));
    }
}
