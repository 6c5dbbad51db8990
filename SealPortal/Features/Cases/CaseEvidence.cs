using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Cases;

/// <summary>
/// Finds the item a piece of evidence names and says what it is. A reference is what people see on the
/// other pages: an audit finding's item number, a ledger entry's number, an integrity check's number, a
/// seal's number, a request's number ("26-00012") or id.
/// </summary>
public static class CaseEvidence
{
    public const string NoReference = "Give the number of the evidence.";

    /// <summary>The preview, or the reason (a resource key with its argument) why there is no such evidence.</summary>
    public static async Task<(EvidencePreview? Preview, string? Error, object[] Args)> ResolveAsync(SealPortalDbContext db, EvidenceKind kind,
        string? reference, CancellationToken ct = default)
    {
        reference = reference?.Trim();
        if (string.IsNullOrEmpty(reference))
            return (null, NoReference, []);
        if (!Enum.IsDefined(kind))
            return (null, "Choose what the evidence is.", []);
        if (kind == EvidenceKind.Request)
            return await RequestAsync(db, reference, ct);
        if (!long.TryParse(reference.TrimStart('#'), out var id) || id <= 0)
            return (null, NotFound(kind), [reference]);
        return kind switch
        {
            EvidenceKind.AuditFinding => await AuditFindingAsync(db, id, ct),
            EvidenceKind.LedgerEntry => await LedgerEntryAsync(db, id, ct),
            EvidenceKind.IntegrityAlert => await IntegrityAlertAsync(db, id, ct),
            _ => await SealAsync(db, id, ct),
        };
    }

    private static string NotFound(EvidenceKind kind) => kind switch
    {
        EvidenceKind.AuditFinding => "There is no audit finding {0}.",
        EvidenceKind.LedgerEntry => "There is no ledger entry {0}.",
        EvidenceKind.IntegrityAlert => "There is no integrity check {0}.",
        EvidenceKind.Seal => "There is no seal {0}.",
        _ => "There is no request {0}.",
    };

    private static async Task<(EvidencePreview?, string?, object[])> AuditFindingAsync(SealPortalDbContext db, long id, CancellationToken ct)
    {
        var item = await db.SealAuditItems.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new
            {
                i.SealAuditId, i.Ordinal, i.Finding, i.Note,
                Entry = db.LedgerEntries.Where(e => e.Id == i.LedgerEntryId)
                    .Select(e => new { e.Sequence, e.RequestNumber, e.SealName, e.DepartmentId, e.ApplicantUserId }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (item is null)
            return (null, NotFound(EvidenceKind.AuditFinding), [id]);
        if (item.Finding != SealAuditFinding.Issue)
            return (null, "Audit finding {0} records no issue.", [id]);
        var summary = $"#{item.SealAuditId}/{item.Ordinal} · {item.Entry?.RequestNumber ?? "—"} · {item.Entry?.SealName}: {item.Note}";
        return (new EvidencePreview(EvidenceKind.AuditFinding, id, Clip(summary), ViolationKind.Other, item.Entry?.DepartmentId,
            await UserOrNullAsync(db, item.Entry?.ApplicantUserId, ct)), null, []);
    }

    private static async Task<(EvidencePreview?, string?, object[])> LedgerEntryAsync(SealPortalDbContext db, long sequence, CancellationToken ct)
    {
        var e = await db.LedgerEntries.AsNoTracking().Where(x => x.Sequence == sequence)
            .Select(x => new { x.RequestNumber, x.SealName, x.DocumentName, x.DepartmentId, x.ApplicantUserId, x.ApplicantName })
            .FirstOrDefaultAsync(ct);
        if (e is null)
            return (null, NotFound(EvidenceKind.LedgerEntry), [sequence]);
        var summary = $"{sequence} · {e.RequestNumber ?? "—"} · {e.SealName} · {e.ApplicantName} · {e.DocumentName}";
        return (new EvidencePreview(EvidenceKind.LedgerEntry, sequence, Clip(summary), ViolationKind.UseWithoutApproval,
            await DepartmentOrNullAsync(db, e.DepartmentId, ct), await UserOrNullAsync(db, e.ApplicantUserId, ct)), null, []);
    }

    private static async Task<(EvidencePreview?, string?, object[])> IntegrityAlertAsync(SealPortalDbContext db, long id, CancellationToken ct)
    {
        var run = await db.IntegrityCheckRuns.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Intact, r.Summary }).FirstOrDefaultAsync(ct);
        if (run is null)
            return (null, NotFound(EvidenceKind.IntegrityAlert), [id]);
        if (run.Intact)
            return (null, "Integrity check {0} found both chains intact; it raised no alert.", [id]);
        return (new EvidencePreview(EvidenceKind.IntegrityAlert, id, Clip($"#{id} · {run.Summary}"), ViolationKind.TamperedRecord, null, null), null, []);
    }

    private static async Task<(EvidencePreview?, string?, object[])> SealAsync(SealPortalDbContext db, long id, CancellationToken ct)
    {
        var seal = id > int.MaxValue ? null : await db.Seals.AsNoTracking().Where(s => s.Id == (int)id)
            .Select(s => new { s.Name, s.Status, s.DepartmentId, s.CustodianUserId }).FirstOrDefaultAsync(ct);
        if (seal is null)
            return (null, NotFound(EvidenceKind.Seal), [id]);
        return (new EvidencePreview(EvidenceKind.Seal, id, Clip($"{seal.Name} ({seal.Status})"),
            seal.Status == SealStatus.Lost ? ViolationKind.LostSeal : ViolationKind.Other, seal.DepartmentId, seal.CustodianUserId), null, []);
    }

    private static async Task<(EvidencePreview?, string?, object[])> RequestAsync(SealPortalDbContext db, string reference, CancellationToken ct)
    {
        var query = db.SealRequests.AsNoTracking();
        query = int.TryParse(reference.TrimStart('#'), out var id) ? query.Where(r => r.Id == id) : query.Where(r => r.Number == reference);
        var request = await query.Select(r => new { r.Id, r.Number, r.Purpose, r.DepartmentId, r.ApplicantUserId }).FirstOrDefaultAsync(ct);
        if (request is null)
            return (null, NotFound(EvidenceKind.Request), [reference]);
        return (new EvidencePreview(EvidenceKind.Request, request.Id, Clip($"{request.Number} · {request.Purpose}"), ViolationKind.Other,
            request.DepartmentId, request.ApplicantUserId), null, []);
    }

    /// <summary>Where the case page links a piece of evidence to, when the item has a page of its own.</summary>
    public static async Task<Dictionary<long, string>> LinksAsync(SealPortalDbContext db, IReadOnlyList<ViolationCaseEvidence> evidence, CancellationToken ct)
    {
        var links = new Dictionary<long, string>();
        var findings = evidence.Where(e => e.Kind == EvidenceKind.AuditFinding).Select(e => e.ReferenceId).ToList();
        var audits = findings.Count == 0 ? new Dictionary<long, int>() : await db.SealAuditItems.AsNoTracking().Where(i => findings.Contains(i.Id))
            .Select(i => new { i.Id, i.SealAuditId }).ToDictionaryAsync(i => i.Id, i => i.SealAuditId, ct);
        var sequences = evidence.Where(e => e.Kind == EvidenceKind.LedgerEntry).Select(e => e.ReferenceId).ToList();
        var requests = sequences.Count == 0 ? new Dictionary<long, int>() : await db.LedgerEntries.AsNoTracking().Where(e => sequences.Contains(e.Sequence) && e.SealRequestId != null)
            .Select(e => new { e.Sequence, e.SealRequestId }).ToDictionaryAsync(e => e.Sequence, e => e.SealRequestId!.Value, ct);
        foreach (var e in evidence)
        {
            string? href = e.Kind switch
            {
                EvidenceKind.AuditFinding when audits.TryGetValue(e.ReferenceId, out var audit) => $"/audits/{audit}",
                EvidenceKind.LedgerEntry when requests.TryGetValue(e.ReferenceId, out var request) => $"/requests/{request}",
                EvidenceKind.Seal => $"/seals/{e.ReferenceId}",
                EvidenceKind.Request => $"/requests/{e.ReferenceId}",
                _ => null,
            };
            if (href is not null)
                links[e.Id] = href;
        }
        return links;
    }

    private static async Task<string?> UserOrNullAsync(SealPortalDbContext db, string? userId, CancellationToken ct) =>
        userId is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Id).FirstOrDefaultAsync(ct);

    private static async Task<int?> DepartmentOrNullAsync(SealPortalDbContext db, int departmentId, CancellationToken ct) =>
        await db.Departments.AsNoTracking().Where(d => d.Id == departmentId).Select(d => (int?)d.Id).FirstOrDefaultAsync(ct);

    private static string Clip(string s) => s.Length <= ViolationCaseLimits.SummaryLength ? s : s[..(ViolationCaseLimits.SummaryLength - 1)] + "…";
}
