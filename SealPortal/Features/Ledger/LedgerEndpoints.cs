using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
using SealPortal.Resources;

namespace SealPortal.Features.Ledger;

/// <summary>
/// Reads the ledger filters from a query string, for the page and the exports alike:
/// seal, department (ids), person (user id), from, to (yyyy-MM-dd), kind (Physical/Electronic).
/// </summary>
public static class LedgerFilterParser
{
    /// <summary>Null error when every given value is valid; otherwise the resource key of the problem.</summary>
    public static (LedgerFilter Filter, string? Error) Parse(string? seal, string? department, string? person, string? from, string? to, string? kind)
    {
        int? sealId = null, departmentId = null;
        SealKind? k = null;
        if (!string.IsNullOrWhiteSpace(seal))
        {
            if (!int.TryParse(seal, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                return (new(), "The seal filter is not valid.");
            sealId = v;
        }
        if (!string.IsNullOrWhiteSpace(department))
        {
            if (!int.TryParse(department, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                return (new(), "The department filter is not valid.");
            departmentId = v;
        }
        var (fromDate, toDate, periodError) = DayRange.Parse(from, to);
        if (periodError is not null)
            return (new(), periodError);
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!Enum.TryParse<SealKind>(kind, ignoreCase: true, out var v) || !Enum.IsDefined(v) || int.TryParse(kind, out _))
                return (new(), "The kind filter is not valid.");
            k = v;
        }
        if (person is { Length: > 450 })
            return (new(), "The person filter is not valid.");
        return (new LedgerFilter(sealId, departmentId, string.IsNullOrWhiteSpace(person) ? null : person.Trim(), fromDate, toDate, k), null);
    }

    public static (LedgerFilter Filter, string? Error) Parse(IQueryCollection q) =>
        Parse(q["seal"], q["department"], q["person"], q["from"], q["to"], q["kind"]);

    public static string ToQuery(LedgerFilter f) => string.Join("&", new[]
    {
        f.SealId is { } s ? $"seal={s}" : null,
        f.DepartmentId is { } d ? $"department={d}" : null,
        f.Person is { } p ? $"person={Uri.EscapeDataString(p)}" : null,
        f.From is { } a ? $"from={a:yyyy-MM-dd}" : null,
        f.To is { } b ? $"to={b:yyyy-MM-dd}" : null,
        f.Kind is { } k ? $"kind={k}" : null,
    }.Where(x => x is not null));
}

public static class LedgerEndpoints
{
    /// <summary>GET /ledger/export.csv and /ledger/export.xlsx with the page's filters; every export is in the audit trail.</summary>
    public static WebApplication MapLedgerEndpoints(this WebApplication app)
    {
        var readers = LedgerServiceExtensions.ReaderRoles.Split(',');

        app.MapGet("/ledger/export.csv", async (HttpContext http, LedgerExport export, LedgerQuery query,
            AuditTrail.AuditTrail audit, IStringLocalizer<SharedResource> L, CompanyTime time, CancellationToken ct) =>
        {
            var (filter, refused) = await StartAsync(http, "CSV", query, audit, L, ct);
            if (refused is not null)
                return refused;
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"ledger-{time.Now:yyyyMMdd-HHmmss}.csv\"";
            await export.WriteCsvAsync(http.User, filter, http.Response.Body, ct);
            return Results.Empty;
        }).RequireAuthorization(p => p.RequireRole(readers));

        app.MapGet("/ledger/export.xlsx", async (HttpContext http, LedgerExport export, LedgerQuery query,
            AuditTrail.AuditTrail audit, IStringLocalizer<SharedResource> L, CompanyTime time, CancellationToken ct) =>
        {
            var (filter, refused) = await StartAsync(http, "XLSX", query, audit, L, ct);
            if (refused is not null)
                return refused;
            http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"ledger-{time.Now:yyyyMMdd-HHmmss}.xlsx\"";
            // The zip (in create mode it needs no seeking) is written straight into the response, so the
            // first bytes leave while the rows are still read. Zip and OpenXmlWriter write synchronously;
            // the buffer turns their small writes into 64 KB ones. A failure half way aborts the
            // connection: the client sees a broken download, never a short file that looks whole.
            http.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = true;
            try
            {
                await using var body = new BufferedStream(new NonDisposingStream(http.Response.Body), 64 * 1024);
                await export.WriteXlsxAsync(http.User, filter, body, ct);
            }
            catch (Exception) when (http.Response.HasStarted)
            {
                http.Abort();
            }
            return Results.Empty;
        }).RequireAuthorization(p => p.RequireRole(readers));

        // Anchoring on demand (the chain-anchor job does it hourly): auditors and administrators,
        // a form post with the antiforgery token. Answers JSON: what was time-stamped, per chain.
        app.MapPost("/ledger/anchor", async (HttpContext http, IAntiforgery antiforgery, ChainAnchoring anchoring,
            IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return Results.Text(L["The request could not be understood. Reload the page and try again."], "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }
            try
            {
                var outcomes = await anchoring.AnchorAsync(http.User.Identity?.Name ?? "unknown", ct);
                return Results.Json(outcomes.Select(o => new
                {
                    chain = o.Chain, sequence = o.Sequence, timestampedAt = o.TimestampedAt, skipped = o.Skipped,
                }));
            }
            catch (AnchoringException ex) when (ex.InnerException is null)
            {
                // No time-stamp authority configured: nothing this request can change.
                return Results.Text(ex.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status409Conflict);
            }
            catch (AnchoringException ex)
            {
                return Results.Text(ex.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status502BadGateway);
            }
        }).RequireAuthorization(p => p.RequireRole(LedgerServiceExtensions.AuditTrailRoles.Split(','))).DisableAntiforgery();

        return app;
    }

    /// <summary>
    /// What both exports do first: a bad filter is a 400, a keeper naming a seal they do not keep is
    /// a 403; otherwise the export is recorded in the audit trail and its filter returned.
    /// </summary>
    private static async Task<(LedgerFilter Filter, IResult? Refused)> StartAsync(HttpContext http, string format, LedgerQuery query,
        AuditTrail.AuditTrail audit, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        var (filter, error) = LedgerFilterParser.Parse(http.Request.Query);
        if (error is not null)
            return (filter, Results.Text(L[error], "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest));
        if (filter.SealId is not null && !LedgerQuery.SeesAll(http.User) && LedgerQuery.NamesSealNotKept(http.User, filter, await query.SealsAsync(http.User, ct)))
            return (filter, Results.Text(L["You are not the custodian of this seal."], "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden));
        await audit.RecordAsync(AuditAction.LedgerExported, detail: $"{format} {filter.Describe()}".Trim(), subject: "ledger", ct: ct);
        return (filter, null);
    }
}

/// <summary>Keeps the buffer in front of the response body from closing the body itself.</summary>
internal sealed class NonDisposingStream(Stream inner) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => inner.SetLength(value);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    protected override void Dispose(bool disposing) => inner.Flush();
}
