using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Features.Audits;
using SealPortal.Features.Verification;
using SealPortal.Components.Interactive;
using SealPortal.Tests.Infrastructure;
using static SealPortal.Tests.Features.Verification.VerifyPageDriver;

namespace SealPortal.Tests.Features.Verification;

/// <summary>
/// Verifying a sealed file picked from the archive, and the ledger match of every verified file.
/// The archive and the ledger are the real ones: the file goes through <see cref="ArchiveStore"/>,
/// the request and its document into the database, the entry through <see cref="SealLedger"/>; the page is
/// the interactive one (bUnit), the downloads the real endpoints.
/// </summary>
public class ArchivedVerificationTests(VerificationPortal portal) : IClassFixture<VerificationPortal>
{
    private const string SealName = "公司电子公章";

    /// <summary>A completed request whose document's sealed file is in the archive, optionally with its ledger entry.</summary>
    private async Task<int> ArchiveSealedAsync(byte[] sealedPdf, string number, string fileName, bool store = true, bool ledgerEntry = true)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var sha = store
            ? (await scope.ServiceProvider.GetRequiredService<ArchiveStore>().StoreAsync(sealedPdf)).Sha256
            : Convert.ToHexStringLower(SHA256.HashData(sealedPdf));
        var applicant = await db.Users.SingleAsync(u => u.UserName == "applicant");
        var seal = await db.Seals.Include(s => s.Department).SingleAsync(s => s.Name == SealName);
        var now = DateTimeOffset.UtcNow;
        var request = new SealRequest
        {
            Number = number,
            ApplicantUserId = applicant.Id,
            DepartmentId = applicant.DepartmentId!.Value,
            Purpose = "archive verification test",
            Status = SealRequestStatus.Completed,
            CreatedAt = now.AddHours(-2),
            CompletedAt = now,
        };
        request.Documents.Add(new SealRequestDocument
        {
            FileName = fileName,
            OriginalSha256 = Convert.ToHexStringLower(SHA256.HashData(Pdf.PdfTestKit.ClassicPdf(1))),
            Length = sealedPdf.Length,
            PageCount = 1,
            SealedSha256 = sha,
        });
        db.SealRequests.Add(request);
        if (ledgerEntry)
        {
            scope.ServiceProvider.GetRequiredService<SealLedger>().Append(new LedgerEntryDraft
            {
                SealRequestId = null,
                RequestNumber = number,
                SealId = seal.Id,
                SealName = seal.Name,
                Kind = seal.Kind,
                ApplicantUserId = applicant.Id,
                ApplicantName = applicant.DisplayName,
                DepartmentId = seal.DepartmentId,
                DepartmentName = seal.Department!.Name,
                ExecutorName = "system",
                ExecutedAt = now,
                DocumentName = fileName,
                DocumentSha256 = sha,
            });
        }
        await db.SaveChangesAsync();
        return request.Documents[0].Id;
    }

    private static async Task<IHtmlDocument> ExpectPageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {html[..Math.Min(html.Length, 2000)]}");
        Assert.DoesNotContain("   at ", html);
        return await PortalClient.ParseAsync(html);
    }

    private static Task<HttpResponseMessage> DownloadAsync(PortalClient client, IRenderedComponent<Verify> page, string form) =>
        client.PostHandMadeAsync(form == "download-json" ? "/verify/report.json" : "/verify/print", null, [new("report", ReportToken(page, form))]);

    private static int[] Ids(IRenderedComponent<Verify> page) =>
        page.FindAll("[data-testid=archived]").Select(r => int.Parse(r.GetAttribute("data-document")!)).ToArray();

    [Fact]
    public async Task An_auditor_picks_an_archived_file_and_sees_it_valid_and_matching_its_ledger_entry()
    {
        var sealedPdf = await VerificationFiles.SealedAsync();
        var documentId = await ArchiveSealedAsync(sealedPdf, "41-00001", "采购合同.pdf");
        var (ui, page) = await OpenAsync(portal, "auditor", query: "41-00001");
        await using var _ = ui;

        var row = ArchivedRow(page, documentId);
        Assert.Contains("41-00001", row.TextContent);
        Assert.Contains("采购合同.pdf", row.TextContent);

        Pick(page, documentId);

        Assert.Equal("Valid", Verdict(page).GetAttribute("data-verdict"));
        Assert.Equal("采购合同.pdf", page.TextOf("[data-testid=file-name]"));
        var sha = Convert.ToHexStringLower(SHA256.HashData(sealedPdf));
        Assert.Equal(sha, page.TextOf("[data-testid=sha256]"));
        Assert.Contains("41-00001", page.TextOf("[data-testid=archive-source]"));
        Assert.Empty(page.FindAll("[data-testid=archive-mismatch]"));
        Assert.Equal("true", page.Find("[data-testid=ledger-match]").GetAttribute("data-matched"));
        var entry = page.FindAll("[data-testid=ledger-entry]").Single(e => e.QuerySelector("[data-testid=ledger-request]")!.TextContent.Trim() == "41-00001");
        Assert.Equal(SealName, entry.QuerySelector("[data-testid=ledger-seal]")!.TextContent.Trim());

        // The JSON and the printable report carry the match too.
        using var auditor = await portal.SignInAsync("auditor");
        auditor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var json = await DownloadAsync(auditor, page, "download-json");
        using var parsed = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        var ledger = parsed.RootElement.GetProperty("ledger");
        Assert.True(ledger.GetProperty("matched").GetBoolean());
        var matched = ledger.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("requestNumber").GetString() == "41-00001");
        Assert.Equal(SealName, matched.GetProperty("seal").GetString());
        var archive = parsed.RootElement.GetProperty("document").GetProperty("archive");
        Assert.Equal("41-00001", archive.GetProperty("requestNumber").GetString());
        Assert.True(archive.GetProperty("matchesRecord").GetBoolean());
        var printed = await ExpectPageAsync(await DownloadAsync(auditor, page, "download-print"), HttpStatusCode.OK);
        Assert.Equal("true", printed.QuerySelector("[data-testid=ledger-match]")!.GetAttribute("data-matched"));
        Assert.Contains(printed.QuerySelectorAll("[data-testid=ledger-request]"), e => e.TextContent == "41-00001");

        var trail = await portal.QueryAsync(db => db.AuditEvents.Where(e => e.Action == AuditAction.DocumentVerified && e.Subject == "采购合同.pdf").ToListAsync());
        Assert.Contains(trail, e => e.Actor == "auditor" && e.Detail!.Contains("archived for 41-00001"));
    }

    [Fact]
    public async Task An_uploaded_copy_matches_the_ledger_and_a_tampered_one_does_not()
    {
        var sealedPdf = await VerificationFiles.SealedAsync();
        await ArchiveSealedAsync(sealedPdf, "41-00002", "lease.pdf");
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;

        Upload(page, sealedPdf, "same.pdf");
        Assert.Equal("true", page.Find("[data-testid=ledger-match]").GetAttribute("data-matched"));
        Assert.Contains(page.FindAll("[data-testid=ledger-request]"), e => e.TextContent.Trim() == "41-00002");
        Assert.Empty(page.FindAll("[data-testid=archive-source]"));

        Upload(page, VerificationFiles.Tampered(sealedPdf), "tampered.pdf");
        Assert.Equal("false", page.Find("[data-testid=ledger-match]").GetAttribute("data-matched"));
        Assert.Empty(page.FindAll("[data-testid=ledger-entry]"));
        Assert.Contains("No ledger entry records a document with this SHA-256", page.TextOf("[data-testid=ledger-match]"));
        using var auditor = await portal.SignInAsync("auditor");
        var json = await DownloadAsync(auditor, page, "download-json");
        using var parsed = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        Assert.False(parsed.RootElement.GetProperty("ledger").GetProperty("matched").GetBoolean());
        Assert.Equal(0, parsed.RootElement.GetProperty("ledger").GetProperty("entries").GetArrayLength());
        Assert.False(parsed.RootElement.GetProperty("document").TryGetProperty("archive", out var noArchive));
    }

    [Fact]
    public async Task An_archived_file_without_a_ledger_entry_is_verified_and_shown_as_unmatched()
    {
        var changed = VerificationFiles.ChangedAfterSigning(await VerificationFiles.SealedAsync());
        var documentId = await ArchiveSealedAsync(changed, "41-00003", "changed.pdf", ledgerEntry: false);
        var (ui, page) = await OpenAsync(portal, "auditor", query: "41-00003");
        await using var _ = ui;

        Pick(page, documentId);

        Assert.Equal("Invalid", Verdict(page).GetAttribute("data-verdict"));
        Assert.Equal("false", page.Find("[data-testid=ledger-match]").GetAttribute("data-matched"));
        Assert.Contains("41-00003", page.TextOf("[data-testid=archive-source]"));
    }

    [Fact]
    public async Task The_archive_list_is_searched_by_request_number_file_name_or_hash()
    {
        var sealedPdf = await VerificationFiles.SealedAsync();
        var first = await ArchiveSealedAsync(sealedPdf, "42-00001", "alpha-contract.pdf");
        var second = await ArchiveSealedAsync(sealedPdf, "42-00002", "beta-letter.pdf");

        // From the address (a shared link or a reload) ...
        var (ui, page) = await OpenAsync(portal, "auditor", query: "42-00001");
        await using var _ = ui;
        Assert.Equal([first], Ids(page));

        // ... and from the search field, which keeps the query in the address.
        async Task SearchAsync(string query)
        {
            page.Find("input[data-testid=archive-query], [data-testid=archive-query] input").Input(query);
            page.Find("button[data-testid=archive-search-button]").Click();
            await Task.Yield();
            page.WaitForAssertion(() => Assert.EndsWith("q=" + Uri.EscapeDataString(query), ui.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri));
        }
        await SearchAsync("beta");
        page.WaitForAssertion(() => Assert.Equal([second], Ids(page)));
        var hash = Convert.ToHexString(SHA256.HashData(sealedPdf))[..12];
        await SearchAsync(hash);
        page.WaitForAssertion(() => Assert.Contains(first, Ids(page)));
        Assert.Contains(second, Ids(page));
        await SearchAsync("no-such-thing");
        page.WaitForAssertion(() => Assert.Empty(Ids(page)));
        Assert.Equal("No archived document matches.", page.TextOf("[data-testid=archive-table] tbody"));

        // The picked document is verified from the searched list too.
        await SearchAsync("beta");
        page.WaitForAssertion(() => Assert.Equal([second], Ids(page)));
        Pick(page, second);
        Assert.Contains("42-00002", page.TextOf("[data-testid=archive-source]"));
    }

    [Fact]
    public async Task An_unknown_document_gets_400_and_a_lost_archived_file_410_with_a_message()
    {
        var lost = await ArchiveSealedAsync(VerificationFiles.Tampered(await VerificationFiles.SealedAsync()), "43-00001", "lost.pdf", store: false);
        var (ui, page) = await OpenAsync(portal, "auditor", query: "43-00001");
        await using var _ = ui;

        // A document that is not (or no longer) in the archive, as a stale list would offer it.
        var auditor = await ui.Context.Services.GetRequiredService<CircuitUser>().CurrentAsync();
        var unknown = await portal.Services.GetRequiredService<VerificationCommands>().VerifyArchivedAsync(auditor, 987654);
        Assert.Equal(400, unknown.StatusCode);
        Assert.Equal(VerificationRefusal.UnknownDocument, unknown.Refusal);
        Assert.Null(unknown.Document);
        Assert.Null(unknown.Token);

        Pick(page, lost);
        var missing = page.Find("[data-testid=upload-problem]");
        Assert.Equal("410", missing.GetAttribute("data-status"));
        Assert.StartsWith("The archive does not hold this document's sealed file any more.", missing.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=verdict]"));
        Assert.Contains(portal.Logs.Entries, e => e.Message.Contains("is missing from the archive"));
    }

    [Fact]
    public async Task Only_auditors_and_administrators_may_pick_archived_files()
    {
        var documentId = await ArchiveSealedAsync(await VerificationFiles.SealedAsync(), "44-00001", "keeper.pdf");
        var commands = portal.Services.GetRequiredService<VerificationCommands>();

        {
            var (ui, page) = await OpenAsync(portal, "admin", query: "44-00001");
            await using var _ = ui;
            Assert.NotEmpty(page.FindAll("[data-testid=archive-form]"));
            Pick(page, documentId);
            Assert.NotEmpty(page.FindAll("[data-testid=archive-source]"));
        }

        // A seal keeper verifies uploads but does not browse every sealed document of the company.
        {
            var (ui, page) = await OpenAsync(portal, "keeper", query: "44-00001");
            await using var _ = ui;
            Assert.Empty(page.FindAll("[data-testid=archive-form]"));
            Assert.Empty(page.FindAll("[data-testid=archived]"));
            var keeper = await ui.Context.Services.GetRequiredService<CircuitUser>().CurrentAsync();
            Assert.Empty(await commands.SearchArchiveAsync(keeper, "44-00001"));
            var refused = await commands.VerifyArchivedAsync(keeper, documentId);
            Assert.Equal(403, refused.StatusCode);
            Assert.Equal(VerificationRefusal.ArchiveForbidden, refused.Refusal);
            Assert.Null(refused.Document);
            Assert.Null(refused.Token);
            // ... while an upload by the keeper is verified.
            Upload(page, await VerificationFiles.SealedAsync(), "keeper-upload.pdf");
            Assert.Equal("Valid", Verdict(page).GetAttribute("data-verdict"));
        }

        // A signed-out circuit gets nothing either.
        var signedOut = await commands.VerifyArchivedAsync(null, documentId);
        Assert.Equal(401, signedOut.StatusCode);
        Assert.Null(signedOut.Document);

        // A crafted form post reaches no action now: 400 for a keeper, the access-denied page for an applicant.
        using var keeperClient = await portal.SignInAsync("keeper");
        var crafted = await keeperClient.PostHandMadeAsync("/verify", "verify-archived", [new("documentId", documentId.ToString())], "/verify");
        Assert.Equal(HttpStatusCode.BadRequest, crafted.StatusCode);
        Assert.DoesNotContain("data-verdict", await crafted.Content.ReadAsStringAsync());
        using var applicant = await portal.SignInAsync("applicant");
        var denied = await applicant.Http.PostAsync("/verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "verify-archived", ["documentId"] = documentId.ToString(),
        }));
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/access-denied", denied.LocalTarget());
        var trail = await portal.QueryAsync(db => db.AuditEvents.Where(e => e.Action == AuditAction.DocumentVerified && e.Subject == "keeper.pdf").ToListAsync());
        Assert.DoesNotContain(trail, e => e.Actor is "keeper" or "applicant");
    }

    [Fact]
    public async Task A_user_signed_out_elsewhere_verifies_nothing_more_in_an_open_page()
    {
        var documentId = await ArchiveSealedAsync(await VerificationFiles.SealedAsync(), "45-00001", "signed-out.pdf");
        var (ui, page) = await OpenAsync(portal, "auditor", query: "45-00001");
        await using var _ = ui;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            await db.UserSessions.Where(s => s.Id == ui.SessionKey).ExecuteDeleteAsync();
        }

        Pick(page, documentId);
        var problem = page.Find("[data-testid=upload-problem]");
        Assert.Equal("401", problem.GetAttribute("data-status"));
        Assert.Equal("Your session has ended. Sign in again.", problem.TextContent.Trim());

        Upload(page, await VerificationFiles.SealedAsync(), "after-sign-out.pdf");
        Assert.Equal("401", page.Find("[data-testid=upload-problem]").GetAttribute("data-status"));
        Assert.Empty(page.FindAll("[data-testid=verdict]"));
        var trail = await portal.QueryAsync(db => db.AuditEvents.Where(e => e.Action == AuditAction.DocumentVerified
            && (e.Subject == "signed-out.pdf" || e.Subject == "after-sign-out.pdf")).ToListAsync());
        Assert.Empty(trail);
    }
}
