using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Requests;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Jobs;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// The inbox pages every order the same whether a page is read from the start or, past the middle, from the end; sorted
/// by number it reads the number the pending rows carry, which stays the request's. On SQLite the grid reads of the
/// requests bench that were slow are answered by the indexes made for them (the plans of the commands the portal runs).
/// Runs on SQLite and, with SEALPORTAL_TEST_DB=postgres, on PostgreSQL (the plans on SQLite only).
/// </summary>
public sealed class InboxPagingTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly string[] Sorts = ["", "Number", "Purpose", "Applicant", "DueAt"];

    [Fact]
    public async Task Every_sort_pages_alike_from_the_start_and_from_the_end_also_for_a_deputy_and_sorts_by_the_requests_numbers()
    {
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, new Dictionary<string, string?>(RequestSeeding.SampleCertificates));
        var applicant = await portal.UserIdAsync("applicant");
        var depthead = await portal.UserIdAsync("depthead");
        var reviewer = await portal.UserIdAsync("reviewer");
        // Purposes out of creation order, two urgent, some an hour later (another deadline and waiting time).
        string[] purposes = ["c contract", "a contract", "e contract", "b contract", "d contract"];
        var ids = new List<int>();
        for (var i = 0; i < purposes.Length; i++)
        {
            ids.Add(await SubmitAsync(portal, applicant, purposes[i], urgent: i % 2 == 1));
            if (i == 2)
                clock.Advance(TimeSpan.FromHours(1));
        }
        await EngineInbox.AssertSameAsync(portal.Services, "after submission");
        var numbers = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().PendingApprovals
            .Where(p => ids.Contains(p.SealRequestId)).Select(p => p.RequestNumber).ToListAsync());
        Assert.Equal(ids.Count, numbers.Count);
        Assert.All(numbers, n => Assert.Matches(@"^\d\d-\d{5}$", n));

        await AssertPagesAsync(portal, depthead, ids, "the department head");

        // A delegation running: the reviewer's inbox holds the head's rows (two approvers: the grouped keys and the join).
        await portal.InScopeAsync(async sp =>
        {
            var made = await sp.GetRequiredService<DelegationService>().CreateAsync(
                new DelegationInput(depthead, reviewer, Start.AddHours(2), Start.AddDays(5), "leave"), depthead, actorIsAdmin: false, CancellationToken.None);
            Assert.True(made.Succeeded, made.Error);
        });
        clock.Advance(TimeSpan.FromHours(2));
        await AssertPagesAsync(portal, reviewer, ids, "the deputy");

        // A decision moves one request on: its rows are written again, with the number still the request's.
        await portal.InScopeAsync(async sp =>
        {
            var decided = await sp.GetRequiredService<DecideHandler>().HandleAsync(ids[0], depthead, DecisionKind.Approve, "ok", await VersionAsync(sp, ids[0]));
            Assert.True(decided.Succeeded, decided.ToString());
        });
        await EngineInbox.AssertSameAsync(portal.Services, "after a decision");
        Assert.True(await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().PendingApprovals.AnyAsync(p => p.SealRequestId == ids[0])),
            "the first request waits for the next step");
        await AssertPagesAsync(portal, depthead, ids.Skip(1).ToList(), "the head after the decision");
    }

    [Fact]
    public async Task On_sqlite_the_searched_my_requests_and_the_urgent_number_and_last_inbox_pages_read_their_indexes()
    {
        if (TestDatabase.UsePostgres)
            return; // PostgreSQL plans by its statistics; a table of a few rows is read whole, whatever the indexes.
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, new Dictionary<string, string?>(RequestSeeding.SampleCertificates));
        var applicant = await portal.UserIdAsync("applicant");
        var depthead = await portal.UserIdAsync("depthead");
        for (var i = 0; i < 3; i++)
            await SubmitAsync(portal, applicant, $"contract {i}", urgent: i == 1);

        var commands = new CommandLog();
        var sp = portal.Services;
        var read = new RequestQueries(new LoggingContexts(sp, commands),
            sp.GetRequiredService<WorkingCalendar>(), sp.GetRequiredService<ArchiveStore>(), sp.GetRequiredService<TimeProvider>());

        // My requests, searched with a status; one row a page, so the count runs too. The search index finds the candidates
        // (RequestSearch), which the page and the count look up by id in the covering index and test again with LIKE.
        var mine = await commands.DuringAsync(() => read.MineAsync(applicant, new ListQuery("CONTRACT", SealRequestStatus.InApproval, PageSize: 1)));
        Assert.Equal(3, (await read.MineAsync(applicant, new ListQuery("CONTRACT", SealRequestStatus.InApproval, PageSize: 1))).Total);
        var probe = Assert.Single(mine, c => c.Text.Contains("MATCH", StringComparison.Ordinal));
        Assert.Contains("SCAN SealRequestsSearch VIRTUAL TABLE INDEX 0:M", await PlanAsync(storage.Database.ConnectionString, probe));
        var searched = mine.Where(c => c.Text.Contains("LIKE", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, searched.Count);
        foreach (var c in searched)
        {
            var plan = await PlanAsync(storage.Database.ConnectionString, c);
            Assert.True(plan.Contains("USING COVERING INDEX IX_SealRequests_MineSearchStatus (ApplicantUserId=? AND Status=? AND Id=?)", StringComparison.Ordinal), $"{plan}\n{c.Text}");
        }
        // Without a status: the page newest first and the count off the other search index, by id.
        var anyStatus = await commands.DuringAsync(() => read.MineAsync(applicant, new ListQuery("CONTRACT", PageSize: 1)));
        var anyStatusSearched = anyStatus.Where(c => c.Text.Contains("LIKE", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, anyStatusSearched.Count);
        foreach (var c in anyStatusSearched)
        {
            var plan = await PlanAsync(storage.Database.ConnectionString, c);
            Assert.True(plan.Contains("USING COVERING INDEX IX_SealRequests_MineSearchNewest (ApplicantUserId=? AND Id=?)", StringComparison.Ordinal), $"{plan}\n{c.Text}");
            Assert.DoesNotContain("TEMP B-TREE", plan);
        }
        // Sorted by number, purpose or status: the candidates looked up by id and sorted, not the applicant's whole index
        // walked in the column's order to test each entry against them.
        foreach (var sort in new[] { "Number", "Purpose", "Status" })
        {
            var sorted = await commands.DuringAsync(() => read.MineAsync(applicant, new ListQuery("CONTRACT", SortBy: sort, PageSize: 1)));
            var page = Assert.Single(sorted, c => c.Text.Contains("LIKE", StringComparison.Ordinal) && c.Text.Contains("ORDER BY", StringComparison.Ordinal));
            var plan = await PlanAsync(storage.Database.ConnectionString, page);
            Assert.True(plan.Contains("(ApplicantUserId=? AND Id=?)", StringComparison.Ordinal) && plan.Contains("TEMP B-TREE", StringComparison.Ordinal), $"{sort}: {plan}\n{page.Text}");
        }
        // A term of two characters has no trigram: LIKE alone, off the covering index as before.
        var shortTerm = await commands.DuringAsync(() => read.MineAsync(applicant, new ListQuery("CO", SealRequestStatus.InApproval, PageSize: 1)));
        Assert.DoesNotContain(shortTerm, c => c.Text.Contains("MATCH", StringComparison.Ordinal));
        foreach (var c in shortTerm.Where(c => c.Text.Contains("LIKE", StringComparison.Ordinal)))
            Assert.Contains("USING COVERING INDEX IX_SealRequests_MineSearchStatus (ApplicantUserId=? AND Status=?)", await PlanAsync(storage.Database.ConnectionString, c));

        // The inbox searched: the matching requests are one set, the search index's candidates looked up by id and tested
        // again, not each waiting request read from its table row (the rows carry the workflow state).
        var inboxSearched = (await commands.DuringAsync(() => read.InboxAsync(depthead, new InboxFilter(), new ListQuery("CONTRACT", PageSize: 1))))
            .Where(c => c.Text.Contains("FROM \"PendingApprovals\"", StringComparison.Ordinal) && c.Text.Contains("LIKE", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, inboxSearched.Count);
        foreach (var c in inboxSearched)
        {
            var plan = await PlanAsync(storage.Database.ConnectionString, c);
            Assert.True(plan.Contains("LIST SUBQUERY", StringComparison.Ordinal) && plan.Contains("USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal), $"{plan}\n{c.Text}");
            Assert.DoesNotContain("IX_SealRequests_MineSearch", plan);
            // The pending rows found from the candidates, not the approver's whole index walked.
            Assert.True(plan.Contains("USING INDEX IX_PendingApprovals_SealRequestId (SealRequestId=?)", StringComparison.Ordinal), $"{plan}\n{c.Text}");
            Assert.DoesNotContain("ApproverUserId=?", plan);
        }
        Assert.Equal(3, (await read.InboxAsync(depthead, new InboxFilter(), new ListQuery("CONTRACT", PageSize: 1))).Total);

        // The inbox, urgent only: count and page off the urgent index, by equality on the flag.
        var urgent = await commands.DuringAsync(() => read.InboxAsync(depthead, new InboxFilter(UrgentOnly: true), new ListQuery(Descending: false)));
        var onPending = urgent.Where(c => c.Text.Contains("FROM \"PendingApprovals\"", StringComparison.Ordinal) && c.Text.Contains("\"Urgent\" =", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, onPending.Count);
        foreach (var c in onPending)
        {
            var plan = await PlanAsync(storage.Database.ConnectionString, c);
            Assert.Contains("USING COVERING INDEX IX_PendingApprovals_Urgent (ApproverUserId=? AND Urgent=?)", plan);
            Assert.DoesNotContain("TEMP B-TREE", plan);
        }

        // The inbox sorted by number, both ways: the pending rows' number index, no requests read, no sort.
        foreach (var descending in new[] { false, true })
        {
            var byNumber = await commands.DuringAsync(() => read.InboxAsync(depthead, new InboxFilter(), new ListQuery(SortBy: "Number", Descending: descending, PageSize: 2)));
            var page = Assert.Single(byNumber, c => c.Text.Contains("ORDER BY \"p\".\"RequestNumber\"", StringComparison.Ordinal));
            var plan = await PlanAsync(storage.Database.ConnectionString, page);
            Assert.Contains("USING COVERING INDEX IX_PendingApprovals_Number (ApproverUserId=?)", plan);
            Assert.DoesNotContain("TEMP B-TREE", plan);
            Assert.DoesNotContain("SealRequests", page.Text);
        }

        // The last page is read from the end of the inbox's own order, off the inbox index, without a sort.
        var last = await commands.DuringAsync(() => read.InboxAsync(depthead, new InboxFilter(), new ListQuery(Descending: false, Page: 2, PageSize: 1)));
        // Its total is counted off a covering index of the approver's rows, not the table.
        var count = Assert.Single(last, c => c.Text.Contains("COUNT(*)", StringComparison.OrdinalIgnoreCase));
        var countPlan = await PlanAsync(storage.Database.ConnectionString, count);
        Assert.True(countPlan.Contains("USING COVERING INDEX IX_PendingApprovals_", StringComparison.Ordinal), $"{countPlan}\n{count.Text}");
        var backward = Assert.Single(last, c => c.Text.Contains("ORDER BY \"p\".\"DueOrder\" DESC, \"p\".\"SinceUnixMs\" DESC, \"p\".\"SealRequestId\" DESC", StringComparison.Ordinal));
        var lastPlan = await PlanAsync(storage.Database.ConnectionString, backward);
        Assert.Contains("USING COVERING INDEX IX_PendingApprovals_Inbox (ApproverUserId=?)", lastPlan);
        Assert.DoesNotContain("TEMP B-TREE", lastPlan);
        // The page's items are looked up by their requests, not found by walking everything waiting for the approver.
        var items = Assert.Single(last, c => c.Text.Contains("\"p\".\"Slot\"", StringComparison.Ordinal));
        var itemsPlan = await PlanAsync(storage.Database.ConnectionString, items);
        Assert.Contains("SealRequestId=?", itemsPlan);
        Assert.DoesNotContain("ApproverUserId=?", itemsPlan);
    }

    [Fact]
    public async Task On_postgres_the_searched_and_the_purpose_sorted_my_requests_read_their_indexes()
    {
        if (!TestDatabase.UsePostgres)
            return; // SQLite's indexes for the same reads are checked above.
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, new Dictionary<string, string?>(RequestSeeding.SampleCertificates));
        var applicant = await portal.UserIdAsync("applicant");
        // PostgreSQL plans by its statistics: with a few rows it reads the table whole whatever the indexes, so the applicant
        // gets 3,000 requests (copies of a submitted one, as the requests bench makes them) and the tables are analysed.
        var first = await SubmitAsync(portal, applicant, "Bench contract", urgent: false);
        await portal.InScopeAsync(sp => RequestListBench.CopyAsync(sp.GetRequiredService<SealPortalDbContext>(), first, 3000));

        var commands = new CommandLog();
        var sp = portal.Services;
        var read = new RequestQueries(new LoggingContexts(sp, commands),
            sp.GetRequiredService<WorkingCalendar>(), sp.GetRequiredService<ArchiveStore>(), sp.GetRequiredService<TimeProvider>());

        // Searched in another case, with and without a status, one row a page so that the count runs too: "contract 123" is in
        // the purposes of copies 123 and 1230 to 1239. Every searched read finds its rows through the trigram index.
        foreach (var status in new SealRequestStatus?[] { SealRequestStatus.InApproval, null })
        {
            var query = new ListQuery("CONTRACT 123", status, PageSize: 1);
            var searched = (await commands.DuringAsync(() => read.MineAsync(applicant, query)))
                .Where(c => c.Text.Contains("ILIKE", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, searched.Count);
            foreach (var c in searched)
            {
                var plan = await PostgresPlanAsync(storage.Database.ConnectionString, c);
                Assert.True(plan.Contains($"Bitmap Index Scan on \"{SealPortalDbContext.SearchIndexName}\"", StringComparison.Ordinal), $"{plan}\n{c.Text}");
                Assert.DoesNotContain("Seq Scan", plan);
            }
            var page = await read.MineAsync(applicant, query);
            Assert.Equal(11, page.Total);
            Assert.Equal("B-1239", Assert.Single(page.Items).Number);
        }

        // Sorted by purpose, both ways: the first page off the prefix index, only runs of rows with one prefix sorted.
        foreach (var descending in new[] { false, true })
        {
            var query = new ListQuery(SortBy: "Purpose", Descending: descending);
            var sorted = Assert.Single(await commands.DuringAsync(() => read.MineAsync(applicant, query)),
                c => c.Text.Contains("ORDER BY substring(", StringComparison.Ordinal));
            var plan = await PostgresPlanAsync(storage.Database.ConnectionString, sorted);
            Assert.True(plan.Contains($"using \"{SealPortalDbContext.PurposePrefixIndexName}\"", StringComparison.Ordinal), $"{plan}\n{sorted.Text}");
            Assert.Contains("Incremental Sort", plan);
            Assert.DoesNotContain("Seq Scan", plan);
            var purposes = (await read.MineAsync(applicant, query)).Items.Select(r => r.Purpose).ToList();
            Assert.Equal(descending ? ["Bench contract 999", "Bench contract 998"] : ["Bench contract", "Bench contract 10"], purposes.Take(2));
        }
    }

    [Fact]
    public async Task On_postgres_the_inbox_counts_off_its_count_index_and_searches_through_the_trigram_index()
    {
        if (!TestDatabase.UsePostgres)
            return; // SQLite's count is checked in the SQLite test above.
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, new Dictionary<string, string?>(RequestSeeding.SampleCertificates));
        var applicant = await portal.UserIdAsync("applicant");
        var depthead = await portal.UserIdAsync("depthead");
        // 3,000 requests waiting for the department head, the tables analysed (see the test above).
        var first = await SubmitAsync(portal, applicant, "Bench contract", urgent: false);
        await portal.InScopeAsync(sp => RequestListBench.CopyAsync(sp.GetRequiredService<SealPortalDbContext>(), first, 3000));

        var commands = new CommandLog();
        var sp = portal.Services;
        var read = new RequestQueries(new LoggingContexts(sp, commands),
            sp.GetRequiredService<WorkingCalendar>(), sp.GetRequiredService<ArchiveStore>(), sp.GetRequiredService<TimeProvider>());

        // The total: off the count index alone, with no column tested per row (the index's predicate is the query's); it
        // read the whole table before.
        var inbox = await commands.DuringAsync(() => read.InboxAsync(depthead, new InboxFilter(), new ListQuery(Descending: false)));
        var count = Assert.Single(inbox, c => c.Text.Contains("COUNT(*)", StringComparison.OrdinalIgnoreCase));
        var countPlan = await PostgresPlanAsync(storage.Database.ConnectionString, count);
        Assert.True(countPlan.Contains($"Index Only Scan using \"{SealPortalDbContext.InboxCountIndexName}\"", StringComparison.Ordinal), $"{countPlan}\n{count.Text}");
        Assert.DoesNotContain("Filter", countPlan);
        Assert.Equal(3000, (await read.InboxAsync(depthead, new InboxFilter(), new ListQuery(Descending: false))).Total);

        // Searched in another case: the count and the page find the requests through the trigram index, not by reading every
        // request waiting; "contract 123" is in the purposes of copies 123 and 1230 to 1239 (numbers B-123, B-1230...).
        var query = new ListQuery("CONTRACT 123", SortBy: "Number", Descending: false, PageSize: 10);
        var searched = (await commands.DuringAsync(() => read.InboxAsync(depthead, new InboxFilter(), query)))
            .Where(c => c.Text.Contains("ILIKE", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, searched.Count);
        foreach (var c in searched)
        {
            var plan = await PostgresPlanAsync(storage.Database.ConnectionString, c);
            Assert.True(plan.Contains($"Bitmap Index Scan on \"{SealPortalDbContext.SearchIndexName}\"", StringComparison.Ordinal), $"{plan}\n{c.Text}");
            Assert.DoesNotContain("Seq Scan", plan);
        }
        var page = await read.InboxAsync(depthead, new InboxFilter(), query);
        Assert.Equal(11, page.Total);
        Assert.Equal(["B-123", "B-1230", "B-1231"], page.Items.Take(3).Select(i => i.Number));
        // The applicant's name still finds all of their requests, and a counterparty in another case its own (copy i has
        // counterparty "Counterparty (i mod 500)": 499 for copies 499, 999, ... 2999).
        Assert.Equal(3000, (await read.InboxAsync(depthead, new InboxFilter(), new ListQuery("张伟"))).Total);
        Assert.Equal(6, (await read.InboxAsync(depthead, new InboxFilter(), new ListQuery("COUNTERPARTY 499"))).Total);
    }

    /// <summary>
    /// For every sort, both directions and with and without the urgent filter: the rows of one big page are the rows of
    /// the pages of two, read forward near the start and backward past the middle; sorted by number they are in number order.
    /// </summary>
    private static async Task AssertPagesAsync(JobsPortal portal, string userId, List<int> expected, string who)
    {
        var queries = portal.Services.GetRequiredService<RequestQueries>();
        var numbers = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().SealRequests
            .Where(r => expected.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Number));
        foreach (var filter in new[] { new InboxFilter(), new InboxFilter(UrgentOnly: true) })
        foreach (var sort in Sorts)
        foreach (var descending in new[] { false, true })
        {
            var what = $"{who}, sort '{sort}' {(descending ? "descending" : "ascending")}, urgent only {filter.UrgentOnly}";
            var whole = await queries.InboxAsync(userId, filter, new ListQuery(SortBy: sort, Descending: descending, PageSize: 100));
            var all = whole.Items.Select(i => i.Id).ToList();
            Assert.True(filter.UrgentOnly ? all.Count == 2 : all.Order().SequenceEqual(expected.Order()), $"{what}: {string.Join(",", all)}");
            Assert.Equal(all.Count, whole.Total);
            var paged = new List<int>();
            for (var page = 0; page * 2 < all.Count; page++)
            {
                var part = await queries.InboxAsync(userId, filter, new ListQuery(SortBy: sort, Descending: descending, Page: page, PageSize: 2));
                Assert.Equal(all.Count, part.Total);
                paged.AddRange(part.Items.Select(i => i.Id));
            }
            Assert.True(all.SequenceEqual(paged), $"{what}: whole {string.Join(",", all)}, paged {string.Join(",", paged)}");
            Assert.Empty((await queries.InboxAsync(userId, filter, new ListQuery(SortBy: sort, Descending: descending, Page: all.Count, PageSize: 2))).Items);
            if (sort == "Number")
            {
                var shown = all.Select(id => numbers[id]).ToList();
                var sorted = descending ? shown.OrderDescending(StringComparer.Ordinal) : shown.Order(StringComparer.Ordinal);
                Assert.True(sorted.SequenceEqual(shown), $"{what}: {string.Join(",", shown)}");
            }
        }
    }

    private static Task<int> SubmitAsync(JobsPortal portal, string applicant, string purpose, bool urgent) =>
        portal.InScopeAsync(async sp =>
        {
            var sealId = await sp.GetRequiredService<SealPortalDbContext>().Seals.Where(s => s.Name == "公司公章").Select(s => s.Id).SingleAsync();
            var pdf = PdfTestKit.ClassicPdf(1);
            var draft = await sp.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
                new SealRequestInput(purpose, DocumentTypes.Letter, 1, 50_000m, "示例客户有限公司", urgent, [sealId]),
                [new UploadedPdf("a.pdf", pdf.Length, () => new MemoryStream(pdf))]);
            Assert.True(draft.Succeeded, draft.ToString());
            var submitted = await sp.GetRequiredService<SubmitRequestHandler>().HandleAsync(draft.Id!.Value, applicant);
            Assert.True(submitted.Succeeded, submitted.ToString());
            return draft.Id.Value;
        });

    private static async Task<long> VersionAsync(IServiceProvider sp, int id)
    {
        var json = await sp.GetRequiredService<SealPortalDbContext>().SealRequests.Where(r => r.Id == id).Select(r => r.WorkflowStateJson).SingleAsync();
        return RequestWorkflowStore.Deserialize(json!).Version;
    }

    /// <summary>SQLite's plan of a command the portal ran, with its parameters bound as they were.</summary>
    private static async Task<string> PlanAsync(string connectionString, LoggedCommand logged)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return await SqlitePlans.ExplainAsync(connection, logged.Text, logged.Parameters);
    }

    /// <summary>PostgreSQL's plan of a command the portal ran, with its parameters bound as they were.</summary>
    private static async Task<string> PostgresPlanAsync(string connectionString, LoggedCommand logged)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN " + logged.Text;
        foreach (var (name, value) in logged.Parameters)
            command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            plan.Add(reader.GetString(0));
        return string.Join("\n", plan);
    }

    internal sealed record LoggedCommand(string Text, List<(string Name, object? Value)> Parameters);

    /// <summary>The commands run while a read runs.</summary>
    private sealed class CommandLog : DbCommandInterceptor
    {
        private readonly List<LoggedCommand> _commands = [];

        public async Task<List<LoggedCommand>> DuringAsync<T>(Func<Task<T>> read)
        {
            lock (_commands)
                _commands.Clear();
            await read();
            lock (_commands)
                return [.. _commands];
        }

        private void Log(DbCommand command)
        {
            lock (_commands)
                _commands.Add(new LoggedCommand(command.CommandText,
                    command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Log(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Log(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    /// <summary>The portal's contexts (SQLite's, or PostgreSQL's on a PostgreSQL run) with <see cref="CommandLog"/> added.</summary>
    private sealed class LoggingContexts(IServiceProvider services, CommandLog log) : IDbContextFactory<SealPortalDbContext>
    {
        public SealPortalDbContext CreateDbContext() => TestDatabase.UsePostgres
            ? new PostgresSealPortalDbContext(new DbContextOptionsBuilder<PostgresSealPortalDbContext>(
                services.GetRequiredService<DbContextOptions<PostgresSealPortalDbContext>>()).AddInterceptors(log).Options)
            : new SqliteSealPortalDbContext(new DbContextOptionsBuilder<SqliteSealPortalDbContext>(
                services.GetRequiredService<DbContextOptions<SqliteSealPortalDbContext>>()).AddInterceptors(log).Options);
    }
}
