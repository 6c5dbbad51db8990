using System.Security.Claims;
using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>Who may apply for, see and place seals on a request: the rules every handler and query shares.</summary>
public static class RequestRules
{
    /// <summary>Roles that may ask to use a seal. Auditors only read.</summary>
    public const string ApplyingRolesText =
        Roles.Applicant + "," + Roles.DepartmentHead + "," + Roles.Reviewer + "," + Roles.Executive + "," + Roles.SealKeeper + "," + Roles.Admin;

    public static readonly IReadOnlyList<string> ApplyingRoles = ApplyingRolesText.Split(',');

    /// <summary>Roles that see every request (read only).</summary>
    public static readonly IReadOnlyList<string> ReadAllRoles = [Roles.Auditor, Roles.Admin];

    public static bool MayApply(ClaimsPrincipal user) => ApplyingRoles.Any(user.IsInRole);

    /// <summary>
    /// Only its applicant, its approvers past and present and their deputies (<paramref name="hasRights"/>), the custodians
    /// of its seals, auditors and administrators may see a request.
    /// </summary>
    public static bool MayView(string applicantUserId, string approverUserIds, bool anyCustodian, WorkflowState? state, bool hasRights,
        ClaimsPrincipal user, string userId)
    {
        if (applicantUserId == userId || ReadAllRoles.Any(user.IsInRole) || hasRights || anyCustodian)
            return true;
        if (state is null)
            return false;
        return approverUserIds.Contains($"|{userId}|", StringComparison.Ordinal)
               || state.Decisions.Any(d => d.ActorUserId == userId || d.OnBehalfOfUserId == userId)
               || state.Current?.Slots.Any(s => s.AssigneeUserId == userId || s.TransferredFromUserId == userId) == true;
    }

    /// <summary>
    /// The applicant places seals while the request is a draft, returned or in approval; the custodian of one of
    /// its seals while it is approved and not yet sealed.
    /// </summary>
    public static bool MayPlace(string applicantUserId, SealRequestStatus status, bool isCustodian, string userId)
    {
        if (applicantUserId == userId)
            return status is SealRequestStatus.Draft or SealRequestStatus.Returned or SealRequestStatus.InApproval;
        return status is SealRequestStatus.Approved or SealRequestStatus.SealingFailed && isCustodian;
    }
}
