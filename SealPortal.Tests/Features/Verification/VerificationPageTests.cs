using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Bunit;
using SealPortal.Features.Verification;
using SealPortal.Pdf.Validation;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using static SealPortal.Tests.Features.Verification.VerifyPageDriver;

namespace SealPortal.Tests.Features.Verification;

/// <summary>
/// The interactive verification page (bUnit over a real portal, real signed PDFs, real verifier) and its HTTP
/// side: the page's address and role rule, a plain form post (400 now), and the two download endpoints.
/// </summary>
public class VerificationPageTests(VerificationPortal portal) : IClassFixture<VerificationPortal>
{
    private static async Task<IHtmlDocument> ExpectPageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {html[..Math.Min(html.Length, 2000)]}");
        Assert.DoesNotContain("   at ", html);
        return await PortalClient.ParseAsync(html);
    }

    /// <summary>Posts a download form's report field with this client's own antiforgery token, as the browser posts the form.</summary>
    private static Task<HttpResponseMessage> DownloadAsync(PortalClient client, string action, string token) =>
        client.PostHandMadeAsync(action, null, [new("report", token)]);

    [Fact]
    public async Task An_auditor_sees_a_sealed_pdf_as_valid_with_signer_and_trust()
    {
        // The culture of the test's own flow, which the upload's render runs in (the portal's default language).
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("zh-CN");
        var (ui, page) = await OpenAsync(portal, "auditor", "zh-CN");
        await using var _ = ui;
        Assert.Equal("文档验证", page.Find("h1").TextContent.Trim());
        var sealedPdf = await VerificationFiles.SealedAsync();

        Upload(page, sealedPdf);

        var verdict = Verdict(page);
        Assert.Equal("Valid", verdict.GetAttribute("data-verdict"));
        Assert.Contains("mud-alert-outlined-success", verdict.ClassName);
        var signature = page.Find("[data-testid=signature]");
        Assert.Equal("SAMPLE Company Seal (RSA)", signature.QuerySelector("[data-testid=signer]")!.TextContent.Trim());
        Assert.Equal("SealPortal SAMPLE Intermediate CA", signature.QuerySelector("[data-testid=issuer]")!.TextContent.Trim());
        Assert.Contains("Seal1", signature.TextContent);
        Assert.Contains("mud-chip-color-success", signature.QuerySelector("[data-testid=signature-status]")!.ClassName);
        Assert.Contains("可信", signature.QuerySelector("[data-testid=trust]")!.TextContent);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(sealedPdf)), page.TextOf("[data-testid=sha256]"));
        Assert.Empty(page.FindAll("[data-testid=upload-problem]"));
        Assert.Contains(portal.Logs.Entries, e => e.Message.Contains("Verification by auditor") && e.Message.Contains("Valid"));
    }

    [Fact]
    public async Task English_is_shown_when_the_user_reads_english()
    {
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;

        Upload(page, await VerificationFiles.SealedAsync());

        Assert.Equal("Valid", page.TextOf("[data-testid=verdict-title]"));
        Assert.StartsWith("Trusted", page.TextOf("[data-testid=trust]"));
        Assert.Equal("The signed content is exactly as it was signed.", page.TextOf("[data-testid=integrity]"));
    }

    [Fact]
    public async Task A_tampered_copy_is_invalid_and_the_page_says_why()
    {
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;

        Upload(page, VerificationFiles.Tampered(await VerificationFiles.SealedAsync()));

        Assert.Equal("Invalid", Verdict(page).GetAttribute("data-verdict"));
        Assert.Contains("mud-alert-outlined-error", Verdict(page).ClassName);
        Assert.Equal("Invalid", page.Find("[data-testid=signature]").GetAttribute("data-status"));
        Assert.Contains("mud-chip-color-error", page.Find("[data-testid=signature-status]").ClassName);
        Assert.Contains("fingerprint no longer matches", page.TextOf("[data-testid=integrity]"));
    }

    [Fact]
    public async Task A_copy_with_a_broken_cross_reference_table_is_a_red_verdict_not_a_refusal()
    {
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;
        var damaged = (byte[])(await VerificationFiles.SealedAsync()).Clone();
        // The newest startxref no longer points anywhere: no cross-reference section can be found.
        var at = damaged.AsSpan().LastIndexOf("startxref"u8) + "startxref\n".Length;
        damaged[at] = (byte)'x';

        Upload(page, damaged);

        Assert.Equal("Invalid", Verdict(page).GetAttribute("data-verdict"));
        Assert.Contains("mud-alert-outlined-error", Verdict(page).ClassName);
        Assert.Contains("structure is damaged", page.TextOf("[data-testid=structure-damage]"));
        Assert.Equal("Invalid", page.Find("[data-testid=signature]").GetAttribute("data-status"));
        Assert.Contains("fingerprint no longer matches", page.TextOf("[data-testid=integrity]"));
    }

    [Fact]
    public async Task A_copy_with_changed_page_content_in_a_later_revision_shows_changed_after_signing()
    {
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;

        Upload(page, VerificationFiles.ChangedAfterSigning(await VerificationFiles.SealedAsync()));

        Assert.Equal("Invalid", Verdict(page).GetAttribute("data-verdict"));
        Assert.Equal("ModifiedAfterSigning", page.Find("[data-testid=signature]").GetAttribute("data-status"));
        var changes = page.TextOf("[data-testid=changes]");
        Assert.Contains("The document was changed after signing", changes);
        Assert.Contains("the content of a page was changed", changes);
        Assert.Equal("Other", page.Find("[data-testid=change-level]").GetAttribute("data-level"));
        Assert.Contains("other changes", changes);
        Assert.Contains("The signed content is exactly as it was signed.", page.TextOf("[data-testid=integrity]"));
    }

    [Fact]
    public async Task An_applicant_is_refused_for_the_page_the_upload_and_the_downloads()
    {
        string token;
        {
            var (auditorUi, auditorPage) = await OpenAsync(portal, "auditor");
            await using var _ = auditorUi;
            Upload(auditorPage, await VerificationFiles.SealedAsync());
            token = ReportToken(auditorPage);
        }
        using var client = await portal.SignInAsync("applicant");

        var get = await client.GetAsync("/verify");
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.StartsWith("/account/access-denied", get.LocalTarget());

        var content = new MultipartFormDataContent { { new ByteArrayContent(await VerificationFiles.SealedAsync()), "pdf", "a.pdf" } };
        var post = await client.Http.PostAsync("/verify", content);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/account/access-denied", post.LocalTarget());

        var download = await client.Http.PostAsync("/verify/report.json", new FormUrlEncodedContent(new Dictionary<string, string> { ["report"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, download.StatusCode);
        Assert.StartsWith("/account/access-denied", download.LocalTarget());
        var withToken = await DownloadAsync(client, "/verify/print", token);
        Assert.Equal(HttpStatusCode.Redirect, withToken.StatusCode);
        Assert.StartsWith("/account/access-denied", withToken.LocalTarget());

        var menu = await client.GetDocumentAsync("/");
        Assert.Null(menu.QuerySelector("nav a[href='/verify']"));
        using var auditor = await portal.SignInAsync("auditor");
        Assert.NotNull((await auditor.GetDocumentAsync("/")).QuerySelector("nav a[href='/verify']"));

        // The page re-checks the user for each file: an applicant's circuit (were it reached) checks nothing.
        var (ui, page) = await OpenAsync(portal, "applicant");
        await using var __ = ui;
        Assert.Empty(page.FindAll("[data-testid=archive-form]"));
        Upload(page, await VerificationFiles.SealedAsync());
        Assert.Equal("403", page.Find("[data-testid=upload-problem]").GetAttribute("data-status"));
        Assert.Equal("You may not verify documents.", page.TextOf("[data-testid=upload-problem]"));
        Assert.Empty(page.FindAll("[data-testid=verdict]"));
        Assert.DoesNotContain(portal.Logs.Entries, e => e.Message.Contains("Verification by applicant"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_plain_form_post_to_the_interactive_page_gets_400_and_no_report(bool withToken)
    {
        using var client = await portal.SignInAsync("auditor");
        var content = new MultipartFormDataContent
        {
            { new StringContent("verify"), "_handler" },
            { new ByteArrayContent(await VerificationFiles.SealedAsync()), "pdf", "sealed.pdf" },
        };
        if (withToken)
            content.Add(new StringContent(await client.AntiforgeryTokenAsync("/verify")), "__RequestVerificationToken");

        var response = await client.Http.PostAsync("/verify", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("data-verdict", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(portal.Logs.Entries, e => e.Message.Contains("Verification by auditor of sealed.pdf"));
    }

    [Theory]
    [InlineData("garbage", "The file is not a PDF.")]
    [InlineData("truncated", "The PDF is damaged or truncated and cannot be read.")]
    [InlineData("encrypted", "The PDF is encrypted (password-protected)")]
    [InlineData("empty", "The uploaded file is empty.")]
    public async Task Bad_input_gets_400_and_a_clear_message_and_the_page_stays_usable(string kind, string message)
    {
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;
        var sealedPdf = await VerificationFiles.SealedAsync();
        var pdf = kind switch
        {
            "garbage" => "this is a plain text file, not a PDF\n"u8.ToArray(),
            "truncated" => sealedPdf[..(sealedPdf.Length / 2)],
            "encrypted" => Encrypted(sealedPdf),
            _ => [],
        };

        Upload(page, pdf, kind + ".pdf");

        var problem = page.Find("[data-testid=upload-problem]");
        Assert.StartsWith(message, problem.TextContent.Trim());
        Assert.Equal("400", problem.GetAttribute("data-status"));
        Assert.Empty(page.FindAll("[data-testid=verdict]"));
        Assert.Empty(page.FindAll("[data-testid=download-json]"));

        // Nothing is lost: the next file is checked on the same page, and the refusal goes away.
        Upload(page, sealedPdf, "good.pdf");
        Assert.Equal("Valid", Verdict(page).GetAttribute("data-verdict"));
        Assert.Empty(page.FindAll("[data-testid=upload-problem]"));
    }

    private static byte[] Encrypted(byte[] pdf)
    {
        var dir = PdfTestKit.NewTempDir("verify-page-enc");
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "in.pdf"), pdf);
            PdfTestKit.RunOk("qpdf", "--encrypt", "u", "o", "256", "--", Path.Combine(dir, "in.pdf"), Path.Combine(dir, "out.pdf"));
            return File.ReadAllBytes(Path.Combine(dir, "out.pdf"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(200 * 1024)]
    [InlineData(1)]
    public async Task An_oversize_file_is_refused_unread_with_413_and_a_message_naming_the_limit(int over)
    {
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;
        var big = new byte[VerificationPortal.UploadLimit + over];
        "%PDF-1.7\n"u8.CopyTo(big);

        Upload(page, big, $"big-{over}.pdf");

        var problem = page.Find("[data-testid=upload-problem]");
        Assert.Equal("413", problem.GetAttribute("data-status"));
        Assert.StartsWith("File too large", problem.TextContent.Trim());
        Assert.Contains("Files up to 1 MB can be uploaded.", problem.TextContent);
        Assert.Equal("Up to 1 MB.", page.TextOf("[data-testid=upload-limit]"));
        Assert.Contains(portal.Logs.Entries, e => e.Message.Contains($"Verification by auditor of big-{over}.pdf") && e.Message.Contains("refused: TooLarge"));
        Assert.Empty(page.FindAll("[data-testid=verdict]"));

        Upload(page, await VerificationFiles.SealedAsync(), "after-big.pdf");
        Assert.Equal("Valid", Verdict(page).GetAttribute("data-verdict"));
    }

    [Fact]
    public async Task The_json_download_parses_as_the_verify_model_and_the_print_view_shows_the_report()
    {
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;
        var sealedPdf = await VerificationFiles.SealedAsync();
        Upload(page, sealedPdf, "合同 2026.pdf");
        Assert.Equal("/verify/report.json", page.Find("[data-testid=download-json]").GetAttribute("action"));
        Assert.Equal("/verify/print", page.Find("[data-testid=download-print]").GetAttribute("action"));
        Assert.Equal("post", page.Find("[data-testid=download-json]").GetAttribute("method"));
        Assert.Equal("_blank", page.Find("[data-testid=download-print]").GetAttribute("target"));
        using var client = await portal.SignInAsync("auditor");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");

        var json = await DownloadAsync(client, "/verify/report.json", ReportToken(page));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("-verification.json", json.Content.Headers.ContentDisposition!.FileNameStar ?? json.Content.Headers.ContentDisposition.FileName);
        var text = await json.Content.ReadAsStringAsync();
        var report = VerificationReportFormat.FromJson(text)!;
        Assert.Equal(SealPortal.Pdf.Validation.Verdict.Valid, report.Verdict);
        Assert.Contains("SAMPLE Company Seal (RSA)", report.Signatures.Single().SignerSubject);
        using var parsed = JsonDocument.Parse(text);
        Assert.Equal("valid", parsed.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(sealedPdf)), parsed.RootElement.GetProperty("document").GetProperty("sha256").GetString());
        Assert.Equal("合同 2026.pdf", parsed.RootElement.GetProperty("document").GetProperty("fileName").GetString());

        var print = await DownloadAsync(client, "/verify/print", ReportToken(page, "download-print"));
        var printed = await ExpectPageAsync(print, HttpStatusCode.OK);
        Assert.Equal("Valid", printed.QuerySelector("[data-testid=verdict]")!.GetAttribute("data-verdict"));
        Assert.Contains("mud-alert-outlined-success", printed.QuerySelector("[data-testid=verdict]")!.ClassName);
        Assert.Equal("SAMPLE Company Seal (RSA)", printed.TextOf("[data-testid=signer]"));
        Assert.NotNull(printed.QuerySelector("link[href='/css/print.css']"));
        Assert.NotNull(printed.QuerySelector("link[href='/_content/MudBlazor/MudBlazor.min.css']"));
        Assert.Null(printed.QuerySelector("link[href*=bootstrap]"));
        Assert.Null(printed.QuerySelector("nav"));
    }

    [Fact]
    public async Task A_forged_report_token_is_not_rendered()
    {
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;
        Upload(page, await VerificationFiles.SealedAsync());
        var token = ReportToken(page, "download-print");
        var forged = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];
        using var client = await portal.SignInAsync("auditor");

        var printed = await ExpectPageAsync(await DownloadAsync(client, "/verify/print", forged), HttpStatusCode.BadRequest);

        Assert.NotNull(printed.QuerySelector("[data-testid=report-expired]"));
        Assert.Null(printed.QuerySelector("[data-testid=verdict]"));
    }

    [Fact]
    public async Task A_download_without_antiforgery_token_is_refused()
    {
        var (ui, page) = await OpenAsync(portal, "auditor");
        await using var _ = ui;
        Upload(page, await VerificationFiles.SealedAsync());
        using var client = await portal.SignInAsync("auditor");

        var response = await client.Http.PostAsync("/verify/report.json", new FormUrlEncodedContent(new Dictionary<string, string> { ["report"] = ReportToken(page) }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
