using System.Diagnostics;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;
using Xunit.Abstractions;

namespace SealPortal.Tests.Features.Requests;

/// <summary>A benchmark, not a test of the default run: skipped unless SEALPORTAL_BENCH=1.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SEALPORTAL_BENCH") != "1")
            Skip = "benchmark: run with SEALPORTAL_BENCH=1 and --logger \"console;verbosity=detailed\" to see its figures";
    }
}

/// <summary>
/// Request details and a decision at the demo size (about 270 requests) and at about 12,000, on the test
/// database (SQLite unless SEALPORTAL_TEST_DB=postgres), with seals that carry images and certificates.
/// Prints, per operation, the wall time (mean, p95) and the process CPU per operation, next to the query
/// the request page and the approval path ran before they read only shown columns (every seal row with
/// its seal entity: image, protected key and certificate). Figures only; it asserts that the new reads
/// carry no blob and answer the same request.
/// <code>SEALPORTAL_BENCH=1 dotnet test --filter "FullyQualifiedName~RequestReadBench" --logger "console;verbosity=detailed"</code>
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class RequestReadBench(ITestOutputHelper output)
{
    [BenchmarkFact]
    public async Task Request_details_and_a_decision_at_270_and_12000_requests()
    {
        await using var portal = new BenchPortal();
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        var depthead = await SealRequestKit.UserIdAsync(portal, "depthead");
        var electronic = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            var blobs = await db.Seals.Where(s => s.Id == electronic || s.Id == physical)
                .Select(s => (s.ImagePng == null ? 0 : s.ImagePng.Length) + (s.CertificatePfxProtected == null ? 0 : s.CertificatePfxProtected.Length)).ToListAsync();
            output.WriteLine($"database: {portal.Database.Provider}; the two seals of each request carry {string.Join(" + ", blobs)} bytes of image and certificate");
        }
        var template = await SealRequestKit.SubmitAsync(portal, [electronic, physical], [PdfTestKit.ClassicPdf(2)]);

        foreach (var size in new[] { 270, 12_000 })
        {
            await GrowAsync(portal, template, size);
            var ids = await IdsAsync(portal, depthead);
            output.WriteLine($"--- {size:N0} requests in approval, {ids.Count:N0} of them waiting for the department head");
            var principal = await PrincipalAsync(portal, depthead);
            var queries = portal.Services.GetRequiredService<RequestQueries>();
            var random = new Random(7);
            int Pick() => ids[random.Next(ids.Count)];

            await MeasureAsync("details before (request + documents + seals with their Seal entity)", 60, async () =>
            {
                await using var scope = portal.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
                var id = Pick();
                var r = await db.SealRequests.AsNoTracking().Include(x => x.Documents).Include(x => x.Seals).ThenInclude(s => s.Seal)
                    .Include(x => x.Applicant).Include(x => x.Department).SingleAsync(x => x.Id == id);
                Assert.NotNull(r.Seals[0].Seal!.ImagePng);
            });
            await MeasureAsync("details now (RequestQueries.DetailsAsync, whole page read)", 60, async () =>
            {
                var id = Pick();
                var (view, allowed) = await queries.DetailsAsync(id, principal);
                Assert.True(allowed);
                Assert.Equal(id, view!.Id);
            });
            await MeasureAsync("decision load before (request + documents + seals with their Seal entity, tracked)", 60, async () =>
            {
                await using var scope = portal.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
                var id = Pick();
                var r = await db.SealRequests.Include(x => x.Documents).Include(x => x.Seals).ThenInclude(s => s.Seal).SingleAsync(x => x.Id == id);
                Assert.NotNull(r.Seals[0].Seal);
            });
            await MeasureAsync("decision load now (RequestWorkflowStore.LoadAsync)", 60, async () =>
            {
                await using var scope = portal.Services.CreateAsyncScope();
                var id = Pick();
                var r = await scope.ServiceProvider.GetRequiredService<RequestWorkflowStore>().LoadAsync(id, default);
                Assert.Null(r!.Seals[0].Seal);
            });
            var decided = new Queue<int>(ids.OrderBy(_ => random.Next()).Take(40));
            await MeasureAsync("decision now (DecideHandler: load, engine, audit, state + pending rows saved)", 30, async () =>
            {
                await using var scope = portal.Services.CreateAsyncScope();
                var id = decided.Dequeue();
                var store = scope.ServiceProvider.GetRequiredService<RequestWorkflowStore>();
                var version = RequestWorkflowStore.State((await store.LoadAsync(id, default))!)!.Version;
                store.Db.ChangeTracker.Clear();
                var result = await scope.ServiceProvider.GetRequiredService<DecideHandler>().HandleAsync(id, depthead, DecisionKind.Approve, "bench", version);
                Assert.True(result.Succeeded, result.ToString());
            });
            await MeasureAsync("inbox now (RequestQueries.InboxAsync, first page of 25)", 20, async () =>
            {
                var page = await queries.InboxAsync(depthead, new InboxFilter(), new ListQuery());
                Assert.True(page.Total > 0);
            });
        }
    }

    private async Task MeasureAsync(string name, int runs, Func<Task> operation)
    {
        await operation(); // warm-up: the query's compilation is not what a view costs
        var process = Process.GetCurrentProcess();
        var times = new List<double>();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await operation();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        process.Refresh();
        var cpuPer = (process.TotalProcessorTime - cpu).TotalMilliseconds / runs;
        times.Sort();
        output.WriteLine($"{name}: mean {times.Average():0.0} ms, p95 {times[(int)Math.Ceiling(times.Count * 0.95) - 1]:0.0} ms, CPU {cpuPer:0.0} ms per operation ({runs} runs)");
    }

    /// <summary>The sealing portal with the seals' real drawn images, as the demo has them.</summary>
    private sealed class BenchPortal : SealingPortal
    {
        protected override IDictionary<string, string?> ExtraSettings =>
            new Dictionary<string, string?>(base.ExtraSettings) { ["Seed:SealImages"] = "true" };
    }

    /// <summary>Copies the template request (same state, documents and seal rows, pending rows) until <paramref name="total"/> wait in approval.</summary>
    private static async Task GrowAsync(SealingPortal portal, int templateId, int total)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var template = await db.SealRequests.AsNoTracking().Include(r => r.Documents).Include(r => r.Seals).SingleAsync(r => r.Id == templateId);
        var state = RequestWorkflowStore.Deserialize(template.WorkflowStateJson!);
        var have = await db.SealRequests.CountAsync(r => r.Status == SealRequestStatus.InApproval);
        for (var n = have; n < total;)
        {
            var batch = new List<SealRequest>();
            for (var i = 0; i < 500 && n < total; i++, n++)
            {
                batch.Add(new SealRequest
                {
                    Number = $"B-{n:000000}", ApplicantUserId = template.ApplicantUserId, DepartmentId = template.DepartmentId,
                    Purpose = $"{template.Purpose} {n}", DocumentType = template.DocumentType, Copies = 1, Amount = template.Amount,
                    Counterparty = template.Counterparty, Status = SealRequestStatus.InApproval, WorkflowStateJson = template.WorkflowStateJson,
                    ApproverUserIds = template.ApproverUserIds, CreatedAt = template.CreatedAt, SubmittedAt = template.SubmittedAt,
                    Documents = template.Documents.Select(d => new SealRequestDocument
                    {
                        FileName = d.FileName, OriginalSha256 = d.OriginalSha256, Length = d.Length, PageCount = d.PageCount,
                    }).ToList(),
                    Seals = template.Seals.Select(s => new SealRequestSeal { SealId = s.SealId }).ToList(),
                });
            }
            db.SealRequests.AddRange(batch);
            await db.SaveChangesAsync();
            foreach (var r in batch)
                db.PendingApprovals.AddRange(RequestWorkflowStore.PendingOf(r.Id, r.Number, state));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The requests waiting for <paramref name="approver"/>.</summary>
    private static async Task<List<int>> IdsAsync(SealingPortal portal, string approver)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.PendingApprovals.Where(p => p.ApproverUserId == approver).Select(p => p.SealRequestId).Distinct().ToListAsync();
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(SealingPortal portal, string userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<ApplicationUser>>();
        return await factory.CreateAsync((await users.FindByIdAsync(userId))!);
    }
}
