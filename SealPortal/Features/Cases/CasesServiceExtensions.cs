namespace SealPortal.Features.Cases;

public static class CasesServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalCases(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ViolationCaseService>();
        return builder;
    }
}
