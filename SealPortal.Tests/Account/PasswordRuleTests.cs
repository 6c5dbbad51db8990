using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Account;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Account;

public class PasswordRuleTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Theory]
    [InlineData("Short-Pas1")]
    [InlineData("Password1234")]
    [InlineData("P@ssw0rd-2026")]
    [InlineData("Qwertyuiop123")]
    [InlineData("1qaz2WSX3edc")]
    [InlineData("Welcome2026!!")]
    [InlineData("Woaini1314520")]
    [InlineData("2026-Admin-2026")]
    public async Task Short_and_common_passwords_are_refused(string password)
    {
        var result = await ValidateAsync(password);
        Assert.False(result.Succeeded, $"{password} was accepted");
    }

    [Theory]
    [InlineData("Demo-Pass-2026")]
    [InlineData("Brand-New-Pass-7")]
    [InlineData("Copper-Lantern-58")]
    public async Task Long_uncommon_passwords_pass(string password) =>
        Assert.True((await ValidateAsync(password)).Succeeded);

    [Fact]
    public async Task Generated_passwords_for_demo_users_and_resets_pass()
    {
        for (var i = 0; i < 200; i++)
        {
            var password = DatabaseInitializer.NewPassword();
            var result = await ValidateAsync(password);
            Assert.True(result.Succeeded, $"{password}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    [Fact]
    public void The_list_matches_case_ends_and_look_alikes()
    {
        Assert.True(CommonPasswords.IsCommon("PASSWORD"));
        Assert.True(CommonPasswords.IsCommon("!!Passw0rd2026"));
        Assert.True(CommonPasswords.IsCommon("1L0vey0u!"));
        Assert.False(CommonPasswords.IsCommon("Demo-Pass-2026"));
        Assert.False(CommonPasswords.IsCommon("password-lantern"));
    }

    [Fact]
    public async Task Changing_to_a_common_password_is_refused_on_the_page()
    {
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.CreateAsync(new ApplicationUser { UserName = "commoner", DisplayName = "Commoner" }, SealPortalFactory.DemoPassword)).Succeeded);
        }
        using var client = await portal.SignInAsync("commoner");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var response = await client.SubmitNamedFormAsync("/account/password", "change-password", new Dictionary<string, object>
        {
            ["Input.CurrentPassword"] = SealPortalFactory.DemoPassword,
            ["Input.NewPassword"] = "Password2026!",
            ["Input.ConfirmPassword"] = "Password2026!",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await PortalClient.ParseAsync(response)).QuerySelectorAll(".account-notice-error").Select(m => m.TextContent).ToList();
        Assert.Contains("This password is among the most common ones, which are tried first. Choose another.", errors);
    }

    private async Task<IdentityResult> ValidateAsync(string password)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = "rule-check", DisplayName = "Rule check" };
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            if (!result.Succeeded)
                return result;
        }
        return IdentityResult.Success;
    }
}
