using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SealPortal.Features.Account;

/// <summary>Settings under "SignInLimits": how many sign-in posts a window allows, and how long a window is.</summary>
public sealed class SignInLimitOptions
{
    public const string Section = "SignInLimits";

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>All sign-in posts from one client address, whatever the user name: room for an office behind one NAT.</summary>
    public int PerAddress { get; set; } = 300;

    /// <summary>Posts for one user name from one client address: what one outsider may guess at one account.</summary>
    public int PerAccountFromAddress { get; set; } = 10;

    /// <summary>
    /// Posts for one user name from all addresses together. Ten times the per-address share, so it
    /// takes ten addresses working together, not one outsider, to keep the owner out for a window.
    /// </summary>
    public int PerAccount { get; set; } = 100;
}

/// <summary>
/// ASP.NET Core's rate limiter on the sign-in post, by client address, by user name from that
/// address and by user name. This replaces the lockout after failed attempts, which anyone could
/// trigger for any account: here an outsider's posts use up only the outsider's own share.
/// </summary>
public static class SignInLimits
{
    private const string AccountItem = "SealPortal.SignInAccount";
    private const string UserNameField = "Input.UserName";

    public static IServiceCollection AddSignInLimits(this IServiceCollection services)
    {
        services.AddOptions<SignInLimitOptions>().BindConfiguration(SignInLimitOptions.Section);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SignInLimitOptions>>((o, limits) =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = ((int)limits.Value.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Partition(limits, ctx => Address(ctx), l => l.PerAddress),
                Partition(limits, ctx => Address(ctx) + "|" + Account(ctx), l => l.PerAccountFromAddress),
                Partition(limits, ctx => Account(ctx), l => l.PerAccount));
        });
        return services;
    }

    /// <summary>
    /// Reads the user name of a sign-in post before the limiter decides (the form stays buffered for
    /// the page), then applies the limits.
    /// </summary>
    public static IApplicationBuilder UseSignInLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsSignInPost(context) && context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                context.Items[AccountItem] = form[UserNameField].ToString().Trim().ToUpperInvariant();
            }
            await next(context);
        });
        return app.UseRateLimiter();
    }

    private static bool IsSignInPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) &&
        context.Request.Path.Equals(AccountServiceExtensions.LoginPath, StringComparison.OrdinalIgnoreCase);

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string Account(HttpContext context) => context.Items[AccountItem] as string ?? "";

    private static PartitionedRateLimiter<HttpContext> Partition(
        IOptions<SignInLimitOptions> limits, Func<HttpContext, string> key, Func<SignInLimitOptions, int> permits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignInPost(context)
            ? RateLimitPartition.GetFixedWindowLimiter(key(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits(limits.Value),
                Window = limits.Value.Window,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(""));
}
