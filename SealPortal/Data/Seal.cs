namespace SealPortal.Data;

/// <summary>
/// A company seal (印章). This is the minimal shape the portal needs to list seals; the full
/// registry (images, certificates, status history) extends it.
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
