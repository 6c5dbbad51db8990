using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Ledger;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Audits;

/// <summary>Writes real ledger entries through <see cref="SealLedger"/>, as the sealing step does.</summary>
public static class LedgerTestData
{
    /// <summary>
    /// <paramref name="count"/> entries executed on the company day <paramref name="day"/> (one per hour, from 00:30 company time),
    /// with request numbers "{prefix}-00001"..., each for a document with a random SHA-256 unless
    /// <paramref name="documentSha256"/> names one. Returns the entries' ids in order.
    /// </summary>
    public static async Task<IReadOnlyList<long>> AddEntriesAsync(this SealPortalFactory portal, DateOnly day, int count, string prefix,
        string? documentSha256 = null, string documentName = "contract.pdf")
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<SealLedger>();
        var seal = await db.Seals.Include(s => s.Department).OrderBy(s => s.Id).FirstAsync();
        var midnight = scope.ServiceProvider.GetRequiredService<SealPortal.Features.CompanyTime>().StartOf(day);
        var entries = new List<LedgerEntry>();
        for (var i = 1; i <= count; i++)
        {
            entries.Add(ledger.Append(new LedgerEntryDraft
            {
                RequestNumber = $"{prefix}-{i:00000}",
                SealId = seal.Id,
                SealName = seal.Name,
                Kind = seal.Kind,
                ApplicantName = "Applicant",
                DepartmentId = seal.DepartmentId,
                DepartmentName = seal.Department!.Name,
                ExecutorName = "Keeper",
                ExecutedAt = midnight.AddHours(i % 24 + 0.5),
                DocumentName = documentName,
                DocumentSha256 = documentSha256 ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            }));
        }
        await db.SaveChangesAsync();
        return entries.Select(e => e.Id).ToList();
    }

    public static async Task<T> QueryAsync<T>(this SealPortalFactory portal, Func<SealPortalDbContext, Task<T>> query)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>());
    }
}
