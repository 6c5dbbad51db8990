using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Requests;

/// <summary>Request numbers drawn from the database's sequence by applicants saving at the same moment.</summary>
public class RequestNumberSequenceTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task Concurrent_drafts_get_distinct_consecutive_numbers_without_a_single_logged_error()
    {
        const int Applicants = 24;
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        int sealId;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            sealId = await db.Seals.Where(s => s.Name == SealingPortal.PhysicalSeal).Select(s => s.Id).SingleAsync();
        }
        var pdf = PdfTestKit.ClassicPdf(1);
        var logged = portal.Logs.Entries.Count;

        using var start = new ManualResetEventSlim();
        var drafts = Enumerable.Range(0, Applicants).Select(i => Task.Run(async () =>
        {
            start.Wait();
            await using var scope = portal.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
                new SealRequestInput($"并发编号 {i}", DocumentTypes.Contract, 1, 1_000m, "示例客户有限公司", false, [sealId]),
                [new UploadedPdf("a.pdf", pdf.Length, () => new MemoryStream(pdf))]);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(drafts);
        Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));

        List<string> numbers;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var ids = results.Select(r => r.Id!.Value).ToList();
            numbers = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SealRequests
                .Where(r => ids.Contains(r.Id)).Select(r => r.Number).ToListAsync();
        }
        Assert.Equal(Applicants, numbers.Distinct().Count());
        // Consecutive: the sequence hands out each number once, and none of these saves failed.
        var sequence = numbers.Select(n => int.Parse(n[3..])).Order().ToList();
        Assert.Equal(Enumerable.Range(sequence[0], Applicants), sequence);
        var problems = portal.Logs.Entries.Skip(logged).Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(p => $"{p.Level} {p.Category}: {p.Message}")));
    }
}
