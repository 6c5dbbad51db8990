namespace SealPortal.Features.Sealing;

public static class SealingServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalSealing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SigningOptions>().BindConfiguration(SigningOptions.Section);
        builder.Services.AddHttpClient(DocumentSealer.TsaHttpClient);
        builder.Services.AddScoped<DocumentSealer>();
        return builder;
    }
}
