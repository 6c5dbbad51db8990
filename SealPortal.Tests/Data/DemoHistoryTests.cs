using System.Net;
using Bunit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Ledger;
using SealPortal.Features.Requests;
using SealPortal.Features.Verification;
using SealPortal.Pdf.Validation;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;
using SealPortal.Workflow;
using Xunit.Abstractions;

namespace SealPortal.Tests.Data;

/// <summary>
/// A portal started with the demo history on, at a fixed moment two months after the sample seal
/// certificates became valid, so the history has both physically stamped and electronically sealed requests.
/// </summary>
public class DemoHistoryPortal : SealPortalFactory
{
    public static readonly DateTimeOffset Now = new(2027, 1, 20, 6, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Now);

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Demo:History"] = "true",
        // As in Development: the demo's electronic seals get the sample certificates.
        ["Signing:CertificatePath"] = SamplePki.Path_("sample-seal-rsa.pfx"),
        ["Signing:CertificatePassword"] = SamplePki.Password,
        ["Signing:TrustedRootsPath"] = SamplePki.Path_("sample-root-ca.crt"),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>What the history wrote, as a list of lines, for comparing two portals.</summary>
    public async Task<IReadOnlyList<string>> HistoryLinesAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var requests = await db.SealRequests.AsNoTracking().Include(r => r.Documents).OrderBy(r => r.Id).ToListAsync();
        var ledger = await db.LedgerEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        return
        [
            .. requests.Select(r => $"{r.Number} {r.Status} {r.Purpose} {r.CreatedAt:O} {r.SubmittedAt:O} {string.Join(",", r.Documents.Select(d => d.OriginalSha256))}"),
            .. ledger.Select(e => $"{e.Sequence} {e.SealName} {e.Kind} {e.ExecutedAt:O} {e.DocumentName} {e.Copies}"),
        ];
    }
}

public class DemoHistoryTests(DemoHistoryPortal portal, ITestOutputHelper output) : IClassFixture<DemoHistoryPortal>
{
    private async Task<T> WithDb<T>(Func<SealPortalDbContext, Task<T>> read)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>());
    }

    [Fact]
    public async Task The_history_has_requests_in_every_state_stampings_and_two_audits()
    {
        // The host (and its seed) starts on first use of its services; the log is read only after that.
        _ = portal.Services;
        output.WriteLine(portal.Logs.Entries.Single(e => e.Message.StartsWith("Seeded the demo company with its history")).Message);
        Assert.DoesNotContain(portal.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        var byStatus = await WithDb(db => db.SealRequests.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        foreach (var status in new[] { SealRequestStatus.Draft, SealRequestStatus.InApproval, SealRequestStatus.Returned, SealRequestStatus.Rejected,
                     SealRequestStatus.Withdrawn, SealRequestStatus.Approved, SealRequestStatus.Completed })
            Assert.True(byStatus.GetValueOrDefault(status) > 0, $"no {status} request: {string.Join(", ", byStatus)}");

        // Waiting at each node of the demo flows: department head, legal review and executive, named in
        // Chinese like the rest of the (Chinese) demo company.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var requests = scope.ServiceProvider.GetRequiredService<RequestQueries>();
            foreach (var (approver, node) in new[] { ("depthead", "部门负责人审批"), ("reviewer", "法务审核"), ("executive", "高层领导审批") })
            {
                var userId = await WithDb(db => db.Users.Where(u => u.UserName == approver).Select(u => u.Id).SingleAsync());
                var inbox = await requests.InboxAllAsync(userId, new InboxFilter());
                Assert.Contains(inbox, i => i.NodeName == node);
            }
        }

        Assert.True(await WithDb(db => db.PhysicalStampings.CountAsync()) > 3);
        var audits = await WithDb(db => db.SealAudits.AsNoTracking().ToListAsync());
        Assert.Equal([SealAuditStatus.Closed, SealAuditStatus.Open], audits.OrderBy(a => a.Id).Select(a => a.Status));

        // Thirteen weeks back: the oldest request is older than twelve weeks, and nothing is in the future.
        var created = await WithDb(db => db.SealRequests.Select(r => r.CreatedAt).ToListAsync());
        Assert.True(created.Min() < DemoHistoryPortal.Now.AddDays(-84), $"oldest {created.Min():O}");
        Assert.True(created.Max() < DemoHistoryPortal.Now);
    }

    [Fact]
    public async Task The_demo_keepers_attended_keeper_training_at_the_start_of_the_history_so_seals_can_be_given_to_them()
    {
        var keeper = await WithDb(db => db.Users.Where(u => u.UserName == "keeper").Select(u => u.Id).SingleAsync());
        var status = await WithDb(db => SealPortal.Features.Training.KeeperTraining.StatusAsync(db, keeper, DemoHistoryPortal.Now, 12));
        Assert.True(status.IsCurrent(DemoHistoryPortal.Now), $"keeper training valid until {status.ValidUntil:O}");
        Assert.True(status.LastAttended < DemoHistoryPortal.Now.AddDays(-84), $"attended {status.LastAttended:O}");
        var mine = await portal.Services.GetRequiredService<SealPortal.Features.Training.TrainingService>()
            .MineAsync(await SealPortal.Tests.Features.Training.TrainingKit.PrincipalAsync(portal, "keeper"));
        Assert.Equal(new[] { SealPortal.Features.Training.DemoTraining.KeeperPlanTitle, SealPortal.Features.Training.DemoTraining.RulesPlanTitle }.Order(StringComparer.Ordinal),
            mine!.Plans.Select(p => p.Title).Order(StringComparer.Ordinal));
        // The rules training has its next session ahead, a week after the portal first started.
        Assert.Contains(mine.Plans.SelectMany(p => p.Sessions), s => s.StartsAt > DemoHistoryPortal.Now);
    }

    [Fact]
    public async Task Every_sealed_file_verifies_for_our_verifier_and_pdfsig_and_the_ledger_is_intact()
    {
        var sealedDocuments = await WithDb(db => db.SealRequestDocuments.Where(d => d.SealedSha256 != null).Select(d => d.Id).ToListAsync());
        Assert.True(sealedDocuments.Count >= 3, $"only {sealedDocuments.Count} sealed documents");
        using var nss = new NssDbFixture();
        await using var scope = portal.Services.CreateAsyncScope();
        var verifier = scope.ServiceProvider.GetRequiredService<DocumentVerifier>();
        var archive = scope.ServiceProvider.GetRequiredService<ArchiveStore>();
        var folder = PdfTestKit.NewTempDir("demo-history-");
        try
        {
            foreach (var id in sealedDocuments)
            {
                var outcome = await verifier.VerifyArchivedAsync(id, "test", CancellationToken.None);
                Assert.Equal(Verdict.Valid, outcome!.Document!.Report.Verdict);
                Assert.NotEmpty(outcome.Document.LedgerMatches);

                var path = Path.Combine(folder, $"{id}.pdf");
                await using (var file = File.Create(path))
                await using (var stored = archive.OpenRead(outcome.Document.Sha256))
                    await stored.CopyToAsync(file);
                Assert.Equal(1, nss.AssertAllSignaturesValid(path));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var integrity = await scope.ServiceProvider.GetRequiredService<IntegrityCheck>().VerifyAsync();
        Assert.Null(integrity.Ledger.Problem);
        Assert.Null(integrity.AuditTrail.Problem);
        Assert.True(integrity.Ledger.EntriesChecked >= 10, $"{integrity.Ledger.EntriesChecked} ledger entries");
    }

    [Fact]
    public async Task Inboxes_ledger_and_analytics_show_the_history_at_once()
    {
        Assert.Contains(await InteractiveLists.InboxRowsAsync(portal, "executive"), r => r.TextContent.Contains("Certificate of employment for a visa application"));
        Assert.Contains(await InteractiveLists.InboxRowsAsync(portal, "depthead"), r => r.TextContent.Contains("Bid bond letter for the Pudong tender"));

        using var auditor = await portal.SignInAsync("auditor");
        var ledger = await auditor.GetAsync("/ledger");
        Assert.Equal(HttpStatusCode.OK, ledger.StatusCode);
        // The ledger's rows as the export serves them (the grid pages through the same query).
        Assert.Contains("公司公章", await auditor.Http.GetStringAsync("/ledger/export.csv"));
        var analytics = await auditor.Http.GetStringAsync("/dashboard/analytics");
        Assert.Contains("合同专用章", analytics);
    }

    [Fact]
    public async Task The_demo_templates_have_test_cases_and_every_one_passes()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var cases = scope.ServiceProvider.GetRequiredService<SealPortal.Features.Workflows.WorkflowTestCases>();
        var runs = new List<SealPortal.Features.Workflows.TestCaseRun>();
        foreach (var key in new[] { SealPortal.Features.Workflows.DemoWorkflows.Standard, SealPortal.Features.Workflows.DemoWorkflows.Contract, SealPortal.Features.Workflows.DemoWorkflows.CompanySeal })
        {
            var ofTemplate = await cases.RunAsync(key, null, default);
            Assert.NotEmpty(ofTemplate);
            runs.AddRange(ofTemplate);
        }
        Assert.Equal(SealPortal.Data.Demo.DemoWorkflowTests.Cases.Count, runs.Count);
        Assert.All(runs, r => Assert.True(r.Passed, $"{r.Case.Name}: {r.Problem}"));
    }
}

public class DemoHistoryDeterminismTests
{
    [Fact]
    public async Task Two_portals_started_at_the_same_moment_write_the_same_history_and_go_on_from_it()
    {
        await using var first = new DemoHistoryPortal();
        _ = first.Server;
        await using var second = new DemoHistoryPortal();
        _ = second.Server;
        var a = await first.HistoryLinesAsync();
        Assert.True(a.Count > 30);
        Assert.Equal(a, await second.HistoryLinesAsync());

        // The history is a starting point, not a picture: legal approves the waiting contract and the
        // portal seals it with the certificate the history bound (and its data-protection key).
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var decide = scope.ServiceProvider.GetRequiredService<DecideHandler>();
        var request = await db.SealRequests.AsNoTracking().SingleAsync(r => r.Purpose == "Service contract with Xinyu Software");
        var reviewer = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "reviewer");
        var version = System.Text.Json.JsonDocument.Parse(request.WorkflowStateJson!).RootElement.GetProperty("Version").GetInt64();
        var decided = await decide.HandleAsync(request.Id, reviewer.Id, DecisionKind.Approve, null, version);
        Assert.True(decided.Succeeded, decided.ToString());
        var after = await db.SealRequests.AsNoTracking().Include(r => r.Documents).SingleAsync(r => r.Id == request.Id);
        Assert.Equal(SealRequestStatus.Completed, after.Status);
        Assert.NotNull(after.Documents.Single().SealedSha256);
    }

    [Fact]
    public async Task With_the_history_off_the_portal_starts_without_requests()
    {
        await using var portal = new SealPortalFactory();
        _ = portal.Server;
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        Assert.Equal(0, await db.SealRequests.CountAsync());
        Assert.Equal(0, await db.LedgerEntries.CountAsync());
        Assert.True(await db.Users.CountAsync() > 0);
    }
}
