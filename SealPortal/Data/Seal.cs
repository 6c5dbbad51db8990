namespace SealPortal.Data;

/// <summary>
/// A company seal (印章) in the registry (印章档案): what it is, who keeps it, its image and, for
/// an electronic seal, the signing certificate bound to it. Every change is a <see cref="SealHistoryEntry"/>.
/// </summary>
public class Seal
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public SealType Type { get; set; }

    public SealKind Kind { get; set; }

    public int DepartmentId { get; set; }

    public Department? Department { get; set; }

    public string? CustodianUserId { get; set; }

    public ApplicationUser? Custodian { get; set; }

    public SealStatus Status { get; set; } = SealStatus.Active;

    /// <summary>The organisation named along the upper arc of a generated seal image.</summary>
    public string? OrganizationName { get; set; }

    /// <summary>The seal image, a PNG that decoded cleanly when it was stored.</summary>
    public byte[]? ImagePng { get; set; }

    /// <summary>Lower-case hex SHA-256 of <see cref="ImagePng"/>, so later steps can prove which image they used.</summary>
    public string? ImageSha256 { get; set; }

    /// <summary>The PKCS#12 file, encrypted with Data Protection ("SealPortal.SealCertificates").</summary>
    public byte[]? CertificatePfxProtected { get; set; }

    /// <summary>The PKCS#12 password, encrypted with Data Protection; never stored in plain text.</summary>
    public string? CertificatePasswordProtected { get; set; }

    // A copy of the certificate's public facts, so pages and checks need not decrypt the key.
    public string? CertificateSubject { get; set; }

    public string? CertificateIssuer { get; set; }

    public string? CertificateSerial { get; set; }

    public string? CertificateThumbprint { get; set; }

    public string? CertificateKeyAlgorithm { get; set; }

    public DateTimeOffset? CertificateNotBefore { get; set; }

    public DateTimeOffset? CertificateNotAfter { get; set; }

    public List<SealHistoryEntry> History { get; set; } = [];
}

/// <summary>One change to a seal, kept for ever: who did what, when, and why.</summary>
public class SealHistoryEntry
{
    public long Id { get; set; }

    public int SealId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The user name of whoever made the change ("system" for the demo seed).</summary>
    public string Actor { get; set; } = "";

    public SealChange Change { get; set; }

    public SealStatus? FromStatus { get; set; }

    public SealStatus? ToStatus { get; set; }

    public string? Reason { get; set; }

    /// <summary>What changed, e.g. "Name: 合同章 → 合同专用章"; field names are resource keys.</summary>
    public string? Detail { get; set; }
}

/// <summary>The kinds of change a seal's history records; the UI strings are "SealChange.{name}".</summary>
public enum SealChange
{
    Created,
    Edited,
    StatusChanged,
    ImageChanged,
    CertificateBound,
}

/// <summary>The kinds of seal Chinese companies keep; the UI strings are "SealType.{name}" in the resources.</summary>
public enum SealType
{
    /// <summary>公章</summary>
    Official,
    /// <summary>合同专用章</summary>
    Contract,
    /// <summary>财务专用章</summary>
    Finance,
    /// <summary>法人章</summary>
    LegalRepresentative,
    /// <summary>部门章</summary>
    Department,
    /// <summary>业务章</summary>
    Business,
}

public enum SealKind
{
    Physical,
    Electronic,
}

/// <summary>启用, 停用, 挂失, 销毁.</summary>
public enum SealStatus
{
    Active,
    Suspended,
    Lost,
    Destroyed,
}
