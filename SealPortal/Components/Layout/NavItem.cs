namespace SealPortal.Components.Layout;

/// <summary>
/// One link of the side navigation. <paramref name="Roles"/> empty means every signed-in user;
/// otherwise the user needs one of them. <paramref name="Text"/> is a key of the string table.
/// <paramref name="Icon"/> is the Bootstrap icon of the static layout, <paramref name="MudIcon"/> the
/// Material icon of the interactive one.
/// </summary>
public sealed record NavItem(string Section, string Href, string Text, string Icon, string MudIcon, params string[] Roles)
{
    public bool IsVisibleTo(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && (Roles.Length == 0 || Roles.Any(user.IsInRole));

    /// <summary>"/" matches only itself; other links also match their sub-pages.</summary>
    public bool IsActive(string currentPath) =>
        Href == "/"
            ? currentPath == "/"
            : currentPath.Equals(Href, StringComparison.OrdinalIgnoreCase) ||
              currentPath.StartsWith(Href + "/", StringComparison.OrdinalIgnoreCase);
}
