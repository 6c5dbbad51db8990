using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Features.Audits;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Verification;

/// <summary>
/// Verifying a sealed file picked from the archive, and the ledger match of every verified file.
/// The archive and the ledger are the real ones: the file goes through <see cref="ArchiveStore"/>,
/// the request and its document into the database, the entry through <see cref="SealLedger"/>.
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

    private static Task<HttpResponseMessage> PickAsync(PortalClient client, int documentId, string page = "/verify") =>
        client.SubmitNamedFormAsync(page, "verify-archived", new Dictionary<string, object> { ["documentId"] = documentId.ToString() });

    private static async Task<HttpResponseMessage> UploadAsync(PortalClient client, byte[] pdf)
    {
        var page = await client.GetDocumentAsync("/verify");
        var form = (IHtmlFormElement)page.QuerySelector("[data-testid=verify-form]")!;
        var content = new MultipartFormDataContent();
        foreach (var input in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
            content.Add(new StringContent(input.Value), input.Name!);
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "pdf", "upload.pdf");
        return await client.Http.PostAsync("/verify", content);
    }

    private static Task<HttpResponseMessage> DownloadAsync(PortalClient client, IHtmlDocument page, string testId)
    {
        var form = (IHtmlFormElement)page.QuerySelector($"[data-testid={testId}]")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).ToList();
        return client.Http.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task An_auditor_picks_an_archived_file_and_sees_it_valid_and_matching_its_ledger_entry()
    {
        var sealedPdf = await VerificationFiles.SealedAsync();
        var documentId = await ArchiveSealedAsync(sealedPdf, "41-00001", "采购合同.pdf");
        using var auditor = await portal.SignInAsync("auditor");
        auditor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");

        var list = await auditor.GetDocumentAsync("/verify");
        var row = list.QuerySelector($"[data-testid=archived][data-document='{documentId}']");
        Assert.NotNull(row);
        Assert.Contains("41-00001", row!.TextContent);
        Assert.Contains("采购合同.pdf", row.TextContent);

        var page = await ExpectPageAsync(await PickAsync(auditor, documentId), HttpStatusCode.OK);

        Assert.Equal("Valid", page.QuerySelector("[data-testid=verdict]")!.GetAttribute("data-verdict"));
        Assert.Equal("采购合同.pdf", page.TextOf("[data-testid=file-name]"));
        var sha = Convert.ToHexStringLower(SHA256.HashData(sealedPdf));
        Assert.Equal(sha, page.TextOf("[data-testid=sha256]"));
        Assert.Contains("41-00001", page.TextOf("[data-testid=archive-source]"));
        Assert.Null(page.QuerySelector("[data-testid=archive-mismatch]"));
        Assert.Equal("true", page.QuerySelector("[data-testid=ledger-match]")!.GetAttribute("data-matched"));
        var entry = page.QuerySelectorAll("[data-testid=ledger-entry]").Single(e => e.TextOf("[data-testid=ledger-request]") == "41-00001");
        Assert.Equal(SealName, entry.TextOf("[data-testid=ledger-seal]"));

        // The JSON and the printable report carry the match too.
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
        using var auditor = await portal.SignInAsync("auditor");
        auditor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");

        var same = await ExpectPageAsync(await UploadAsync(auditor, sealedPdf), HttpStatusCode.OK);
        Assert.Equal("true", same.QuerySelector("[data-testid=ledger-match]")!.GetAttribute("data-matched"));
        Assert.Contains(same.QuerySelectorAll("[data-testid=ledger-request]"), e => e.TextContent == "41-00002");
        Assert.Null(same.QuerySelector("[data-testid=archive-source]"));

        var tampered = await ExpectPageAsync(await UploadAsync(auditor, VerificationFiles.Tampered(sealedPdf)), HttpStatusCode.OK);
        Assert.Equal("false", tampered.QuerySelector("[data-testid=ledger-match]")!.GetAttribute("data-matched"));
        Assert.Empty(tampered.QuerySelectorAll("[data-testid=ledger-entry]"));
        Assert.Contains("No ledger entry records a document with this SHA-256", tampered.TextOf("[data-testid=ledger-match]"));
        var json = await DownloadAsync(auditor, tampered, "download-json");
        using var parsed = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        Assert.False(parsed.RootElement.GetProperty("ledger").GetProperty("matched").GetBoolean());
        Assert.Equal(0, parsed.RootElement.GetProperty("ledger").GetProperty("entries").GetArrayLength());
        Assert.False(parsed.RootElement.GetProperty("document").TryGetProperty("archive", out _));
    }

    [Fact]
    public async Task An_archived_file_without_a_ledger_entry_is_verified_and_shown_as_unmatched()
    {
        var changed = VerificationFiles.ChangedAfterSigning(await VerificationFiles.SealedAsync());
        var documentId = await ArchiveSealedAsync(changed, "41-00003", "changed.pdf", ledgerEntry: false);
        using var auditor = await portal.SignInAsync("auditor");

        var page = await ExpectPageAsync(await PickAsync(auditor, documentId), HttpStatusCode.OK);

        Assert.Equal("Invalid", page.QuerySelector("[data-testid=verdict]")!.GetAttribute("data-verdict"));
        Assert.Equal("false", page.QuerySelector("[data-testid=ledger-match]")!.GetAttribute("data-matched"));
        Assert.Contains("41-00003", page.TextOf("[data-testid=archive-source]"));
    }

    [Fact]
    public async Task The_archive_list_is_searched_by_request_number_file_name_or_hash()
    {
        var sealedPdf = await VerificationFiles.SealedAsync();
        var first = await ArchiveSealedAsync(sealedPdf, "42-00001", "alpha-contract.pdf");
        var second = await ArchiveSealedAsync(sealedPdf, "42-00002", "beta-letter.pdf");
        using var auditor = await portal.SignInAsync("auditor");
        auditor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");

        static int[] Ids(IHtmlDocument d) => d.QuerySelectorAll("[data-testid=archived]").Select(r => int.Parse(r.GetAttribute("data-document")!)).ToArray();

        Assert.Equal([first], Ids(await auditor.GetDocumentAsync("/verify?q=42-00001")));
        Assert.Equal([second], Ids(await auditor.GetDocumentAsync("/verify?q=beta")));
        var byHash = Ids(await auditor.GetDocumentAsync("/verify?q=" + Convert.ToHexString(SHA256.HashData(sealedPdf))[..12]));
        Assert.Contains(first, byHash);
        Assert.Contains(second, byHash);
        var none = await auditor.GetDocumentAsync("/verify?q=no-such-thing");
        Assert.Empty(Ids(none));
        Assert.Equal("No archived document matches.", none.TextOf("[data-testid=archive-table] tbody td"));

        // The picked document is verified from the searched list too.
        var page = await ExpectPageAsync(await PickAsync(auditor, second, "/verify?q=beta"), HttpStatusCode.OK);
        Assert.Contains("42-00002", page.TextOf("[data-testid=archive-source]"));
    }

    [Fact]
    public async Task An_unknown_document_gets_400_and_a_lost_archived_file_410_with_a_message()
    {
        var lost = await ArchiveSealedAsync(VerificationFiles.Tampered(await VerificationFiles.SealedAsync()), "43-00001", "lost.pdf", store: false);
        using var auditor = await portal.SignInAsync("auditor");
        auditor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");

        var unknown = await ExpectPageAsync(await PickAsync(auditor, 987654), HttpStatusCode.BadRequest);
        Assert.Equal("No such archived document.", unknown.TextOf("[data-testid=archive-problem]"));
        Assert.Null(unknown.QuerySelector("[data-testid=verdict]"));

        var missing = await ExpectPageAsync(await PickAsync(auditor, lost), HttpStatusCode.Gone);
        Assert.StartsWith("The archive does not hold this document's sealed file any more.", missing.TextOf("[data-testid=upload-problem]"));
        Assert.Null(missing.QuerySelector("[data-testid=verdict]"));
        Assert.Contains(portal.Logs.Entries, e => e.Message.Contains("is missing from the archive"));
    }

    [Fact]
    public async Task Only_auditors_and_administrators_may_pick_archived_files()
    {
        var documentId = await ArchiveSealedAsync(await VerificationFiles.SealedAsync(), "44-00001", "keeper.pdf");

        using var admin = await portal.SignInAsync("admin");
        Assert.NotNull((await admin.GetDocumentAsync("/verify")).QuerySelector("[data-testid=archive-form]"));
        var byAdmin = await ExpectPageAsync(await PickAsync(admin, documentId), HttpStatusCode.OK);
        Assert.NotNull(byAdmin.QuerySelector("[data-testid=archive-source]"));

        // A seal keeper verifies uploads but does not browse every sealed document of the company.
        using var keeper = await portal.SignInAsync("keeper");
        keeper.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var keeperPage = await keeper.GetDocumentAsync("/verify");
        Assert.Null(keeperPage.QuerySelector("[data-testid=archive-form]"));
        var token = keeperPage.QuerySelector("[data-testid=verify-form] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var crafted = await keeper.Http.PostAsync("/verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "verify-archived", ["documentId"] = documentId.ToString(),
        }));
        var refused = await ExpectPageAsync(crafted, HttpStatusCode.Forbidden);
        Assert.Equal("Only auditors and administrators may verify archived documents.", refused.TextOf("[data-testid=archive-problem]"));
        Assert.Null(refused.QuerySelector("[data-testid=verdict]"));

        using var applicant = await portal.SignInAsync("applicant");
        var denied = await applicant.Http.PostAsync("/verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "verify-archived", ["documentId"] = documentId.ToString(),
        }));
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/access-denied", denied.LocalTarget());
    }
}
