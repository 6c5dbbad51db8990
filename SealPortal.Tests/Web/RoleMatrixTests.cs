using System.Net;
using System.Text.RegularExpressions;
using Bunit;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Audits;
using SealPortal.Features.Verification;
using SealPortal.Tests.Features.Ledger;
using SealPortal.Tests.Features.Verification;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Web;

/// <summary>What the matrix needs besides the ledger: two audits over it and one verification report.</summary>
public sealed record RoleMatrixWorld(LedgerPortal Ledger, int OpenAuditId, long OpenAuditItemId, int ClosableAuditId, string ReportToken);

/// <summary>
/// <see cref="LedgerPortal"/>'s 60 entries (even ones on seal A, kept by the demo keeper; odd ones on
/// seal B, which nobody keeps) plus an open audit of them, a second one whose only sampled entry already
/// has its finding (so an auditor may close it), and a report token from one verified upload.
/// </summary>
public sealed class RoleMatrixPortal : LedgerPortal
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RoleMatrixWorld? _world;

    public async Task<RoleMatrixWorld> WorldAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _world ??= await BuildAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RoleMatrixWorld> BuildAsync()
    {
        await SeededAsync();
        int open, closable;
        long openItem;
        await using (var scope = Services.CreateAsyncScope())
        {
            var audits = scope.ServiceProvider.GetRequiredService<SealAuditService>();
            var may = (From: new DateOnly(2026, 5, 1), To: new DateOnly(2026, 5, 31));
            open = (await audits.OpenAsync(may.From, may.To, "3", "auditor")).AuditId!.Value;
            openItem = (await audits.GetAsync(open))!.Items[0].Id;
            closable = (await audits.OpenAsync(may.From, may.To, "1", "auditor")).AuditId!.Value;
            var only = (await audits.GetAsync(closable))!.Items.Single();
            Assert.True((await audits.RecordFindingAsync(closable, only.Id, SealAuditFinding.Ok, null, "auditor")).Succeeded);
        }
        // The report token as the verification page makes it for an auditor's upload (the page is interactive now).
        string token;
        await using (var scope = Services.CreateAsyncScope())
        {
            var verifier = scope.ServiceProvider.GetRequiredService<DocumentVerifier>();
            var pdf = await VerificationFiles.SealedAsync();
            var outcome = await verifier.VerifyAsync(new MemoryStream(pdf), "sealed.pdf", pdf.Length, "auditor", CancellationToken.None);
            token = verifier.Protect(outcome.Document ?? throw new InvalidOperationException("the sealed file showed no report"));
        }
        return new RoleMatrixWorld(this, open, openItem, closable, token);
    }
}

/// <summary>
/// Every page, form post and download of the auditor-facing areas (Ledger, AuditTrail, Verification,
/// Audits, Dashboard) against every demo role and an anonymous visitor. The table says who is allowed,
/// following the product rules: the ledger and its exports for auditors, administrators and seal keepers
/// (keepers see only the seals they keep); the audit trail for auditors and administrators; verification
/// for auditors, administrators and keepers (archived documents for auditors and administrators only);
/// audits readable by auditors and administrators, changed by auditors only; analytics for
/// administrators, executives and auditors; the integrity check for administrators and auditors; the department
/// assessment and its export for executives, auditors, administrators and department heads; violation
/// cases listed for auditors, administrators, executives and department heads, opened by auditors and administrators.
/// Everyone else signed in ends on a 403 (directly, or through the access-denied page), and an
/// anonymous visitor is sent to sign in. Each role's row of the matrix is one test case, so a failure
/// lists every address that answered wrongly for that role.
/// </summary>
public sealed class RoleMatrixTests(RoleMatrixPortal portal) : IClassFixture<RoleMatrixPortal>
{
    private const string Anonymous = "(anonymous)";

    private static readonly string[] Everyone = [.. Roles.All];
    private static readonly string[] LedgerReaders = [Roles.Auditor, Roles.Admin, Roles.SealKeeper];
    private static readonly string[] SeeEveryone = [Roles.Auditor, Roles.Admin];
    private static readonly string[] Verifiers = [Roles.Auditor, Roles.Admin, Roles.SealKeeper];
    private static readonly string[] AuditReaders = [Roles.Auditor, Roles.Admin];
    private static readonly string[] AnalyticsReaders = [Roles.Admin, Roles.Executive, Roles.Auditor];
    private static readonly string[] IntegrityCheckers = [Roles.Admin, Roles.Auditor];
    private static readonly string[] AssessmentReaders = [Roles.Executive, Roles.Auditor, Roles.Admin, Roles.DepartmentHead];
    // In this world no case names anyone, so only the roles that read cases open the list.
    private static readonly string[] CaseReaders = [Roles.Auditor, Roles.Admin, Roles.Executive, Roles.DepartmentHead];
    private static readonly string[] CaseHandlers = [Roles.Auditor, Roles.Admin];

    /// <summary>Sends the request as the client; the string is the page to take an antiforgery token from.</summary>
    private delegate Task<HttpResponseMessage> Send(RoleMatrixWorld world, PortalClient client, string tokenPage);

    /// <summary>Extra checks on an allowed answer, e.g. what a keeper may see of the ledger.</summary>
    private delegate Task Check(RoleMatrixWorld world, string role, HttpResponseMessage response);

    private sealed record Address(string Name, string[] Allowed, Send Send, HttpStatusCode Answer = HttpStatusCode.OK, Check? Check = null);

    private static readonly Address[] Matrix =
    [
        new("GET /", Everyone, Get(_ => "/"), Check: IntegrityCardOnlyForCheckers),
        // "Run check now" is an action of the interactive dashboard, not a form post: HomeTests checks its role rule
        // in the circuit, and that a posted form reaches nothing.

        new("GET /ledger", LedgerReaders, Get(_ => "/ledger"), Check: LedgerPageSeals),
        new("GET /ledger/export.csv", LedgerReaders, Get(_ => "/ledger/export.csv"), Check: CsvSeals),
        new("GET /ledger/export.xlsx", LedgerReaders, Get(_ => "/ledger/export.xlsx"), Check: XlsxSeals),
        // Seal B has no custodian: naming it is refused to keepers, who see only their own seals.
        new("GET /ledger?seal=B", SeeEveryone, Get(w => $"/ledger?seal={w.Ledger.SealB.Id}")),
        new("GET /ledger/export.csv?seal=B", SeeEveryone, Get(w => $"/ledger/export.csv?seal={w.Ledger.SealB.Id}")),
        new("GET /ledger/export.xlsx?seal=B", SeeEveryone, Get(w => $"/ledger/export.xlsx?seal={w.Ledger.SealB.Id}")),
        // Anchoring on demand: this portal has no time-stamp authority, so an allowed role gets 409 and the reason.
        new("POST /ledger/anchor", IntegrityCheckers, Post(_ => "/ledger/anchor", "anchor"), HttpStatusCode.Conflict),

        new("GET /audit-trail", SeeEveryone, Get(_ => "/audit-trail")),

        new("GET /verify", Verifiers, Get(_ => "/verify")),
        // The verification page is interactive: a posted form reaches no action (400, and no report) for those who may
        // open it; the role rules of its actions (uploads for verifiers, archived files for auditors and administrators)
        // are checked in the circuit by VerificationPageTests and ArchivedVerificationTests over VerificationCommands.
        new("POST /verify (upload)", Verifiers, (_, c, page) => UploadAsync(c, page), HttpStatusCode.BadRequest, Check: ShowsNoReport),
        new("POST /verify (archived)", Verifiers, Post(_ => "/verify", "verify-archived", ("documentId", "999999")), HttpStatusCode.BadRequest, Check: ShowsNoReport),
        new("POST /verify/report.json", Verifiers, (w, c, page) => c.PostHandMadeAsync("/verify/report.json", null, [new("report", w.ReportToken)], page),
            Check: (_, _, r) => Expect(r.Content.Headers.ContentType?.MediaType == "application/json", "a JSON report")),
        new("POST /verify/print", Verifiers, (w, c, page) => c.PostHandMadeAsync("/verify/print", null, [new("report", w.ReportToken)], page),
            Check: ShowsAReport),

        new("GET /audits", AuditReaders, Get(_ => "/audits")),
        // The audit pages are interactive: a posted form reaches no action (400) for those who may read them, and the
        // role rule of each action (auditors only) is checked in the circuit by AuditPageTests over AuditCommands.
        new("POST /audits (open)", AuditReaders, Post(_ => "/audits", "open-audit", ("from", "2026-05-01"), ("to", "2026-05-31"), ("sample", "1")),
            HttpStatusCode.BadRequest),
        new("GET /audits/{id}", AuditReaders, Get(w => $"/audits/{w.OpenAuditId}")),
        new("POST /audits/{id} (findings)", AuditReaders, (w, c, page) => c.PostHandMadeAsync($"/audits/{w.OpenAuditId}", "findings",
            [new("item", w.OpenAuditItemId.ToString()), new($"finding-{w.OpenAuditItemId}", "Ok")], page), HttpStatusCode.BadRequest),
        new("POST /audits/{id} (close)", AuditReaders, Post(w => $"/audits/{w.ClosableAuditId}", "close-audit", ("conclusion", "All in order.")),
            HttpStatusCode.BadRequest),

        new("GET /dashboard/analytics", AnalyticsReaders, Get(_ => "/dashboard/analytics")),

        // The department assessment: executives, auditors, administrators, and department heads (their own department).
        new("GET /assessment", AssessmentReaders, Get(_ => "/assessment")),
        new("GET /assessment/export.xlsx", AssessmentReaders, Get(_ => "/assessment/export.xlsx"),
            Check: (_, _, r) => Expect(r.Content.Headers.ContentType?.MediaType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "a workbook")),
        // Violation cases: the list for the roles that read cases (the circuit's own rules are in Features/Cases), the
        // new-case form for those who open them.
        new("GET /cases", CaseReaders, Get(_ => "/cases")),
        new("GET /cases/new", CaseHandlers, Get(_ => "/cases/new")),
    ];

    public static TheoryData<string> Users()
    {
        var users = new TheoryData<string> { Anonymous };
        foreach (var u in DatabaseInitializer.DemoUsers)
            users.Add(u.UserName);
        return users;
    }

    [Theory]
    [MemberData(nameof(Users))]
    public async Task Every_auditor_facing_address_answers_each_role_as_the_rules_say(string user)
    {
        var world = await portal.WorldAsync();
        var role = user == Anonymous ? null : DatabaseInitializer.DemoUsers.Single(u => u.UserName == user).Role;
        using var client = role is null ? portal.CreatePortalClient() : await portal.SignInAsync(user);
        var tokenPage = role is null ? "/account/login" : "/";
        var failures = new List<string>();
        foreach (var address in Matrix)
        {
            var response = await address.Send(world, client, tokenPage);
            var problem = await ProblemAsync(client, world, role, address, response);
            if (problem is not null)
                failures.Add($"{address.Name}: {problem}");
        }
        Assert.True(failures.Count == 0, $"{user} ({role ?? "not signed in"}):\n" + string.Join("\n", failures));
    }

    /// <returns>Null when the answer is the one the table expects for this role; otherwise what was wrong.</returns>
    private static async Task<string?> ProblemAsync(PortalClient client, RoleMatrixWorld world, string? role, Address address, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (body.Contains("   at "))
            return $"{status} with a stack trace";
        if (role is not null && address.Allowed.Contains(role))
        {
            if (response.StatusCode != address.Answer)
                return $"expected {(int)address.Answer}, got {status} {response.Headers.Location}";
            try
            {
                if (address.Check is not null)
                    await address.Check(world, role, response);
            }
            catch (InvalidOperationException ex)
            {
                return ex.Message;
            }
            return null;
        }

        // Refused: nothing of the ledger the role may not read travels with the refusal.
        if (Unreadable(world, role).FirstOrDefault(body.Contains) is { } leaked)
            return $"{status} carries ledger content ({leaked})";
        if (role is null)
            return response.StatusCode == HttpStatusCode.Redirect && response.LocalTarget().StartsWith("/account/login")
                ? null
                : $"expected a redirect to sign in, got {status} {response.Headers.Location}";
        if (response.StatusCode == HttpStatusCode.Forbidden)
            return null;
        if (response.StatusCode == HttpStatusCode.Redirect && response.LocalTarget().StartsWith("/account/access-denied"))
        {
            var denied = await client.GetAsync(response.LocalTarget());
            return denied.StatusCode == HttpStatusCode.Forbidden ? null : $"the access-denied page answered {(int)denied.StatusCode}";
        }
        return $"expected 403, got {status} {response.Headers.Location}";
    }

    /// <summary>The seeded seals whose ledger entries the role may not read: keepers read their seal A only.</summary>
    private static string[] Unreadable(RoleMatrixWorld w, string? role) => role switch
    {
        Roles.Auditor or Roles.Admin => [],
        Roles.SealKeeper => [w.Ledger.SealB.Name],
        _ => [w.Ledger.SealA.Name, w.Ledger.SealB.Name],
    };

    // ------------------------------------------------------------------ requests

    private static Send Get(Func<RoleMatrixWorld, string> url) => (w, c, _) => c.GetAsync(url(w));

    private static Send Post(Func<RoleMatrixWorld, string> url, string formName, params (string Name, string Value)[] fields) =>
        (w, c, page) => c.PostHandMadeAsync(url(w), formName, fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), page);

    /// <summary>The verification page's upload form, posted with the client's own token and a sealed PDF.</summary>
    internal static async Task<HttpResponseMessage> UploadAsync(PortalClient client, string tokenPage)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(await client.AntiforgeryTokenAsync(tokenPage)), "__RequestVerificationToken" },
            { new StringContent("verify"), "_handler" },
            { new ByteArrayContent(await VerificationFiles.SealedAsync()), "pdf", "sealed.pdf" },
        };
        return await client.Http.PostAsync("/verify", content);
    }

    // ------------------------------------------------------------------ checks of allowed answers

    private static Task Expect(bool condition, string what) =>
        condition ? Task.CompletedTask : throw new InvalidOperationException($"the answer is not {what}");

    private static async Task IntegrityCardOnlyForCheckers(RoleMatrixWorld _, string role, HttpResponseMessage response)
    {
        var page = await PortalClient.ParseAsync(response);
        var shown = page.QuerySelector("[data-testid=integrity-status]") is not null;
        await Expect(shown == IntegrityCheckers.Contains(role), shown ? "without the integrity card" : "with the integrity card");
    }

    private static async Task ShowsNoReport(RoleMatrixWorld _, string role, HttpResponseMessage response)
    {
        var page = await PortalClient.ParseAsync(response);
        await Expect(page.QuerySelector("[data-testid=verdict]") is null, "free of a verification report");
    }

    private static async Task ShowsAReport(RoleMatrixWorld _, string role, HttpResponseMessage response)
    {
        var page = await PortalClient.ParseAsync(response);
        await Expect(page.QuerySelector("[data-testid=verdict]") is not null, "a verification report");
    }

    /// <summary>Keepers see their seal A only; auditors and administrators see both seals.</summary>
    private static async Task ExpectSeals(RoleMatrixWorld w, string role, IReadOnlyCollection<string> seals, int rows, int allRows, int keeperRows)
    {
        var keeper = role == Roles.SealKeeper;
        string[] expected = keeper ? [w.Ledger.SealA.Name] : [w.Ledger.SealA.Name, w.Ledger.SealB.Name];
        await Expect(seals.Order().SequenceEqual(expected.Order()), $"rows of {string.Join(" and ", expected)} (got {string.Join(", ", seals)})");
        await Expect(rows == (keeper ? keeperRows : allRows), $"{(keeper ? keeperRows : allRows)} rows (got {rows})");
    }

    /// <summary>The page's grid as the role's demo user's circuit fills it (the first answer carries no rows).</summary>
    private static async Task LedgerPageSeals(RoleMatrixWorld w, string role, HttpResponseMessage response)
    {
        await using var ui = await PortalComponents.SignedInAsync(w.Ledger, DatabaseInitializer.DemoUsers.First(u => u.Role == role).UserName);
        var page = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(ui, "/ledger");
        var rows = page.FindAll("[data-testid=ledger-table] [data-sequence]").ToList();
        var names = new Dictionary<string, string> { [w.Ledger.SealA.Id.ToString()] = w.Ledger.SealA.Name, [w.Ledger.SealB.Id.ToString()] = w.Ledger.SealB.Name };
        var seals = rows.Select(r => names.GetValueOrDefault(r.GetAttribute("data-seal")!, "?")).Distinct().ToList();
        // The first page holds 50 of the 60 entries; a keeper's 30 fit on it.
        await ExpectSeals(w, role, seals, rows.Count, allRows: 50, keeperRows: 30);
    }

    private static async Task CsvSeals(RoleMatrixWorld w, string role, HttpResponseMessage response)
    {
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var seals = new[] { w.Ledger.SealA.Name, w.Ledger.SealB.Name }.Where(s => lines.Any(l => l.Contains(s))).ToList();
        await Expect(lines.All(l => l.Contains(w.Ledger.SealA.Name) || l.Contains(w.Ledger.SealB.Name)), "only rows of the seeded seals");
        await ExpectSeals(w, role, seals, lines.Count, allRows: 60, keeperRows: 30);
    }

    private static async Task XlsxSeals(RoleMatrixWorld w, string role, HttpResponseMessage response)
    {
        await using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var workbook = SpreadsheetDocument.Open(body, false);
        var rows = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.GetFirstChild<SheetData>()!.Elements<Row>().Skip(1).ToList();
        var seals = rows.Select(r => r.Elements<Cell>().ElementAt(2).InnerText).Distinct().ToList();
        await ExpectSeals(w, role, seals, rows.Count, allRows: 60, keeperRows: 30);
    }
}
