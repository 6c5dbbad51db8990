using System.Globalization;
using Microsoft.Extensions.Localization;
using SealPortal.Features.Spreadsheets;
using SealPortal.Resources;

namespace SealPortal.Features.Assessment;

/// <summary>
/// The assessment of a period as XLSX, written straight into the response through the shared <see cref="XlsxWriter"/>:
/// one sheet of scores (a line per department: score, then each fact's count and sub-score) and one of the facts
/// behind them (a line per item: department, fact, item, person, what happened, deadline, when; times in company time,
/// ISO 8601 with the offset).
/// </summary>
public sealed class AssessmentExport(AssessmentService assessment, CompanyTime time, IStringLocalizer<SharedResource> localizer)
{
    public async Task WriteXlsxAsync(AssessmentReport report, Stream file, CancellationToken ct)
    {
        using var workbook = new XlsxWriter(file, [localizer["Scores"].Value, localizer["Facts behind the scores"].Value]);
        using (var scores = workbook.Sheet())
        {
            scores.Row([localizer["Department assessment"].Value, report.Window.Period.Label(localizer)]);
            var header = new List<object?> { localizer["Department"].Value, localizer["Score"].Value };
            foreach (var f in report.Facts)
            {
                header.Add(localizer[f.Name].Value);
                header.Add(string.Format(CultureInfo.CurrentCulture, localizer["{0}: sub-score (weight {1})"], localizer[f.Name], f.Weight));
            }
            scores.Row(header);
            foreach (var d in report.Departments)
            {
                var cells = new List<object?> { d.Department, d.Score is { } s ? s : "" };
                foreach (var f in report.Facts)
                {
                    var m = d.Facts[f.Key];
                    cells.Add(m.OutOf is { } of ? string.Create(CultureInfo.InvariantCulture, $"{m.Count}/{of}") : m.Count);
                    cells.Add(m.SubScore is { } sub ? Math.Round(sub, 1) : "");
                }
                scores.Row(cells);
            }
        }
        using var items = workbook.Sheet();
        // Times as the ledger's export writes them: company time, ISO 8601 with the offset, the zone named in the header.
        items.Row([localizer["Department"].Value, localizer["Fact"].Value, localizer["Item"].Value, localizer["Person"].Value,
            localizer["What"].Value, $"{localizer["Deadline"].Value} ({time.ZoneId})", $"{localizer["When"].Value} ({time.ZoneId})"]);
        await foreach (var (department, fact, item) in assessment.AllItemsAsync(report, ct))
        {
            items.Row([department.Department, localizer[fact.Name].Value, item.Reference, item.Person, item.Detail,
                item.Due is { } due ? time.Iso(due) : "", item.At is { } at ? time.Iso(at) : ""]);
        }
    }
}
