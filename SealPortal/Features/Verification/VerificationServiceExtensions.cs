using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SealPortal.Components;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Ledger;

namespace SealPortal.Features.Verification;

public static class VerificationServiceExtensions
{
    /// <summary>Auditors check documents; administrators and seal keepers may need to answer the same question.</summary>
    public const string AllowedRoles = Roles.Auditor + "," + Roles.Admin + "," + Roles.SealKeeper;

    public static WebApplicationBuilder AddSealPortalVerification(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section)
            .Validate(o => o.MaxUploadBytes > 0, "Verification:MaxUploadBytes must be positive")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<TrustAnchors>();
        builder.Services.AddScoped<DocumentVerifier>();
        builder.Services.AddSingleton<VerificationCommands>();
        builder.Services.AddHttpClient(DocumentVerifier.RevocationHttpClient, c => c.Timeout = TimeSpan.FromSeconds(15));
        builder.Services.TryAddScoped<ArchivedDocuments>();
        return builder;
    }

    /// <summary>
    /// The two downloads of a shown report. The report comes back in the protected token the page
    /// put into its form, so nothing of the upload is stored; binding a [FromForm] value makes the
    /// antiforgery middleware check the token.
    /// </summary>
    public static IEndpointRouteBuilder MapVerificationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/verify/report.json", IResult ([FromForm] string? report, DocumentVerifier verifier) =>
        {
            var doc = verifier.Unprotect(report);
            if (doc is null)
                return Expired();
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(doc.ToJson()), "application/json; charset=utf-8", DocumentVerifier.DownloadName(doc, ".json"));
        }).RequireAuthorization(p => p.RequireRole(AllowedRoles.Split(',')));

        app.MapPost("/verify/print", IResult ([FromForm] string? report, DocumentVerifier verifier) =>
        {
            var doc = verifier.Unprotect(report);
            return doc is null ? Expired() : new RazorComponentResult<PrintReport>(new { Document = doc });
        }).RequireAuthorization(p => p.RequireRole(AllowedRoles.Split(',')));

        return app;
    }

    private static RazorComponentResult<PrintReport> Expired() =>
        new(new { Document = (VerifiedDocument?)null }) { StatusCode = StatusCodes.Status400BadRequest };
}
