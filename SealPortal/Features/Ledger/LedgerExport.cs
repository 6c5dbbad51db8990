using System.Globalization;
using System.IO.Compression;
using System.Security.Claims;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
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

    /// <summary>
    /// Writes the workbook into <paramref name="file"/>, which need not seek (the response body).
    /// OpenXml's SpreadsheetDocument insists on a readable package, and System.IO.Packaging keeps
    /// every part of a read-write package in memory until it is saved, so the package is laid out
    /// here instead: a zip in create mode (each entry is compressed straight into the file) with the
    /// five parts a workbook needs, the sheet written element by element by OpenXmlWriter with
    /// inline strings, so no shared-string table grows in memory either.
    /// </summary>
    public async Task<long> WriteXlsxAsync(ClaimsPrincipal user, LedgerFilter filter, Stream file, CancellationToken ct)
    {
        using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
        Part(zip, "[Content_Types].xml",
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
        Part(zip, "_rels/.rels",
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Part(zip, "xl/_rels/workbook.xml.rels",
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
        using (var stream = zip.CreateEntry("xl/workbook.xml", CompressionLevel.Fastest).Open())
        using (var writer = OpenXmlWriter.Create(stream))
        {
            writer.WriteStartDocument(true);
            writer.WriteStartElement(new Workbook(), [], [new KeyValuePair<string, string>("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")]);
            writer.WriteStartElement(new Sheets());
            writer.WriteElement(new Sheet { Name = SheetName(localizer["Seal ledger"].Value), SheetId = 1, Id = "rId1" });
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        long count = 0;
        using (var stream = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open())
        using (var writer = OpenXmlWriter.Create(stream))
        {
            writer.WriteStartDocument(true);
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, HeaderTexts().Select(h => (object?)h).ToArray());
            var kinds = Kinds();
            await foreach (var row in ReadAhead.Of(query.StreamAsync(user, filter), ct))
            {
                WriteRow(writer, Cells(row, kinds));
                count++;
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        return count;
    }

    private static void Part(ZipArchive zip, string name, string xml)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(Encoding.UTF8.GetBytes(xml));
    }

    /// <summary>Excel refuses sheet names over 31 characters or with []:*?/\.</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Where(c => "[]:*?/\\".IndexOf(c) < 0).ToArray());
        return clean.Length > 31 ? clean[..31] : clean;
    }

    private static void WriteRow(OpenXmlWriter writer, object?[] values)
    {
        writer.WriteStartElement(new Row());
        foreach (var v in values)
        {
            if (v is long or int)
            {
                writer.WriteElement(new Cell { DataType = CellValues.Number, CellValue = new CellValue(Convert.ToString(v, CultureInfo.InvariantCulture)!) });
            }
            else
            {
                writer.WriteStartElement(new Cell { DataType = CellValues.InlineString });
                writer.WriteElement(new InlineString(new Text(Xml(v as string ?? "")) { Space = SpaceProcessingModeValues.Preserve }));
                writer.WriteEndElement();
            }
        }
        writer.WriteEndElement();
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

    /// <summary>XML 1.0 cannot carry most control characters; drop them rather than write a broken sheet.</summary>
    private static string Xml(string s) =>
        s.Any(c => c < 0x20 && c is not '\t' and not '\n' and not '\r') ? new string(s.Where(c => c >= 0x20 || c is '\t' or '\n' or '\r').ToArray()) : s;
}
