namespace SealPortal.Data;

/// <summary>The portal's roles. The names are stored in the database, so never rename one.</summary>
public static class Roles
{
    public const string Applicant = "Applicant";
    public const string DepartmentHead = "DepartmentHead";
    public const string Reviewer = "Reviewer";
    public const string Executive = "Executive";
    public const string SealKeeper = "SealKeeper";
    public const string Auditor = "Auditor";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All =
        [Applicant, DepartmentHead, Reviewer, Executive, SealKeeper, Auditor, Admin];
}
