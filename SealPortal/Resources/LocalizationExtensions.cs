using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace SealPortal.Resources;

public static class LocalizationExtensions
{
    public static WebApplicationBuilder AddSealPortalLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = SealPortalCultures.Supported.Select(c => new CultureInfo(c)).ToList();
            o.DefaultRequestCulture = new RequestCulture(SealPortalCultures.Chinese);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            // The user's explicit choice (cookie) wins over what the browser asks for.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return builder;
    }

    /// <summary>The UI string of an enum value, e.g. SealType.Contract → 合同专用章.</summary>
    public static string Enum<TEnum>(this IStringLocalizer localizer, TEnum value) where TEnum : struct, System.Enum =>
        localizer[$"{typeof(TEnum).Name}.{value}"];
}
