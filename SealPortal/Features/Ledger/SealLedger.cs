using System.Text.Json;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>One approver's decision on the request an entry records.</summary>
public sealed record LedgerApproval(string? UserId, string Name, DateTimeOffset At);

/// <summary>What a caller knows about one use of a seal; the ledger adds the chain fields.</summary>
public sealed record LedgerEntryDraft
{
    public int? SealRequestId { get; init; }
    public string? RequestNumber { get; init; }
    public required int SealId { get; init; }
    public required string SealName { get; init; }
    public required SealKind Kind { get; init; }
    public string? ApplicantUserId { get; init; }
    public required string ApplicantName { get; init; }
    public required int DepartmentId { get; init; }
    public required string DepartmentName { get; init; }
    public DateTimeOffset? AppliedAt { get; init; }
    public IReadOnlyList<LedgerApproval> Approvers { get; init; } = [];
    public DateTimeOffset? ApprovedAt { get; init; }
    public string? ExecutorUserId { get; init; }
    public required string ExecutorName { get; init; }
    public required DateTimeOffset ExecutedAt { get; init; }
    public int? DocumentId { get; init; }
    public required string DocumentName { get; init; }
    public required string DocumentSha256 { get; init; }
    public int Copies { get; init; } = 1;
}

/// <summary>
/// The seal ledger (用印台账). <see cref="Append"/> only adds the entry to the caller's
/// <see cref="SealPortalDbContext"/>: the caller's SaveChanges writes it in the same transaction as
/// the event it records, and <see cref="ChainInterceptor"/> links it into the chain at that moment.
/// </summary>
public sealed class SealLedger(SealPortalDbContext db, TimeProvider clock)
{
    public LedgerEntry Append(LedgerEntryDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.DocumentSha256.Length != 64 || !draft.DocumentSha256.All(Uri.IsHexDigit))
            throw new ArgumentException("DocumentSha256 must be 64 hex digits.", nameof(draft));
        if (draft.Copies < 1)
            throw new ArgumentException("Copies must be at least 1.", nameof(draft));
        var entry = new LedgerEntry
        {
            AppendOrder = ChainInterceptor.NextAppendOrder(),
            RecordedAt = ChainCanonicalForm.Normalize(clock.GetUtcNow()),
            SealRequestId = draft.SealRequestId,
            RequestNumber = draft.RequestNumber,
            SealId = draft.SealId,
            SealName = draft.SealName,
            Kind = draft.Kind,
            ApplicantUserId = draft.ApplicantUserId,
            ApplicantName = draft.ApplicantName,
            DepartmentId = draft.DepartmentId,
            DepartmentName = draft.DepartmentName,
            AppliedAt = draft.AppliedAt is { } a ? ChainCanonicalForm.Normalize(a) : null,
            ApproversJson = LedgerApprovals.ToJson(draft.Approvers),
            ApprovedAt = draft.ApprovedAt is { } p ? ChainCanonicalForm.Normalize(p) : null,
            ExecutorUserId = draft.ExecutorUserId,
            ExecutorName = draft.ExecutorName,
            ExecutedAt = ChainCanonicalForm.Normalize(draft.ExecutedAt),
            DocumentId = draft.DocumentId,
            DocumentName = draft.DocumentName,
            DocumentSha256 = draft.DocumentSha256.ToLowerInvariant(),
            Copies = draft.Copies,
        };
        db.LedgerEntries.Add(entry);
        return entry;
    }
}

/// <summary>
/// The approvers of an entry as stored: a JSON array of {"userId","name","at"} in decision order,
/// "at" in the canonical time text. The stored string is what is hashed, so it only has to be
/// written deterministically once; reading it back is for display.
/// </summary>
public static class LedgerApprovals
{
    private sealed record Item(string? userId, string name, string at);

    public static string ToJson(IReadOnlyList<LedgerApproval> approvers) =>
        JsonSerializer.Serialize(approvers.Select(a => new Item(a.UserId, a.Name, ChainCanonicalForm.Time(ChainCanonicalForm.Normalize(a.At)))).ToList());

    public static IReadOnlyList<LedgerApproval> FromJson(string json)
    {
        try
        {
            var items = JsonSerializer.Deserialize<List<Item>>(json) ?? [];
            return items.Select(i => new LedgerApproval(i.userId, i.name,
                DateTimeOffset.Parse(i.at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal))).ToList();
        }
        catch (JsonException)
        {
            // A tampered row shows what it can; the integrity check is what reports it.
            return [];
        }
    }
}
