using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Jobs;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// SQLite's trigram index of the request search (<see cref="RequestSearch"/>): "my requests" and the inbox searched give
/// exactly the rows LIKE gives (asked here in SQL, as the search was written before the index), for terms in Chinese, in
/// another case, of one and two characters, with quotes, %, _ and backslashes, FTS5 syntax and a number's prefix; the index
/// follows inserts, updates and deletes, and its migration indexes the rows a database already has. SQLite only: PostgreSQL
/// searches through its own trigram index (InboxPagingTests).
/// </summary>
public sealed class RequestSearchTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Purpose, counterparty and number given to copies of one request (the other copies keep the bench's texts).</summary>
    private static readonly (string Purpose, string? Counterparty, string Number)[] Texts =
    [
        ("Contract Renewal 2027", "Acme Ltd", "26-00042"),
        ("CONTRACT renewal", null, "26-00043"),
        ("contract renewal - extra", "ACME LTD.", "27-00001"),
        ("采购合同 2026 年度", "示例客户有限公司", "26-10000"),
        ("销售合同（华东）", "华为技术有限公司", "26-10001"),
        ("Straße ÄBC Ünïcödé", "äbc GmbH", "26-10002"),
        ("50% deposit, 100_percent", "Under_score & Co", "26-10003"),
        ("say \"hello\" now", "O'Brien \"Quotes\" Ltd", "26-10004"),
        ("path a\\b\\c", "back\\slash", "26-10005"),
        ("emoji 😀 text 😀😀", "ＡＢＣ fullwidth", "26-10006"),
        ("İstanbul office", "KELVIN \u212A sign", "26-10007"),
        ("tab\there and  two spaces", "NEAR(a b) OR x* ^col:abc", "26-10008"),
        ("AND OR NOT", "contract", "26-10009"),
        ("ab", "a", "26-10010"),
        ("%", "_", "26-10011"),
        ("Ab", "aB", "26-10012"),
    ];

    private static readonly string[] Terms =
    [
        "contract", "CONTRACT RENEWAL", "contract renewal 2027", "ct re", "合同", "合", "采购合同", "有限公司", "华东）", "a", "ab", "AB",
        "abc", "äbc", "ÄBC", "straße", "STRASSE", "50%", "%", "_", "0_p", "r_s", "\"hello\"", "\"", "\"\"", "o'brien", "'", "a\\b", "\\",
        "26-000", "26-", "27-0", "B-1", "b-1", "😀", "😀 t", "😀😀", "ｂｃ", "ＡＢＣ", "istanbul", "İstanbul", "kelvin k", "kelvin \u212A",
        "near(a b)", "x*", "^col", "col:abc", "and or", "not", "and  two", "ere and", "bench contract 1", "counterparty 1", "zzz nothing",
    ];

    [Fact]
    public async Task My_requests_and_the_inbox_searched_give_the_rows_like_gives_in_every_sort()
    {
        if (TestDatabase.UsePostgres)
            return;
        await using var storage = new PortalStorage();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(Start), new Dictionary<string, string?>(RequestSeeding.SampleCertificates));
        var applicant = await portal.UserIdAsync("applicant");
        var depthead = await portal.UserIdAsync("depthead");
        var reviewer = await portal.UserIdAsync("reviewer");
        var first = await SubmitAsync(portal, applicant, "Bench contract");
        // 40 requests: copies with the bench's texts, the first ones given the texts above; a few drafts, and a few of
        // another applicant (found by the index, never in this applicant's list).
        await portal.InScopeAsync(sp => RequestListBench.CopyAsync(sp.GetRequiredService<SealPortalDbContext>(), first, 40));
        await portal.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SealPortalDbContext>();
            var copies = await db.SealRequests.Where(r => r.Id != first).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();
            for (var i = 0; i < Texts.Length; i++)
            {
                var (purpose, counterparty, number) = Texts[i];
                await db.SealRequests.Where(r => r.Id == copies[i]).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Purpose, purpose).SetProperty(r => r.Counterparty, counterparty).SetProperty(r => r.Number, number));
            }
            foreach (var i in new[] { 0, 3, 7, 20 })
                await db.SealRequests.Where(r => r.Id == copies[i]).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, SealRequestStatus.Draft));
            foreach (var i in new[] { 1, 5, 21 })
                await db.SealRequests.Where(r => r.Id == copies[i]).ExecuteUpdateAsync(s => s.SetProperty(r => r.ApplicantUserId, reviewer));
        });
        await AssertIndexIntactAsync(storage);
        var queries = portal.Services.GetRequiredService<RequestQueries>();
        var applicantName = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.Id == applicant).Select(u => u.DisplayName).SingleAsync());

        foreach (var term in Terms)
        {
            var lowered = term.Trim().ToLowerInvariant();
            var indexed = RequestSearch.MatchQuery(lowered) is not null;
            Assert.True(indexed == (lowered.EnumerateRunes().Count() >= 3), $"'{term}': index used {indexed}");
            var everywhere = await LikeAsync(storage, lowered, null, null, "\"Id\"");
            if (indexed)
            {
                // The index finds every request LIKE finds (it may find more; LIKE tests them again), and these are few.
                var candidates = await portal.InScopeAsync(sp => RequestSearch.CandidatesAsync(sp.GetRequiredService<SealPortalDbContext>(), lowered, CancellationToken.None));
                Assert.NotNull(candidates);
                Assert.True(everywhere.All(candidates.Contains), $"'{term}': LIKE {string.Join(",", everywhere)}, index {string.Join(",", candidates)}");
            }
            var ownName = applicantName.ToLowerInvariant().Contains(lowered, StringComparison.Ordinal);
            foreach (var status in new SealRequestStatus?[] { null, SealRequestStatus.InApproval, SealRequestStatus.Draft })
            foreach (var (sort, order) in new[] { ("", "\"Id\""), ("Number", "\"Number\""), ("Purpose", "\"Purpose\", \"Id\""), ("Status", null) })
            foreach (var descending in new[] { false, true })
            {
                var what = $"'{term}', status {status}, sort '{sort}' {(descending ? "descending" : "ascending")}";
                var expected = await LikeAsync(storage, ownName ? null : lowered, applicant, status, order is null ? "\"Id\"" : descending ? Descending(order) : order);
                var page = await queries.MineAsync(applicant, new ListQuery(term, status, sort, descending, PageSize: 100));
                var got = page.Items.Select(r => r.Id).ToList();
                Assert.Equal(expected.Count, page.Total);
                if (order is null)
                    Assert.True(expected.Order().SequenceEqual(got.Order()), $"{what}: LIKE {string.Join(",", expected)}, got {string.Join(",", got)}");
                else
                    Assert.True(expected.SequenceEqual(got), $"{what}: LIKE {string.Join(",", expected)}, got {string.Join(",", got)}");
                // One row a page: the count runs, and the second page is the second row.
                var paged = await queries.MineAsync(applicant, new ListQuery(term, status, sort, descending, Page: 1, PageSize: 1));
                Assert.Equal(expected.Count, paged.Total);
                if (order is not null)
                    Assert.Equal(expected.Skip(1).Take(1), paged.Items.Select(r => r.Id));
            }

            // The inbox of the department head: the requests waiting for them whose own columns LIKE matches, or whose
            // applicant's name (as the pending row has it) contains the term.
            await AssertInboxAsync(storage, queries, term, depthead, [depthead]);
        }

        // A deputy's inbox (the department head delegates to the reviewer): the rows of two approvers, searched alike.
        await portal.InScopeAsync(async sp =>
        {
            var made = await sp.GetRequiredService<DelegationService>().CreateAsync(
                new DelegationInput(depthead, reviewer, Start.AddHours(2), Start.AddDays(5), "leave"), depthead, actorIsAdmin: false, CancellationToken.None);
            Assert.True(made.Succeeded, made.Error);
        });
        portal.Clock.Advance(TimeSpan.FromHours(3));
        foreach (var term in Terms)
            await AssertInboxAsync(storage, queries, term, reviewer, [depthead, reviewer]);
    }

    /// <summary>The inbox of <paramref name="user"/> searched: the rows LIKE (or the applicant's name) finds, by either approver.</summary>
    private static async Task AssertInboxAsync(PortalStorage storage, RequestQueries queries, string term, string user, string[] approvers)
    {
        var lowered = term.Trim().ToLowerInvariant();
        var expected = await InboxLikeAsync(storage, lowered, user, approvers);
        var inbox = await queries.InboxAsync(user, new InboxFilter(), new ListQuery(term, PageSize: 100));
        var got = inbox.Items.Select(i => i.Id).ToList();
        Assert.True(expected.Order().SequenceEqual(got.Order()), $"inbox of {user} '{term}': LIKE {string.Join(",", expected)}, got {string.Join(",", got)}");
        Assert.Equal(expected.Count, inbox.Total);
        // Sorted by purpose and a page of two: the same rows in the pages.
        var sorted = (await queries.InboxAsync(user, new InboxFilter(), new ListQuery(term, SortBy: "Purpose", Descending: false, PageSize: 100))).Items.Select(i => i.Id).ToList();
        Assert.True(expected.Order().SequenceEqual(sorted.Order()), $"inbox of {user} '{term}' by purpose: {string.Join(",", sorted)}");
    }

    [Fact]
    public async Task The_index_follows_inserts_updates_and_deletes()
    {
        if (TestDatabase.UsePostgres)
            return;
        await using var storage = new PortalStorage();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(Start), new Dictionary<string, string?>(RequestSeeding.SampleCertificates));
        var applicant = await portal.UserIdAsync("applicant");
        var queries = portal.Services.GetRequiredService<RequestQueries>();
        async Task<List<int>> FoundAsync(string term) => (await queries.MineAsync(applicant, new ListQuery(term, PageSize: 100))).Items.Select(r => r.Id).ToList();
        async Task<List<int>> IndexedAsync(string term) =>
            (await portal.InScopeAsync(sp => RequestSearch.CandidatesAsync(sp.GetRequiredService<SealPortalDbContext>(), term, CancellationToken.None)))!;

        // Inserted through the request handlers (EF).
        var id = await SubmitAsync(portal, applicant, "Quarterly 框架协议 review");
        Assert.Equal([id], await FoundAsync("框架协议"));
        Assert.Equal([id], await IndexedAsync("框架协议"));
        Assert.Equal([id], await IndexedAsync("rterly"));

        // The purpose changed through a tracked entity and SaveChanges, the counterparty by a bulk update.
        await portal.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SealPortalDbContext>();
            var request = await db.SealRequests.SingleAsync(r => r.Id == id);
            request.Purpose = "Annual 服务合同 review";
            await db.SaveChangesAsync();
            await db.SealRequests.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Counterparty, "Zeta Holdings"));
        });
        Assert.Empty(await FoundAsync("框架协议"));
        Assert.Empty(await IndexedAsync("框架协议"));
        Assert.Equal([id], await FoundAsync("服务合同"));
        Assert.Equal([id], await IndexedAsync("zeta hold"));
        Assert.Empty(await IndexedAsync("示例客户"));
        // A write of another column (the workflow's saves) leaves the index as it was.
        await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().SealRequests.Where(r => r.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Urgent, true)));
        Assert.Equal([id], await IndexedAsync("服务合同"));
        await AssertIndexIntactAsync(storage);

        // A copy inserted in SQL, then deleted in SQL (its seals and pending rows first).
        await portal.InScopeAsync(sp => RequestListBench.CopyAsync(sp.GetRequiredService<SealPortalDbContext>(), id, 2));
        var copy = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().SealRequests.Where(r => r.Id != id).Select(r => r.Id).SingleAsync());
        Assert.Equal([copy], await FoundAsync("bench contract 2"));
        await portal.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SealPortalDbContext>();
            await db.SealRequestSeals.Where(s => s.SealRequestId == copy).ExecuteDeleteAsync();
            await db.PendingApprovals.Where(p => p.SealRequestId == copy).ExecuteDeleteAsync();
            await db.SealRequests.Where(r => r.Id == copy).ExecuteDeleteAsync();
        });
        Assert.Empty(await IndexedAsync("bench contract 2"));
        Assert.Empty(await FoundAsync("bench contract 2"));
        Assert.Equal([id], await FoundAsync("服务合同"));
        await AssertIndexIntactAsync(storage);
    }

    [Fact]
    public async Task The_migration_indexes_the_requests_a_database_already_has()
    {
        if (TestDatabase.UsePostgres)
            return;
        await using var storage = new PortalStorage();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(Start), new Dictionary<string, string?>(RequestSeeding.SampleCertificates));
        var applicant = await portal.UserIdAsync("applicant");
        var id = await SubmitAsync(portal, applicant, "Bench contract");
        await portal.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SealPortalDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            var search = migrations.Single(m => m.EndsWith("_SqliteRequestSearchIndex", StringComparison.Ordinal));
            var migrator = db.GetService<IMigrator>();
            // The schema before the index, with requests written then (no triggers to index them).
            await migrator.MigrateAsync(migrations[migrations.IndexOf(search) - 1]);
            Assert.Empty(await TriggersAsync(db));
            await RequestListBench.CopyAsync(db, id, 30);
            await db.SealRequests.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Purpose, "旧数据 legacy purpose"));

            await migrator.MigrateAsync();
            Assert.Equal(["SealRequestsSearch_Delete", "SealRequestsSearch_Insert", "SealRequestsSearch_Update"], await TriggersAsync(db));
        });
        await AssertIndexIntactAsync(storage);
        var queries = portal.Services.GetRequiredService<RequestQueries>();
        Assert.Equal([id], (await queries.MineAsync(applicant, new ListQuery("旧数据 LEGACY"))).Items.Select(r => r.Id));
        Assert.Equal(11, (await queries.MineAsync(applicant, new ListQuery("contract 2"))).Total); // copies 2 and 20 to 29
        Assert.Equal(29, (await portal.InScopeAsync(sp => RequestSearch.CandidatesAsync(sp.GetRequiredService<SealPortalDbContext>(), "counterparty", CancellationToken.None)))?.Count);
    }

    private static async Task<List<string>> TriggersAsync(SealPortalDbContext db) =>
        await db.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'SealRequestsSearch%' ORDER BY name").ToListAsync();

    /// <summary>FTS5's own check of the index against the requests' table (its content table): it fails on any difference.</summary>
    private static async Task AssertIndexIntactAsync(PortalStorage storage)
    {
        await using var connection = new SqliteConnection(storage.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO \"SealRequestsSearch\" (\"SealRequestsSearch\", rank) VALUES ('integrity-check', 1)";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The search as LIKE answers it (escape \), in SQL: the requests' ids in <paramref name="order"/>.</summary>
    private static async Task<List<int>> LikeAsync(PortalStorage storage, string? lowered, string? applicant, SealRequestStatus? status, string order)
    {
        await using var connection = new SqliteConnection(storage.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        var where = new List<string> { "1 = 1" };
        if (lowered is not null)
        {
            where.Add("(\"Number\" LIKE $p ESCAPE '\\' OR \"Purpose\" LIKE $p ESCAPE '\\' OR \"Counterparty\" LIKE $p ESCAPE '\\')");
            command.Parameters.AddWithValue("$p", Pattern(lowered));
        }
        if (applicant is not null)
        {
            where.Add("\"ApplicantUserId\" = $a");
            command.Parameters.AddWithValue("$a", applicant);
        }
        if (status is { } s)
        {
            where.Add("\"Status\" = $s");
            command.Parameters.AddWithValue("$s", s.ToString());
        }
        command.CommandText = $"SELECT \"Id\" FROM \"SealRequests\" WHERE {string.Join(" AND ", where)} ORDER BY {order}";
        return await ReadIdsAsync(command);
    }

    private static async Task<List<int>> InboxLikeAsync(PortalStorage storage, string lowered, string user, string[] approvers)
    {
        await using var connection = new SqliteConnection(storage.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT DISTINCT r."Id" FROM "PendingApprovals" p JOIN "SealRequests" r ON r."Id" = p."SealRequestId" JOIN "AspNetUsers" u ON u."Id" = p."ApplicantUserId"
            WHERE p."ApproverUserId" IN ($a, $b) AND p."ApplicantUserId" <> $u
              AND (r."Number" LIKE $p ESCAPE '\' OR r."Purpose" LIKE $p ESCAPE '\' OR r."Counterparty" LIKE $p ESCAPE '\' OR instr(lower(u."DisplayName"), $t) > 0)
            """;
        command.Parameters.AddWithValue("$u", user);
        command.Parameters.AddWithValue("$a", approvers[0]);
        command.Parameters.AddWithValue("$b", approvers[^1]);
        command.Parameters.AddWithValue("$p", Pattern(lowered));
        command.Parameters.AddWithValue("$t", lowered);
        return await ReadIdsAsync(command);
    }

    private static async Task<List<int>> ReadIdsAsync(SqliteCommand command)
    {
        var ids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(reader.GetInt32(0));
        return ids;
    }

    private static string Pattern(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private static string Descending(string order) => string.Join(", ", order.Split(", ").Select(c => c + " DESC"));

    private static Task<int> SubmitAsync(JobsPortal portal, string applicant, string purpose) =>
        portal.InScopeAsync(async sp =>
        {
            var sealId = await sp.GetRequiredService<SealPortalDbContext>().Seals.Where(s => s.Name == "公司公章").Select(s => s.Id).SingleAsync();
            var pdf = PdfTestKit.ClassicPdf(1);
            var draft = await sp.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
                new SealRequestInput(purpose, DocumentTypes.Letter, 1, 50_000m, "示例客户有限公司", false, [sealId]),
                [new UploadedPdf("a.pdf", pdf.Length, () => new MemoryStream(pdf))]);
            Assert.True(draft.Succeeded, draft.ToString());
            var submitted = await sp.GetRequiredService<SubmitRequestHandler>().HandleAsync(draft.Id!.Value, applicant);
            Assert.True(submitted.Succeeded, submitted.ToString());
            return draft.Id.Value;
        });
}
