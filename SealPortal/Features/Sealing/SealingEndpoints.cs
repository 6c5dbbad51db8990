using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SealPortal.Components;
using SealPortal.Features.Archive;
using SealPortal.Pdf.Incremental;
using SealPortal.Data;
using SealPortal.Resources;

namespace SealPortal.Features.Sealing;

/// <summary>Settings under "Sealing" in configuration.</summary>
public sealed class SealingOptions
{
    public const string Section = "Sealing";

    /// <summary>The largest scan of a stamped document a keeper may upload.</summary>
    public long MaxScanBytes { get; set; } = 20 * 1024 * 1024;
}

/// <summary>
/// The sealing actions of the request page (retry, record a stamping) and the downloads. The forms
/// are plain posts with [FromForm] values, so the antiforgery middleware checks their token; a
/// refusal answers with its status code and the reason on the status page, success returns to the
/// request page.
/// </summary>
public static class SealingEndpoints
{
    /// <summary>Room for the multipart framing, the token and the other fields around the scan.</summary>
    private const long FormOverhead = 64 * 1024;

    public static WebApplication MapSealingEndpoints(this WebApplication app)
    {
        var maxScan = app.Services.GetRequiredService<IOptions<SealingOptions>>().Value.MaxScanBytes;
        var group = app.MapGroup("/requests/{id:int}").RequireAuthorization();

        group.MapPost("/sealing/retry", async (int id, [FromForm] string? confirm, HttpContext http, RequestSealing sealing, CancellationToken ct) =>
        {
            var result = await sealing.RetryAsync(id, http.User, ct);
            return result.Succeeded ? Back(id, "sealed") : Refuse(http, id, result.StatusCode, result.Message);
        });

        group.MapPost("/sealing/stamping", async (int id, [FromForm] string? sealId, [FromForm] string? stampedAt, [FromForm] string? copies,
            [FromForm] string? executor, IFormFile? scan, HttpContext http, RequestSealing sealing, IOptions<SealingOptions> options,
            IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            if (!int.TryParse(sealId, CultureInfo.InvariantCulture, out var seal))
                return Refuse(http, id, StatusCodes.Status400BadRequest, L["Choose a seal."]);
            if (!DateTime.TryParseExact(stampedAt, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                return Refuse(http, id, StatusCodes.Status400BadRequest, L["Enter when the document was stamped."]);
            if (!int.TryParse(copies, CultureInfo.InvariantCulture, out var count))
                return Refuse(http, id, StatusCodes.Status400BadRequest, L["Copies must be between 1 and 1000."]);

            StampingScan? file = null;
            if (scan is { Length: > 0 })
            {
                if (scan.Length > options.Value.MaxScanBytes)
                    return Refuse(http, id, StatusCodes.Status413PayloadTooLarge, L["The scan is larger than {0} MB.", options.Value.MaxScanBytes / (1024.0 * 1024.0)]);
                var bytes = new byte[scan.Length];
                await using (var s = scan.OpenReadStream())
                    await s.ReadExactlyAsync(bytes, ct);
                var (type, problem) = ScanType(bytes);
                if (type is null)
                    return Refuse(http, id, StatusCodes.Status400BadRequest, problem is null
                        ? L["The scan must be a PDF, PNG or JPEG file."]
                        : L["The scan is not a readable PDF: {0}", problem]);
                file = new StampingScan(scan.FileName, type, bytes);
            }

            // The form shows times in the company's zone (like every time on the portal), so it is read back in it.
            var zone = http.RequestServices.GetRequiredService<CompanyTime>().Zone;
            var at = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(local));
            var result = await sealing.RecordStampingAsync(id, http.User, new StampingInput(seal, at, count, executor, file), ct);
            return result.Succeeded ? Back(id, "stamped") : Refuse(http, id, result.StatusCode, result.Message);
        }).WithFormOptions(multipartBodyLengthLimit: maxScan + FormOverhead)
          .WithMetadata(new RequestSizeLimitAttribute(maxScan + FormOverhead));

        group.MapGet("/documents/{documentId:int}/sealed", async (int id, int documentId, HttpContext http, SealingQueries queries,
            ArchiveStore archive, IOptions<SealPortalOptions> portal, AuditTrail.AuditTrail audit, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            if (await RefuseDownloadAsync(http, id, queries, L, ct) is { } refused)
                return refused;
            if (await queries.SealedFileAsync(id, documentId, ct) is not { } file
                || SealingStage.OpenCommitted(archive, portal.Value.DataFolder, id, file.Sha256) is not { } content)
                return Refuse(http, id, StatusCodes.Status404NotFound, L["This document has not been sealed."]);
            // The request's timeline shows who took the sealed file, and when.
            await audit.RecordAsync(AuditAction.DocumentDownloaded, file.FileName, $"request {file.Number}", ct: ct);
            http.Response.Headers.CacheControl = "private, no-store";
            return Results.File(content, "application/pdf", file.FileName,
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.Sha256}\""));
        });

        // The same file for reading in the page (pdf.js): inline, and no download line in the audit trail.
        group.MapGet("/documents/{documentId:int}/sealed/view", async (int id, int documentId, HttpContext http, SealingQueries queries,
            ArchiveStore archive, IOptions<SealPortalOptions> portal, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            if (await RefuseDownloadAsync(http, id, queries, L, ct) is { } refused)
                return refused;
            if (await queries.SealedFileAsync(id, documentId, ct) is not { } file
                || SealingStage.OpenCommitted(archive, portal.Value.DataFolder, id, file.Sha256) is not { } content)
                return Refuse(http, id, StatusCodes.Status404NotFound, L["This document has not been sealed."]);
            http.Response.Headers.CacheControl = "private, no-store";
            http.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { Inline = true, FileName = file.FileName }.ToString();
            return Results.Stream(content, "application/pdf");
        });

        group.MapGet("/stampings/{stampingId:int}/scan", async (int id, int stampingId, HttpContext http, SealingQueries queries,
            ArchiveStore archive, AuditTrail.AuditTrail audit, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            if (await RefuseDownloadAsync(http, id, queries, L, ct) is { } refused)
                return refused;
            if (await queries.ScanAsync(id, stampingId, ct) is not { } scan || !archive.Exists(scan.Sha256))
                return Results.NotFound();
            await audit.RecordAsync(AuditAction.DocumentDownloaded, scan.FileName, $"request {scan.Number}", ct: ct);
            http.Response.Headers.CacheControl = "private, no-store";
            return Results.File(archive.OpenRead(scan.Sha256), scan.ContentType, scan.FileName);
        });

        return app;
    }

    /// <summary>
    /// 404 when the request does not exist (with no link back to it), 403 when it does and the reader may
    /// not download its files, null when they may.
    /// </summary>
    private static async Task<IResult?> RefuseDownloadAsync(HttpContext http, int id, SealingQueries queries,
        IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        var access = await queries.DownloadAccessAsync(id, http.User, ct);
        if (access is null)
        {
            http.Items[StatusPage.MessageItem] = L["No such request."].Value;
            return Results.NotFound();
        }
        if (access == false)
            return Refuse(http, id, StatusCodes.Status403Forbidden, L["Only the applicant, the keepers of its seals, auditors and administrators may download the sealed documents of a request."]);
        return null;
    }

    private static IResult Back(int id, string notice) => Results.Redirect($"/requests/{id}?sealing={notice}#sealing");

    /// <summary>An empty response with the status code: the status page shows <paramref name="message"/> and a link back.</summary>
    private static IResult Refuse(HttpContext http, int id, int statusCode, string message)
    {
        http.Items[StatusPage.MessageItem] = message;
        http.Items[StatusPage.BackLinkItem] = $"/requests/{id}";
        return Results.StatusCode(statusCode);
    }

    /// <summary>
    /// The content type of a scan from its bytes: a PDF must parse, PNG and JPEG are known by their
    /// signatures. Returns the reason a PDF was refused as the second value.
    /// </summary>
    internal static (string? ContentType, string? PdfProblem) ScanType(byte[] bytes)
    {
        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (bytes.AsSpan().StartsWith(png) && bytes.Length > 16 && bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8))
            return ("image/png", null);
        if (bytes.Length > 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
            return ("image/jpeg", null);
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 1024)).IndexOf("%PDF-"u8) < 0)
            return (null, null);
        try
        {
            using var pdf = PdfFile.Open(new MemoryStream(bytes, writable: false), leaveOpen: false);
            return pdf.GetPages().Count > 0 ? ("application/pdf", null) : (null, "no pages");
        }
        catch (PdfFormatException ex)
        {
            return (null, ex.Message);
        }
    }
}
