using SealPortal.Data;

namespace SealPortal.Components.Layout;

/// <summary>
/// The portal's navigation: PortalNav draws these links in the drawer, grouped by section and filtered
/// by role. A feature adds its page with one line here.
/// </summary>
public static class NavMenu
{
    public static readonly IReadOnlyList<NavItem> Items =
    [
        new("Work", "/", "Dashboard", MudBlazor.Icons.Material.Filled.Dashboard),
        new("Work", "/requests", "My requests", MudBlazor.Icons.Material.Filled.Description, Roles.Applicant, Roles.DepartmentHead, Roles.Reviewer, Roles.Executive, Roles.SealKeeper, Roles.Admin),
        new("Work", "/inbox", "Inbox", MudBlazor.Icons.Material.Filled.Inbox, Roles.DepartmentHead, Roles.Reviewer, Roles.Executive, Roles.SealKeeper, Roles.Admin),
        new("Work", "/seals", "Seals", MudBlazor.Icons.Material.Filled.Verified),
        new("Work", "/rules", "Seal rules", MudBlazor.Icons.Material.Filled.Gavel),
        new("Work", "/training", "Training", MudBlazor.Icons.Material.Filled.School),
        new("Work", "/delegations", "Deputies", MudBlazor.Icons.Material.Filled.SupervisorAccount, Roles.DepartmentHead, Roles.Reviewer, Roles.Executive, Roles.SealKeeper, Roles.Admin),
        new("Audit", "/ledger", "Seal ledger", MudBlazor.Icons.Material.Filled.MenuBook, Roles.Auditor, Roles.Admin, Roles.SealKeeper),
        new("Audit", "/audit-trail", "Audit trail", MudBlazor.Icons.Material.Filled.History, Roles.Auditor, Roles.Admin),
        new("Audit", "/verify", "Verify a document", MudBlazor.Icons.Material.Filled.FactCheck, Roles.Auditor, Roles.Admin, Roles.SealKeeper),
        new("Audit", "/audits", "Periodic audits", MudBlazor.Icons.Material.Filled.AssignmentTurnedIn, Roles.Auditor, Roles.Admin),
        new("Audit", "/training/completion", "Training completion", MudBlazor.Icons.Material.Filled.Grading, Roles.DepartmentHead, Roles.Auditor, Roles.Admin),
        new("Audit", "/cases", "Violation cases", MudBlazor.Icons.Material.Filled.Gavel, Roles.Auditor, Roles.Admin, Roles.Executive, Roles.DepartmentHead),
        new("Audit", "/rules/acknowledgements", "Rules accepted", MudBlazor.Icons.Material.Filled.FactCheck, Roles.DepartmentHead, Roles.Auditor, Roles.Admin),
        new("Audit", "/assessment", "Department assessment", MudBlazor.Icons.Material.Filled.Assessment, Roles.Executive, Roles.Auditor, Roles.Admin, Roles.DepartmentHead),
        new("Audit", "/dashboard/analytics", "Analytics", MudBlazor.Icons.Material.Filled.BarChart, Roles.Admin, Roles.Executive, Roles.Auditor),
        new("Administration", "/admin/users", "Users", MudBlazor.Icons.Material.Filled.People, Roles.Admin),
        new("Administration", "/admin/departments", "Departments", MudBlazor.Icons.Material.Filled.AccountTree, Roles.Admin),
        new("Administration", "/seals/new", "New seal", MudBlazor.Icons.Material.Filled.AddCircleOutline, Roles.Admin),
        new("Administration", "/admin/workflows", "Approval templates", MudBlazor.Icons.Material.Filled.Schema, Roles.Admin),
        new("Administration", "/admin/workflows/tests", "Flow tests", MudBlazor.Icons.Material.Filled.Science, Roles.Admin),
        new("Administration", "/admin/authorizations", "Authorization scopes", MudBlazor.Icons.Material.Filled.Security, Roles.Admin),
        new("Account", "/account/password", "Change password", MudBlazor.Icons.Material.Filled.Key),
    ];
}
