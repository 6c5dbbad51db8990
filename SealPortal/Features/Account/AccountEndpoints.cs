using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using SealPortal.Data;
using SealPortal.Resources;

namespace SealPortal.Features.Account;

public static class AccountEndpoints
{
    /// <summary>
    /// Sign-out and the language switch are plain form posts from the layout. Binding a
    /// [FromForm] value makes the antiforgery middleware check the token on both.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (
            [FromForm] string? returnUrl,
            HttpContext http,
            SignInManager<ApplicationUser> signIn,
            ILogger<SignInManager<ApplicationUser>> logger) =>
        {
            var name = http.User.Identity?.Name;
            await signIn.SignOutAsync();
            logger.LogInformation("User {UserName} signed out", name);
            return TypedResults.LocalRedirect(AccountServiceExtensions.LoginPath);
        });

        app.MapPost("/account/culture", async (
            [FromForm] string culture,
            [FromForm] string? returnUrl,
            HttpContext http,
            UserManager<ApplicationUser> users) =>
        {
            if (!SealPortalCultures.IsSupported(culture))
                return Results.BadRequest($"Unsupported language \"{culture}\".");

            SealPortalCultures.WriteCookie(http.Response, culture);
            if (http.User.Identity?.IsAuthenticated == true && await users.GetUserAsync(http.User) is { } user)
            {
                user.PreferredCulture = culture;
                await users.UpdateAsync(user);
            }
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous();

        return app;
    }

    /// <summary>
    /// Only same-site paths: "//host" and "/\host" would leave the portal, and a tab or line break
    /// (which browsers drop, so "/\t/host" is "//host") makes LocalRedirect throw.
    /// </summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
