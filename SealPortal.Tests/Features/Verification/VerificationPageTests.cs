using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Html.Dom;
using SealPortal.Pdf.Validation;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Verification;

public class VerificationPageTests(VerificationPortal portal) : IClassFixture<VerificationPortal>
{
    /// <summary>Posts the upload form of /verify like a browser: token from the page, the file as multipart.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(PortalClient client, byte[]? pdf, string fileName = "contract.pdf", bool withToken = true)
    {
        var page = await client.GetDocumentAsync("/verify");
        var form = page.QuerySelector("[data-testid=verify-form]") as IHtmlFormElement ?? throw new InvalidOperationException("no upload form");
        var content = new MultipartFormDataContent();
        foreach (var input in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
            if (withToken || input.Name != "__RequestVerificationToken")
                content.Add(new StringContent(input.Value), input.Name!);
        if (pdf is not null)
        {
            var file = new ByteArrayContent(pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(file, "pdf", fileName);
        }
        return await client.Http.PostAsync("/verify", content);
    }

    /// <summary>Posts one of the report's download forms (hidden fields only) from a page already shown.</summary>
    private static Task<HttpResponseMessage> PostFormAsync(PortalClient client, IHtmlDocument page, string testId, string? report = null)
    {
        var form = page.QuerySelector($"[data-testid={testId}]") as IHtmlFormElement ?? throw new InvalidOperationException($"no form {testId}");
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Name == "report" && report is not null ? report : i.Value))
            .ToList();
        return client.Http.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    private static async Task<IHtmlDocument> ExpectPageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {html[..Math.Min(html.Length, 2000)]}");
        Assert.DoesNotContain("   at ", html);
        return await PortalClient.ParseAsync(html);
    }

    [Fact]
    public async Task An_auditor_sees_a_sealed_pdf_as_valid_with_signer_and_trust()
    {
        using var client = await portal.SignInAsync("auditor");
        var sealedPdf = await VerificationFiles.SealedAsync();

        var page = await ExpectPageAsync(await UploadAsync(client, sealedPdf), HttpStatusCode.OK);

        Assert.Equal("Valid", page.QuerySelector("[data-testid=verdict]")!.GetAttribute("data-verdict"));
        Assert.Contains("alert-success", page.QuerySelector("[data-testid=verdict]")!.ClassName);
        var signature = page.QuerySelector("[data-testid=signature]")!;
        Assert.Equal("SAMPLE Company Seal (RSA)", signature.TextOf("[data-testid=signer]"));
        Assert.Equal("SealPortal SAMPLE Intermediate CA", signature.TextOf("[data-testid=issuer]"));
        Assert.Contains("Seal1", signature.TextContent);
        Assert.Contains("可信", signature.TextOf("[data-testid=trust]"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(sealedPdf)), page.TextOf("[data-testid=sha256]"));
        Assert.Contains(portal.Logs.Entries, e => e.Message.Contains("Verification by auditor") && e.Message.Contains("Valid"));
    }

    [Fact]
    public async Task English_is_shown_when_the_browser_asks_for_it()
    {
        using var client = await portal.SignInAsync("auditor");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");

        var page = await ExpectPageAsync(await UploadAsync(client, await VerificationFiles.SealedAsync()), HttpStatusCode.OK);

        Assert.Equal("Valid", page.TextOf("[data-testid=verdict-title]"));
        Assert.StartsWith("Trusted", page.TextOf("[data-testid=trust]"));
        Assert.Equal("The signed content is exactly as it was signed.", page.TextOf("[data-testid=integrity]"));
    }

    [Fact]
    public async Task A_tampered_copy_is_invalid_and_the_page_says_why()
    {
        using var client = await portal.SignInAsync("auditor");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var tampered = VerificationFiles.Tampered(await VerificationFiles.SealedAsync());

        var page = await ExpectPageAsync(await UploadAsync(client, tampered), HttpStatusCode.OK);

        Assert.Equal("Invalid", page.QuerySelector("[data-testid=verdict]")!.GetAttribute("data-verdict"));
        Assert.Contains("alert-danger", page.QuerySelector("[data-testid=verdict]")!.ClassName);
        Assert.Equal("Invalid", page.QuerySelector("[data-testid=signature]")!.GetAttribute("data-status"));
        Assert.Contains("fingerprint no longer matches", page.TextOf("[data-testid=integrity]"));
    }

    [Fact]
    public async Task A_copy_with_a_broken_cross_reference_table_is_a_red_verdict_not_a_refusal()
    {
        using var client = await portal.SignInAsync("auditor");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var damaged = (byte[])(await VerificationFiles.SealedAsync()).Clone();
        // The newest startxref no longer points anywhere: no cross-reference section can be found.
        var at = damaged.AsSpan().LastIndexOf("startxref"u8) + "startxref\n".Length;
        damaged[at] = (byte)'x';

        var page = await ExpectPageAsync(await UploadAsync(client, damaged), HttpStatusCode.OK);

        Assert.Equal("Invalid", page.QuerySelector("[data-testid=verdict]")!.GetAttribute("data-verdict"));
        Assert.Contains("alert-danger", page.QuerySelector("[data-testid=verdict]")!.ClassName);
        Assert.Contains("structure is damaged", page.TextOf("[data-testid=structure-damage]"));
        Assert.Equal("Invalid", page.QuerySelector("[data-testid=signature]")!.GetAttribute("data-status"));
        Assert.Contains("fingerprint no longer matches", page.TextOf("[data-testid=integrity]"));
    }

    [Fact]
    public async Task A_copy_with_changed_page_content_in_a_later_revision_shows_changed_after_signing()
    {
        using var client = await portal.SignInAsync("auditor");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var changed = VerificationFiles.ChangedAfterSigning(await VerificationFiles.SealedAsync());

        var page = await ExpectPageAsync(await UploadAsync(client, changed), HttpStatusCode.OK);

        Assert.Equal("Invalid", page.QuerySelector("[data-testid=verdict]")!.GetAttribute("data-verdict"));
        Assert.Equal("ModifiedAfterSigning", page.QuerySelector("[data-testid=signature]")!.GetAttribute("data-status"));
        var changes = page.TextOf("[data-testid=changes]");
        Assert.Contains("The document was changed after signing", changes);
        Assert.Contains("the content of a page was changed", changes);
        Assert.Equal("Other", page.QuerySelector("[data-testid=change-level]")!.GetAttribute("data-level"));
        Assert.Contains("other changes", changes);
        Assert.Contains("The signed content is exactly as it was signed.", page.TextOf("[data-testid=integrity]"));
    }

    [Fact]
    public async Task An_applicant_is_refused_for_the_page_the_upload_and_the_downloads()
    {
        using var auditor = await portal.SignInAsync("auditor");
        var token = (await ExpectPageAsync(await UploadAsync(auditor, await VerificationFiles.SealedAsync()), HttpStatusCode.OK))
            .QuerySelector("[data-testid=download-json] input[name=report]")!.GetAttribute("value")!;
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

        var menu = await client.GetDocumentAsync("/");
        Assert.Null(menu.QuerySelector("nav a[href='/verify']"));
        Assert.NotNull((await auditor.GetDocumentAsync("/")).QuerySelector("nav a[href='/verify']"));
    }

    [Fact]
    public async Task An_upload_without_antiforgery_token_is_refused()
    {
        using var client = await portal.SignInAsync("auditor");

        var response = await UploadAsync(client, await VerificationFiles.SealedAsync(), withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("data-verdict", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("garbage", "The file is not a PDF.")]
    [InlineData("truncated", "The PDF is damaged or truncated and cannot be read.")]
    [InlineData("encrypted", "The PDF is encrypted (password-protected)")]
    [InlineData("empty", "The uploaded file is empty.")]
    [InlineData("none", "Choose a PDF file to verify.")]
    public async Task Bad_input_gets_400_and_a_clear_message(string kind, string message)
    {
        using var client = await portal.SignInAsync("auditor");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var sealedPdf = await VerificationFiles.SealedAsync();
        var pdf = kind switch
        {
            "garbage" => "this is a plain text file, not a PDF\n"u8.ToArray(),
            "truncated" => sealedPdf[..(sealedPdf.Length / 2)],
            "encrypted" => Encrypted(sealedPdf),
            "empty" => [],
            _ => null,
        };

        var page = await ExpectPageAsync(await UploadAsync(client, pdf), HttpStatusCode.BadRequest);

        Assert.StartsWith(message, page.TextOf("[data-testid=upload-problem]"));
        Assert.Null(page.QuerySelector("[data-testid=verdict]"));
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

    [Fact]
    public async Task An_oversize_upload_gets_413_and_a_page_naming_the_limit()
    {
        using var client = await portal.SignInAsync("auditor");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var big = new byte[VerificationPortal.UploadLimit + 200 * 1024];
        "%PDF-1.7\n"u8.CopyTo(big);

        var page = await ExpectPageAsync(await UploadAsync(client, big), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("File too large", page.TextOf("h1"));
        Assert.Contains("Files up to 1 MB can be uploaded.", page.Body!.TextContent);
        Assert.Contains(portal.Logs.Entries, e => e.Message.Contains("Upload by auditor refused"));
    }

    [Fact]
    public async Task A_file_just_over_the_limit_inside_a_small_form_is_refused_too()
    {
        // The body fits the form allowance; the file itself is what exceeds the limit.
        using var client = await portal.SignInAsync("auditor");
        var big = new byte[VerificationPortal.UploadLimit + 1];
        "%PDF-1.7\n"u8.CopyTo(big);

        var response = await UploadAsync(client, big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task The_json_download_parses_as_the_verify_model_and_the_print_view_shows_the_report()
    {
        using var client = await portal.SignInAsync("auditor");
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var sealedPdf = await VerificationFiles.SealedAsync();
        var page = await ExpectPageAsync(await UploadAsync(client, sealedPdf, "合同 2026.pdf"), HttpStatusCode.OK);

        var json = await PostFormAsync(client, page, "download-json");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("-verification.json", json.Content.Headers.ContentDisposition!.FileNameStar ?? json.Content.Headers.ContentDisposition.FileName);
        var text = await json.Content.ReadAsStringAsync();
        var report = VerificationReportFormat.FromJson(text)!;
        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Contains("SAMPLE Company Seal (RSA)", report.Signatures.Single().SignerSubject);
        using var parsed = JsonDocument.Parse(text);
        Assert.Equal("valid", parsed.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(sealedPdf)), parsed.RootElement.GetProperty("document").GetProperty("sha256").GetString());
        Assert.Equal("合同 2026.pdf", parsed.RootElement.GetProperty("document").GetProperty("fileName").GetString());

        var print = await PostFormAsync(client, page, "download-print");
        var printed = await ExpectPageAsync(print, HttpStatusCode.OK);
        Assert.Equal("Valid", printed.QuerySelector("[data-testid=verdict]")!.GetAttribute("data-verdict"));
        Assert.NotNull(printed.QuerySelector("link[href='/css/print.css']"));
        Assert.Null(printed.QuerySelector("nav"));
    }

    [Fact]
    public async Task A_forged_report_token_is_not_rendered()
    {
        using var client = await portal.SignInAsync("auditor");
        var page = await ExpectPageAsync(await UploadAsync(client, await VerificationFiles.SealedAsync()), HttpStatusCode.OK);
        var token = page.QuerySelector("[data-testid=download-print] input[name=report]")!.GetAttribute("value")!;
        var forged = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];

        var print = await PostFormAsync(client, page, "download-print", forged);

        var printed = await ExpectPageAsync(print, HttpStatusCode.BadRequest);
        Assert.NotNull(printed.QuerySelector("[data-testid=report-expired]"));
        Assert.Null(printed.QuerySelector("[data-testid=verdict]"));
    }

    [Fact]
    public async Task A_download_without_antiforgery_token_is_refused()
    {
        using var client = await portal.SignInAsync("auditor");
        var page = await ExpectPageAsync(await UploadAsync(client, await VerificationFiles.SealedAsync()), HttpStatusCode.OK);
        var token = page.QuerySelector("[data-testid=download-json] input[name=report]")!.GetAttribute("value")!;

        var response = await client.Http.PostAsync("/verify/report.json", new FormUrlEncodedContent(new Dictionary<string, string> { ["report"] = token }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
