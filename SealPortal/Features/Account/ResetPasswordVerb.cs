using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using SealPortal.Cli;
using SealPortal.Data;
using SealPortal.Features.Admin;
using SealPortal.Resources;

namespace SealPortal.Features.Account;

/// <summary>
/// <c>reset-password USER [--Key value ...]</c>: gives USER a new random password and prints it.
/// For the administrator who lost the demo passwords printed on first start. Extra options are
/// configuration overrides (e.g. <c>--Database:Provider Postgres</c>), read like the portal reads them.
/// </summary>
public static class ResetPasswordVerb
{
    public static Command Create()
    {
        var user = new Argument<string>("USER") { Description = "the user name whose password is replaced" };
        var command = new Command("reset-password",
            "Give a user a new random password and print it. Further --Key value pairs override the portal's configuration, e.g. --Database:Provider Postgres.")
        {
            user,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(p => RunAsync(p.GetRequiredValue(user), [.. p.UnmatchedTokens]));
        return command;
    }

    private static async Task<int> RunAsync(string userName, string[] configuration)
    {
        if (userName.StartsWith("--", StringComparison.Ordinal))
            throw new CliUsageException("the first argument is the user name: reset-password USER [--Key value ...]");
        var builder = WebApplication.CreateBuilder(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddSealPortalData();
        builder.AddSealPortalIdentity();
        builder.AddSealPortalLocalization();
        builder.AddSealPortalAdmin();
        builder.Services.AddSingleton(TimeProvider.System);
        await using var app = builder.Build();

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Database.MigrateAsync();
        var (result, password) = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .ResetPasswordAsync(userName, actor: "command line");
        if (!result.Succeeded)
            throw new CliUsageException(string.Join(" ", result.Errors));

        Console.Out.WriteLine($"New password for {userName}: {password}");
        return 0;
    }
}
