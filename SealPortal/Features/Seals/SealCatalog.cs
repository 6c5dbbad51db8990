using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Requests;

namespace SealPortal.Features.Seals;

public sealed record SealRow(int Id, string Name, SealType Type, SealKind Kind, string Department, string? Custodian, SealStatus Status, string? CustodianUserId = null);

/// <summary>
/// Read side of the seals for the interactive seal pages. Each call opens a context of its own
/// (the pages live in long-lived circuits) and reads only the columns shown, never images or certificates.
/// </summary>
public sealed class SealCatalog(IDbContextFactory<SealPortalDbContext> contexts)
{
    /// <summary>Columns the seal list sorts by; anything else sorts by registration order.</summary>
    public static readonly IReadOnlyList<string> Sortable = ["Name", "Type", "Kind", "Department", "Custodian", "Status"];

    /// <summary>One page of the seal list: searched by name, department or custodian, optionally of one status.</summary>
    public async Task<ListPage<SealRow>> PageAsync(ListQuery q, SealStatus? status = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Seals.AsNoTracking();
        if (status is { } s)
            query = query.Where(x => x.Status == s);
        if (q.Term is { } term)
            query = query.Where(x => x.Name.Contains(term) || x.Department!.Name.Contains(term) ||
                                     (x.Custodian != null && x.Custodian.DisplayName.Contains(term)));
        var total = await query.CountAsync(ct);
        query = (q.SortBy, q.Descending) switch
        {
            ("Name", false) => query.OrderBy(x => x.Name).ThenBy(x => x.Id),
            ("Name", true) => query.OrderByDescending(x => x.Name).ThenBy(x => x.Id),
            ("Type", false) => query.OrderBy(x => x.Type).ThenBy(x => x.Id),
            ("Type", true) => query.OrderByDescending(x => x.Type).ThenBy(x => x.Id),
            ("Kind", false) => query.OrderBy(x => x.Kind).ThenBy(x => x.Id),
            ("Kind", true) => query.OrderByDescending(x => x.Kind).ThenBy(x => x.Id),
            ("Department", false) => query.OrderBy(x => x.Department!.Name).ThenBy(x => x.Id),
            ("Department", true) => query.OrderByDescending(x => x.Department!.Name).ThenBy(x => x.Id),
            ("Custodian", false) => query.OrderBy(x => x.Custodian!.DisplayName).ThenBy(x => x.Id),
            ("Custodian", true) => query.OrderByDescending(x => x.Custodian!.DisplayName).ThenBy(x => x.Id),
            ("Status", false) => query.OrderByDeclared(x => x.Status, descending: false).ThenBy(x => x.Id),
            ("Status", true) => query.OrderByDeclared(x => x.Status, descending: true).ThenBy(x => x.Id),
            _ => query.OrderBy(x => x.Id),
        };
        var rows = await query.Skip(q.Skip).Take(q.Take)
            .Select(x => new SealRow(x.Id, x.Name, x.Type, x.Kind, x.Department!.Name, x.Custodian!.DisplayName, x.Status, x.CustodianUserId))
            .ToListAsync(ct);
        return new(rows, total);
    }

    /// <summary>Administrators open every seal's record; a custodian opens the seals they keep.</summary>
    public static bool MayOpen(ClaimsPrincipal user, string? custodianUserId) =>
        user.IsInRole(Roles.Admin) ||
        (custodianUserId is not null && custodianUserId == user.FindFirstValue(ClaimTypes.NameIdentifier));
}

public static class SealServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalSeals(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SealCatalog>();
        builder.Services.AddSingleton<SealCommands>();
        builder.Services.AddScoped<SealRegistry>();
        builder.Services.AddSingleton<SealFontCache>();
        builder.Services.AddOptions<SealsOptions>().BindConfiguration(SealsOptions.Section);
        return builder;
    }

    /// <summary>GET /seals/{id}/image: the stored seal image, for any signed-in user.</summary>
    public static WebApplication MapSealEndpoints(this WebApplication app)
    {
        // The seal pages are interactive: a form post reaches no action there (400). A post by someone who
        // is not an administrator is answered 403 before that, since it is a permission problem first.
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
