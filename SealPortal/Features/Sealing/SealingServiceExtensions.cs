using SealPortal.Features.Requests;

namespace SealPortal.Features.Sealing;

public static class SealingServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalSealing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SigningOptions>().BindConfiguration(SigningOptions.Section)
            .Validate(o => o.Problem() is null, "Signing: the PAdES level does not fit the configured time-stamp authority and revocation sources (see SigningOptions.Problem)")
            .ValidateOnStart();
        builder.Services.AddOptions<SealingOptions>().BindConfiguration(SealingOptions.Section)
            .Validate(o => o.MaxScanBytes > 0, "Sealing:MaxScanBytes must be positive")
            .ValidateOnStart();
        builder.Services.AddHttpClient(DocumentSealer.TsaHttpClient);
        builder.Services.AddHttpClient(DocumentSealer.RevocationHttpClient);
        builder.Services.AddScoped<ArchiveTimestampRenewal>();
        builder.Services.AddSingleton<SealMaterialCache>();
        builder.Services.AddScoped<DocumentSealer>();
        builder.Services.AddScoped<RequestSealing>();
        builder.Services.AddScoped<SealingQueue>();
        builder.Services.AddScoped<IRequestApprovedHandler>(sp => sp.GetRequiredService<RequestSealing>());
        builder.Services.AddSingleton<SealingQueries>();
        builder.Services.AddSingleton<SealingCommands>();
        return builder;
    }
}
