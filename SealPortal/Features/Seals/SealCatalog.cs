using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Seals;

public sealed record SealRow(int Id, string Name, SealType Type, SealKind Kind, string Department, string? Custodian, SealStatus Status, string? CustodianUserId = null);

/// <summary>Read side of the seals for the Seals page and the dashboard.</summary>
public sealed class SealCatalog(SealPortalDbContext db)
{
    public async Task<IReadOnlyList<SealRow>> ListAsync(CancellationToken ct = default) =>
        await db.Seals.AsNoTracking()
            .OrderBy(s => s.Id)
            .Select(s => new SealRow(s.Id, s.Name, s.Type, s.Kind, s.Department!.Name, s.Custodian!.DisplayName, s.Status, s.CustodianUserId))
            .ToListAsync(ct);
}

public static class SealServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalSeals(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SealCatalog>();
        builder.Services.AddScoped<SealRegistry>();
        builder.Services.AddSingleton<SealFontCache>();
        builder.Services.AddOptions<SealsOptions>().BindConfiguration(SealsOptions.Section);
        return builder;
    }

    /// <summary>GET /seals/{id}/image: the stored seal image, for any signed-in user.</summary>
    public static WebApplication MapSealEndpoints(this WebApplication app)
    {
        // Custodians may open a seal's page, so the page itself cannot be Admin-only; every change
        // to the registry is. A POST for a form the page did not render for them would otherwise
        // be a 400 from the form dispatcher, which hides that it was a permission problem.
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) &&
                context.Request.Path.StartsWithSegments("/seals") &&
                context.User.Identity?.IsAuthenticated == true &&
                !context.User.IsInRole(Roles.Admin))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            await next(context);
        });

        app.MapGet("/seals/{id:int}/image", async (int id, SealRegistry registry, HttpContext http, CancellationToken ct) =>
        {
            if (await registry.GetImageAsync(id, ct) is not { } image)
                return Results.NotFound();
            http.Response.Headers.CacheControl = "private, no-cache";
            return Results.File(image.Png, "image/png", entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{image.Sha256}\""));
        }).RequireAuthorization();
        return app;
    }
}
