using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SealPortal.Data;

namespace SealPortal.Features.Account;

public static class AccountServiceExtensions
{
    public const string LoginPath = "/account/login";
    public const string AccessDeniedPath = "/account/access-denied";
    public const int MinimumPasswordLength = 12;

    /// <summary>
    /// ASP.NET Core Identity with EF Core stores and the portal's cookie. Every endpoint needs a
    /// signed-in user unless it says [AllowAnonymous] (login, health, error pages).
    /// </summary>
    public static WebApplicationBuilder AddSealPortalIdentity(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddIdentity<ApplicationUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = false;
                o.Password.RequiredLength = MinimumPasswordLength;
                o.Password.RequireNonAlphanumeric = false;
                // Lets an administrator lock an account. Failed sign-ins never lock one (see PasswordSignIn).
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddPasswordValidator<CommonPasswords>()
            .AddEntityFrameworkStores<SealPortalDbContext>()
            .AddErrorDescriber<LocalizedIdentityErrors>()
            .AddDefaultTokenProviders();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "SealPortal.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = LoginPath;
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = AccessDeniedPath;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });

        // Sessions live in the database (SessionStore); the security stamp is re-read every minute, so a
        // password change, reset, lock or role change reaches every cookie of the user within a minute
        // even where its session row was not deleted.
        builder.Services.AddScoped<PasswordSignIn>();
        builder.Services.AddSignInLimits();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, SessionStore.Setup>();
        builder.Services.AddSingleton<SessionRevocation>();
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }
}
