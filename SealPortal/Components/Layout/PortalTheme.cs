using MudBlazor;

namespace SealPortal.Components.Layout;

/// <summary>The portal's MudBlazor theme: the company's seal red, CJK-friendly system fonts.</summary>
public static class PortalTheme
{
    public const string SealRed = "#C8102E";

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = SealRed,
            PrimaryDarken = "#9E0C24",
            PrimaryLighten = "#E0485F",
            Secondary = "#37474F",
            AppbarBackground = SealRed,
            AppbarText = "#FFFFFF",
            Background = "#F4F6FA",
            DrawerBackground = "#FFFFFF",
            DrawerText = "#263238",
            DrawerIcon = "#546E7A",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "248px" },
    };
}
