using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SealPortal.Cli;
using SealPortal.Data;
using SealPortal.Features.Ledger;
using SealPortal.Features.Sealing;

namespace SealPortal.Features.Requests;

/// <summary>
/// <c>requests bench [--requests 100000] [--runs 5] [--provider sqlite|postgres --connection CS] [--keep]</c>: the portal's services
/// over a fresh database (a SQLite file, or a PostgreSQL database created for the run and dropped after it) with the demo company; one request is created and submitted through the request
/// handlers (so its workflow state and pending approval are the real ones, waiting at the department
/// head) and copied in SQL, with its seals and pending approval, to --requests requests of the demo applicant. Then prints, median and worst
/// over the runs, the time at the server of the pages the "my requests" grid (the applicant) and the
/// inbox grid (the department head) read through <see cref="RequestQueries"/>: first page, filtered,
/// sorted and a deep page. Figures, not a pass/fail test.
/// </summary>
public static class RequestListBench
{
    public static Command Create()
    {
        var requests = new Option<string?>("--requests") { HelpName = "N", Description = "requests in the database (default 100000)" };
        var runs = new Option<string?>("--runs") { HelpName = "N", Description = "measured reads of each page (default 5)" };
        var keep = new Option<bool>("--keep") { Description = "keep the database afterwards" };
        var provider = new Option<string?>("--provider") { HelpName = "sqlite|postgres", Description = "the database (default sqlite, a temporary file)" };
        var connection = new Option<string?>("--connection") { HelpName = "CS", Description = "a PostgreSQL server the bench may create a database on" };
        var bench = new Command("bench", "Fill a fresh database with requests and print the my-requests and inbox grid page times.") { requests, runs, provider, connection, keep };
        bench.SetAction(p => RunAsync(p.GetValue(requests), p.GetValue(runs), p.GetValue(provider), p.GetValue(connection), p.GetValue(keep)));
        return new Command("requests", "The request lists: measure them.") { bench };
    }

    private static async Task<int> RunAsync(string? requestsText, string? runsText, string? providerText, string? server, bool keep)
    {
        var count = Int(requestsText, "requests", 100_000);
        var runs = Int(runsText, "runs", 5);
        var provider = (providerText ?? "sqlite").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres"))
            throw new CliUsageException("--provider must be sqlite or postgres");
        if (provider == "postgres" && server is null)
            throw new CliUsageException("--provider postgres needs --connection \"Host=...;Username=...\" (a server the bench may create a database on)");
        var folder = Directory.CreateTempSubdirectory("sealportal-requests-bench-").FullName;
        var connection = $"Data Source={Path.Combine(folder, "sealportal.db")}";
        string? database = null;
        if (provider == "postgres")
        {
            database = $"sealportal_requests_bench_{Guid.NewGuid().ToString("N")[..10]}";
            connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            await using var conn = new NpgsqlConnection(server);
            await conn.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", conn);
            await create.ExecuteNonQueryAsync();
        }
        Console.Out.WriteLine($"requests bench: {count:N0} requests on {provider} ({database ?? folder}), load average {BenchCommand.LoadAverage()}");
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = LedgerVerb.ContentRoot(), EnvironmentName = Environments.Development });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = provider == "sqlite" ? "Sqlite" : "Postgres",
                ["ConnectionStrings:SealPortal"] = connection,
                ["SealPortal:DataFolder"] = folder,
                ["Jobs:Enabled"] = "false",
                ["Demo:History"] = "false",
                ["Seed:SealImages"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.AddSealPortal();
            await using var app = builder.Build();
            await app.PrepareSealPortalDatabaseAsync();

            var sw = Stopwatch.StartNew();
            var (applicant, head) = await FillAsync(app.Services, count);
            Console.Out.WriteLine($"fill: {count:N0} requests in {sw.Elapsed.TotalSeconds:0.0} s");
            // PostgreSQL's server runs in processes of its own: their CPU is added to this process's (the backends of this
            // database, read from /proc), so the CPU figure is the whole read's on both providers.
            Func<Task<PostgresCpu?>> monitor = database is null ? () => Task.FromResult<PostgresCpu?>(null) : () => PostgresCpu.StartAsync(server!, database);

            var queries = app.Services.GetRequiredService<RequestQueries>();
            var deep = Math.Max(0, (count - 1) / 25);
            var mine = new (string Name, ListQuery Query)[]
            {
                ("first page", new ListQuery()),
                ("filtered (search \"contract 4242\" + status)", new ListQuery("contract 4242", SealRequestStatus.InApproval)),
                ("sorted by purpose", new ListQuery(SortBy: "Purpose", Descending: false)),
                ($"deep page (page {deep + 1})", new ListQuery(Page: deep)),
            };
            foreach (var (name, query) in mine)
                await MeasureAsync($"my requests [{name}]", runs, monitor, async () => (await queries.MineAsync(applicant, query)).Items.Count);

            var inbox = new (string Name, InboxFilter Filter, ListQuery Query)[]
            {
                ("first page", new InboxFilter(null, null, false, false), new ListQuery(Descending: false)),
                ("filtered (urgent)", new InboxFilter(null, null, true, false), new ListQuery(Descending: false)),
                ("searched (\"contract 4242\")", new InboxFilter(null, null, false, false), new ListQuery("contract 4242", Descending: false)),
                ("sorted by number", new InboxFilter(null, null, false, false), new ListQuery(SortBy: "Number", Descending: false)),
                ($"deep page (page {deep + 1})", new InboxFilter(null, null, false, false), new ListQuery(Descending: false, Page: deep)),
            };
            foreach (var (name, filter, query) in inbox)
                await MeasureAsync($"inbox [{name}]", Math.Min(runs, 3), monitor, async () => (await queries.InboxAsync(head, filter, query)).Items.Count);
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (keep)
            {
                Console.Out.WriteLine($"kept: {folder} {connection}");
            }
            else
            {
                Directory.Delete(folder, recursive: true);
                if (database is not null)
                {
                    await using var conn = new NpgsqlConnection(server);
                    await conn.OpenAsync();
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", conn);
                    await drop.ExecuteNonQueryAsync();
                }
            }
        }
    }

    private static async Task MeasureAsync(string name, int runs, Func<Task<PostgresCpu?>> serverCpu, Func<Task<int>> read)
    {
        var times = new List<double>();
        var cpuTimes = new List<double>();
        var rows = 0;
        var measured = false;
        for (var r = 0; r < runs + 1; r++)
        {
            var server = await serverCpu();
            var cpu = Cpu();
            var sw = Stopwatch.StartNew();
            rows = await read();
            sw.Stop();
            var used = Cpu() - cpu;
            if (server is not null)
            {
                await server.SampleAsync();
                used += server.Elapsed().Backends.TotalSeconds;
                measured = true;
            }
            if (r > 0)
            {
                // The first run warms up the JIT and the query cache.
                times.Add(sw.Elapsed.TotalMilliseconds);
                cpuTimes.Add(used * 1000);
            }
        }
        times.Sort();
        cpuTimes.Sort();
        Console.Out.WriteLine($"{name}: median {times[times.Count / 2]:0.0} ms (CPU {cpuTimes[cpuTimes.Count / 2]:0.0} ms{(measured ? " with the server's" : "")}), " +
                              $"worst {times[^1]:0.0} ms over {runs} runs ({rows} rows) [load {BenchCommand.LoadAverage()}]");
    }

    /// <summary>One request submitted through the service, then copied in SQL; returns the applicant's and the department head's ids.</summary>
    private static async Task<(string Applicant, string Head)> FillAsync(IServiceProvider services, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var applicant = await db.Users.Where(u => u.UserName == "applicant").Select(u => u.Id).SingleAsync();
        var head = await db.Users.Where(u => u.UserName == "depthead").Select(u => u.Id).SingleAsync();
        var seal = await db.Seals.Where(s => s.Kind == SealKind.Physical).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        var pdf = Path.Combine(Path.GetTempPath(), $"sealportal-requests-bench-{Guid.NewGuid():N}.pdf");
        try
        {
            BenchCommand.WriteSyntheticPdf(pdf, 1, 0);
            var bytes = await File.ReadAllBytesAsync(pdf);
            var created = await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
                new SealRequestInput("Bench contract", DocumentTypes.Contract, 1, 1000m, "Bench counterparty", false, [seal]),
                [new UploadedPdf("bench.pdf", bytes.Length, () => new MemoryStream(bytes))]);
            if (!created.Succeeded)
                throw new InvalidOperationException($"the bench request was refused: {created.Message}");
            var id = created.Id!.Value;
            var submitted = await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(id, applicant);
            if (!submitted.Succeeded)
                throw new InvalidOperationException($"the bench request could not be submitted: {submitted.Message}");

            await CopyAsync(db, id, count);
            return (applicant, head);
        }
        finally
        {
            File.Delete(pdf);
        }
    }

    /// <summary>
    /// Copies request <paramref name="id"/> in SQL, with its seals and pending approvals, until there are <paramref name="count"/>
    /// requests: copy i has number B-i, purpose "Bench contract i", counterparty "Counterparty (i mod 500)" and is urgent when i is a
    /// multiple of 10. On PostgreSQL the tables are then vacuumed and analysed, as a server in use would have them.
    /// </summary>
    internal static async Task CopyAsync(SealPortalDbContext db, int id, int count)
    {
        // Every column of the request but its key, number, title and urgency is copied as it is.
        var requestType = db.Model.FindEntityType(typeof(SealRequest))!;
        var table = requestType.GetTableName()!;
        string Column(string property) => requestType.FindProperty(property)!.GetColumnName();
        var varying = new[] { "Id", "Number", "Purpose", "Urgent", "Counterparty" };
        var same = requestType.GetProperties().Where(p => !varying.Contains(p.Name)).Select(p => $"\"{p.GetColumnName()}\"").ToList();
        var sql = $"""
            WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
            INSERT INTO "{table}" ({string.Join(", ", same)}, "{Column("Number")}", "{Column("Purpose")}", "{Column("Urgent")}", "{Column("Counterparty")}")
            SELECT {string.Join(", ", same.Select(c => "r." + c))}, 'B-' || CAST(n.i AS TEXT), 'Bench contract ' || CAST(n.i AS TEXT),
                   (n.i % 10 = 0), 'Counterparty ' || CAST(n.i % 500 AS TEXT)
            FROM "{table}" r, n WHERE r."{Column("Id")}" = {id}
            """;
        db.Database.SetCommandTimeout(600);
        await db.Database.ExecuteSqlRawAsync(sql);

        // Its seals and its place in the approvers' inboxes (the pending-approvals table) go with every copy.
        foreach (var child in new[] { typeof(SealRequestSeal), typeof(PendingApproval) })
        {
            var childType = db.Model.FindEntityType(child)!;
            var childTable = childType.GetTableName()!;
            var requestColumn = childType.FindProperty(nameof(SealRequestSeal.SealRequestId))!.GetColumnName();
            var columns = childType.GetProperties().Where(p => p.Name is not ("Id" or nameof(SealRequestSeal.SealRequestId)))
                .Select(p => $"\"{p.GetColumnName()}\"").ToList();
            // Names from the model and a key read above: nothing typed by anyone reaches the SQL.
            var copy = $"""
                INSERT INTO "{childTable}" ({string.Join(", ", columns)}, "{requestColumn}")
                SELECT {string.Join(", ", columns.Select(c => "s." + c))}, r."{Column("Id")}"
                FROM "{childTable}" s, "{table}" r WHERE s."{requestColumn}" = {id} AND r."{Column("Id")}" <> {id}
                """;
            await db.Database.ExecuteSqlRawAsync(copy);
        }
        // The copies' urgency and number vary, and the inbox filters and sorts on the pending row's copies of them.
        var pendingType = db.Model.FindEntityType(typeof(PendingApproval))!;
        string PendingColumn(string property) => pendingType.FindProperty(property)!.GetColumnName();
        var urgency = $"""
            UPDATE "{pendingType.GetTableName()}" SET
                "{PendingColumn("Urgent")}" = (SELECT r."{Column("Urgent")}" FROM "{table}" r WHERE r."{Column("Id")}" = "{pendingType.GetTableName()}"."{PendingColumn("SealRequestId")}"),
                "{PendingColumn("RequestNumber")}" = (SELECT r."{Column("Number")}" FROM "{table}" r WHERE r."{Column("Id")}" = "{pendingType.GetTableName()}"."{PendingColumn("SealRequestId")}")
            """;
        await db.Database.ExecuteSqlRawAsync(urgency);
        // A PostgreSQL server in use has statistics and a visibility map (autovacuum), without which a count reads every
        // row it counts; SQLite is left as the portal leaves it, without statistics.
        if (!db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
    }

    /// <summary>This process's CPU seconds (the database is in the process too): on a shared machine wall time alone says little.</summary>
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static int Int(string? v, string name, int fallback)
    {
        if (v is null)
            return fallback;
        return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new CliUsageException($"--{name} must be a whole number of at least 1");
    }
}
