using System.CommandLine;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SealPortal.Cli;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Ledger;
using SealPortal.Jobs;

namespace SealPortal.Features.Sealing;

/// <summary>
/// <c>sealing bench [--requests 1000] [--warmup 3000] [--mb 0] [--provider sqlite|postgres --connection CS] [--workers N] [--keep]</c>:
/// the whole portal host with its job server over a fresh database and data folder; that many approved
/// requests (one document each, of one page or of about --mb megabytes, with the demo electronic seal)
/// are queued for sealing at once, and the job server seals, archives and records them, after a warm-up
/// that lasts until the JIT has compiled what sealing uses. Prints the rate from queueing to the last
/// request completed, the CPU and JIT time per request (on PostgreSQL also the server backends' CPU, see
/// <see cref="PostgresCpu"/>), the job server's memory at rest and its peak while
/// sealing, and `ledger verify` over the result. Figures, not a pass/fail test.
/// </summary>
public static class SealingBench
{
    /// <summary>What the command line asked for, before it is checked.</summary>
    private sealed record Request(string? Requests, string? Warmup, string? Megabytes, string? Workers, string? Provider, string? Connection, bool Keep);

    public static Command Create()
    {
        var requests = new Option<string?>("--requests") { HelpName = "N", Description = "approved requests to seal (default 1000)" };
        var warmup = new Option<string?>("--warmup")
        {
            HelpName = "N",
            Description = "at most this many requests sealed first and measured apart, until the JIT has compiled what sealing uses, so the rate is a running job server's (default 3000; 0 measures a freshly started one)",
        };
        var megabytes = new Option<string?>("--mb") { HelpName = "N", Description = "size of each document in MB (default 0: one small page)" };
        var workers = new Option<string?>("--workers") { HelpName = "N", Description = "job server workers (default Jobs:WorkerCount's default)" };
        var provider = new Option<string?>("--provider") { HelpName = "sqlite|postgres", Description = "the database (default sqlite, a temporary file)" };
        var connection = new Option<string?>("--connection") { HelpName = "CS", Description = "a PostgreSQL server the bench may create a database on" };
        var keep = new Option<bool>("--keep") { Description = "keep the data folder and database afterwards" };
        var bench = new Command("bench", "Seal approved requests through the job server end to end and print the rate and the job server's memory.")
        {
            requests, warmup, megabytes, workers, provider, connection, keep,
        };
        bench.SetAction(p => RunAsync(new Request(p.GetValue(requests), p.GetValue(warmup), p.GetValue(megabytes), p.GetValue(workers),
            p.GetValue(provider), p.GetValue(connection), p.GetValue(keep))));
        return new Command("sealing", "Sealing as a job: measure it.") { bench };
    }

    private static async Task<int> RunAsync(Request o)
    {
        var count = Int(o.Requests, "requests", 1000);
        var warmup = Int(o.Warmup, "warmup", 3000, min: 0);
        var megabytes = Int(o.Megabytes, "mb", 0, min: 0);
        var workers = Int(o.Workers, "workers", new JobsOptions().WorkerCount);
        var provider = (o.Provider ?? "sqlite").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres"))
            throw new CliUsageException("--provider must be sqlite or postgres");
        if (provider == "postgres" && o.Connection is null)
            throw new CliUsageException("--provider postgres needs --connection \"Host=...;Username=...\" (a server the bench may create a database on)");

        var id = Guid.NewGuid().ToString("N")[..10];
        var folder = Directory.CreateTempSubdirectory($"sealportal-sealing-bench-{id}-").FullName;
        string connection;
        string? database = null;
        if (provider == "sqlite")
        {
            connection = $"Data Source={Path.Combine(folder, "sealportal.db")}";
        }
        else
        {
            database = $"sealportal_sealing_bench_{id}";
            var server = new NpgsqlConnectionStringBuilder(o.Connection);
            connection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString;
            await using var conn = new NpgsqlConnection(server.ConnectionString);
            await conn.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", conn);
            await create.ExecuteNonQueryAsync();
        }
        Console.Out.WriteLine($"sealing bench: {count:N0} approved requests (after up to {warmup:N0} to warm up), {(megabytes == 0 ? "one page" : $"{megabytes} MB")} each, on {provider}, {workers} workers");

        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = LedgerVerb.ContentRoot(),
                // The sample certificates of appsettings.Development.json sign the demo seals.
                EnvironmentName = Environments.Development,
            });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = provider == "sqlite" ? "Sqlite" : "Postgres",
                ["ConnectionStrings:SealPortal"] = connection,
                ["SealPortal:DataFolder"] = folder,
                ["Jobs:Enabled"] = "true",
                ["Jobs:WorkerCount"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Seed:SealImages"] = "false",
                // Only the bench's own requests: the demo history would take their numbers (and its work would be measured too).
                ["Demo:History"] = "false",
                ["Urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.AddSealPortal();
            await using var app = builder.Build();
            await app.PrepareSealPortalDatabaseAsync();
            await app.StartAsync();

            var ids = await ApprovedRequestsAsync(app.Services, folder, warmup + count, megabytes);
            // The server shares the cores on this machine: its CPU per request counts as much as the portal's.
            Func<Task<PostgresCpu?>> serverCpu = database is null ? () => Task.FromResult<PostgresCpu?>(null) : () => PostgresCpu.StartAsync(o.Connection!, database);
            var rest = Settle();
            Console.Out.WriteLine($"job server at rest: working set {Mb(rest)} MB, managed heap {Mb(GC.GetTotalMemory(false))} MB");

            var peak = rest;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
                    try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
                }
            });

            // A fresh process compiles every method sealing touches, then compiles the busy ones again, optimized, on
            // one background thread: on two cores that took the first 1,000-odd requests, and a portal that has been
            // running pays it once. So the rate is measured once a round of warm-up requests compiles next to nothing.
            var warmed = 0;
            if (warmup > 0)
            {
                Console.Out.WriteLine($"warm-up (a freshly started job server, rounds of {WarmupRound} requests until one compiles fewer than {WarmupRound} methods, at most {warmup:N0} requests):");
                var figures = new Figures();
                while (warmed < warmup)
                {
                    var round = Math.Min(WarmupRound, warmup - warmed);
                    var jitted = await MeasureAsync(app.Services, ids.Slice(warmed, round), warmed, figures, serverCpu);
                    warmed += round;
                    if (jitted < WarmupRound)
                        break;
                }
                figures.Print(warmed);
            }
            Console.Out.WriteLine($"measured ({count:N0} requests{(warmed == 0 ? ", a freshly started job server" : "")}):");
            var measured = new Figures();
            await MeasureAsync(app.Services, ids.Slice(warmed, count), warmed, measured, serverCpu);
            measured.Print(count);
            Console.Out.WriteLine($"job server while sealing: peak working set {Mb(peak)} MB");

            await using (var scope = app.Services.CreateAsyncScope())
            {
                var report = await scope.ServiceProvider.GetRequiredService<IntegrityCheck>().VerifyAsync(CancellationToken.None);
                Console.Out.WriteLine($"ledger verify: {(report.Intact ? "intact" : "BROKEN")}, {report.Ledger.EntriesChecked:N0} ledger entries");
                if (!report.Intact)
                    return 1;
            }
            await app.StopAsync();
            return 0;
        }
        finally
        {
            if (o.Keep)
            {
                Console.Out.WriteLine($"kept: {folder} {connection}");
            }
            else
            {
                SqliteConnection.ClearAllPools();
                NpgsqlConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
                if (database is not null)
                {
                    await using var conn = new NpgsqlConnection(o.Connection);
                    await conn.OpenAsync();
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", conn);
                    await drop.ExecuteNonQueryAsync();
                }
            }
        }
    }

    private const int WarmupRound = 100;

    /// <summary>Wall time, CPU and JIT added up over one or more rounds of sealing.</summary>
    private sealed class Figures
    {
        public TimeSpan Queued, Elapsed, Cpu, Kernel, Jit, ServerBackends, ServerBackground;
        public long Jitted;
        public bool ServerMeasured;

        public void Print(int done)
        {
            Console.Out.WriteLine($"  queued in {Queued.TotalSeconds:0.00} s; all {done:N0} sealed, archived and in the ledger after {Elapsed.TotalSeconds:0.00} s: " +
                                  $"{done / Elapsed.TotalSeconds:0.0} requests/s");
            // CPU beside wall time: on a machine shared with other work the first says what sealing itself costs,
            // and cores busy well under the machine's count means the job server waits (disk, locks, polling).
            Console.Out.WriteLine($"  CPU while sealing: {Cpu.TotalMilliseconds / done:0.0} ms per request ({Kernel.TotalMilliseconds / done:0.0} ms of it in the kernel), " +
                                  $"{Cpu.TotalSeconds / Elapsed.TotalSeconds:0.00} of {Environment.ProcessorCount} cores busy on average");
            if (ServerMeasured)
            {
                Console.Out.WriteLine($"  PostgreSQL CPU while sealing: {ServerBackends.TotalMilliseconds / done:0.0} ms per request in the bench database's backends, " +
                                      $"{ServerBackground.TotalMilliseconds / done:0.0} ms in the cluster's background processes (WAL writer etc., shared with anyone else using the server)");
                Console.Out.WriteLine($"  portal + PostgreSQL backends: {(Cpu + ServerBackends).TotalMilliseconds / done:0.0} ms of CPU per request, " +
                                      $"{(Cpu + ServerBackends + ServerBackground).TotalSeconds / Elapsed.TotalSeconds:0.00} of {Environment.ProcessorCount} cores busy with all of it");
            }
            // Time inside the JIT is wall time, so it overstates on a busy machine.
            Console.Out.WriteLine($"  JIT while sealing: {Jitted:N0} method compilations, {Jit.TotalMilliseconds / done:0.0} ms per request");
        }
    }

    /// <summary>Queues <paramref name="ids"/>, waits until all are completed and adds the figures; returns the methods compiled meanwhile.</summary>
    private static async Task<long> MeasureAsync(IServiceProvider services, IReadOnlyList<int> ids, int completedBefore, Figures figures,
        Func<Task<PostgresCpu?>> serverCpu)
    {
        var server = await serverCpu();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var kernelBefore = process.PrivilegedProcessorTime;
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var jittedBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var clock = Stopwatch.StartNew();
        await using (var scope = services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<SealingQueue>();
            foreach (var requestId in ids)
                await queue.EnqueueAsync(requestId, executor: null);
        }
        figures.Queued += clock.Elapsed;
        while (await CompletedAsync(services) - completedBefore < ids.Count)
        {
            if (await FailedAsync(services) is { } failure)
                throw new InvalidOperationException($"a request failed to seal: {failure}");
            await Task.Delay(ids.Count <= WarmupRound ? 20 : 100);
            if (server is not null)
                await server.SampleAsync();
        }
        clock.Stop();
        if (server is not null)
        {
            await server.SampleAsync();
            var (backends, background) = server.Elapsed();
            figures.ServerBackends += backends;
            figures.ServerBackground += background;
            figures.ServerMeasured = true;
        }
        process.Refresh();
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jittedBefore;
        figures.Elapsed += clock.Elapsed;
        figures.Cpu += process.TotalProcessorTime - cpuBefore;
        figures.Kernel += process.PrivilegedProcessorTime - kernelBefore;
        figures.Jit += System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
        figures.Jitted += jitted;
        return jitted;
    }

    /// <summary>Approved requests of the demo applicant for the demo RSA electronic seal, written straight to the database.</summary>
    private static async Task<List<int>> ApprovedRequestsAsync(IServiceProvider services, string folder, int count, int megabytes)
    {
        var pdf = Path.Combine(folder, "original.pdf");
        BenchCommand.WriteSyntheticPdf(pdf, 1, megabytes * 1024L * 1024);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var archive = scope.ServiceProvider.GetRequiredService<ArchiveStore>();
        ArchivedFile original;
        await using (var file = File.OpenRead(pdf))
            original = await archive.StoreAsync(file);
        var applicant = await db.Users.Where(u => u.UserName == "applicant").Select(u => new { u.Id, u.DepartmentId }).SingleAsync();
        var seal = await db.Seals.Where(s => s.Kind == SealKind.Electronic && s.CertificatePfxProtected != null).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        var now = DateTimeOffset.UtcNow;
        var ids = new List<int>();
        for (var batch = 0; batch < count; batch += 200)
        {
            var requests = Enumerable.Range(batch, Math.Min(200, count - batch)).Select(i => new SealRequest
            {
                Number = $"{now.Year % 100:00}-{i + 1:00000}",
                ApplicantUserId = applicant.Id,
                DepartmentId = applicant.DepartmentId ?? 1,
                Purpose = "sealing bench",
                DocumentType = DocumentTypes.Contract,
                Status = SealRequestStatus.Approved,
                CreatedAt = now, SubmittedAt = now, ApprovedAt = now,
                Documents = [new SealRequestDocument { FileName = $"bench-{i + 1}.pdf", OriginalSha256 = original.Sha256, Length = original.Length, PageCount = 1 }],
                Seals = [new SealRequestSeal { SealId = seal }],
            }).ToList();
            db.SealRequests.AddRange(requests);
            await db.SaveChangesAsync();
            ids.AddRange(requests.Select(r => r.Id));
            db.ChangeTracker.Clear();
        }
        return ids;
    }

    private static async Task<int> CompletedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.SealRequests.CountAsync(r => r.Status == SealRequestStatus.Completed && r.Purpose == "sealing bench");
    }

    private static async Task<string?> FailedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.SealRequests.Where(r => r.Status == SealRequestStatus.SealingFailed).Select(r => r.Number + ": " + r.SealingError).FirstOrDefaultAsync();
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Process.GetCurrentProcess().WorkingSet64;
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    private static int Int(string? text, string name, int fallback, int min = 1)
    {
        if (text is null)
            return fallback;
        return int.TryParse(text, out var value) && value >= min ? value : throw new CliUsageException($"--{name} must be a whole number of at least {min}");
    }
}
