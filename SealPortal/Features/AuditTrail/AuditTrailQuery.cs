using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.AuditTrail;

/// <summary>Search of the audit trail: actor (part of the name), action, period (UTC days, inclusive), free text.</summary>
public sealed record AuditSearch(string? Actor = null, AuditAction? Action = null, DateOnly? From = null, DateOnly? To = null, string? Text = null)
{
    /// <summary>Null error when every given value is valid; otherwise the resource key of the problem.</summary>
    public static (AuditSearch Search, string? Error) Parse(string? actor, string? action, string? from, string? to, string? text)
    {
        AuditAction? a = null;
        if (!string.IsNullOrWhiteSpace(action))
        {
            if (int.TryParse(action, out _) || !Enum.TryParse<AuditAction>(action, ignoreCase: true, out var v) || !Enum.IsDefined(v))
                return (new(), "The action filter is not valid.");
            a = v;
        }
        var (f, t, periodError) = DayRange.Parse(from, to);
        if (periodError is not null)
            return (new(), periodError);
        if (actor is { Length: > 256 } || text is { Length: > 200 })
            return (new(), "The search text is too long.");
        return (new AuditSearch(Blank(actor), a, f, t, Blank(text)), null);
    }

    public string ToQuery() => string.Join("&", new[]
    {
        Actor is { } ac ? $"actor={Uri.EscapeDataString(ac)}" : null,
        Action is { } a ? $"action={a}" : null,
        From is { } f ? $"from={f:yyyy-MM-dd}" : null,
        To is { } t ? $"to={t:yyyy-MM-dd}" : null,
        Text is { } x ? $"text={Uri.EscapeDataString(x)}" : null,
    }.Where(x => x is not null));

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public sealed record AuditRow(long Sequence, DateTime At, AuditAction Action, string Actor, string? SourceAddress, string? Subject, string? Detail);

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, long? NextBefore);

/// <summary>Reads the audit trail newest first, paged by keyset on the sequence.</summary>
public sealed class AuditTrailQuery(SealPortalDbContext db)
{
    public const int PageSize = 50;

    public async Task<AuditPage> PageAsync(AuditSearch s, long? before, int size = PageSize, CancellationToken ct = default)
    {
        var q = db.AuditEvents.AsNoTracking();
        if (s.Actor is { } actor)
            q = q.Where(e => e.Actor.Contains(actor));
        if (s.Action is { } action)
            q = q.Where(e => e.Action == action);
        if (DayRange.Start(s.From) is { } start)
            q = q.Where(e => e.At >= start);
        if (DayRange.End(s.To) is { } end)
            q = q.Where(e => e.At < end);
        if (s.Text is { } text)
            q = q.Where(e => e.Actor.Contains(text) || (e.Subject != null && e.Subject.Contains(text)) ||
                             (e.Detail != null && e.Detail.Contains(text)) || (e.SourceAddress != null && e.SourceAddress.Contains(text)));
        if (before is { } b)
            q = q.Where(e => e.Sequence < b);
        var rows = await q.OrderByDescending(e => e.Sequence).Take(size + 1)
            .Select(e => new AuditRow(e.Sequence, e.At, e.Action, e.Actor, e.SourceAddress, e.Subject, e.Detail))
            .ToListAsync(ct);
        return new AuditPage(rows.Take(size).ToList(), rows.Count > size ? rows[size - 1].Sequence : null);
    }
}
