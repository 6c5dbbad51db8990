using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Cases;
using SealPortal.Tests.Features.Audits;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Cases;

/// <summary>A portal of its own: the cases opened here would otherwise show in other classes' lists.</summary>
public sealed class CasesPortal : SealPortalFactory;

/// <summary>The evidence a case is opened from, made as the portal's own parts leave it, and the users who act.</summary>
public static class CaseTestKit
{
    public static ViolationCaseService Cases(this SealPortalFactory portal) => portal.Services.GetRequiredService<ViolationCaseService>();

    public static async Task<ClaimsPrincipal> PrincipalAsync(this SealPortalFactory portal, string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
    }

    public static Task<string> UserIdAsync(this SealPortalFactory portal, string userName) =>
        portal.QueryAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    public static Task<int> DepartmentIdAsync(this SealPortalFactory portal, string name) =>
        portal.QueryAsync(db => db.Departments.Where(d => d.Name == name).Select(d => d.Id).SingleAsync());

    /// <summary>A ledger entry written through the ledger; answers its sequence (the number the ledger shows).</summary>
    public static async Task<long> LedgerEntryAsync(this SealPortalFactory portal, string prefix)
    {
        var id = (await portal.AddEntriesAsync(new DateOnly(2030, 1, 15), 1, prefix)).Single();
        return await portal.QueryAsync(db => db.LedgerEntries.Where(e => e.Id == id).Select(e => e.Sequence).SingleAsync());
    }

    /// <summary>An audit with one sampled entry whose finding is <paramref name="finding"/>; answers the item's id.</summary>
    public static async Task<long> AuditFindingAsync(this SealPortalFactory portal, string prefix, SealAuditFinding finding = SealAuditFinding.Issue)
    {
        var entry = (await portal.AddEntriesAsync(new DateOnly(2030, 2, 1), 1, prefix)).Single();
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var audit = new SealAudit
        {
            PeriodFrom = new DateOnly(2030, 2, 1), PeriodTo = new DateOnly(2030, 2, 1), OpenedBy = "auditor", OpenedAt = DateTimeOffset.UtcNow,
            SampleRule = "1", SampleSize = 1, PopulationCount = 1, SamplingSeed = "seed", Version = Guid.NewGuid(),
            Items = [new SealAuditItem { Ordinal = 1, LedgerEntryId = entry, Finding = finding, Note = "Copies differ from the request.", RecordedBy = "auditor", RecordedAt = DateTimeOffset.UtcNow }],
        };
        db.SealAudits.Add(audit);
        await db.SaveChangesAsync();
        return audit.Items[0].Id;
    }

    /// <summary>A stored integrity-check result, broken or intact; answers its id.</summary>
    public static async Task<long> IntegrityRunAsync(this SealPortalFactory portal, bool intact)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var run = new IntegrityCheckRun
        {
            CheckedAt = DateTimeOffset.UtcNow, Intact = intact, TriggeredBy = "schedule",
            Summary = intact ? "ledger: 3 entries intact" : "ledger: entry 2 (id 2): hash mismatch",
        };
        db.IntegrityCheckRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    /// <summary>A seal of the demo company put into <paramref name="status"/>; answers its id.</summary>
    public static async Task<int> SealWithStatusAsync(this SealPortalFactory portal, string name, SealStatus status)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var seal = await db.Seals.SingleAsync(s => s.Name == name);
        seal.Status = status;
        await db.SaveChangesAsync();
        return seal.Id;
    }

    /// <summary>Opens a case as <paramref name="userName"/> and asserts it opened; answers its id.</summary>
    public static async Task<int> OpenCaseAsync(this SealPortalFactory portal, string departmentName, string? responsibleUserName = null,
        ViolationKind kind = ViolationKind.UseWithoutApproval, string facts = "Stamped before the approval.", EvidenceKind? evidence = null,
        string? reference = null, string userName = "auditor")
    {
        var input = new NewCaseInput(kind, await portal.DepartmentIdAsync(departmentName),
            responsibleUserName is null ? null : await portal.UserIdAsync(responsibleUserName), facts, evidence, reference);
        var result = await portal.Cases().OpenAsync(await portal.PrincipalAsync(userName), input);
        Assert.True(result.Succeeded, result.Error);
        return result.CaseId!.Value;
    }
}
