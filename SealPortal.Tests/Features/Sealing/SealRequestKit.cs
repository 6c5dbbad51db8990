using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Infrastructure;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Sealing;

/// <summary>Drives requests through the real request service: draft, placements, submission, every approval.</summary>
public static class SealRequestKit
{
    public static async Task<string> UserIdAsync(SealPortalFactory portal, string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    /// <summary>A submitted request of the demo applicant for <paramref name="sealIds"/> with <paramref name="documents"/> PDFs.</summary>
    public static async Task<int> SubmitAsync(SealPortalFactory portal, IReadOnlyList<int> sealIds, IReadOnlyList<byte[]> documents,
        Func<int, IReadOnlyList<int>, IReadOnlyList<SealPlacementInput>>? placements = null)
    {
        var applicant = await UserIdAsync(portal, "applicant");
        await using var scope = portal.Services.CreateAsyncScope();
        var files = documents.Select((bytes, i) => new UploadedPdf($"合同-{i + 1}.pdf", bytes.Length, () => new MemoryStream(bytes))).ToList();
        var created = await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
            new SealRequestInput("采购合同盖章", DocumentTypes.Contract, 2, 50_000m, "示例供应商有限公司", false, sealIds), files);
        Assert.True(created.Succeeded, $"draft refused: {created}");
        var id = created.Id!.Value;
        if (placements is not null)
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            var documentIds = await db.SealRequestDocuments.Where(d => d.SealRequestId == id).OrderBy(d => d.Id).Select(d => d.Id).ToListAsync();
            var placed = await scope.ServiceProvider.GetRequiredService<SetPlacementsHandler>().HandleAsync(id, applicant, placements(id, documentIds));
            Assert.True(placed.Succeeded, $"placement refused: {placed}");
        }
        var submitted = await scope.ServiceProvider.GetRequiredService<SubmitRequestHandler>().HandleAsync(id, applicant);
        Assert.True(submitted.Succeeded, $"submission refused: {submitted}");
        return id;
    }

    /// <summary>Approves as whoever the workflow waits for, node after node, until the request leaves approval.</summary>
    public static async Task ApproveAllAsync(SealPortalFactory portal, int requestId)
    {
        for (var step = 0; step < 10; step++)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            var request = await db.SealRequests.AsNoTracking().SingleAsync(r => r.Id == requestId);
            if (request.Status != SealRequestStatus.InApproval)
                return;
            var state = JsonSerializer.Deserialize<WorkflowState>(request.WorkflowStateJson!)!;
            var approver = WorkflowQueries.PendingApprovers(state).First();
            var decided = await scope.ServiceProvider.GetRequiredService<DecideHandler>()
                .HandleAsync(requestId, approver, DecisionKind.Approve, "同意", state.Version);
            Assert.True(decided.Succeeded, $"approval refused: {decided}");
        }
        Assert.Fail("the request is still in approval after 10 decisions");
    }

    public static async Task<SealRequest> LoadAsync(SealPortalFactory portal, int requestId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.SealRequests.AsNoTracking().Include(r => r.Documents).SingleAsync(r => r.Id == requestId);
    }

    public static async Task<List<LedgerEntry>> LedgerAsync(SealPortalFactory portal, int requestId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.LedgerEntries.AsNoTracking().Where(e => e.SealRequestId == requestId).OrderBy(e => e.Id).ToListAsync();
    }

    public static async Task<List<AuditEvent>> AuditAsync(SealPortalFactory portal, string number)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var subject = $"request {number}";
        return await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject).OrderBy(e => e.Id).ToListAsync();
    }
}
