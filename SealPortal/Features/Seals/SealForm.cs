using SealPortal.Data;

namespace SealPortal.Features.Seals;

/// <summary>Reads the fields of <c>SealFields</c> from a posted form.</summary>
public static class SealForm
{
    public static SealInput Read(IFormCollection form) => new(
        form["name"].ToString(),
        Enum.TryParse<SealType>(form["type"], out var type) ? type : (SealType)(-1),
        Enum.TryParse<SealKind>(form["kind"], out var kind) ? kind : (SealKind)(-1),
        int.TryParse(form["departmentId"], out var department) ? department : 0,
        form["custodian"].ToString(),
        form["organization"].ToString());
}
