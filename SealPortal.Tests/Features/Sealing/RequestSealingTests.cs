using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Requests;
using SealPortal.Features.Seals;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Validation;
using SealPortal.Tests.Features.Ledger;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Sealing;

/// <summary>A sealing portal whose scan limit is small enough to exceed cheaply.</summary>
public sealed class StampingPortal : SealingPortal
{
    public const int MaxScanBytes = 300_000;

    public Task<(int Id, int DocumentId, string Sha256)>? SharedSealedRequest { get; set; }

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Sealing:MaxScanBytes"] = MaxScanBytes.ToString(),
    };
}

public class RequestSealingTests(StampingPortal portal) : IClassFixture<StampingPortal>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("request-sealing-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task The_last_approval_seals_every_document_with_every_electronic_seal_archives_and_records_it()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var ecdsa = await portal.SealIdAsync(SealingPortal.EcdsaSeal);
        byte[][] documents = [PdfTestKit.ClassicPdf(2), PdfTestKit.ClassicPdf(3, rotate: 90)];
        var id = await SealRequestKit.SubmitAsync(portal, [rsa, ecdsa], documents,
            (_, docs) => [new SealPlacementInput(rsa, docs[0], 1, 300, 500, 100, 100, false)]);
        await SealRequestKit.ApproveAllAsync(portal, id);

        var request = await SealRequestKit.LoadAsync(portal, id);
        Assert.Equal(SealRequestStatus.Completed, request.Status);
        Assert.Null(request.SealingError);
        Assert.NotNull(request.CompletedAt);
        var archive = portal.Services.GetRequiredService<ArchiveStore>();
        foreach (var (document, original) in request.Documents.OrderBy(d => d.Id).Zip(documents))
        {
            Assert.NotNull(document.SealedSha256);
            var bytes = await File.ReadAllBytesAsync(archive.PathOf(document.SealedSha256!));
            Assert.Equal(document.SealedSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(original, bytes[..original.Length]);
            var report = PdfSignatureVerifier.Verify(new MemoryStream(bytes), new VerifyOptions { TrustAnchors = [SamplePki.Root()], Now = DateTimeOffset.UtcNow });
            Assert.Equal(Verdict.Valid, report.Verdict);
            Assert.Equal(2, report.Signatures.Count);

            var file = Path.Combine(_dir.FullName, $"{document.Id}.pdf");
            await File.WriteAllBytesAsync(file, bytes);
            var (_, pdfsig) = SamplePki.Run("pdfsig", file);
            Assert.Equal(2, pdfsig.Split("Signature is Valid.").Length - 1);
            Assert.True(SamplePki.Run("qpdf", "--check", file).Code == 0);
        }

        // The unplaced ECDSA seal sits on the last page of each document.
        var second = request.Documents.OrderBy(d => d.Id).Last();
        using (var pdf = PdfFile.Open(archive.OpenRead(second.SealedSha256!), leaveOpen: false))
        {
            var lastPage = pdf.GetPages()[^1];
            Assert.NotNull(lastPage.Dictionary.Get("Annots"));
            Assert.Null(pdf.GetPages()[0].Dictionary.Get("Annots"));
        }

        var ledger = await SealRequestKit.LedgerAsync(portal, id);
        Assert.Equal(4, ledger.Count);
        Assert.All(ledger, e => Assert.Equal(SealKind.Electronic, e.Kind));
        Assert.Equal(request.Documents.SelectMany(d => new[] { d.SealedSha256, d.SealedSha256 }).Order(), ledger.Select(e => e.DocumentSha256).Order());
        Assert.Equal([rsa, ecdsa, rsa, ecdsa], ledger.Select(e => e.SealId));
        Assert.All(ledger, e => Assert.Equal(request.Number, e.RequestNumber));
        Assert.All(ledger, e => Assert.NotEqual("[]", e.ApproversJson));

        var audit = await SealRequestKit.AuditAsync(portal, request.Number);
        Assert.Equal(2, audit.Count(e => e.Action == AuditAction.SealApplied));
        Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).Intact);

        Assert.NotNull(request.DecisionRecordSha256);
        using var record = JsonDocument.Parse(await File.ReadAllBytesAsync(archive.PathOf(request.DecisionRecordSha256!)));
        var root = record.RootElement;
        Assert.Equal(request.Number, root.GetProperty("request").GetProperty("number").GetString());
        var decisions = root.GetProperty("decisions").EnumerateArray().ToList();
        Assert.NotEmpty(decisions);
        Assert.All(decisions, d => Assert.Equal("Approve", d.GetProperty("kind").GetString()));
        Assert.All(decisions, d => Assert.False(string.IsNullOrEmpty(d.GetProperty("actor").GetProperty("name").GetString())));
        var recorded = root.GetProperty("documents").EnumerateArray()
            .Select(d => (d.GetProperty("originalSha256").GetString(), d.GetProperty("sealedSha256").GetString())).ToList();
        Assert.Equal(request.Documents.OrderBy(d => d.Id).Select(d => ((string?)d.OriginalSha256, d.SealedSha256)), recorded);
    }

    [Theory]
    [InlineData("applicant", HttpStatusCode.OK)]
    [InlineData("keeper", HttpStatusCode.OK)]
    [InlineData("auditor", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("depthead", HttpStatusCode.Forbidden)]
    [InlineData("reviewer", HttpStatusCode.Forbidden)]
    public async Task The_sealed_file_is_downloadable_by_the_applicant_keepers_auditors_and_admins_only(string user, HttpStatusCode expected)
    {
        var (id, documentId, sha) = await SealedRequestAsync();
        using var client = await portal.SignInAsync(user);

        var response = await client.GetAsync($"/requests/{id}/documents/{documentId}/sealed");

        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.EndsWith("-sealed.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(body)));
        }
        else
        {
            Assert.False(body.AsSpan().StartsWith("%PDF"u8));
            var page = await PortalClient.ParseAsync(System.Text.Encoding.UTF8.GetString(body));
            Assert.Contains("只有申请人", page.TextOf("[data-testid=status-message]"));
        }
    }

    [Fact]
    public async Task A_sealed_file_still_on_its_way_into_the_archive_is_served_from_the_stage_and_a_missing_one_is_404()
    {
        var (id, documentId, sha) = await SealedRequestAsync();
        var archived = portal.Services.GetRequiredService<SealPortal.Features.Archive.ArchiveStore>().PathOf(sha);
        var dataFolder = portal.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SealPortalOptions>>().Value.DataFolder;
        // As between the commit that completes the request and the move into the archive (or after a crash there).
        var staged = Path.Combine(dataFolder, "tmp", $"sealed-{id}", sha);
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        File.Move(archived, staged);
        try
        {
            using var client = await portal.SignInAsync("applicant");
            foreach (var url in new[] { $"/requests/{id}/documents/{documentId}/sealed", $"/requests/{id}/documents/{documentId}/sealed/view" })
            {
                var response = await client.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(await response.Content.ReadAsByteArrayAsync())));
            }

            File.Move(staged, archived);
            File.Move(archived, archived + ".aside");
            var missing = await client.GetAsync($"/requests/{id}/documents/{documentId}/sealed");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.False((await missing.Content.ReadAsByteArrayAsync()).AsSpan().StartsWith("%PDF"u8));
        }
        finally
        {
            if (File.Exists(staged))
                File.Move(staged, archived);
            if (File.Exists(archived + ".aside"))
                File.Move(archived + ".aside", archived);
            Directory.Delete(Path.GetDirectoryName(staged)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_failed_sealing_shows_its_reason_and_the_keeper_retries_once_the_cause_is_fixed()
    {
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [rsa], [PdfTestKit.ClassicPdf(1)]);
        await ChangeSealStatusAsync(rsa, SealStatus.Suspended);
        try
        {
            await SealRequestKit.ApproveAllAsync(portal, id);
        }
        finally
        {
            await ChangeSealStatusAsync(rsa, SealStatus.Active);
        }

        var failed = await SealRequestKit.LoadAsync(portal, id);
        Assert.Equal(SealRequestStatus.SealingFailed, failed.Status);
        Assert.Contains(SealingPortal.RsaSeal, failed.SealingError);
        Assert.All(failed.Documents, d => Assert.Null(d.SealedSha256));
        Assert.Empty(await SealRequestKit.LedgerAsync(portal, id));
        Assert.Contains(await SealRequestKit.AuditAsync(portal, failed.Number), e => e.Action == AuditAction.SealingFailed);

        // The applicant sees why, but has no retry button, and a forged retry is refused.
        using var applicant = await portal.SignInAsync("applicant");
        var applicantPage = await applicant.GetDocumentAsync($"/requests/{id}");
        Assert.Equal(failed.SealingError, applicantPage.TextOf("[data-testid=sealing-error]"));
        Assert.Null(applicantPage.QuerySelector("[data-testid=retry-sealing]"));
        var forged = await PostWithPageTokenAsync(applicant, $"/requests/{id}/sealing/retry", new() { ["confirm"] = "retry" });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("只有此申请所用印章的管理员或系统管理员", (await PortalClient.ParseAsync(forged)).TextOf("[data-testid=status-message]"));
        Assert.Equal(SealRequestStatus.SealingFailed, (await SealRequestKit.LoadAsync(portal, id)).Status);

        // The keeper loads the page once and clicks twice: the first click seals, the second does nothing and says so.
        using var keeper = await portal.SignInAsync("keeper");
        var keeperPage = await keeper.GetDocumentAsync($"/requests/{id}");
        Assert.Equal(failed.SealingError, keeperPage.TextOf("[data-testid=sealing-error]"));
        Assert.NotNull(keeperPage.QuerySelector("[data-testid=retry-sealing]"));
        // The page's retry button calls the circuit's command; the endpoint answers forms posted from elsewhere the same way.
        var first = await PostWithPageTokenAsync(keeper, $"/requests/{id}/sealing/retry", new() { ["confirm"] = "retry" });
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal($"/requests/{id}?sealing=sealed#sealing", first.Headers.Location!.OriginalString);

        var sealedRequest = await SealRequestKit.LoadAsync(portal, id);
        Assert.Equal(SealRequestStatus.Completed, sealedRequest.Status);
        Assert.Null(sealedRequest.SealingError);
        Assert.Single(await SealRequestKit.LedgerAsync(portal, id), e => e.ExecutorName.Contains("陈静"));

        var second = await PostWithPageTokenAsync(keeper, $"/requests/{id}/sealing/retry", new() { ["confirm"] = "retry" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("未执行任何操作", (await PortalClient.ParseAsync(second)).TextOf("[data-testid=status-message]"));
        Assert.Single(await SealRequestKit.LedgerAsync(portal, id));
        Assert.Equal(sealedRequest.Documents.Single().SealedSha256, (await SealRequestKit.LoadAsync(portal, id)).Documents.Single().SealedSha256);

        var done = await keeper.GetDocumentAsync($"/requests/{id}");
        Assert.Null(done.QuerySelector("[data-testid=sealing-error]"));
        Assert.NotNull(done.QuerySelector("[data-testid=download-sealed]"));
        Assert.NotNull(done.QuerySelector("[data-testid=decision-record]"));
    }

    [Fact]
    public async Task A_physical_seal_waits_for_its_custodian_who_records_the_stamping_once()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var ecdsa = await portal.SealIdAsync(SealingPortal.EcdsaSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [physical, ecdsa], [PdfTestKit.ClassicPdf(1)]);
        await SealRequestKit.ApproveAllAsync(portal, id);

        var approved = await SealRequestKit.LoadAsync(portal, id);
        Assert.Equal(SealRequestStatus.Approved, approved.Status);
        Assert.NotNull(approved.Documents.Single().SealedSha256);
        Assert.Null(approved.DecisionRecordSha256);

        // Neither an administrator nor a keeper of other seals may record it.
        await CreateKeeperAsync("keeper2");
        foreach (var outsider in new[] { "admin", "keeper2", "applicant" })
        {
            using var client = await portal.SignInAsync(outsider);
            var page = await client.GetAsync($"/requests/{id}");
            Assert.Null((await PortalClient.ParseAsync(page)).QuerySelector("[data-testid=record-stamping]"));
            var forged = await PostWithPageTokenAsync(client, $"/requests/{id}/sealing/stamping", new()
            {
                ["sealId"] = physical.ToString(), ["stampedAt"] = LocalNow(), ["copies"] = "2", ["executor"] = "",
            });
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        using var keeper = await portal.SignInAsync("keeper");
        var keeperPage = await keeper.GetDocumentAsync($"/requests/{id}");
        Assert.NotNull(keeperPage.QuerySelector("[data-testid=stamping-pending]"));
        Assert.NotNull(keeperPage.QuerySelector("[data-testid=record-stamping]"));
        // What the page's stamping dialog would post to the endpoint (the dialog itself is tested with bUnit).
        var fields = new Dictionary<string, string>
        {
            ["sealId"] = physical.ToString(), ["stampedAt"] = portal.Services.GetRequiredService<SealPortal.Features.CompanyTime>().Now.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture), ["copies"] = "2", ["executor"] = await SealRequestKit.UserIdAsync(portal, "keeper"),
        };
        Task<HttpResponseMessage> PostStampingAsync(Dictionary<string, string> values, (string Field, string FileName, byte[] Content)? file = null) =>
            PostWithPageTokenAsync(keeper, $"/requests/{id}/sealing/stamping", new Dictionary<string, string>(fields.Concat(values).GroupBy(p => p.Key).Select(g => g.Last())), file);

        var notAScan = await PostStampingAsync(new() { ["copies"] = "2" }, ("scan", "scan.png", "just text"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, notAScan.StatusCode);
        Assert.Contains("PDF、PNG 或 JPEG", (await PortalClient.ParseAsync(notAScan)).TextOf("[data-testid=status-message]"));
        var tooBig = await PostStampingAsync(new() { ["copies"] = "2" }, ("scan", "scan.pdf", new byte[StampingPortal.MaxScanBytes + 1]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        var future = await PostStampingAsync(new() { ["stampedAt"] = DateTime.Now.AddDays(2).ToString("yyyy-MM-ddTHH:mm") });
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Equal(SealRequestStatus.Approved, (await SealRequestKit.LoadAsync(portal, id)).Status);

        var png = SealingPortal.RingPng();
        var recorded = await PostStampingAsync(new() { ["copies"] = "3" }, ("scan", "盖章扫描.png", png));
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        Assert.Equal($"/requests/{id}?sealing=stamped#sealing", recorded.Headers.Location!.OriginalString);

        var again = await PostStampingAsync(new() { ["copies"] = "3" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("已登记", (await PortalClient.ParseAsync(again)).TextOf("[data-testid=status-message]"));

        var completed = await SealRequestKit.LoadAsync(portal, id);
        Assert.Equal(SealRequestStatus.Completed, completed.Status);
        Assert.NotNull(completed.DecisionRecordSha256);
        var ledger = await SealRequestKit.LedgerAsync(portal, id);
        var stamp = Assert.Single(ledger, e => e.Kind == SealKind.Physical);
        Assert.Equal(3, stamp.Copies);
        Assert.Equal(physical, stamp.SealId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), stamp.DocumentSha256);
        Assert.Single(ledger, e => e.Kind == SealKind.Electronic);
        var stampedEvent = Assert.Single(await SealRequestKit.AuditAsync(portal, completed.Number), e => e.Action == AuditAction.PhysicalStampRecorded);
        // The keeper's time as entered (company time), with its offset, in the trail's detail.
        Assert.Contains($"3 copies at {fields["stampedAt"]}:00+08:00 by keeper", stampedEvent.Detail);

        var stampedPage = await keeper.GetDocumentAsync($"/requests/{id}");
        Assert.Contains("3 份", stampedPage.TextOf("[data-testid=stamping]"));
        var scan = await keeper.GetAsync(stampedPage.QuerySelector("[data-testid=scan-link]")!.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, scan.StatusCode);
        Assert.Equal("image/png", scan.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await scan.Content.ReadAsByteArrayAsync());
        using var reviewer = await portal.SignInAsync("reviewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync(stampedPage.QuerySelector("[data-testid=scan-link]")!.GetAttribute("href")!)).StatusCode);
    }

    [Theory]
    [InlineData("retry")]
    [InlineData("stamping")]
    public async Task Sealing_posts_without_an_antiforgery_token_are_refused(string action)
    {
        using var keeper = await portal.SignInAsync("keeper");
        var form = new MultipartFormDataContent();
        foreach (var (k, v) in new Dictionary<string, string> { ["confirm"] = "retry", ["sealId"] = "1", ["stampedAt"] = LocalNow(), ["copies"] = "1" })
            form.Add(new StringContent(v), k);
        var response = await keeper.Http.PostAsync($"/requests/1/sealing/{action}", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>One sealed request shared by the download cases: sealing is what costs time, not downloading.</summary>
    private Task<(int Id, int DocumentId, string Sha256)> SealedRequestAsync()
    {
        lock (portal)
            return portal.SharedSealedRequest ??= CreateSealedRequestAsync();
    }

    private async Task<(int Id, int DocumentId, string Sha256)> CreateSealedRequestAsync()
    {
        var ecdsa = await portal.SealIdAsync(SealingPortal.EcdsaSeal);
        var id = await SealRequestKit.SubmitAsync(portal, [ecdsa], [PdfTestKit.ClassicPdf(1)]);
        await SealRequestKit.ApproveAllAsync(portal, id);
        var document = (await SealRequestKit.LoadAsync(portal, id)).Documents.Single();
        Assert.NotNull(document.SealedSha256);
        return (id, document.Id, document.SealedSha256!);
    }

    private async Task ChangeSealStatusAsync(int sealId, SealStatus to)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<SealRegistry>().ChangeStatusAsync(sealId, to, "测试", "admin");
        Assert.True(result.Succeeded, result.Error);
    }

    private async Task CreateKeeperAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByNameAsync(userName) is not null)
            return;
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var user = new ApplicationUser { UserName = userName, DisplayName = "孙丽 Sun Li", DepartmentId = await db.Departments.Select(d => d.Id).FirstAsync() };
        Assert.True((await users.CreateAsync(user, SealPortalFactory.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.SealKeeper)).Succeeded);
    }

    private static string LocalNow() => DateTime.Now.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm");

    /// <summary>A post the page did not offer, with the antiforgery token of a form the dashboard has (the language switch).</summary>
    private static async Task<HttpResponseMessage> PostWithPageTokenAsync(PortalClient client, string url, Dictionary<string, string> values,
        (string Field, string FileName, byte[] Content)? file = null)
    {
        var page = await client.GetDocumentAsync("/");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (k, v) in values)
            content.Add(new StringContent(v), k);
        if (file is { } f)
            content.Add(new ByteArrayContent(f.Content), f.Field, f.FileName);
        return await client.Http.PostAsync(url, content);
    }
}
