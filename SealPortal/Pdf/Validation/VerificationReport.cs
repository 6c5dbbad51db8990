using System.Security.Cryptography.X509Certificates;

namespace SealPortal.Pdf.Validation;

/// <summary>What the caller trusts and what "now" is; the verifier reads no clock and no machine store.</summary>
public sealed record VerifyOptions
{
    /// <summary>Root (or intermediate) certificates a signer's chain must end in. Empty: trust is not checked.</summary>
    public IReadOnlyList<X509Certificate2> TrustAnchors { get; init; } = [];

    /// <summary>The moment of verification, used when a signature carries no usable time.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>
    /// Asked for the revocation status of a certificate the document's /DSS says nothing about.
    /// Null (the default): no network, embedded data only.
    /// </summary>
    public Signing.IRevocationSource? OnlineRevocation { get; init; }
}

/// <summary>
/// Overall outcome. The rule (also written into <see cref="VerificationReport.VerdictRule"/>):
/// <list type="bullet">
/// <item><see cref="Valid"/>: at least one signature; every one intact (ByteRange, digest, signature),
/// certificate valid at signing time with fitting key usage, no disallowed change after it,
/// and, because trust anchors were given, every chain ends in one of them.</item>
/// <item><see cref="ValidTrustNotChecked"/>: as Valid, but no trust anchors were given, so nothing says
/// who the signer is. Exit code 0, and the text says so.</item>
/// <item><see cref="Untrusted"/>: intact, but at least one chain does not end in a given anchor. Exit 1.</item>
/// <item><see cref="Invalid"/>: at least one signature is broken or followed by disallowed changes. Exit 1.</item>
/// <item><see cref="NoSignatures"/>: nothing to vouch for the document. Exit 1.</item>
/// <item><see cref="Unreadable"/>: the file is not a readable PDF (malformed, truncated, encrypted). Exit 2.</item>
/// </list>
/// </summary>
public enum Verdict
{
    Valid,
    ValidTrustNotChecked,
    Untrusted,
    Invalid,
    NoSignatures,
    Unreadable,
}

/// <summary>Outcome of one signature, worst reason first.</summary>
public enum SignatureStatus
{
    Valid,
    ValidTrustNotChecked,
    Untrusted,
    /// <summary>The signature itself is intact, but a later revision made a change that is not allowed.</summary>
    ModifiedAfterSigning,
    Invalid,
}

public enum SignatureKind
{
    /// <summary>An approval signature (adbe.pkcs7.detached, ETSI.CAdES.detached, ...).</summary>
    Signature,
    /// <summary>An ETSI.RFC3161 document timestamp: proves existence at a time, names no signer.</summary>
    DocumentTimestamp,
}

public sealed record VerificationReport
{
    public required Verdict Verdict { get; init; }

    /// <summary>One line a person can read, e.g. "2 signatures, all valid and trusted".</summary>
    public required string Summary { get; init; }

    /// <summary>How the verdict was reached, in plain words, so a reader of a saved report knows the rule.</summary>
    public string VerdictRule { get; init; } = VerdictRules.Text;

    /// <summary>Set when the file could not be read; then there are no signatures.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// Set when the file's structure (cross-reference, trailer, form) is damaged but signatures
    /// were still found by scanning its bytes; they are then reported, never valid.
    /// </summary>
    public string? StructureDamage { get; init; }

    public bool TrustAnchorsGiven { get; init; }
    public long FileLength { get; init; }
    public int RevisionCount { get; init; }
    public DateTimeOffset VerifiedAt { get; init; }
    public IReadOnlyList<SignatureReport> Signatures { get; init; } = [];
}

public sealed record SignatureReport
{
    /// <summary>1-based, in order of the revisions they cover.</summary>
    public required int Index { get; init; }
    public required string FieldName { get; init; }
    public required SignatureKind Kind { get; init; }
    public string? SubFilter { get; init; }
    public required SignatureStatus Status { get; init; }

    public string? SignerSubject { get; init; }
    public string? SignerIssuer { get; init; }
    public string? SignerCertificateSerial { get; init; }
    public DateTimeOffset? CertificateNotBefore { get; init; }
    public DateTimeOffset? CertificateNotAfter { get; init; }

    /// <summary>/M of the signature dictionary: what the signing software claims, not proven.</summary>
    public DateTimeOffset? SigningTimeFromDictionary { get; init; }
    /// <summary>signingTime attribute of the CMS: claimed by the signer, not proven.</summary>
    public DateTimeOffset? SigningTimeFromCms { get; init; }

    public required bool DigestValid { get; init; }
    public required bool SignatureValid { get; init; }
    public required ByteRangeReport ByteRange { get; init; }

    /// <summary>1-based index of the revision whose end the ByteRange reaches; null when it ends at no revision end.</summary>
    public int? RevisionNumber { get; init; }
    /// <summary>True when the signed revision is the last one: nothing was appended after this signature.</summary>
    public bool CoversWholeDocument { get; init; }

    public required ChangesReport ChangesAfterSigning { get; init; }
    public TimestampReport Timestamp { get; init; } = TimestampReport.None;

    /// <summary>Null when no trust anchors were given.</summary>
    public bool? ChainTrusted { get; init; }
    public bool? CertificateValidAtSigningTime { get; init; }
    public bool? KeyUsageOk { get; init; }

    /// <summary>True when the form did not lead to this signature and only a scan of the file's bytes found it.</summary>
    public bool FoundByScanning { get; init; }

    /// <summary>Every reason this signature is not fully valid, in plain words.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>PAdES baseline level reached: "B-B", "B-T", "B-LT", "B-LTA"; null for document time-stamps and unreadable signatures.</summary>
    public string? Level { get; init; }

    /// <summary>
    /// Until when the signature stays verifiable: the earliest expiry among the certificates of the
    /// last time-stamp's chain (the signer's chain without a time-stamp). Before then a B-LTA
    /// document needs a new document time-stamp.
    /// </summary>
    public DateTimeOffset? VerifiableUntil { get; init; }

    /// <summary>Revocation status of each certificate below a root in the signer's and time-stamp authority's chains.</summary>
    public IReadOnlyList<CertificateRevocationReport> Revocation { get; init; } = [];
}

public sealed record ByteRangeReport
{
    public IReadOnlyList<long> Values { get; init; } = [];
    public bool StartsAtZero { get; init; }
    public bool HasTwoRanges { get; init; }
    public bool WithinFile { get; init; }
    /// <summary>The gap between the two ranges is exactly the /Contents hex string, with its angle brackets.</summary>
    public bool GapIsContents { get; init; }
    /// <summary>The second range ends exactly at the end of the revision that holds the signature dictionary.</summary>
    public bool CoversRevision { get; init; }

    public bool Valid => StartsAtZero && HasTwoRanges && WithinFile && GapIsContents && CoversRevision;
}

public sealed record ChangesReport
{
    public static readonly ChangesReport None = new();

    /// <summary>Number of revisions appended after the signed one.</summary>
    public int LaterRevisions { get; init; }
    /// <summary>False when any listed change is not allowed after signing.</summary>
    public bool AllAllowed => Changes.All(c => c.Allowed);
    public IReadOnlyList<DocumentChange> Changes { get; init; } = [];
    /// <summary>The widest class of change made after signing (pyHanko / EU DSS): none, validation data, form filling, annotations, other.</summary>
    public ModificationLevel Level => Changes.Count == 0 ? ModificationLevel.None : Changes.Max(c => c.Level);
}

/// <summary>Classes of change after a signature, narrowest first, as pyHanko and EU DSS name them.</summary>
public enum ModificationLevel
{
    /// <summary>Nothing, or only supporting objects nothing visible refers to.</summary>
    None,
    /// <summary>Validation data (DSS) and document time-stamps, as PAdES B-LT / B-LTA add them.</summary>
    ValidationData,
    /// <summary>Form fields filled in, empty signature fields signed, new signature fields, metadata.</summary>
    FormFilling,
    /// <summary>Annotations (comments, stamps) added or edited, not hiding or redrawing signed ones.</summary>
    Annotations,
    /// <summary>Anything else, including every change that is not allowed.</summary>
    Other,
}

/// <summary>One kind of change found by comparing a later revision with the signed one.</summary>
public sealed record DocumentChange
{
    public required ChangeKind Kind { get; init; }
    public required bool Allowed { get; init; }
    /// <summary>1-based revision that made the change.</summary>
    public required int Revision { get; init; }
    public required string Description { get; init; }
    /// <summary>The class of this change before any certification narrowed it.</summary>
    public ModificationLevel Level { get; init; } = ModificationLevel.Other;
    public IReadOnlyList<int> ObjectNumbers { get; init; } = [];
}

public enum ChangeKind
{
    SignatureAdded,
    AnnotationAdded,
    AnnotationModified,
    FormFieldFilled,
    FormStructureUpdated,
    ValidationDataAdded,
    MetadataChanged,
    UnreferencedObjectAdded,
    PageContentChanged,
    PagesAddedOrRemoved,
    SignedSignatureChanged,
    AnnotationRemoved,
    ObjectDeleted,
    CatalogChanged,
    OtherObjectChanged,
    /// <summary>Bytes after the last %%EOF that form no readable revision: a viewer's repair mode may still show them.</summary>
    UnreadableDataAppended,
    /// <summary>The signature's DocMDP permission level forbids a change that would otherwise be fine.</summary>
    ForbiddenByCertification,
    /// <summary>
    /// What was visible when signed was changed: an annotation present then was hidden, moved or
    /// redrawn, or a form field's value shown then was replaced (the shadow attacks "hide" and "replace").
    /// </summary>
    VisibleSignedContentChanged,
    /// <summary>A field this signature locked (FieldMDP, /Lock) was filled in or signed afterwards.</summary>
    ForbiddenByFieldLock,
}

/// <summary>What a FieldMDP transform (or a signature field's /Lock) locks once the signature is made (ISO 32000-1 12.8.2.4).</summary>
public enum FieldLockAction { All, Include, Exclude }

/// <summary>The fields a signature locks: all of them, only <see cref="Fields"/>, or all but those.</summary>
public sealed record FieldLock(FieldLockAction Action, IReadOnlyList<string> Fields)
{
    /// <summary>Whether the field with this fully qualified name is locked (a listed parent locks its kids).</summary>
    public bool Locks(string fullName)
    {
        var listed = Fields.Any(f => fullName == f || fullName.StartsWith(f + ".", StringComparison.Ordinal));
        return Action switch
        {
            FieldLockAction.All => true,
            FieldLockAction.Include => listed,
            _ => !listed,
        };
    }
}

public sealed record TimestampReport
{
    public static readonly TimestampReport None = new();

    public bool Present { get; init; }
    public bool Valid { get; init; }
    public DateTimeOffset? Time { get; init; }
    public string? Authority { get; init; }
    /// <summary>The authority's chain ends in a given trust anchor; null when no anchors were given.</summary>
    public bool? Trusted { get; init; }
}

public static class VerdictRules
{
    public const string Text =
        "A document is valid when it holds at least one signature and every signature is intact " +
        "(the byte range starts at 0, has exactly two ranges, skips only the /Contents string and ends " +
        "at the end of the revision holding the signature; the digest and the CMS signature are correct), " +
        "its certificate was valid at the signing time (timestamp time if present, else the claimed time) " +
        "with a key usage that allows signing, and no later revision made a change other than adding " +
        "signatures, annotations, validation data or filling form fields that were empty when signed. " +
        "Changing what was visible when signed (hiding, moving or redrawing an annotation that was there, " +
        "replacing a form value that was shown) is not allowed, nor is anything the document's certification " +
        "level (DocMDP) or the signature's field lock (FieldMDP) forbids. " +
        "When trust anchors are given, every chain must also end in one of them; an intact signature " +
        "with an untrusted chain makes the verdict 'untrusted' (exit code 1). When no trust anchors are " +
        "given the verdict is at best 'validTrustNotChecked' (exit code 0): the signatures are intact but " +
        "nothing says who made them. A file without signatures is 'noSignatures' (exit code 1). A file " +
        "whose structure is damaged but whose signatures can still be found in its bytes is 'invalid' " +
        "(exit code 1); a file that cannot be read (malformed, truncated, encrypted) and holds no " +
        "recoverable signature is 'unreadable' (exit code 2).";
}
