using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Account;
using SealPortal.Features.Admin;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Account;

/// <summary>Counts password verifications, so a test can see that every refusal costs one hash.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<ApplicationUser>
{
    private readonly PasswordHasher<ApplicationUser> inner = new();
    private int verifications;

    public int Verifications => Volatile.Read(ref verifications);

    public string HashPassword(ApplicationUser user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref verifications);
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>
/// A portal with small sign-in limits that believes X-Forwarded-For, so a test can play several
/// client addresses, and a hasher that counts.
/// </summary>
public sealed class LimitedSignInPortal : SealPortalFactory
{
    public CountingPasswordHasher Hasher { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["FORWARDEDHEADERS_ENABLED"] = "true",
        ["SignInLimits:PerAddress"] = "6",
        ["SignInLimits:PerAccountFromAddress"] = "3",
        ["SignInLimits:PerAccount"] = "5",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<ApplicationUser>>(Hasher));
    }

    public PortalClient ClientFrom(string address)
    {
        var client = new PortalClient(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }
}

public class SignInHardeningTests(LimitedSignInPortal portal) : IClassFixture<LimitedSignInPortal>
{
    private const string Refused = "Sign-in failed: the user name or password is wrong, or the account is locked. Try again or ask an administrator.";

    [Fact]
    public async Task Unknown_users_wrong_passwords_and_locked_accounts_get_the_same_answer_for_the_same_work()
    {
        await CreateUserAsync("locked-one");
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            Assert.True((await admin.SetLockedAsync((await users.FindByNameAsync("locked-one"))!.Id, locked: true, "admin")).Succeeded);
        }

        var answers = new List<(HttpStatusCode Status, string Error, int Hashes)>();
        foreach (var (address, user, password) in new[]
                 {
                     ("10.1.0.1", "no-such-user", "Whatever-Pass-1"),
                     ("10.1.0.2", "keeper", "Wrong-Pass-1234"),
                     ("10.1.0.3", "locked-one", SealPortalFactory.DemoPassword),
                 })
        {
            using var client = portal.ClientFrom(address);
            var before = portal.Hasher.Verifications;
            var response = await client.SignInAsync(user, password);
            var hashes = portal.Hasher.Verifications - before;
            answers.Add((response.StatusCode, (await PortalClient.ParseAsync(response)).TextOf("[data-testid=login-error]"), hashes));
        }
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, Refused, 1), a));
    }

    [Fact]
    public async Task Failed_posts_do_not_lock_the_account()
    {
        await CreateUserAsync("not-lockable");
        // Five failures locked an account before; five is also all this portal's per-account limit lets through.
        for (var i = 0; i < 5; i++)
        {
            using var outsider = portal.ClientFrom($"10.2.{i}.1");
            Assert.Equal(HttpStatusCode.OK, (await outsider.SignInAsync("not-lockable", "Wrong-Pass-1234")).StatusCode);
        }
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByNameAsync("not-lockable"))!;
            Assert.False(await users.IsLockedOutAsync(user));
            Assert.Equal(0, await users.GetAccessFailedCountAsync(user));
        }
    }

    [Fact]
    public async Task An_outsider_flooding_an_account_is_limited_and_the_owner_still_signs_in()
    {
        using var outsider = portal.ClientFrom("203.0.113.7");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            answers.Add((await outsider.SignInAsync("admin", "Guess-Number-" + i)).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
        var limited = await outsider.SignInAsync("admin", "Guess-Number-9");
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("Too many sign-in attempts", (await PortalClient.ParseAsync(limited)).TextOf("[data-testid=status-message]"));

        using var owner = portal.ClientFrom("198.51.100.20");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync("admin", SealPortalFactory.DemoPassword)).StatusCode);
    }

    [Fact]
    public async Task One_address_trying_many_accounts_is_limited()
    {
        using var sprayer = portal.ClientFrom("203.0.113.50");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
            answers.Add((await sprayer.SignInAsync("sprayed-" + i, "Spring-2026-Pass")).StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 6).Append(HttpStatusCode.TooManyRequests), answers);
    }

    [Fact]
    public async Task Many_addresses_together_meet_the_per_account_limit()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var client = portal.ClientFrom($"192.0.2.{i + 1}");
            answers.Add((await client.SignInAsync("auditor", "Wrong-Pass-1234")).StatusCode);
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests), answers);
    }

    [Fact]
    public async Task Getting_the_sign_in_page_is_not_limited()
    {
        using var client = portal.ClientFrom("203.0.113.99");
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
    }

    private async Task CreateUserAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var created = await users.CreateAsync(
            new ApplicationUser { UserName = userName, DisplayName = userName, DepartmentId = (await db.Departments.FirstAsync()).Id },
            SealPortalFactory.DemoPassword);
        Assert.True(created.Succeeded);
    }
}
