using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Admin;

public sealed record DepartmentRow(int Id, string Name, int UserCount);

public sealed class DepartmentAdministration(SealPortalDbContext db, ILogger<DepartmentAdministration> logger)
{
    public async Task<IReadOnlyList<DepartmentRow>> ListAsync(CancellationToken ct = default) =>
        await db.Departments.AsNoTracking().OrderBy(d => d.Id)
            .Select(d => new DepartmentRow(d.Id, d.Name, d.Users.Count)).ToListAsync(ct);

    public async Task<AdminResult> CreateAsync(string name, string actor)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > 100)
            return AdminResult.Fail("A department name has 1 to 100 characters.");
        if (await db.Departments.AnyAsync(d => d.Name == name))
            return AdminResult.Fail("A department with this name already exists.");
        db.Departments.Add(new Department { Name = name });
        await db.SaveChangesAsync();
        logger.LogInformation("{Actor} created department {Department}", actor, name);
        return AdminResult.Ok;
    }

    public async Task<AdminResult> RenameAsync(int id, string name, string actor)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > 100)
            return AdminResult.Fail("A department name has 1 to 100 characters.");
        var department = await db.Departments.FindAsync(id);
        if (department is null)
            return AdminResult.Fail("No such department.");
        if (await db.Departments.AnyAsync(d => d.Name == name && d.Id != id))
            return AdminResult.Fail("A department with this name already exists.");
        var old = department.Name;
        department.Name = name;
        await db.SaveChangesAsync();
        logger.LogInformation("{Actor} renamed department {Old} to {New}", actor, old, name);
        return AdminResult.Ok;
    }
}
