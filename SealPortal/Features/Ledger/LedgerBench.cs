using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SealPortal.Cli;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>
/// <c>ledger bench [--entries 1000000] [--provider sqlite|postgres --connection CS] [--runs 15] [--export-rows 100000] [--keep]</c>.
/// Fills a FRESH database (a temp SQLite file, or a new database on the PostgreSQL server named
/// by --connection, dropped afterwards unless --keep) with N chained entries, then prints:
/// the ledger grid's pages as the interactive page reads them (<see cref="LedgerPager"/>: count and
/// rows of a first page, a next page by keyset, jumps to the last and the middle page, also of filtered lists and a
/// keeper's), median and
/// worst over the runs; the CSV export of about --export-rows rows (time, and peak
/// managed heap and working set, also for a tenth of the rows to show memory does not grow with
/// rows); the XLSX export of the same rows; and `ledger verify` over everything.
/// </summary>
public static class LedgerBench
{
    private const int Departments = 10;
    private const int SealsCount = 20;

    /// <summary>What the command line asked for, before it is checked.</summary>
    private sealed record Request(string? Entries, string? Runs, string? ExportRows, string? Provider, string? Connection, bool Keep);

    public static Command Create()
    {
        var entries = new Option<string?>("--entries") { HelpName = "N", Description = "chained entries to fill (default 1000000)" };
        var runs = new Option<string?>("--runs") { HelpName = "N", Description = "page renderings measured (default 15)" };
        var exportRows = new Option<string?>("--export-rows") { HelpName = "N", Description = "about how many rows the exports write (default 100000)" };
        var provider = new Option<string?>("--provider") { HelpName = "sqlite|postgres", Description = "the database (default sqlite, a temporary file)" };
        var connection = new Option<string?>("--connection") { HelpName = "CS", Description = "a PostgreSQL server the bench may create a database on" };
        var keep = new Option<bool>("--keep") { Description = "keep the filled database afterwards" };
        var command = new Command("bench", "Fill a fresh database with chained entries and print ledger page, export and verify figures.")
        {
            entries, runs, exportRows, provider, connection, keep,
        };
        command.SetAction(p => RunAsync(new Request(p.GetValue(entries), p.GetValue(runs), p.GetValue(exportRows),
            p.GetValue(provider), p.GetValue(connection), p.GetValue(keep))));
        return command;
    }

    private static async Task<int> RunAsync(Request o)
    {
        var entries = Int(o.Entries, "entries", 1_000_000, 1);
        var runs = Int(o.Runs, "runs", 15, 1);
        var exportRows = Int(o.ExportRows, "export-rows", 100_000, 1);
        var provider = (o.Provider ?? "sqlite").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres"))
            throw new CliUsageException("--provider must be sqlite or postgres");
        if (provider == "postgres" && o.Connection is null)
            throw new CliUsageException("--provider postgres needs --connection \"Host=...;Username=...\" (a server the bench may create a database on)");

        var id = Guid.NewGuid().ToString("N")[..10];
        string connection, cleanup;
        if (provider == "sqlite")
        {
            var file = Path.Combine(Path.GetTempPath(), $"sealportal-bench-{id}.db");
            connection = $"Data Source={file}";
            cleanup = file;
        }
        else
        {
            var server = new NpgsqlConnectionStringBuilder(o.Connection);
            cleanup = $"sealportal_bench_{id}";
            connection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = cleanup, CommandTimeout = 600 }.ConnectionString;
            // Created here, so the migration does not first fail to connect (and log that as an error).
            await using var conn = new NpgsqlConnection(server.ConnectionString);
            await conn.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{cleanup}\"", conn);
            await create.ExecuteNonQueryAsync();
        }

        Console.Out.WriteLine($"ledger bench: {entries:N0} entries on {provider} ({cleanup})");
        await using var app = LedgerVerb.BuildHost([], new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider == "sqlite" ? "Sqlite" : "Postgres",
            ["ConnectionStrings:SealPortal"] = connection,
        });
        try
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
                await db.Database.MigrateAsync();
                var sw = Stopwatch.StartNew();
                var cpu = Cpu();
                await FillAsync(db, entries);
                Console.Out.WriteLine($"fill: {entries:N0} chained entries (and their participants) in {sw.Elapsed.TotalSeconds:0.0} s (CPU {Cpu() - cpu:0.0} s)");
            }
            await MeasurePageAsync(app.Services, entries, runs);
            await MeasureExportsAsync(app.Services, exportRows);
            await MeasureVerifyAsync(app.Services);
        }
        finally
        {
            if (!o.Keep)
                await DropAsync(provider, cleanup, o.Connection);
            else
                Console.Out.WriteLine($"kept: {connection}");
        }
        return 0;
    }

    /// <summary>This process's CPU seconds: on a shared machine wall time alone says little.</summary>
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static int Int(string? v, string name, int fallback, int min)
    {
        if (v is null)
            return fallback;
        return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new CliUsageException($"--{name} must be a whole number of at least {min}");
    }

    /// <summary>Department d's entries use seals d and d+10; entries are spread over three years, oldest first.</summary>
    private static async Task FillAsync(SealPortalDbContext db, int count)
    {
        for (var d = 1; d <= Departments; d++)
            db.Departments.Add(new Department { Name = $"Bench department {d}" });
        await db.SaveChangesAsync();
        var departmentIds = await db.Departments.OrderBy(d => d.Id).Select(d => d.Id).ToListAsync();
        for (var s = 0; s < SealsCount; s++)
            db.Seals.Add(new Seal { Name = $"Bench seal {s + 1}", Type = SealType.Contract, Kind = s % 2 == 0 ? SealKind.Electronic : SealKind.Physical, DepartmentId = departmentIds[s % Departments] });
        await db.SaveChangesAsync();
        var sealIds = await db.Seals.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();

        var start = new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var span = TimeSpan.FromDays(3 * 365).Ticks / count;
        var previous = ChainCanonicalForm.Genesis;
        var rng = new Random(20261123);
        IEnumerable<LedgerEntry> Entries()
        {
            for (var i = 1; i <= count; i++)
            {
                var s = rng.Next(SealsCount);
                var executed = ChainCanonicalForm.Normalize(new DateTimeOffset(start.AddTicks(span * i)));
                var e = new LedgerEntry
                {
                    Sequence = i, FormatVersion = ChainCanonicalForm.CurrentVersion, RecordedAt = executed,
                    SealRequestId = i, RequestNumber = $"{executed:yy}-{i % 100000:00000}",
                    SealId = sealIds[s], SealName = $"Bench seal {s + 1}", Kind = s % 2 == 0 ? SealKind.Electronic : SealKind.Physical,
                    ApplicantUserId = $"user-{rng.Next(500)}", ApplicantName = $"申请人 {rng.Next(500)}",
                    DepartmentId = departmentIds[s % Departments], DepartmentName = $"Bench department {s % Departments + 1}",
                    AppliedAt = executed.AddHours(-30),
                    ApproversJson = LedgerApprovals.ToJson([new("head-" + s, "部门负责人", executed.AddHours(-20)), new("exec-" + s, "高层领导", executed.AddHours(-2))]),
                    ApprovedAt = executed.AddHours(-2), ExecutorUserId = $"keeper-{s}", ExecutorName = "印章管理员",
                    ExecutedAt = executed, DocumentName = $"合同-{i}.pdf", DocumentSha256 = Convert.ToHexStringLower(BitConverter.GetBytes((long)i).Concat(new byte[24]).ToArray()),
                    Copies = 1 + i % 3, PreviousHash = previous,
                };
                e.Hash = previous = ChainCanonicalForm.Hash(e);
                yield return e;
            }
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            if (connection is NpgsqlConnection pg)
                await CopyPostgresAsync(pg, Entries());
            else
                await InsertSqliteAsync((SqliteConnection)connection, Entries());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        // The participants are derived with the migration's backfill, which this also exercises at scale.
        var provider = db.Database.IsNpgsql() ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        await db.Database.ExecuteSqlRawAsync(LedgerParticipantBackfill.SqlWithSeal(provider));
        // PostgreSQL: VACUUM too, as autovacuum does soon after a million inserts; until then the visibility map is empty
        // and every index-only read (counts, the jumps' key walks) visits the table as well.
        await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? "VACUUM (ANALYZE)" : "ANALYZE");
    }

    private static readonly string[] Columns =
    [
        "Sequence", "FormatVersion", "RecordedAt", "SealRequestId", "RequestNumber", "SealId", "SealName", "Kind", "ApplicantUserId",
        "ApplicantName", "DepartmentId", "DepartmentName", "AppliedAt", "ApproversJson", "ApprovedAt", "ExecutorUserId", "ExecutorName",
        "ExecutedAt", "DocumentId", "DocumentName", "DocumentSha256", "Copies", "PreviousHash", "Hash",
    ];

    private static object?[] Values(LedgerEntry e) =>
    [
        e.Sequence, e.FormatVersion, e.RecordedAt, e.SealRequestId, e.RequestNumber, e.SealId, e.SealName, e.Kind.ToString(), e.ApplicantUserId,
        e.ApplicantName, e.DepartmentId, e.DepartmentName, e.AppliedAt, e.ApproversJson, e.ApprovedAt, e.ExecutorUserId, e.ExecutorName,
        e.ExecutedAt, e.DocumentId, e.DocumentName, e.DocumentSha256, e.Copies, e.PreviousHash, e.Hash,
    ];

    private static async Task CopyPostgresAsync(NpgsqlConnection pg, IEnumerable<LedgerEntry> entries)
    {
        var columns = string.Join(", ", Columns.Select(c => $"\"{c}\""));
        await using var import = await pg.BeginBinaryImportAsync($"COPY \"LedgerEntries\" ({columns}) FROM STDIN (FORMAT BINARY)");
        foreach (var e in entries)
        {
            await import.StartRowAsync();
            foreach (var v in Values(e))
            {
                switch (v)
                {
                    case null: await import.WriteNullAsync(); break;
                    case long l: await import.WriteAsync(l, NpgsqlDbType.Bigint); break;
                    case int n: await import.WriteAsync(n, NpgsqlDbType.Integer); break;
                    case DateTime t: await import.WriteAsync(t, NpgsqlDbType.TimestampTz); break;
                    case string s: await import.WriteAsync(s, NpgsqlDbType.Text); break;
                }
            }
        }
        await import.CompleteAsync();
    }

    /// <summary>Batched: one prepared INSERT reused inside a transaction per 50,000 rows.</summary>
    private static async Task InsertSqliteAsync(SqliteConnection sqlite, IEnumerable<LedgerEntry> entries)
    {
        await using (var pragma = sqlite.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;";
            await pragma.ExecuteNonQueryAsync();
        }
        var insert = $"INSERT INTO \"LedgerEntries\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", Columns.Select((_, i) => "$p" + i))})";
        SqliteTransaction? tx = null;
        SqliteCommand? cmd = null;
        var n = 0;
        foreach (var e in entries)
        {
            if (n % 50_000 == 0)
            {
                if (tx is not null)
                {
                    await tx.CommitAsync();
                    await tx.DisposeAsync();
                }
                tx = sqlite.BeginTransaction();
                cmd?.Dispose();
                cmd = sqlite.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = insert;
                for (var i = 0; i < Columns.Length; i++)
                    cmd.Parameters.Add(new SqliteParameter("$p" + i, null));
                cmd.Prepare();
            }
            var values = Values(e);
            for (var i = 0; i < values.Length; i++)
                cmd!.Parameters[i].Value = values[i] switch
                {
                    null => DBNull.Value,
                    // EF Core's SQLite text form for DateTime, so EF reads these rows like its own.
                    DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
                    var v => v,
                };
            await cmd!.ExecuteNonQueryAsync();
            n++;
        }
        if (tx is not null)
        {
            await tx.CommitAsync();
            await tx.DisposeAsync();
        }
        cmd?.Dispose();
    }

    private static ClaimsPrincipal Auditor() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bench"), new Claim(ClaimTypes.NameIdentifier, "bench"), new Claim(ClaimTypes.Role, Roles.Auditor)], "bench"));

    private static async Task MeasurePageAsync(IServiceProvider services, int entries, int runs)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        int sealId, departmentId;
        const string keeperId = "bench-keeper";
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            sealId = await db.Seals.OrderBy(s => s.Id).Select(s => s.Id).Skip(3).FirstAsync();
            departmentId = await db.Departments.OrderBy(d => d.Id).Select(d => d.Id).Skip(3).FirstAsync();
            // A keeper of two of the twenty seals (about 100,000 entries), for the keeper's own ledger.
            if (!await db.Users.AnyAsync(u => u.Id == keeperId))
            {
                db.Users.Add(new ApplicationUser { Id = keeperId, UserName = keeperId, NormalizedUserName = keeperId.ToUpperInvariant(), DisplayName = "Bench keeper" });
                foreach (var seal in await db.Seals.OrderBy(s => s.Id).Take(2).ToListAsync())
                    seal.CustodianUserId = keeperId;
                await db.SaveChangesAsync();
            }
        }
        var grid = services.GetRequiredService<LedgerGrid>();
        var size = 50;
        var lastPage = (entries - 1) / size;
        var auditor = Auditor();
        var keeper = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, keeperId), new Claim(ClaimTypes.NameIdentifier, keeperId), new Claim(ClaimTypes.Role, Roles.SealKeeper)], "bench"));
        // The middle page as a jump from the first page (the pager holds the count and page 1, not the page before):
        // what a user who types a page number waits for, without the count a fresh pager adds.
        async Task<(string, ClaimsPrincipal, LedgerFilter, GridPageRequest, int?)> Middle(string name, ClaimsPrincipal user, LedgerFilter filter, string? sortBy = null)
        {
            var middle = (await grid.CountAsync(user, filter, CancellationToken.None) - 1) / size / 2;
            return ($"deep page, jump from page 1 to the middle (page {middle + 1}), {name}", user, filter, new(sortBy, false, middle, size), 0);
        }
        // What the grid asks for (GridPageRequest) through what it holds between pages (LedgerPager):
        // a fresh pager for a first page (it counts), a pager that has read page N-1 for a next page.
        var cases = new (string Name, LedgerFilter Filter, GridPageRequest Request, int? ReadBefore)[]
        {
            ("first page, no filter", new LedgerFilter(), new(null, false, 0, size), null),
            ("first page, seal + period (2024)", new LedgerFilter(SealId: sealId, From: new DateOnly(2024, 1, 1), To: new DateOnly(2024, 12, 31)), new(null, false, 0, size), null),
            ("first page, department + kind", new LedgerFilter(DepartmentId: departmentId, Kind: SealKind.Physical), new(null, false, 0, size), null),
            ("first page, person (applicant) + period", new LedgerFilter(Person: "user-42", From: new DateOnly(2025, 1, 1), To: new DateOnly(2025, 6, 30)), new(null, false, 0, size), null),
            ("first page, person (approver) + seal", new LedgerFilter(Person: "head-3", SealId: sealId), new(null, false, 0, size), null),
            ("first page, sorted oldest first", new LedgerFilter(), new("ExecutedAt", false, 0, size), null),
            ($"next page (page {lastPage / 2 + 1} after page {lastPage / 2}), no filter", new LedgerFilter(), new(null, false, lastPage / 2 + 1, size), lastPage / 2),
            ($"deep page, jump to the last (page {lastPage + 1})", new LedgerFilter(), new(null, false, lastPage, size), null),
            ($"deep page, jump to the middle (page {lastPage / 2 + 1})", new LedgerFilter(), new(null, false, lastPage / 2, size), null),
        }.Select(c => (c.Name, auditor, c.Filter, c.Request, c.ReadBefore)).ToList();
        cases.Add(await Middle("no filter", auditor, new LedgerFilter()));
        cases.Add(await Middle("sorted oldest first", auditor, new LedgerFilter(), "ExecutedAt"));
        cases.Add(await Middle("seal", auditor, new LedgerFilter(SealId: sealId)));
        cases.Add(await Middle("department + kind", auditor, new LedgerFilter(DepartmentId: departmentId, Kind: SealKind.Physical)));
        cases.Add(await Middle("person (approver) + seal", auditor, new LedgerFilter(Person: "head-3", SealId: sealId)));
        cases.Add(await Middle("person (applicant)", auditor, new LedgerFilter(Person: "user-42")));
        cases.Add(await Middle("keeper of 2 seals", keeper, new LedgerFilter()));
        foreach (var (name, user, filter, request, readBefore) in cases)
        {
            var times = new List<double>();
            var cpuTimes = new List<double>();
            var rows = 0;
            for (var r = 0; r < runs + 1; r++)
            {
                var pager = grid.Pager(filter);
                if (readBefore is { } before)
                {
                    // The page before, as the grid read it when the user got there (its count, its last row).
                    await pager.PageAsync(user, request with { Page = 0 });
                    await pager.PageAsync(user, request with { Page = before });
                }
                var cpu = Cpu();
                var sw = Stopwatch.StartNew();
                var page = await pager.PageAsync(user, request);
                sw.Stop();
                if (r > 0)
                {
                    // The first run warms up the JIT and the query cache.
                    times.Add(sw.Elapsed.TotalMilliseconds);
                    cpuTimes.Add((Cpu() - cpu) * 1000);
                }
                rows = page.Items.Count;
            }
            times.Sort();
            cpuTimes.Sort();
            Console.Out.WriteLine($"grid page [{name}]: median {times[times.Count / 2]:0.0} ms (CPU {cpuTimes[cpuTimes.Count / 2]:0.0} ms), worst {times[^1]:0.0} ms over {runs} runs ({rows} rows)");
        }
    }

    private static async Task MeasureExportsAsync(IServiceProvider services, int exportRows)
    {
        // Exports of the newest N entries: the period filter that yields about N rows.
        LedgerFilter ForRows(SealPortalDbContext db, int n)
        {
            var last = db.LedgerEntries.OrderByDescending(e => e.Sequence).Skip(Math.Max(0, n - 1)).Select(e => e.ExecutedAt).FirstOrDefault();
            var first = db.LedgerEntries.OrderBy(e => e.Sequence).Select(e => e.ExecutedAt).FirstOrDefault();
            var from = DateOnly.FromDateTime(last == default ? first : last);
            return new LedgerFilter(From: from);
        }

        foreach (var (format, n) in new[] { ("CSV", exportRows / 10), ("CSV", exportRows), ("XLSX", exportRows) })
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            var filter = ForRows(db, n);
            var export = scope.ServiceProvider.GetRequiredService<LedgerExport>();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var baseline = GC.GetTotalMemory(false);
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var baseWorkingSet = process.WorkingSet64;
            long peakManaged = baseline, peakWorkingSet = baseWorkingSet;
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                    process.Refresh();
                    peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                    try { await Task.Delay(20, stop.Token); } catch (OperationCanceledException) { }
                }
            });
            var counting = new CountingStream();
            var cpu = Cpu();
            var sw = Stopwatch.StartNew();
            long rows;
            if (format == "CSV")
            {
                rows = await export.WriteCsvAsync(Auditor(), filter, counting, CancellationToken.None);
            }
            else
            {
                var path = Path.GetTempFileName();
                await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
                rows = await export.WriteXlsxAsync(Auditor(), filter, new NonDisposingStream(file), CancellationToken.None);
                counting.SetLength(file.Length);
            }
            sw.Stop();
            stop.Cancel();
            await sampler;
            Console.Out.WriteLine(
                $"export {format}: {rows:N0} rows, {counting.Length / 1024 / 1024.0:0.0} MB in {sw.Elapsed.TotalSeconds:0.00} s (CPU {Cpu() - cpu:0.00} s); " +
                $"peak managed heap +{(peakManaged - baseline) / 1024 / 1024.0:0.0} MB (baseline {baseline / 1024 / 1024.0:0.0} MB), " +
                $"peak working set {peakWorkingSet / 1024 / 1024.0:0} MB (before {baseWorkingSet / 1024 / 1024.0:0} MB)");
        }
    }

    private static async Task MeasureVerifyAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var cpu = Cpu();
        var sw = Stopwatch.StartNew();
        var report = await scope.ServiceProvider.GetRequiredService<IntegrityCheck>().VerifyAsync();
        Console.Out.WriteLine($"ledger verify: {(report.Intact ? "intact" : "BROKEN: " + report.Ledger.Problem)}, {report.Ledger.EntriesChecked:N0} entries in {sw.Elapsed.TotalSeconds:0.00} s (CPU {Cpu() - cpu:0.00} s)");
    }

    private static async Task DropAsync(string provider, string name, string? server)
    {
        if (provider == "sqlite")
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { name, name + "-wal", name + "-shm" })
                File.Delete(f);
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(server);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Counts what an export writes and throws it away, so the disk is not what is measured.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => _length = value;
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) { _length += count; return Task.CompletedTask; }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) { _length += buffer.Length; return ValueTask.CompletedTask; }
    }
}
