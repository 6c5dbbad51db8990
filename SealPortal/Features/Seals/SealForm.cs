using SealPortal.Data;

namespace SealPortal.Features.Seals;

/// <summary>What the seal form edits (<c>SealFields</c>); the registry validates it as a <see cref="SealInput"/>.</summary>
public sealed class SealFormModel
{
    public string Name { get; set; } = "";

    public string? OrganizationName { get; set; }

    public SealType Type { get; set; } = SealType.Official;

    public SealKind Kind { get; set; } = SealKind.Physical;

    public int DepartmentId { get; set; }

    public string? CustodianUserId { get; set; }

    public SealInput ToInput() => new(Name, Type, Kind, DepartmentId, CustodianUserId, OrganizationName);

    public static SealFormModel From(SealDetail s) => new()
    {
        Name = s.Name, OrganizationName = s.OrganizationName, Type = s.Type, Kind = s.Kind, DepartmentId = s.DepartmentId, CustodianUserId = s.CustodianUserId,
    };
}
