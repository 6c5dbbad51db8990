using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Features.Workflows;
using SealPortal.Jobs;
using SealPortal.Tests.Features.Requests;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Workflow;

namespace SealPortal.Tests.Jobs;

/// <summary>
/// Deadline reminders, escalation and automatic transfer of the demo templates, on a fake clock over the
/// portal's working calendar (Mon–Fri 09:00–18:00 in the company's time zone, Asia/Shanghai by default).
/// 2026-12-01 is a Tuesday.
/// </summary>
public class DeadlineJobTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8));

    // No job server: the tests run the deadline job themselves, and the outbox rows are what they watch.
    private static Dictionary<string, string?> Settings(TinySmtpServer smtp) => new(RequestSeeding.SampleCertificates)
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = smtp.Port.ToString(),
    };

    [Fact]
    public async Task The_deadline_job_reminds_the_department_head_once_and_escalates_to_the_executive_once_after_the_deadline()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, Settings(smtp));

        // 公司公章 on a letter: the company-seal template, whose department-head node is due in 1 working day
        // (Wednesday 10:00), reminded at 80% of the working time (Tuesday 17:12) and escalated to an executive.
        var (id, number) = await SubmitAsync(portal, "公司公章", DocumentTypes.Letter);
        var depthead = await portal.UserIdAsync("depthead");
        var executive = await portal.UserIdAsync("executive");

        // The job itself, as the job server would make and run it, at the fake clock's new time.
        Task FireAsync(TimeSpan by)
        {
            clock.Advance(by);
            return portal.InScopeAsync(sp => ActivatorUtilities.CreateInstance<DeadlineJob>(sp).RunAsync(CancellationToken.None));
        }

        await FireAsync(new TimeSpan(7, 0, 0));
        Assert.Empty(await ApprovalNotificationsAsync(portal, depthead));

        await FireAsync(TimeSpan.FromMinutes(15));
        var reminder = Assert.Single(await ApprovalNotificationsAsync(portal, depthead));
        Assert.Contains(number, reminder.Subject);
        Assert.Equal($"/requests/{id}", reminder.Link);
        Assert.Equal(1, await OutboxCountAsync(portal, "depthead@example.com", number));

        // The job runs again before the deadline: nothing new.
        await FireAsync(TimeSpan.FromMinutes(6));
        Assert.Single(await ApprovalNotificationsAsync(portal, depthead));
        Assert.Empty(await ApprovalNotificationsAsync(portal, executive));

        // Wednesday 10:0x: past the deadline, the node escalates to the executive.
        await FireAsync(new TimeSpan(16, 40, 0));
        var escalation = Assert.Single(await ApprovalNotificationsAsync(portal, executive));
        Assert.Contains(number, escalation.Subject);
        Assert.Contains("王芳", escalation.Body);
        Assert.Equal(1, await OutboxCountAsync(portal, "executive@example.com", number));

        await FireAsync(TimeSpan.FromMinutes(6));
        await FireAsync(TimeSpan.FromHours(5));
        Assert.Single(await ApprovalNotificationsAsync(portal, executive));
        Assert.Single(await ApprovalNotificationsAsync(portal, depthead));
        Assert.Equal(1, await OutboxCountAsync(portal, "executive@example.com", number));
        Assert.Equal(1, await OutboxCountAsync(portal, "depthead@example.com", number));
        // Escalation tells; who decides does not change.
        var inbox = await portal.InScopeAsync(sp => sp.GetRequiredService<RequestQueries>().InboxAllAsync(depthead, new InboxFilter()));
        Assert.True(Assert.Single(inbox, i => i.Id == id).Overdue);
        await EngineInbox.AssertSameAsync(portal.Services, "after the escalation");
    }

    [Fact]
    public async Task After_the_legal_deadline_the_approval_moves_to_the_reviewers_deputy_and_both_are_told_once()
    {
        await using var storage = new PortalStorage();
        await using var smtp = new TinySmtpServer();
        var clock = new FakeTimeProvider(Start);
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, clock, Settings(smtp));
        var reviewer = await portal.UserIdAsync("reviewer");
        var keeper = await portal.UserIdAsync("keeper");
        var depthead = await portal.UserIdAsync("depthead");
        await portal.InScopeAsync(async sp =>
        {
            var made = await sp.GetRequiredService<DelegationService>().CreateAsync(
                new DelegationInput(reviewer, keeper, Start, Start.AddDays(30), "leave"), reviewer, actorIsAdmin: false, CancellationToken.None);
            Assert.True(made.Succeeded, made.Error);
        });

        // A contract: department head, then legal review (due in 2 working days, transferred to the deputy after it).
        var (id, number) = await SubmitAsync(portal, "合同专用章", DocumentTypes.Contract);
        await portal.InScopeAsync(async sp =>
        {
            var decided = await sp.GetRequiredService<DecideHandler>().HandleAsync(id, depthead, DecisionKind.Approve, "ok", await VersionAsync(sp, id));
            Assert.True(decided.Succeeded, decided.ToString());
        });
        Task<int> Run() => portal.InScopeAsync(sp => sp.GetRequiredService<DeadlineNotifications>().RunAsync(default));
        Task<IReadOnlyList<InboxItem>> Inbox(string user) =>
            portal.InScopeAsync(sp => sp.GetRequiredService<RequestQueries>().InboxAllAsync(user, new InboxFilter()));

        // Before the transfer the deputy sees the request only on the reviewer's behalf.
        Assert.NotNull(Assert.Single(await Inbox(keeper), i => i.Id == id).OnBehalfOf);
        await EngineInbox.AssertSameAsync(portal.Services, "before the transfer");

        // Thursday 10:01, past the deadline (Thursday 10:00).
        clock.Advance(new TimeSpan(2, 0, 1, 0));
        Assert.Equal(2, await Run());
        Assert.Equal(0, await Run());
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Run());

        var toDeputy = Assert.Single(await ApprovalNotificationsAsync(portal, keeper));
        Assert.Contains(number, toDeputy.Subject);
        var fromReviewer = Assert.Single(await ApprovalNotificationsAsync(portal, reviewer));
        Assert.Contains(number, fromReviewer.Subject);
        Assert.Contains("陈静", fromReviewer.Body);
        Assert.Equal(1, await OutboxCountAsync(portal, "keeper@example.com", number));
        Assert.Equal(1, await OutboxCountAsync(portal, "reviewer@example.com", number));

        // The approval is the deputy's own now, with a new deadline two working days on (Monday 10:01).
        var mine = Assert.Single(await Inbox(keeper), i => i.Id == id);
        Assert.Null(mine.OnBehalfOf);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 1, 0, TimeSpan.FromHours(8)), mine.DueAt);
        Assert.DoesNotContain(await Inbox(reviewer), i => i.Id == id);
        await EngineInbox.AssertSameAsync(portal.Services, "after the transfer");
    }

    private static async Task<(int Id, string Number)> SubmitAsync(JobsPortal portal, string sealName, string documentType)
    {
        var applicant = await portal.UserIdAsync("applicant");
        return await portal.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SealPortalDbContext>();
            var sealId = await db.Seals.Where(s => s.Name == sealName).Select(s => s.Id).SingleAsync();
            var pdf = PdfTestKit.ClassicPdf(1);
            var draft = await sp.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
                new SealRequestInput("Deadline test", documentType, 1, 50_000m, "示例客户有限公司", false, [sealId]),
                [new UploadedPdf("a.pdf", pdf.Length, () => new MemoryStream(pdf))]);
            Assert.True(draft.Succeeded, $"draft refused: {draft}");
            var submitted = await sp.GetRequiredService<SubmitRequestHandler>().HandleAsync(draft.Id!.Value, applicant);
            Assert.True(submitted.Succeeded, $"submit refused: {submitted}");
            var number = await db.SealRequests.Where(r => r.Id == draft.Id).Select(r => r.Number).SingleAsync();
            return (draft.Id.Value, number);
        });
    }

    private static async Task<long> VersionAsync(IServiceProvider sp, int id)
    {
        var json = await sp.GetRequiredService<SealPortalDbContext>().SealRequests.Where(r => r.Id == id).Select(r => r.WorkflowStateJson).SingleAsync();
        using var state = JsonDocument.Parse(json!);
        return state.RootElement.GetProperty("Version").GetInt64();
    }

    private static Task<List<Notification>> ApprovalNotificationsAsync(JobsPortal portal, string userId) =>
        portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().Notifications.AsNoTracking()
            .Where(n => n.UserId == userId && n.Kind == NotificationKind.Approval).OrderBy(n => n.Id).ToListAsync());

    private static Task<int> OutboxCountAsync(JobsPortal portal, string to, string number) =>
        portal.InScopeAsync(sp => sp.GetRequiredService<SealPortalDbContext>().OutboxMessages.CountAsync(m => m.To == to && m.Subject.Contains(number)));
}
