using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Account;
using SealPortal.Features.Admin;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Account;

/// <summary>Sessions end on the server: a copy of the cookie is worth nothing once its session is over.</summary>
public class SessionTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task A_cookie_replayed_after_sign_out_goes_to_the_sign_in_page()
    {
        using var client = portal.CreatePortalClient();
        var signIn = await client.SignInAsync("auditor", SealPortalFactory.DemoPassword);
        var cookie = AuthCookie(signIn);
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(cookie).GetAsync("/")).StatusCode);

        var signOut = await client.SubmitFormAsync("/", "form[action='/account/logout']", new Dictionary<string, object>());
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        var replayed = await WithCookie(cookie).GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/account/login", replayed.Headers.Location!.PathAndQuery);
        var replayedPost = await WithCookie(cookie).PostAsync("/account/logout", new FormUrlEncodedContent([]));
        Assert.NotEqual(HttpStatusCode.OK, replayedPost.StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_ends_the_users_other_sessions_and_keeps_this_one()
    {
        await CreateUserAsync("pwchanger", Roles.Applicant);
        using var here = await portal.SignInAsync("pwchanger");
        using var elsewhere = await portal.SignInAsync("pwchanger");

        var changed = await here.SubmitNamedFormAsync("/account/password", "change-password", new Dictionary<string, object>
        {
            ["Input.CurrentPassword"] = SealPortalFactory.DemoPassword,
            ["Input.NewPassword"] = "Fresh-Enough-Pass-9",
            ["Input.ConfirmPassword"] = "Fresh-Enough-Pass-9",
        });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/")).StatusCode);
        AssertSentToSignIn(await elsewhere.GetAsync("/"));
    }

    public static TheoryData<string> AdministratorActions => ["reset", "lock", "roles"];

    [Theory]
    [MemberData(nameof(AdministratorActions))]
    public async Task An_administrators_reset_lock_or_role_change_ends_the_users_sessions(string action)
    {
        var user = await CreateUserAsync("target-" + action, Roles.Applicant);
        using var client = await portal.SignInAsync(user.UserName!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var result = action switch
            {
                "reset" => (await admin.ResetPasswordAsync(user.UserName!, "admin")).Result,
                "lock" => await admin.SetLockedAsync(user.Id, locked: true, "admin"),
                _ => await admin.UpdateAsync(user.Id, "Target", user.DepartmentId!.Value, [Roles.Applicant, Roles.Reviewer], "admin"),
            };
            Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        }

        AssertSentToSignIn(await client.GetAsync("/"));
    }

    [Fact]
    public async Task IsActive_follows_the_session_row_the_security_stamp_and_the_lock()
    {
        var user = await CreateUserAsync("circuit-holder", Roles.Applicant);
        using var client = await portal.SignInAsync(user.UserName!);
        var principal = await SessionPrincipalAsync(user.Id);
        var sessions = portal.Services.GetRequiredService<SessionRevocation>();
        Assert.True(await sessions.IsActiveAsync(principal));

        // A stamp changed without deleting rows (as anything that calls UpdateSecurityStampAsync does).
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByIdAsync(user.Id))!);
        }
        Assert.False(await sessions.IsActiveAsync(principal));

        using var again = await portal.SignInAsync(user.UserName!);
        var fresh = (await SessionPrincipalsAsync(user.Id)).Single(p => p.FindFirstValue(SessionRevocation.SessionClaim) != principal.FindFirstValue(SessionRevocation.SessionClaim));
        Assert.True(await sessions.IsActiveAsync(fresh));
        await sessions.EndSessionsAsync(user.Id);
        Assert.False(await sessions.IsActiveAsync(fresh));
        Assert.False(await sessions.IsActiveAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "forged"))));
    }

    [Fact]
    public void The_security_stamp_is_checked_every_minute()
    {
        var options = portal.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityStampValidatorOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(1), options.ValidationInterval);
    }

    private static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    private static string AuthCookie(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("SealPortal.Auth="));

    private HttpClient WithCookie(string cookie)
    {
        var http = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        return http;
    }

    private async Task<ApplicationUser> CreateUserAsync(string userName, string role)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var user = new ApplicationUser { UserName = userName, DisplayName = userName, DepartmentId = (await db.Departments.FirstAsync()).Id };
        var created = await users.CreateAsync(user, SealPortalFactory.DemoPassword);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user;
    }

    private async Task<ClaimsPrincipal> SessionPrincipalAsync(string userId) => (await SessionPrincipalsAsync(userId)).Single();

    /// <summary>The principals the session rows hold, as a circuit would have them.</summary>
    private async Task<List<ClaimsPrincipal>> SessionPrincipalsAsync(string userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var tickets = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().UserSessions
            .Where(s => s.UserId == userId).Select(s => s.Ticket).ToListAsync();
        return tickets.Select(t => TicketSerializer.Default.Deserialize(t)!.Principal).ToList();
    }
}
