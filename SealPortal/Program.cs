using SealPortal.Cli;

// The same executable is the portal and the offline command line (sign, verify, tsa, bench, ...).
if (CliRunner.IsCommand(args))
{
    return await CliRunner.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

var app = builder.Build();

app.MapGet("/", () => "SealPortal");

await app.RunAsync();
return 0;

public partial class Program;
