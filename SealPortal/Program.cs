using SealPortal;
using SealPortal.Cli;
using SealPortal.Components;
using SealPortal.Data;
using SealPortal.Features.Account;
using SealPortal.Features.Admin;
using SealPortal.Features.Assessment;
using SealPortal.Features.Audits;
using SealPortal.Features.Dashboard;
using SealPortal.Features.Notifications;
using SealPortal.Features.Retention;
using SealPortal.Features.Seals;
using SealPortal.Features.Training;
using SealPortal.Features.Sealing;
using SealPortal.Features.Verification;
using SealPortal.Jobs;
using SealPortal.Features.Requests;
using SealPortal.Features.Ledger;
using SealPortal.Features.Workflows;
using SealPortal.Hosting;
using SealPortal.Resources;

// The bench's memory child signs one file and nothing else (see BenchCommand.IsMemoryChild).
if (BenchCommand.IsMemoryChild(args))
    return await BenchCommand.ChildSignAsync(args[2], args[3]);

// The same executable is the portal and the offline command line (sign, verify, tsa, bench, ...).
if (CliRunner.IsCommand(args))
{
    CliRunner.ReturnToCallerDirectory();
    return await CliRunner.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddSealPortal();

var app = builder.Build();

await app.PrepareSealPortalDatabaseAsync();

app.UseSealPortalWeb();
app.MapAccountEndpoints();
app.MapSealEndpoints();
app.MapRequestEndpoints();
app.MapSealingEndpoints();
app.MapVerificationEndpoints();
app.MapLedgerEndpoints();
app.MapTrainingEndpoints();
app.MapAssessmentEndpoints();
app.MapJobsDashboard();
app.MapSealPortalPages();

await app.RunAsync();
return 0;

public partial class Program;
