using System.Net;
using SealPortal.Cli;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Account;

public class ResetPasswordVerbTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    private string[] Config =>
    [
        "--Database:Provider", portal.Database.Provider,
        "--ConnectionStrings:SealPortal", portal.Database.ConnectionString,
        "--SealPortal:DataFolder", portal.DataFolder,
    ];

    [Fact]
    public async Task Reset_password_prints_a_new_password_that_signs_in()
    {
        _ = portal.Services; // the portal has migrated and seeded the database
        var (code, output, _) = await ConsoleCapture.RunAsync(["reset-password", "auditor", .. Config]);
        Assert.Equal(0, code);
        var line = output.Split('\n').Single(l => l.StartsWith("New password for auditor: "));
        var password = line["New password for auditor: ".Length..].Trim();

        using var client = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync("auditor", SealPortalFactory.DemoPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("auditor", password)).StatusCode);
    }

    [Fact]
    public async Task Unknown_user_or_missing_name_is_a_usage_error()
    {
        _ = portal.Services;
        Assert.True(CliRunner.IsCommand(["reset-password"]));
        Assert.Equal(2, (await ConsoleCapture.RunAsync(["reset-password", "nobody", .. Config])).Code);
        Assert.Equal(2, (await ConsoleCapture.RunAsync(["reset-password"])).Code);
    }
}
