using SealPortal.Pdf.Signing;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Ledger;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Validation;

namespace SealPortal.Features.Verification;

/// <summary>Why an upload was not checked at all; the page answers 400 with a message for each.</summary>
public enum UploadProblem
{
    None,
    NoFile,
    Empty,
    NotPdf,
    Encrypted,
    Damaged,

    /// <summary>Larger than <see cref="VerificationOptions.MaxUploadBytes"/>: refused unread (413).</summary>
    TooLarge,

    /// <summary>The browser's stream ended early or sent more than it announced (interactive page only).</summary>
    Incomplete,

    /// <summary>The archive lost the file the database says it holds (an integrity problem, not the auditor's doing).</summary>
    MissingFromArchive,
}

/// <summary>A ledger entry whose document has the verified file's SHA-256.</summary>
public sealed record LedgerMatch(long EntryId, string? RequestNumber, string Seal, DateTimeOffset ExecutedAt, string DocumentName);

/// <summary>One checked file (an upload or an archived document): what the auditor sees and can download.</summary>
/// <param name="LedgerMatches">The ledger entries recording this exact file; empty when none does.</param>
/// <param name="ArchivedAs">For a file picked from the archive: the request number and the SHA-256 recorded at sealing.</param>
public sealed record VerifiedDocument(
    string FileName, long Length, string Sha256, string VerifiedBy, VerificationReport Report,
    IReadOnlyList<LedgerMatch> LedgerMatches, ArchiveSource? ArchivedAs = null)
{
    /// <summary>
    /// The report as <c>verify --json</c> writes it, plus a <c>document</c> object (file name,
    /// SHA-256, who verified, archive source) and a <c>ledger</c> object (matching entries), so
    /// <see cref="VerificationReportFormat.FromJson"/> still reads it.
    /// </summary>
    public string ToJson()
    {
        var node = JsonNode.Parse(VerificationReportFormat.ToJson(Report))!.AsObject();
        var document = new JsonObject
        {
            ["fileName"] = FileName,
            ["length"] = Length,
            ["sha256"] = Sha256,
            ["verifiedBy"] = VerifiedBy,
        };
        if (ArchivedAs is not null)
            document["archive"] = new JsonObject
            {
                ["requestNumber"] = ArchivedAs.RequestNumber,
                ["recordedSha256"] = ArchivedAs.RecordedSha256,
                ["matchesRecord"] = ArchivedAs.RecordedSha256 == Sha256,
            };
        node["document"] = document;
        var entries = new JsonArray();
        foreach (var m in LedgerMatches)
            entries.Add(new JsonObject
            {
                ["entryId"] = m.EntryId,
                ["requestNumber"] = m.RequestNumber,
                ["seal"] = m.Seal,
                ["executedAt"] = m.ExecutedAt,
                ["documentName"] = m.DocumentName,
            });
        node["ledger"] = new JsonObject { ["matched"] = LedgerMatches.Count > 0, ["entries"] = entries };
        return node.ToJsonString(VerificationReportFormat.JsonOptions);
    }
}

/// <summary>Where an archived file came from: its request and the SHA-256 recorded when it was sealed.</summary>
public sealed record ArchiveSource(int DocumentId, string RequestNumber, string RecordedSha256);

public sealed record VerificationOutcome(UploadProblem Problem, VerifiedDocument? Document, string? Detail = null);

/// <summary>
/// Checks an uploaded PDF with <see cref="PdfSignatureVerifier"/> against the configured trust
/// anchors. Nothing is stored: the upload lives only for the request, and the downloads carry the
/// report itself in a data-protected, time-limited token.
/// </summary>
public sealed class DocumentVerifier(
    TrustAnchors anchors,
    LedgerLookup ledger,
    ArchivedDocuments archive,
    TimeProvider time,
    IDataProtectionProvider protection,
    IOptions<VerificationOptions> options,
    AuditTrail.AuditTrail audit,
    IHttpClientFactory httpClients,
    ILogger<DocumentVerifier> logger)
{
    /// <summary>The purpose string binds tokens to this use; a token made for anything else does not open.</summary>
    private const string ProtectorPurpose = "SealPortal.Verification.Report.v1";

    /// <summary>The named HttpClient of online revocation checks (only with Verification:FetchRevocationOnline).</summary>
    public const string RevocationHttpClient = "verification-revocation";

    /// <summary>A PDF's header may follow up to 1024 bytes of junk (PDF 32000-1, annex H).</summary>
    private const int HeaderSearch = 1024;

    public async Task<VerificationOutcome> VerifyAsync(IFormFile? file, string actor, CancellationToken ct)
    {
        if (file is null)
            return new(UploadProblem.NoFile, null);
        var name = Path.GetFileName(file.FileName ?? "");
        if (name.Length == 0) name = "document.pdf";
        if (file.Length == 0)
            return Refused(UploadProblem.Empty, actor, name, 0, null);
        await using var upload = file.OpenReadStream();
        return await VerifyAsync(upload, name, file.Length, actor, null, ct);
    }

    /// <summary>
    /// Checks a file received by the interactive page (already streamed to the server, e.g. into a
    /// temporary file); the same checks and messages as a posted upload.
    /// </summary>
    public async Task<VerificationOutcome> VerifyAsync(Stream upload, string fileName, long length, string actor, CancellationToken ct)
    {
        var name = Path.GetFileName(fileName ?? "");
        if (name.Length == 0) name = "document.pdf";
        if (length == 0)
            return Refused(UploadProblem.Empty, actor, name, 0, null);
        return await VerifyAsync(upload, name, length, actor, null, ct);
    }

    /// <summary>A file larger than <see cref="VerificationOptions.MaxUploadBytes"/> is refused before it is read.</summary>
    public VerificationOutcome? RefuseIfTooLarge(string fileName, long length, string actor) =>
        length > options.Value.MaxUploadBytes
            ? Refused(UploadProblem.TooLarge, actor, Path.GetFileName(fileName ?? ""), length, null, $"limit {options.Value.MaxUploadBytes} bytes")
            : null;

    /// <summary>Checks a document of the archive (a sealed file) without an upload; null when there is no such archived document.</summary>
    public async Task<VerificationOutcome?> VerifyArchivedAsync(int documentId, string actor, CancellationToken ct)
    {
        var archived = await archive.FindAsync(documentId, ct);
        if (archived is null)
            return null;
        var source = new ArchiveSource(archived.DocumentId, archived.RequestNumber, archived.SealedSha256);
        Stream file;
        try
        {
            file = archive.OpenSealed(archived);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            logger.LogError("Archived file {Sha256} of document {DocumentId} ({Number}) is missing from the archive", archived.SealedSha256, documentId, archived.RequestNumber);
            return new(UploadProblem.MissingFromArchive, null);
        }
        await using (file)
            return await VerifyAsync(file, archived.FileName, file.Length, actor, source, ct);
    }

    private async Task<VerificationOutcome> VerifyAsync(Stream input, string name, long length, string actor, ArchiveSource? source, CancellationToken ct)
    {
        Stream pdf = input;
        FileStream? copy = null;
        try
        {
            if (!input.CanSeek)
            {
                // The verifier seeks; a copy that deletes itself keeps the promise that nothing stays.
                copy = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
                await input.CopyToAsync(copy, ct);
                pdf = copy;
            }
            pdf.Position = 0;
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(pdf, ct));
            pdf.Position = 0;
            if (!HasPdfHeader(pdf))
                return Refused(UploadProblem.NotPdf, actor, name, length, sha);

            pdf.Position = 0;
            var report = PdfSignatureVerifier.Verify(pdf, new VerifyOptions
            {
                TrustAnchors = anchors.Certificates,
                Now = time.GetUtcNow(),
                OnlineRevocation = options.Value.FetchRevocationOnline ? new HttpOcspClient(httpClients.CreateClient(RevocationHttpClient)) : null,
            }, ct);
            if (report.Verdict == Verdict.Unreadable)
            {
                pdf.Position = 0;
                return Refused(IsEncrypted(pdf) ? UploadProblem.Encrypted : UploadProblem.Damaged, actor, name, length, sha, report.Error);
            }
            var matches = (await ledger.FindByDocumentHashAsync(sha, ct))
                .Select(e => new LedgerMatch(e.Id, e.RequestNumber, e.Seal, e.ExecutedAt, e.DocumentName))
                .ToList();
            logger.LogInformation(
                "Verification by {Actor} of {FileName} (SHA-256 {Sha256}, {Length} bytes{Archive}): {Verdict}, {SignatureCount} signature(s), {LedgerMatches} ledger match(es)",
                actor, name, sha, length, source is null ? "" : $", archived for {source.RequestNumber}", report.Verdict, report.Signatures.Count, matches.Count);
            await audit.RecordAsync(AuditAction.DocumentVerified,
                detail: $"SHA-256 {sha}, {length} bytes{(source is null ? "" : $", archived for {source.RequestNumber}")}: {report.Verdict}, {report.Signatures.Count} signature(s), {matches.Count} ledger match(es)",
                subject: name, ct: ct);
            return new(UploadProblem.None, new VerifiedDocument(name, length, sha, actor, report, matches, source));
        }
        finally
        {
            if (copy is not null) await copy.DisposeAsync();
        }
    }

    private VerificationOutcome Refused(UploadProblem problem, string actor, string name, long length, string? sha, string? detail = null)
    {
        logger.LogInformation(
            "Verification by {Actor} of {FileName} (SHA-256 {Sha256}, {Length} bytes) refused: {Problem} {Detail}",
            actor, name, sha, length, problem, detail);
        return new(problem, null, detail);
    }

    private static bool HasPdfHeader(Stream pdf)
    {
        var head = new byte[HeaderSearch];
        var n = pdf.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head.AsSpan(0, n).IndexOf("%PDF-"u8) >= 0;
    }

    private static bool IsEncrypted(Stream pdf)
    {
        try
        {
            using var _ = PdfFile.Open(pdf, leaveOpen: true);
            return false;
        }
        catch (PdfEncryptedException)
        {
            return true;
        }
        catch (PdfFormatException)
        {
            return false;
        }
    }

    /// <summary>The report for a hidden form field: tamper-proof, expires after <see cref="VerificationOptions.DownloadLifetime"/>.</summary>
    public string Protect(VerifiedDocument document)
    {
        var json = JsonSerializer.Serialize(new Token(document.FileName, document.Length, document.Sha256, document.VerifiedBy,
            VerificationReportFormat.ToJson(document.Report), document.LedgerMatches, document.ArchivedAs));
        return Protector.Protect(json, time.GetUtcNow() + options.Value.DownloadLifetime);
    }

    /// <summary>Null when the token is forged, damaged, expired or made with other keys.</summary>
    public VerifiedDocument? Unprotect(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return null;
        try
        {
            var json = Protector.Unprotect(token, out _);
            var t = JsonSerializer.Deserialize<Token>(json);
            var report = t is null ? null : VerificationReportFormat.FromJson(t.Report);
            return t is null || report is null ? null : new VerifiedDocument(t.FileName, t.Length, t.Sha256, t.VerifiedBy, report, t.LedgerMatches ?? [], t.ArchivedAs);
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private ITimeLimitedDataProtector Protector => protection.CreateProtector(ProtectorPurpose).ToTimeLimitedDataProtector();

    private sealed record Token(string FileName, long Length, string Sha256, string VerifiedBy, string Report,
        IReadOnlyList<LedgerMatch>? LedgerMatches, ArchiveSource? ArchivedAs);

    /// <summary>A download's file name: the document's name without its extension, ASCII-safe.</summary>
    public static string DownloadName(VerifiedDocument d, string extension)
    {
        var stem = Path.GetFileNameWithoutExtension(d.FileName);
        var safe = new StringBuilder();
        foreach (var c in stem)
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        var s = safe.Length == 0 ? "document" : safe.ToString();
        return $"{s}-verification{extension}";
    }
}
