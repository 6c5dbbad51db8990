using Microsoft.Extensions.DependencyInjection.Extensions;
using SealPortal.Features.AuditTrail;

namespace SealPortal.Features.Ledger;

public static class LedgerServiceExtensions
{
    public const string ReaderRoles = $"{Data.Roles.Auditor},{Data.Roles.Admin},{Data.Roles.SealKeeper}";
    public const string AuditTrailRoles = $"{Data.Roles.Auditor},{Data.Roles.Admin}";

    /// <summary>The ledger, its integrity check and the audit trail (the trail is used by every area).</summary>
    public static WebApplicationBuilder AddSealPortalLedger(this WebApplicationBuilder builder)
    {
        builder.Services.AddLedgerServices();
        return builder;
    }

    public static IServiceCollection AddLedgerServices(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        // Day filters and exports are in the company's time zone.
        services.AddCompanyTime();
        services.AddScoped<SealLedger>();
        services.AddScoped<IntegrityCheck>();
        services.AddScoped<ChainAnchoring>();
        // The anchors' time-stamp authority and the roots it must chain to are the signing ones;
        // `ledger verify` and `ledger anchor` build only the ledger's services, so they are added here too.
        services.TryAddSingleton<Verification.TrustAnchors>();
        services.AddOptions<Sealing.SigningOptions>().BindConfiguration(Sealing.SigningOptions.Section);
        services.AddHttpClient();
        services.AddScoped<LedgerQuery>();
        services.AddSingleton<LedgerGrid>();
        services.AddSingleton<AuditTrailGrid>();
        services.AddScoped<LedgerExport>();
        services.AddScoped<LedgerLookup>();
        services.AddScoped<AuditTrail.AuditTrail>();
        services.AddSingleton<AuditTrail.AuditBatch>();
        return services;
    }
}
