namespace SealPortal.Components.Layout;

/// <summary>
/// One link of the side navigation. <paramref name="Roles"/> empty means every signed-in user;
/// otherwise the user needs one of them. <paramref name="Text"/> is a key of the string table,
/// <paramref name="Icon"/> a Material icon (MudBlazor's Icons).
/// </summary>
public sealed record NavItem(string Section, string Href, string Text, string Icon, params string[] Roles)
{
    public bool IsVisibleTo(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && (Roles.Length == 0 || Roles.Any(user.IsInRole));
}
