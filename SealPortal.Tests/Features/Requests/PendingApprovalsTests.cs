using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Features.Workflows;
using SealPortal.Tests.Jobs;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// The inbox read from the pending-approvals table answers what replaying every request's workflow answered
/// (<see cref="EngineInbox"/>), for every user, through submission, a delegation that starts, is used and is
/// cancelled, a return and resubmission, a withdrawal, and the start-up backfill. Escalation and transfer:
/// <see cref="DeadlineJobTests"/>. Runs on SQLite and, with SEALPORTAL_TEST_DB=postgres, on PostgreSQL.
/// </summary>
public sealed class PendingApprovalsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_inbox_from_the_pending_table_matches_the_workflow_replay_through_delegation_return_withdrawal_and_backfill()
    {
        await using var storage = new PortalStorage();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, new Dictionary<string, string?>(RequestSeeding.SampleCertificates));
        var applicant = await portal.UserIdAsync("applicant");
        var depthead = await portal.UserIdAsync("depthead");
        var reviewer = await portal.UserIdAsync("reviewer");

        var letter = await SubmitAsync(portal, applicant, "公司公章", DocumentTypes.Letter, "letter");
        var contract = await SubmitAsync(portal, applicant, "合同专用章", DocumentTypes.Contract, "contract");
        var withdrawn = await SubmitAsync(portal, applicant, "公司公章", DocumentTypes.Letter, "to withdraw");
        await EngineInbox.AssertSameAsync(portal.Services, "after submission");
        Assert.Equal(3, (await portal.InScopeAsync(sp => sp.GetRequiredService<RequestQueries>().InboxAllAsync(depthead, new InboxFilter()))).Count);

        // A delegation that starts in an hour: not yet, then yes, with no save of any request in between.
        var delegation = await portal.InScopeAsync(async sp =>
        {
            var made = await sp.GetRequiredService<DelegationService>().CreateAsync(
                new DelegationInput(depthead, reviewer, Start.AddHours(1), Start.AddDays(5), "leave"), depthead, actorIsAdmin: false, CancellationToken.None);
            Assert.True(made.Succeeded, made.Error);
            return await sp.GetRequiredService<SealPortalDbContext>().ApproverDelegations.Select(d => d.Id).SingleAsync();
        });
        await EngineInbox.AssertSameAsync(portal.Services, "before the delegation starts");
        Assert.DoesNotContain(await InboxAsync(portal, reviewer), i => i.Id == letter);
        clock.Advance(TimeSpan.FromHours(2));
        await EngineInbox.AssertSameAsync(portal.Services, "while the delegation runs");
        Assert.Equal("王芳 Wang Fang", Assert.Single(await InboxAsync(portal, reviewer), i => i.Id == letter).OnBehalfOf);

        // The deputy decides; the letter moves on to the executive.
        await DecideAsync(portal, letter, reviewer, DecisionKind.Approve, "代批");
        await EngineInbox.AssertSameAsync(portal.Services, "after the deputy's decision");
        Assert.DoesNotContain(await InboxAsync(portal, depthead), i => i.Id == letter);

        await portal.InScopeAsync(async sp =>
        {
            var cancelled = await sp.GetRequiredService<DelegationService>().CancelAsync(delegation, depthead, false, CancellationToken.None);
            Assert.True(cancelled.Succeeded, cancelled.Error);
            return 0;
        });
        await EngineInbox.AssertSameAsync(portal.Services, "after the delegation was cancelled");
        Assert.DoesNotContain(await InboxAsync(portal, reviewer), i => i.Id == contract);

        // Returned: waiting for nobody; resubmitted: waiting again, at a new version.
        await DecideAsync(portal, contract, depthead, DecisionKind.Return, "金额写错了");
        Assert.Equal(0, await RowsAsync(portal, contract));
        await EngineInbox.AssertSameAsync(portal.Services, "after the return");
        await portal.InScopeAsync(async sp =>
        {
            var resubmitted = await sp.GetRequiredService<ResubmitRequestHandler>().HandleAsync(contract, applicant, await VersionAsync(sp, contract));
            Assert.True(resubmitted.Succeeded, resubmitted.ToString());
            return 0;
        });
        Assert.Equal(1, await RowsAsync(portal, contract));
        await EngineInbox.AssertSameAsync(portal.Services, "after the resubmission");

        await portal.InScopeAsync(async sp =>
        {
            var result = await sp.GetRequiredService<WithdrawRequestHandler>().HandleAsync(withdrawn, applicant, await VersionAsync(sp, withdrawn));
            Assert.True(result.Succeeded, result.ToString());
            return 0;
        });
        Assert.Equal(0, await RowsAsync(portal, withdrawn));
        await EngineInbox.AssertSameAsync(portal.Services, "after the withdrawal");

        // A database from before the table: the start-up backfill writes the rows again, once.
        var before = await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().PendingApprovals.CountAsync());
        Assert.True(before >= 2);
        await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().PendingApprovals.ExecuteDeleteAsync());
        Assert.Empty(await InboxAsync(portal, depthead));
        Assert.Equal(2, await portal.InScopeAsync(sp => PendingApprovalsBackfill.RunAsync(sp.GetRequiredService<SealPortalDbContext>(), NullLogger.Instance, default)));
        Assert.Equal(0, await portal.InScopeAsync(sp => PendingApprovalsBackfill.RunAsync(sp.GetRequiredService<SealPortalDbContext>(), NullLogger.Instance, default)));
        Assert.Equal(before, await portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().PendingApprovals.CountAsync()));
        await EngineInbox.AssertSameAsync(portal.Services, "after the backfill");
    }

    private static Task<IReadOnlyList<InboxItem>> InboxAsync(JobsPortal portal, string userId) =>
        portal.Services.GetRequiredService<RequestQueries>().InboxAllAsync(userId, new InboxFilter());

    private static Task<int> RowsAsync(JobsPortal portal, int requestId) =>
        portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().PendingApprovals.CountAsync(p => p.SealRequestId == requestId));

    private static Task<int> SubmitAsync(JobsPortal portal, string applicant, string sealName, string documentType, string purpose) =>
        portal.InScopeAsync(async sp =>
        {
            var sealId = await sp.GetRequiredService<SealPortalDbContext>().Seals.Where(s => s.Name == sealName).Select(s => s.Id).SingleAsync();
            var pdf = PdfTestKit.ClassicPdf(1);
            var draft = await sp.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
                new SealRequestInput(purpose, documentType, 1, 50_000m, "示例客户有限公司", false, [sealId]),
                [new UploadedPdf("a.pdf", pdf.Length, () => new MemoryStream(pdf))]);
            Assert.True(draft.Succeeded, draft.ToString());
            var submitted = await sp.GetRequiredService<SubmitRequestHandler>().HandleAsync(draft.Id!.Value, applicant);
            Assert.True(submitted.Succeeded, submitted.ToString());
            return draft.Id.Value;
        });

    private static Task DecideAsync(JobsPortal portal, int id, string userId, DecisionKind kind, string comment) =>
        portal.InScopeAsync(async sp =>
        {
            var decided = await sp.GetRequiredService<DecideHandler>().HandleAsync(id, userId, kind, comment, await VersionAsync(sp, id));
            Assert.True(decided.Succeeded, decided.ToString());
            return 0;
        });

    private static async Task<long> VersionAsync(IServiceProvider sp, int id)
    {
        var json = await sp.GetRequiredService<SealPortalDbContext>().SealRequests.Where(r => r.Id == id).Select(r => r.WorkflowStateJson).SingleAsync();
        return RequestWorkflowStore.Deserialize(json!).Version;
    }
}
