namespace SealPortal.Features.Rules;

public static class RulesServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalRules(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SealRulesService>();
        return builder;
    }
}
