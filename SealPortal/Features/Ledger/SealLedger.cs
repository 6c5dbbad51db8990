using System.Text;
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
        entry.Participants = Participants(entry.ExecutedAt, draft);
        db.LedgerEntries.Add(entry);
        return entry;
    }

    /// <summary>One row per person, their ways of taking part OR-ed together; the chain interceptor fills in the sequence.</summary>
    internal static List<LedgerParticipant> Participants(DateTime executedAt, LedgerEntryDraft draft)
    {
        var roles = new Dictionary<string, LedgerParticipation>(StringComparer.Ordinal);
        void Add(string? userId, LedgerParticipation how)
        {
            if (!string.IsNullOrEmpty(userId))
                roles[userId] = roles.GetValueOrDefault(userId) | how;
        }
        Add(draft.ApplicantUserId, LedgerParticipation.Applicant);
        foreach (var a in draft.Approvers)
            Add(a.UserId, LedgerParticipation.Approver);
        Add(draft.ExecutorUserId, LedgerParticipation.Executor);
        return roles.Select(r => new LedgerParticipant { UserId = r.Key, Participation = r.Value, ExecutedAt = executedAt, SealId = draft.SealId }).ToList();
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

    /// <summary>
    /// Appends "name time" per approver, "; " between them, as the exports show them, the time
    /// written by <paramref name="time"/> (the exports': company time, ISO 8601 with offset); read
    /// straight from the JSON, since an export does this for every row.
    /// </summary>
    public static StringBuilder Describe(string json, StringBuilder into, Func<DateTime, string> time)
    {
        var start = into.Length;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            string? name = null, at = null;
            var depth = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        depth++;
                        name = at = null;
                        break;
                    case JsonTokenType.EndObject:
                        depth--;
                        if (depth == 0)
                        {
                            if (into.Length > start)
                                into.Append("; ");
                            into.Append(name).Append(' ');
                            // The stored time is canonical UTC ("2026-03-04T01:30:15.000000Z"): shown to the second.
                            if (at is { Length: >= 19 } && DateTime.TryParseExact(at.AsSpan(0, 19), "yyyy-MM-dd'T'HH:mm:ss",
                                    System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var utc))
                                into.Append(time(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
                        }
                        break;
                    case JsonTokenType.PropertyName when depth == 1:
                        var property = reader.GetString();
                        reader.Read();
                        if (property == "name")
                            name = reader.GetString();
                        else if (property == "at")
                            at = reader.GetString();
                        else
                            reader.Skip();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A tampered row shows what it can; the integrity check is what reports it.
            into.Length = start;
        }
        return into;
    }

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
