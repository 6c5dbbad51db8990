using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace SealPortal.Features.Spreadsheets;

/// <summary>
/// Writes a workbook into a stream that need not seek (the response body), sheet after sheet, row after row.
/// OpenXml's SpreadsheetDocument insists on a readable package, and System.IO.Packaging keeps every part of a
/// read-write package in memory until it is saved, so the package is laid out here instead: a zip in create
/// mode (each entry is compressed straight into the file) with the parts a workbook needs, each sheet written
/// element by element by OpenXmlWriter with inline strings, so no shared-string table grows in memory either.
/// The sheets' names are given up front (the workbook part lists them); each is then opened with
/// <see cref="Sheet"/>, in that order, and closed by disposing it before the next is opened.
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly int _sheets;
    private int _opened;

    public XlsxWriter(Stream file, IReadOnlyList<string> sheetNames)
    {
        if (sheetNames.Count == 0)
            throw new ArgumentException("A workbook needs a sheet.", nameof(sheetNames));
        _sheets = sheetNames.Count;
        _zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
        var overrides = string.Concat(Enumerable.Range(1, _sheets).Select(i =>
            $"""<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"""));
        Part("[Content_Types].xml",
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>""");
        Part("_rels/.rels",
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        var relationships = string.Concat(Enumerable.Range(1, _sheets).Select(i =>
            $"""<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"""));
        Part("xl/_rels/workbook.xml.rels",
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationships}</Relationships>""");
        using var stream = _zip.CreateEntry("xl/workbook.xml", CompressionLevel.Fastest).Open();
        using var writer = OpenXmlWriter.Create(stream);
        writer.WriteStartDocument(true);
        writer.WriteStartElement(new Workbook(), [], [new KeyValuePair<string, string>("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")]);
        writer.WriteStartElement(new Sheets());
        for (var i = 0; i < _sheets; i++)
            writer.WriteElement(new Sheet { Name = SheetName(sheetNames[i]), SheetId = (uint)(i + 1), Id = $"rId{i + 1}" });
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    /// <summary>The next sheet, in the order of the names given; dispose it before opening the next.</summary>
    public XlsxSheet Sheet()
    {
        if (_opened == _sheets)
            throw new InvalidOperationException("Every sheet of the workbook was written already.");
        _opened++;
        return new XlsxSheet(_zip.CreateEntry($"xl/worksheets/sheet{_opened}.xml", CompressionLevel.Fastest).Open());
    }

    public void Dispose() => _zip.Dispose();

    private void Part(string name, string xml)
    {
        using var stream = _zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(Encoding.UTF8.GetBytes(xml));
    }

    /// <summary>Excel refuses sheet names over 31 characters or with []:*?/\.</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Where(c => "[]:*?/\\".IndexOf(c) < 0).ToArray());
        return clean.Length > 31 ? clean[..31] : clean;
    }
}

/// <summary>One sheet being written: rows of numbers (int, long, double, decimal) and text (anything else, as a string).</summary>
public sealed class XlsxSheet : IDisposable
{
    private readonly Stream _stream;
    private readonly OpenXmlWriter _writer;

    internal XlsxSheet(Stream stream)
    {
        _stream = stream;
        _writer = OpenXmlWriter.Create(stream);
        _writer.WriteStartDocument(true);
        _writer.WriteStartElement(new Worksheet());
        _writer.WriteStartElement(new SheetData());
    }

    public void Row(IEnumerable<object?> values)
    {
        _writer.WriteStartElement(new Row());
        foreach (var v in values)
        {
            if (v is long or int or double or decimal)
            {
                _writer.WriteElement(new Cell { DataType = CellValues.Number, CellValue = new CellValue(Convert.ToString(v, CultureInfo.InvariantCulture)!) });
            }
            else
            {
                _writer.WriteStartElement(new Cell { DataType = CellValues.InlineString });
                _writer.WriteElement(new InlineString(new Text(Xml(v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")) { Space = SpaceProcessingModeValues.Preserve }));
                _writer.WriteEndElement();
            }
        }
        _writer.WriteEndElement();
    }

    public void Dispose()
    {
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.Dispose();
        _stream.Dispose();
    }

    /// <summary>XML 1.0 cannot carry most control characters; drop them rather than write a broken sheet.</summary>
    private static string Xml(string s) =>
        s.Any(c => c < 0x20 && c is not '\t' and not '\n' and not '\r') ? new string(s.Where(c => c >= 0x20 || c is '\t' or '\n' or '\r').ToArray()) : s;
}
