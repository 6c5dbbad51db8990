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
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
            throw new CliUsageException("usage: reset-password USER [--Key value ...]");
        var userName = args[0];

        var builder = WebApplication.CreateBuilder(args[1..]);
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
