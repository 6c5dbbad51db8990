using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
using SealPortal.Features.Spreadsheets;
using SealPortal.Resources;

namespace SealPortal.Features.Ledger;

/// <summary>
/// The ledger as CSV or XLSX, with the page's filters and the reader's restrictions (both come
/// from <see cref="LedgerQuery"/>). Rows are read from the database as a stream and written one
/// by one, so memory stays flat for any number of rows. Times are in the company's time zone,
/// written as ISO 8601 with their offset (2026-03-02T01:30:00+08:00), and each time column's
/// header names the zone ("Executed at (Asia/Shanghai)"); the stored times stay UTC.
/// </summary>
public sealed class LedgerExport(LedgerQuery query, IStringLocalizer<SharedResource> localizer, CompanyTime time)
{
    private static readonly string[] Headers =
    [
        "Entry", "Request number", "Seal", "Kind", "Applicant", "Department", "Applied at", "Approvers", "Approved at",
        "Executor", "Executed at", "Document", "Document SHA-256", "Copies", "Entry hash",
    ];

    /// <summary>The columns whose values are times (and whose headers name the time zone).</summary>
    private static readonly HashSet<string> TimeHeaders = ["Applied at", "Approvers", "Approved at", "Executed at"];

    /// <summary>The header row in the reader's language, the time columns with the company's zone.</summary>
    private IEnumerable<string> HeaderTexts() =>
        Headers.Select(h => TimeHeaders.Contains(h) ? $"{localizer[h].Value} ({time.ZoneId})" : localizer[h].Value);

    /// <summary>UTF-8 with a byte-order mark (so Excel reads Chinese), RFC 4180 quoting, CRLF line ends.</summary>
    public async Task<long> WriteCsvAsync(ClaimsPrincipal user, LedgerFilter filter, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', HeaderTexts().Select(Csv)) + "\r\n");
        var kinds = Kinds();
        long count = 0;
        var line = new StringBuilder(1024);
        await foreach (var r in ReadAhead.Of(query.StreamAsync(user, filter), ct))
        {
            line.Clear()
                .AppendJoin(',', Cells(r, kinds).Select(cell => cell is string text ? Csv(text) : Convert.ToString(cell, CultureInfo.InvariantCulture)))
                .Append("\r\n");
            await writer.WriteAsync(line, ct);
            count++;
        }
        await writer.FlushAsync(ct);
        return count;
    }

    /// <summary>The kinds' names in the reader's language, looked up once per export rather than per row.</summary>
    private Dictionary<SealKind, string> Kinds() => Enum.GetValues<SealKind>().ToDictionary(k => k, k => localizer.Enum(k));

    /// <summary>Writes the workbook into <paramref name="file"/>, which need not seek (the response body); see <see cref="XlsxWriter"/>.</summary>
    public async Task<long> WriteXlsxAsync(ClaimsPrincipal user, LedgerFilter filter, Stream file, CancellationToken ct)
    {
        using var workbook = new XlsxWriter(file, [localizer["Seal ledger"].Value]);
        using var sheet = workbook.Sheet();
        sheet.Row(HeaderTexts().Select(h => (object?)h));
        var kinds = Kinds();
        long count = 0;
        await foreach (var row in ReadAhead.Of(query.StreamAsync(user, filter), ct))
        {
            sheet.Row(Cells(row, kinds));
            count++;
        }
        return count;
    }

    /// <summary>One row of either export, in <see cref="Headers"/> order: entry number and copies as numbers, the rest as text.</summary>
    private object[] Cells(LedgerRow r, IReadOnlyDictionary<SealKind, string> kinds) =>
    [
        r.Sequence,
        r.RequestNumber ?? "",
        r.SealName,
        kinds[r.Kind],
        r.ApplicantName,
        r.DepartmentName,
        time.Iso(r.AppliedAt),
        LedgerApprovals.Describe(r.ApproversJson, new StringBuilder(), time.Iso).ToString(),
        time.Iso(r.ApprovedAt),
        r.ExecutorName,
        time.Iso(r.ExecutedAt),
        r.DocumentName,
        r.DocumentSha256,
        r.Copies,
        r.Hash,
    ];

    /// <summary>
    /// Quotes when needed, and defuses cells a spreadsheet would run as a formula ("=", "+", "-",
    /// "@" first) by prefixing an apostrophe, since names and file names come from users.
    /// </summary>
    public static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
