using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Features.Seals;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Live;

/// <summary>
/// Workflow notifications through the real request and sealing services: an item reaching an approver, and each
/// outcome for the applicant, in the app always and by mail as each user's preferences say, each exactly once.
/// </summary>
public class WorkflowNotificationTests(LivePortal portal) : IClassFixture<LivePortal>
{
    [Fact]
    public async Task Each_outcome_reaches_the_applicant_once_in_the_app_and_by_mail_as_preferred()
    {
        await portal.EnsureImagesAsync();
        // The department head takes no mail for new items; the applicant takes every kind.
        await portal.SetPreferenceAsync("depthead", email: true, SealPortal.Data.NotificationKind.Assigned);
        await portal.SetPreferenceAsync("applicant", email: true);
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        var depthead = await SealRequestKit.UserIdAsync(portal, "depthead");
        var rsa = await portal.SealIdAsync(SealingPortal.RsaSeal);
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);

        // Reaching the first approver: in the app, no mail (muted).
        var sealedId = await SealRequestKit.SubmitAsync(portal, [rsa], [PdfTestKit.ClassicPdf(1)]);
        var waiting = Assert.Single(await NotificationsAsync(depthead, sealedId));
        Assert.Equal(SealPortal.Data.NotificationKind.Assigned, waiting.Kind);
        Assert.StartsWith($"req:{sealedId}:wait:1:0:", waiting.DedupKey);
        Assert.Contains(Number(sealedId), waiting.Subject);
        Assert.Empty(await MailsAsync("depthead@example.com", Number(sealedId)));

        // Approved by everyone, then sealed (inline: this portal runs no job server): two outcomes, two mails.
        await SealRequestKit.ApproveAllAsync(portal, sealedId);
        Assert.Equal(SealRequestStatus.Completed, (await SealRequestKit.LoadAsync(portal, sealedId)).Status);
        var outcomes = await NotificationsAsync(applicant, sealedId);
        Assert.Equal([$"req:{sealedId}:approved:1", $"req:{sealedId}:completed"], outcomes.Select(n => n.DedupKey));
        Assert.All(outcomes, n => Assert.Equal(SealPortal.Data.NotificationKind.Outcome, n.Kind));
        Assert.Equal(2, (await MailsAsync("applicant@example.com", Number(sealedId))).Count);
        // Every later approver was told once when the request reached them.
        var approvers = (await SealRequestKit.LoadAsync(portal, sealedId)).ApproverUserIds.Split('|', StringSplitOptions.RemoveEmptyEntries);
        foreach (var approver in approvers)
            Assert.Single(await NotificationsAsync(approver, sealedId), n => n.Kind == SealPortal.Data.NotificationKind.Assigned);

        // Returned with a comment, and rejected with one.
        var returnedId = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        await DecideAsync(returnedId, DecisionKind.Return, "请补充合同附件");
        var returned = Assert.Single(await NotificationsAsync(applicant, returnedId));
        Assert.Equal($"req:{returnedId}:returned:1", returned.DedupKey);
        Assert.Contains("请补充合同附件", returned.Body);
        var rejectedId = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        await DecideAsync(rejectedId, DecisionKind.Reject, "不符合用印范围");
        var rejected = Assert.Single(await NotificationsAsync(applicant, rejectedId));
        Assert.Equal($"req:{rejectedId}:rejected:1", rejected.DedupKey);
        Assert.Contains("不符合用印范围", rejected.Body);
        Assert.Single(await MailsAsync("applicant@example.com", Number(rejectedId)));

        // Sealing fails (the seal is suspended meanwhile): the applicant hears it with the reason.
        var failingId = await SealRequestKit.SubmitAsync(portal, [rsa], [PdfTestKit.ClassicPdf(1)]);
        await SetSealStatusAsync(rsa, SealStatus.Suspended);
        try
        {
            await SealRequestKit.ApproveAllAsync(portal, failingId);
        }
        finally
        {
            await SetSealStatusAsync(rsa, SealStatus.Active);
        }
        var failedRequest = await SealRequestKit.LoadAsync(portal, failingId);
        Assert.Equal(SealRequestStatus.SealingFailed, failedRequest.Status);
        var failed = (await NotificationsAsync(applicant, failingId)).Where(n => n.DedupKey!.Contains(":sealfail:")).ToList();
        Assert.Contains(failedRequest.SealingError!, Assert.Single(failed).Body);

        // Mail off for outcomes: still under the bell, but no mail.
        await portal.SetPreferenceAsync("applicant", email: true, SealPortal.Data.NotificationKind.Outcome);
        var quietId = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        await DecideAsync(quietId, DecisionKind.Reject, "重复申请");
        Assert.Single(await NotificationsAsync(applicant, quietId));
        Assert.Empty(await MailsAsync("applicant@example.com", Number(quietId)));
        await portal.SetPreferenceAsync("applicant", email: true);
    }

    [Fact]
    public async Task The_keeper_of_a_physical_seal_is_told_once_when_the_request_is_approved()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var keeper = await portal.WithContextAsync(db => db.Seals.Where(s => s.Id == physical).Select(s => s.CustodianUserId!).SingleAsync());
        var id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        Assert.DoesNotContain(await NotificationsAsync(keeper, id), n => n.DedupKey!.Contains(":stamp:"));

        await SealRequestKit.ApproveAllAsync(portal, id);

        Assert.Equal(SealRequestStatus.Approved, (await SealRequestKit.LoadAsync(portal, id)).Status);
        var told = Assert.Single(await NotificationsAsync(keeper, id), n => n.DedupKey!.Contains(":stamp:"));
        Assert.Equal(SealPortal.Data.NotificationKind.Assigned, told.Kind);
        Assert.Contains(Number(id), told.Subject);
        Assert.Contains(SealingPortal.PhysicalSeal, told.Body);
        // Nobody else hears about the stamping, and a request that is returned tells the keeper nothing.
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        Assert.DoesNotContain(await NotificationsAsync(applicant, id), n => n.DedupKey!.Contains(":stamp:"));
        var returnedId = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        await DecideAsync(returnedId, DecisionKind.Return, "请补充");
        Assert.DoesNotContain(await NotificationsAsync(keeper, returnedId), n => n.DedupKey!.Contains(":stamp:"));
    }

    [Fact]
    public async Task A_deputy_is_told_when_a_request_reaches_the_approver_they_stand_in_for_while_the_delegation_runs()
    {
        var physical = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        var depthead = await SealRequestKit.UserIdAsync(portal, "depthead");
        var reviewer = await SealRequestKit.UserIdAsync(portal, "reviewer");
        var now = portal.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var delegationId = await portal.WithContextAsync(async db =>
        {
            var d = new ApproverDelegation
            {
                DelegatorUserId = depthead, DeputyUserId = reviewer, From = now.AddHours(-1), Until = now.AddDays(1), CreatedAt = now, CreatedBy = "test",
            };
            db.ApproverDelegations.Add(d);
            await db.SaveChangesAsync();
            return d.Id;
        });
        int id;
        try
        {
            id = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        }
        finally
        {
            await portal.WithContextAsync(db => db.ApproverDelegations.Where(d => d.Id == delegationId)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.CancelledAt, now)));
        }

        // The approver hears it as before; the deputy once, naming the approver, with the approver's visit in the key.
        var own = Assert.Single(await NotificationsAsync(depthead, id));
        var told = Assert.Single(await NotificationsAsync(reviewer, id));
        Assert.Equal(SealPortal.Data.NotificationKind.Assigned, told.Kind);
        Assert.Equal($"{own.DedupKey}:deputy", told.DedupKey);
        Assert.Contains(Number(id), told.Subject);
        var delegatorName = await portal.WithContextAsync(db => db.Users.Where(u => u.Id == depthead).Select(u => u.DisplayName).SingleAsync());
        Assert.Contains(delegatorName!, told.Body);

        // Once the delegation has ended, a new request reaches the approver alone.
        var later = await SealRequestKit.SubmitAsync(portal, [physical], [PdfTestKit.ClassicPdf(1)]);
        Assert.Single(await NotificationsAsync(depthead, later));
        Assert.Empty(await NotificationsAsync(reviewer, later));
    }

    private readonly Dictionary<int, string> _numbers = [];

    private string Number(int id) => _numbers.TryGetValue(id, out var n) ? n
        : _numbers[id] = SealRequestKit.LoadAsync(portal, id).GetAwaiter().GetResult().Number;

    private Task<List<Notification>> NotificationsAsync(string userId, int requestId) =>
        portal.WithContextAsync(db => db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId && n.Link == $"/requests/{requestId}").OrderBy(n => n.Id).ToListAsync());

    private Task<List<OutboxMessage>> MailsAsync(string to, string number) =>
        portal.WithContextAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.To == to && m.Subject.Contains(number)).ToListAsync());

    private async Task DecideAsync(int id, DecisionKind kind, string comment)
    {
        var request = await SealRequestKit.LoadAsync(portal, id);
        var state = System.Text.Json.JsonSerializer.Deserialize<WorkflowState>(request.WorkflowStateJson!)!;
        await using var scope = portal.Services.CreateAsyncScope();
        var decided = await scope.ServiceProvider.GetRequiredService<SealPortal.Features.Requests.DecideHandler>()
            .HandleAsync(id, WorkflowQueries.PendingApprovers(state).First(), kind, comment, state.Version);
        Assert.True(decided.Succeeded, decided.ToString());
    }

    private async Task SetSealStatusAsync(int sealId, SealStatus status)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
        var result = await registry.ChangeStatusAsync(sealId, status, "test", "system");
        Assert.True(result.Succeeded, result.Error);
    }
}
