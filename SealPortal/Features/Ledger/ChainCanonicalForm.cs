using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SealPortal.Data;

namespace SealPortal.Features.Ledger;

/// <summary>
/// The bytes a chain hash is computed over. Version 1, for both chains:
/// <code>
/// line 1:      "sealportal-ledger-entry/1" or "sealportal-audit-event/1"
/// then per field, in the fixed order below, one line:
///              name "=" ( "~"                       for null
///                       | byteLength ":" value )    UTF-8 byte length of value, then value as is
/// last field:  previousHash
/// </code>
/// Every line ends with "\n". Length-prefixing makes the form unambiguous whatever a value contains
/// (new lines, "=" or ":"). Numbers are invariant-culture integers. Times are UTC written as
/// "yyyy-MM-ddTHH:mm:ss.ffffffZ": six fraction digits because PostgreSQL keeps microseconds, so
/// the value read back from either database serializes to the same bytes. Enums are their names
/// (as stored). The ledger holds no decimals; a future field that does must be written with
/// "0.############################" in the invariant culture so 1.50 and 1.5 hash alike, and
/// needs a new version. Hash = lower-case hex SHA-256 of the UTF-8 bytes.
/// A change to the form is a new version: old entries keep the version they were hashed with.
/// </summary>
public static class ChainCanonicalForm
{
    public const int CurrentVersion = 1;

    /// <summary>The PreviousHash of the first entry of a chain.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Hash(LedgerEntry e) => Sha256Hex(Serialize(e));

    public static string Hash(AuditEvent e) => Sha256Hex(Serialize(e));

    public static string Serialize(LedgerEntry e)
    {
        if (e.FormatVersion != 1)
            throw new NotSupportedException($"ledger entry {e.Sequence} has unknown format version {e.FormatVersion}");
        var w = new Writer("sealportal-ledger-entry/1");
        w.Field("sequence", e.Sequence);
        w.Field("recordedAt", e.RecordedAt);
        w.Field("sealRequestId", e.SealRequestId);
        w.Field("requestNumber", e.RequestNumber);
        w.Field("sealId", e.SealId);
        w.Field("sealName", e.SealName);
        w.Field("kind", e.Kind.ToString());
        w.Field("applicantUserId", e.ApplicantUserId);
        w.Field("applicantName", e.ApplicantName);
        w.Field("departmentId", e.DepartmentId);
        w.Field("departmentName", e.DepartmentName);
        w.Field("appliedAt", e.AppliedAt);
        w.Field("approvers", e.ApproversJson);
        w.Field("approvedAt", e.ApprovedAt);
        w.Field("executorUserId", e.ExecutorUserId);
        w.Field("executorName", e.ExecutorName);
        w.Field("executedAt", e.ExecutedAt);
        w.Field("documentId", e.DocumentId);
        w.Field("documentName", e.DocumentName);
        w.Field("documentSha256", e.DocumentSha256);
        w.Field("copies", e.Copies);
        w.Field("previousHash", e.PreviousHash);
        return w.ToString();
    }

    public static string Serialize(AuditEvent e)
    {
        if (e.FormatVersion != 1)
            throw new NotSupportedException($"audit event {e.Sequence} has unknown format version {e.FormatVersion}");
        var w = new Writer("sealportal-audit-event/1");
        w.Field("sequence", e.Sequence);
        w.Field("at", e.At);
        w.Field("action", e.Action.ToString());
        w.Field("actorUserId", e.ActorUserId);
        w.Field("actor", e.Actor);
        w.Field("sourceAddress", e.SourceAddress);
        w.Field("subject", e.Subject);
        w.Field("detail", e.Detail);
        w.Field("previousHash", e.PreviousHash);
        return w.ToString();
    }

    /// <summary>The form's time text; also used inside the approvers JSON.</summary>
    public static string Time(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>UTC, cut to whole microseconds: what PostgreSQL will store and give back.</summary>
    public static DateTime Normalize(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTime(ticks - ticks % 10, DateTimeKind.Utc);
    }

    public static string Sha256Hex(string canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    private sealed class Writer
    {
        private readonly StringBuilder _sb = new(512);

        public Writer(string header) => _sb.Append(header).Append('\n');

        public void Field(string name, string? value)
        {
            _sb.Append(name).Append('=');
            if (value is null)
                _sb.Append('~');
            else
                _sb.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
            _sb.Append('\n');
        }

        public void Field(string name, long? value) => Field(name, value?.ToString(CultureInfo.InvariantCulture));

        public void Field(string name, DateTime? value) => Field(name, value is { } v ? Time(v) : null);

        public override string ToString() => _sb.ToString();
    }
}
