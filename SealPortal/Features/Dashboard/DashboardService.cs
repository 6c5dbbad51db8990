using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Dashboard;

public sealed record DashboardSummary(
    string DisplayName, string? Department, IReadOnlyList<string> Roles,
    int ActiveSeals, int ElectronicSeals, int InactiveSeals, int Departments, int Users,
    IReadOnlyList<SealsOfDepartment> SealsByDepartment);

public sealed record SealsOfDepartment(string Department, int Physical, int Electronic);

public sealed class DashboardService(SealPortalDbContext db)
{
    public async Task<DashboardSummary> GetAsync(string userName, IReadOnlyList<string> roles, CancellationToken ct = default)
    {
        var me = await db.Users.AsNoTracking().Where(u => u.UserName == userName)
            .Select(u => new { u.DisplayName, Department = u.Department!.Name }).FirstOrDefaultAsync(ct);
        var seals = await db.Seals.AsNoTracking().Select(s => new { s.Status, s.Kind, Department = s.Department!.Name }).ToListAsync(ct);
        return new DashboardSummary(
            me?.DisplayName ?? userName,
            me?.Department,
            roles,
            seals.Count(s => s.Status == SealStatus.Active),
            seals.Count(s => s.Status == SealStatus.Active && s.Kind == SealKind.Electronic),
            seals.Count(s => s.Status != SealStatus.Active),
            await db.Departments.CountAsync(ct),
            await db.Users.CountAsync(ct),
            seals.Where(s => s.Status == SealStatus.Active)
                .GroupBy(s => s.Department)
                .Select(g => new SealsOfDepartment(g.Key, g.Count(s => s.Kind == SealKind.Physical), g.Count(s => s.Kind == SealKind.Electronic)))
                .OrderByDescending(d => d.Physical + d.Electronic).ThenBy(d => d.Department, StringComparer.Ordinal)
                .ToList());
    }
}

public static class DashboardServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DashboardService>();
        builder.Services.AddScoped<AnalyticsService>();
        return builder;
    }
}
