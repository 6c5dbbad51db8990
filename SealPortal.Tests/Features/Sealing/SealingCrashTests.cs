using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SealPortal.Cli;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Pdf.Signing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Jobs;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Sealing;

/// <summary>
/// The portal as its own process, killed with SIGKILL in the middle of sealing (the time-stamp authority
/// holds the third time-stamp), then started again: the request is sealed exactly once, the ledger
/// verifies, and nothing is left in the temporary folders or the archive that nobody names.
/// </summary>
public class SealingCrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>The portal over the test's storage, without a job server, to prepare an approved request.</summary>
    private sealed class PreparingPortal(TestDatabase database, string dataFolder) : SealPortalFactory(database, dataFolder, ownsStorage: false)
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Signing:CertificatePath"] = SamplePki.Path_("sample-seal-rsa.pfx"),
            ["Signing:CertificatePassword"] = SamplePki.Password,
            ["Seed:SealImages"] = "false",
            // Nothing answers here: sealing right after the approval fails, and the request is set back below.
            ["Signing:TsaUrl"] = "http://127.0.0.1:9/",
            ["Signing:TsaTimeoutSeconds"] = "1",
        };
    }

    [Fact]
    public async Task A_portal_killed_during_sealing_seals_the_request_exactly_once_after_its_restart()
    {
        await using var storage = new PortalStorage();
        int id;
        await using (var prepare = new PreparingPortal(storage.Database, storage.DataFolder))
        {
            var rsa = await SealIdAsync(prepare, SealingPortal.RsaSeal);
            var ecdsa = await SealIdAsync(prepare, SealingPortal.EcdsaSeal);
            id = await SealRequestKit.SubmitAsync(prepare, [rsa, ecdsa], [PdfTestKit.ClassicPdf(2), PdfTestKit.ClassicPdf(1)]);
            await SealRequestKit.ApproveAllAsync(prepare, id);
            Assert.Equal(SealRequestStatus.SealingFailed, (await SealRequestKit.LoadAsync(prepare, id)).Status);
            // As if the portal had stopped right after committing the last approval.
            await using var scope = prepare.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            await db.SealRequests.Where(r => r.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, SealRequestStatus.Approved).SetProperty(r => r.SealingError, (string?)null));
        }
        var archive = new ArchiveStore(Path.Combine(storage.DataFolder, "archive"));
        var before = ArchiveFiles(archive);

        using var tsaIdentity = SamplePki.Load("tsa");
        var authority = new TimestampAuthority(tsaIdentity, TimeProvider.System);

        // Two documents with two seals each: the first document gets both time-stamps, the second's first one never comes.
        await using (var holding = await ControllableTsa.StartAsync(authority, answer: 2))
        {
            using var portal = StartPortal(storage, holding.Url);
            await holding.Held.WaitAsync(Patience);
            portal.Kill(entireProcessTree: true);
            await portal.WaitForExitAsync();
        }
        Assert.Equal(SealRequestStatus.Approved, await StatusAsync(storage.Database, id));
        Assert.NotEmpty(Directory.GetFileSystemEntries(Path.Combine(storage.DataFolder, "tmp")));
        Assert.Equal(before, ArchiveFiles(archive));

        await using (var answering = await ControllableTsa.StartAsync(authority, answer: int.MaxValue))
        {
            using var portal = StartPortal(storage, answering.Url);
            var until = DateTime.UtcNow + Patience;
            // Completed is committed just before the sealed files move from the request's stage into the archive:
            // wait for both, so this kill does not land in between (a kill there is recovered at the next start).
            var tmp = Path.Combine(storage.DataFolder, "tmp");
            while (await StatusAsync(storage.Database, id) != SealRequestStatus.Completed
                   || (Directory.Exists(tmp) && Directory.GetFileSystemEntries(tmp).Length > 0))
            {
                Assert.False(portal.HasExited, "the restarted portal stopped");
                Assert.True(DateTime.UtcNow < until, "the restarted portal did not seal the request");
                await Task.Delay(250);
            }
            portal.Kill(entireProcessTree: true);
            await portal.WaitForExitAsync();
        }

        await using var check = new PreparingPortal(storage.Database, storage.DataFolder);
        var request = await SealRequestKit.LoadAsync(check, id);
        var ledger = await SealRequestKit.LedgerAsync(check, id);
        Assert.Equal(4, ledger.Count);
        Assert.Equal(request.Documents.Select(d => d.SealedSha256).Order(), ledger.Select(e => e.DocumentSha256).Distinct().Order());
        var expected = before.Concat(request.Documents.Select(d => d.SealedSha256!)).Append(request.DecisionRecordSha256!).Order().ToList();
        Assert.Equal(expected, ArchiveFiles(archive));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(storage.DataFolder, "tmp")));
        Assert.Empty(Directory.GetFiles(archive.Root, ".incoming-*"));

        var (exit, output) = await RunVerbAsync(storage, "ledger", "verify");
        Assert.True(exit == 0, $"ledger verify exited {exit}: {output}");
    }

    private static async Task<int> SealIdAsync(SealPortalFactory portal, string name)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.Seals.Where(s => s.Name == name).Select(s => s.Id).SingleAsync();
    }

    private static List<string> ArchiveFiles(ArchiveStore archive) =>
        Directory.Exists(archive.Root)
            ? Directory.GetFiles(archive.Root, "*", SearchOption.AllDirectories).Select(f => Path.GetFileName(f)).Where(n => !n.StartsWith('.')).Order().ToList()
            : [];

    private static async Task<SealRequestStatus> StatusAsync(TestDatabase database, int id)
    {
        await using SealPortalDbContext db = database.Provider == "Postgres"
            ? new PostgresSealPortalDbContext(new DbContextOptionsBuilder<PostgresSealPortalDbContext>().UseNpgsql(database.ConnectionString).Options)
            : new SqliteSealPortalDbContext(new DbContextOptionsBuilder<SqliteSealPortalDbContext>().UseSqlite(database.ConnectionString).Options);
        return await db.SealRequests.AsNoTracking().Where(r => r.Id == id).Select(r => r.Status).SingleAsync();
    }

    private static ProcessStartInfo Start(PortalStorage storage, IEnumerable<string> args, Uri? tsa)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(typeof(CliRunner).Assembly.Location);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["Database__Provider"] = storage.Database.Provider;
        psi.Environment["ConnectionStrings__SealPortal"] = storage.Database.ConnectionString;
        psi.Environment["SealPortal__DataFolder"] = storage.DataFolder;
        psi.Environment["DataProtection__CertificatePath"] = SamplePki.Path_("sample-dataprotection.pfx");
        psi.Environment["DataProtection__CertificatePassword"] = "sample";
        psi.Environment["Seed__SealImages"] = "false";
        psi.Environment["Jobs__Enabled"] = "true";
        if (tsa is not null)
            psi.Environment["Signing__TsaUrl"] = tsa.ToString();
        return psi;
    }

    private static Process StartPortal(PortalStorage storage, Uri tsa)
    {
        var process = Process.Start(Start(storage, [], tsa))!;
        // Read both pipes so a chatty child never blocks on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int Exit, string Output)> RunVerbAsync(PortalStorage storage, params string[] args)
    {
        using var process = Process.Start(Start(storage, args, null))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return (process.ExitCode, await output + await error);
    }
}
