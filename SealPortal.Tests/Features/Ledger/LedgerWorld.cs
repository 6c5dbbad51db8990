using System.Data.Common;
using System.Security.Claims;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>Appends ledger entries directly (there are no requests yet) and tampers with them by raw SQL.</summary>
public static class LedgerWorld
{
    /// <summary>A signed-in reader of the ledger with one role (the queries read only the id and the roles).</summary>
    public static ClaimsPrincipal As(string id, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Role, role)], "test"));

    public static LedgerEntryDraft Draft(int sealId, string sealName, int departmentId, DateTimeOffset executedAt, int n = 1,
        string? applicantId = null, string? executorId = null, SealKind kind = SealKind.Electronic) => new()
    {
        SealRequestId = 1000 + n,
        RequestNumber = $"26-{n:00000}",
        SealId = sealId,
        SealName = sealName,
        Kind = kind,
        ApplicantUserId = applicantId,
        ApplicantName = $"申请人 {n}, \"quoted\"",
        DepartmentId = departmentId,
        DepartmentName = "销售部",
        // Sub-microsecond ticks: the ledger must cut them so PostgreSQL gives back what was hashed.
        AppliedAt = executedAt.AddHours(-5).AddTicks(7),
        Approvers = [new("head-1", "王芳 Wang Fang", executedAt.AddHours(-3).AddTicks(3)), new(null, "刘强", executedAt.AddHours(-1))],
        ApprovedAt = executedAt.AddHours(-1),
        ExecutorUserId = executorId,
        ExecutorName = "陈静",
        ExecutedAt = executedAt.AddTicks(9),
        DocumentId = n,
        DocumentName = $"=合同 {n}.pdf",
        DocumentSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n))),
        Copies = 1 + n % 3,
    };

    public static async Task AppendAsync(IServiceProvider services, params LedgerEntryDraft[] drafts)
    {
        await using var scope = services.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<SealLedger>();
        foreach (var d in drafts)
            ledger.Append(d);
        await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SaveChangesAsync();
    }

    public static async Task<IntegrityReport> VerifyAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IntegrityCheck>().VerifyAsync();
    }

    public static async Task<(int Id, string Name, int DepartmentId)> SealAsync(IServiceProvider services, string name, string? custodianUserName)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var custodian = custodianUserName is null ? null : await db.Users.Where(u => u.UserName == custodianUserName).Select(u => u.Id).SingleAsync();
        var department = await db.Departments.OrderBy(d => d.Id).Select(d => d.Id).FirstAsync();
        var seal = new Seal { Name = name, Type = SealType.Contract, Kind = SealKind.Electronic, DepartmentId = department, CustodianUserId = custodian };
        db.Seals.Add(seal);
        await db.SaveChangesAsync();
        return (seal.Id, seal.Name, department);
    }

    public static async Task<string> UserIdAsync(IServiceProvider services, string userName)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    /// <summary>Runs SQL behind the app's back, on a connection of its own.</summary>
    public static async Task SqlAsync(IServiceProvider services, params string[] statements)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        foreach (var sql in statements)
            await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>SQLite's plan of a query as EF wrote it: its ".param set" lines become bound parameters.</summary>
    public static async Task<string> PlanAsync(SealPortalDbContext db, string queryString)
    {
        var lines = queryString.Split('\n');
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        var parameters = lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)).Select(p =>
        {
            var parts = p[".param set ".Length..].Trim().Split(' ', 2);
            return (parts[0], (object?)(long.TryParse(parts[1], out var number) ? number : parts[1].Trim('\'')));
        });
        return await SqlitePlans.ExplainAsync(connection, string.Join('\n', lines.Where(l => !l.StartsWith(".param set ", StringComparison.Ordinal))), parameters);
    }
}
