using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Workflow;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// The inbox as it was computed before the pending-approvals table: every request in approval replayed
/// through the workflow engine's rights for the user. The reference the table-based inbox must match.
/// </summary>
public static class EngineInbox
{
    /// <summary>(id, node, key, version, entered, due, overdue, on behalf of) in the inbox's order.</summary>
    public static async Task<List<string>> OfAsync(IServiceProvider services, string userId)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<SealPortalDbContext>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        var engine = new WorkflowEngine(await sp.GetRequiredService<ApproverDirectoryLoader>().LoadAsync(default), sp.GetRequiredService<WorkingCalendar>());
        var candidates = await db.SealRequests.AsNoTracking().Where(r => r.Status == SealRequestStatus.InApproval && r.WorkflowStateJson != null)
            .Select(r => new { r.Id, r.WorkflowStateJson }).ToListAsync();
        var names = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.DisplayName);
        var items = new List<(int Id, bool Overdue, DateTimeOffset? Due, DateTimeOffset Entered, string Line)>();
        foreach (var c in candidates)
        {
            var state = RequestWorkflowStore.Deserialize(c.WorkflowStateJson!);
            var rights = engine.RightsOf(state, userId, now);
            if (rights.Count == 0 || state.Current is not { } current)
                continue;
            var overdue = WorkflowQueries.IsOverdue(state, now);
            var deputyFor = rights.FirstOrDefault(r => r.OnBehalfOfUserId is not null && rights.All(x => x.OnBehalfOfUserId is not null))?.OnBehalfOfUserId;
            items.Add((c.Id, overdue, current.DueAt, current.EnteredAt, Line(c.Id, state.Template.Nodes[current.NodeIndex].Name,
                $"{state.Template.Key}/{state.Template.Version}#{current.NodeIndex}", state.Version, current.EnteredAt, current.DueAt, overdue,
                deputyFor is null ? null : names[deputyFor])));
        }
        return items.OrderByDescending(i => i.Overdue).ThenBy(i => i.Due ?? DateTimeOffset.MaxValue).ThenBy(i => i.Entered)
            .Select(i => i.Line).ToList();
    }

    /// <summary>The same line for the portal's inbox.</summary>
    public static async Task<List<string>> PortalAsync(IServiceProvider services, string userId) =>
        (await services.GetRequiredService<RequestQueries>().InboxAllAsync(userId, new InboxFilter()))
        .Select(i => Line(i.Id, i.NodeName, i.NodeKey, i.Version, i.EnteredAt, i.DueAt, i.Overdue, i.OnBehalfOf)).ToList();

    /// <summary>Asserts that every user's inbox (and the dashboard's counts) is what the engine replay answers.</summary>
    public static async Task AssertSameAsync(IServiceProvider services, string because)
    {
        List<(string Id, string UserName)> users;
        await using (var scope = services.CreateAsyncScope())
            users = (await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Users.AsNoTracking()
                .Select(u => new { u.Id, u.UserName }).ToListAsync()).Select(u => (u.Id, u.UserName!)).ToList();
        await using (var scope = services.CreateAsyncScope())
        {
            // The number each pending row carries for the inbox's sort is its request's.
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            var drifted = await (from p in db.PendingApprovals.AsNoTracking()
                                 join r in db.SealRequests.AsNoTracking() on p.SealRequestId equals r.Id
                                 where p.RequestNumber != r.Number
                                 select $"#{r.Id} {r.Number} pending {p.RequestNumber}").ToListAsync();
            Assert.True(drifted.Count == 0, $"{because}: pending rows with another number than their request's: {string.Join(", ", drifted)}");
        }
        foreach (var (id, userName) in users)
        {
            var expected = await OfAsync(services, id);
            Assert.True(expected.SequenceEqual(await PortalAsync(services, id)),
                $"{because}: {userName}'s inbox differs from the engine's.\nengine: {string.Join(" | ", expected)}\nportal: {string.Join(" | ", await PortalAsync(services, id))}");
            var (waiting, overdue, _) = await services.GetRequiredService<RequestQueries>().WaitingSummaryAsync(id);
            Assert.Equal(expected.Count, waiting);
            Assert.Equal(expected.Count(l => l.Contains("overdue=True", StringComparison.Ordinal)), overdue);
        }
    }

    private static string Line(int id, string node, string key, long version, DateTimeOffset entered, DateTimeOffset? due, bool overdue, string? onBehalfOf) =>
        // Microseconds: PostgreSQL keeps no finer time.
        $"#{id} {node} {key} v{version} {entered.UtcTicks / 10} {due?.UtcTicks / 10} overdue={overdue} for={onBehalfOf}";
}
