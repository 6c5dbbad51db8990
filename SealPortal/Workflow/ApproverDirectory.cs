namespace SealPortal.Workflow;

/// <summary>
/// A user lets a deputy decide on their behalf from <see cref="From"/> (inclusive) until <see cref="Until"/> (exclusive).
/// </summary>
public sealed record Delegation(string DelegatorUserId, string DeputyUserId, DateTimeOffset From, DateTimeOffset Until)
{
    public bool IsActiveAt(DateTimeOffset now) => From <= now && now < Until;
}

/// <summary>
/// What the engine needs to know about people. Implementations must be pure reads (no side effects),
/// so that the engine stays deterministic: the portal answers from its database, tests from memory.
/// </summary>
public interface IApproverDirectory
{
    /// <summary>Users holding <paramref name="role"/>; in <paramref name="departmentId"/> when given, else company-wide;
    /// restricted to <paramref name="specialty"/> (e.g. "legal") when given.</summary>
    IReadOnlyList<string> UsersInRole(string role, string? departmentId, string? specialty);

    /// <summary>The custodians (seal keepers) of one seal.</summary>
    IReadOnlyList<string> CustodiansOf(string sealId);

    /// <summary>Delegations given by <paramref name="delegatorUserId"/>, active or not.</summary>
    IReadOnlyList<Delegation> DelegationsFrom(string delegatorUserId);

    /// <summary>The user's standing deputy for automatic transfer when no delegation is active; null when none.</summary>
    string? StandingDeputyOf(string userId);
}

/// <summary>A user's role, optionally bound to a department and a specialty.</summary>
public sealed record RoleAssignment(string UserId, string Role, string? DepartmentId = null, string? Specialty = null);

/// <summary>
/// An <see cref="IApproverDirectory"/> over plain data: a snapshot the portal can load once per
/// operation, and what tests use. A company-wide query (no department) returns every holder of the role.
/// </summary>
public sealed record ApproverDirectorySnapshot : IApproverDirectory
{
    public IReadOnlyList<RoleAssignment> Roles { get; init; } = [];
    /// <summary>Seal id to custodian user ids.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Custodians { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<Delegation> Delegations { get; init; } = [];
    /// <summary>User id to standing deputy user id.</summary>
    public IReadOnlyDictionary<string, string> StandingDeputies { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> UsersInRole(string role, string? departmentId, string? specialty) =>
        Roles.Where(r => r.Role == role
                         && (departmentId is null || r.DepartmentId == departmentId)
                         && (specialty is null || r.Specialty == specialty))
            .Select(r => r.UserId)
            .Distinct()
            .ToList();

    public IReadOnlyList<string> CustodiansOf(string sealId) =>
        Custodians.TryGetValue(sealId, out var users) ? users : [];

    public IReadOnlyList<Delegation> DelegationsFrom(string delegatorUserId) =>
        Delegations.Where(d => d.DelegatorUserId == delegatorUserId).ToList();

    public string? StandingDeputyOf(string userId) =>
        StandingDeputies.TryGetValue(userId, out var deputy) ? deputy : null;
}
