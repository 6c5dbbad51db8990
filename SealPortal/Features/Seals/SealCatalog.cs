using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Seals;

public sealed record SealRow(int Id, string Name, SealType Type, SealKind Kind, string Department, string? Custodian, SealStatus Status);

/// <summary>Read side of the seals for the Seals page and the dashboard.</summary>
public sealed class SealCatalog(SealPortalDbContext db)
{
    public async Task<IReadOnlyList<SealRow>> ListAsync(CancellationToken ct = default) =>
        await db.Seals.AsNoTracking()
            .OrderBy(s => s.Id)
            .Select(s => new SealRow(s.Id, s.Name, s.Type, s.Kind, s.Department!.Name, s.Custodian!.DisplayName, s.Status))
            .ToListAsync(ct);
}

public static class SealServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalSeals(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SealCatalog>();
        return builder;
    }
}
