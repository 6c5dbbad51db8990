namespace SealPortal.Features.Admin;

public static class AdminServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<UserAdministration>();
        builder.Services.AddScoped<DepartmentAdministration>();
        builder.Services.AddSingleton<AdminCommands>();
        return builder;
    }
}
