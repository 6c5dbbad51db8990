using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// The two renderings of a <see cref="VerificationReport"/>: JSON with stable camelCase names
/// (the portal's verification page and offline tools read it) and plain text for people.
/// </summary>
public static class VerificationReportFormat
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static string ToJson(VerificationReport report) => JsonSerializer.Serialize(report, JsonOptions);

    public static VerificationReport? FromJson(string json) => JsonSerializer.Deserialize<VerificationReport>(json, JsonOptions);

    public static string ToText(VerificationReport report)
    {
        var sb = new StringBuilder();
        sb.Append("Verdict: ").Append(VerdictWords(report.Verdict)).Append(" - ").AppendLine(report.Summary);
        if (report.Error is not null)
            sb.Append("Error: ").AppendLine(report.Error);
        if (report.StructureDamage is not null)
            sb.Append("Structure: DAMAGED - ").Append(report.StructureDamage).AppendLine("; the signatures below were found by scanning the file's bytes");
        if (report.Error is null)
            sb.Append("Revisions: ").Append(report.RevisionCount).Append(", file length ").Append(report.FileLength).AppendLine(" bytes");
        if (!report.TrustAnchorsGiven && report.Signatures.Count > 0)
            sb.AppendLine("Trust: not checked (no --trust anchors given); the signatures are intact but nothing vouches for the signers.");

        foreach (var s in report.Signatures)
        {
            sb.AppendLine();
            sb.Append("Signature #").Append(s.Index).Append(" field \"").Append(s.FieldName).Append("\" (")
              .Append(s.Kind == SignatureKind.DocumentTimestamp ? "document timestamp" : "signature")
              .Append(s.SubFilter is null ? "" : ", " + s.SubFilter).AppendLine(")");
            sb.Append("  Status:            ").AppendLine(StatusWords(s.Status));
            if (s.Kind == SignatureKind.Signature)
                sb.Append("  Signer:            ").AppendLine(s.SignerSubject ?? "(unknown)");
            if (s.SignerIssuer is not null)
                sb.Append("  Issuer:            ").AppendLine(s.SignerIssuer);
            sb.Append("  Signing time:      ").Append(Time(s.SigningTimeFromCms)).Append(" (CMS), ")
              .Append(Time(s.SigningTimeFromDictionary)).AppendLine(" (/M); both claimed by the signer");
            sb.Append("  Digest:            ").AppendLine(s.DigestValid ? "matches the signed bytes" : "DOES NOT MATCH the signed bytes");
            sb.Append("  Signature value:   ").AppendLine(s.SignatureValid ? "correct" : "INCORRECT");
            sb.Append("  Byte range:        [").Append(string.Join(' ', s.ByteRange.Values)).Append("] ")
              .AppendLine(s.ByteRange.Valid ? "covers the revision except /Contents" : "NOT WELL FORMED");
            sb.Append("  Revision:          ").Append(s.RevisionNumber?.ToString(CultureInfo.InvariantCulture) ?? "?")
              .Append(" of ").Append(report.RevisionCount)
              .AppendLine(s.CoversWholeDocument ? " (covers the whole document)" : " (later revisions follow)");
            if (s.ChangesAfterSigning.Changes.Count == 0)
            {
                sb.AppendLine("  Later changes:     none");
            }
            else
            {
                sb.Append("  Later changes:     ").Append(s.ChangesAfterSigning.AllAllowed ? "all allowed" : "DOCUMENT MODIFIED AFTER SIGNING")
                  .Append(" (class: ").Append(LevelWords(s.ChangesAfterSigning.Level)).AppendLine(")");
                foreach (var c in s.ChangesAfterSigning.Changes)
                    sb.Append("    - revision ").Append(c.Revision).Append(": ").Append(c.Description)
                      .AppendLine(c.Allowed ? " (allowed)" : " (NOT allowed)");
            }
            sb.Append("  Timestamp:         ").AppendLine(!s.Timestamp.Present ? "none"
                : $"{(s.Timestamp.Valid ? "valid" : "INVALID")}, {Time(s.Timestamp.Time)}, by {s.Timestamp.Authority ?? "(unknown TSA)"}");
            sb.Append("  Chain trusted:     ").AppendLine(YesNo(s.ChainTrusted, "not checked"));
            sb.Append("  Cert valid then:   ").AppendLine(YesNo(s.CertificateValidAtSigningTime, "unknown"));
            sb.Append("  Key usage:         ").AppendLine(YesNo(s.KeyUsageOk, "unknown"));
            if (s.Level is not null)
                sb.Append("  PAdES level:       ").AppendLine(s.Level);
            if (s.VerifiableUntil is { } until)
                sb.Append("  Verifiable until:  ").AppendLine(Time(until));
            foreach (var r in s.Revocation)
                sb.Append("  Revocation:        ").AppendLine($"{r.Role} {r.Subject}: {r.State.ToString().ToLowerInvariant()}"
                    + (r.RevokedAt is { } at ? $" on {Time(at)}" : "") + (r.Source is null ? " (no revocation data)" : $" ({r.Source})"));
            foreach (var p in s.Problems)
                sb.Append("  Problem: ").AppendLine(p);
        }
        sb.AppendLine();
        sb.Append("Rule: ").AppendLine(report.VerdictRule);
        return sb.ToString();
    }

    public static string VerdictWords(Verdict v) => v switch
    {
        Verdict.Valid => "VALID",
        Verdict.ValidTrustNotChecked => "VALID (trust not checked)",
        Verdict.Untrusted => "NOT TRUSTED",
        Verdict.Invalid => "INVALID",
        Verdict.NoSignatures => "NO SIGNATURES",
        Verdict.Unreadable => "UNREADABLE",
        _ => v.ToString(),
    };

    private static string StatusWords(SignatureStatus s) => s switch
    {
        SignatureStatus.Valid => "valid",
        SignatureStatus.ValidTrustNotChecked => "valid, trust not checked",
        SignatureStatus.Untrusted => "intact but NOT TRUSTED",
        SignatureStatus.ModifiedAfterSigning => "intact but DOCUMENT MODIFIED AFTER SIGNING",
        SignatureStatus.Invalid => "INVALID",
        _ => s.ToString(),
    };

    private static string LevelWords(ModificationLevel l) => l switch
    {
        ModificationLevel.None => "none",
        ModificationLevel.ValidationData => "validation data",
        ModificationLevel.FormFilling => "form filling",
        ModificationLevel.Annotations => "annotations",
        _ => "other",
    };

    private static string Time(DateTimeOffset? t) =>
        t?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "(none)";

    private static string YesNo(bool? b, string nullText) => b switch { true => "yes", false => "NO", null => nullText };
}
