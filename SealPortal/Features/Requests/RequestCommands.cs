using System.Security.Claims;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>The outcome of one request in a decision on several.</summary>
public sealed record DecisionOutcome(int RequestId, string Number, RequestResult Result);

/// <summary>
/// Decisions taken from an open circuit. Each decision runs in a scope of its own (its own context and
/// workflow load), so one stale or refused item does not affect the others, and nothing is bound to the
/// page's lifetime: a closed tab does not cancel a decision that started.
/// </summary>
public sealed class RequestCommands(IServiceScopeFactory scopes)
{
    public async Task<RequestResult> DecideAsync(ClaimsPrincipal user, int requestId, DecisionKind kind, string? comment, long basedOnVersion)
    {
        await using var scope = scopes.CreateAsyncScope();
        // No HttpContext in a circuit: the audit trail learns the approver from here.
        using var acting = SealPortal.Features.AuditTrail.AuditTrail.ActingAs(user);
        return await scope.ServiceProvider.GetRequiredService<SealRequestService>()
            .DecideAsync(requestId, user.FindFirstValue(ClaimTypes.NameIdentifier)!, kind, comment, basedOnVersion, ct: CancellationToken.None);
    }

    /// <summary>
    /// Approves each item as its own decision (own audit line, own optimistic-concurrency check), in order,
    /// and reports each outcome. Items must all wait at the same step; otherwise nothing is decided.
    /// </summary>
    public async Task<IReadOnlyList<DecisionOutcome>?> ApproveManyAsync(ClaimsPrincipal user, IReadOnlyList<InboxItem> items, string? comment)
    {
        if (items.Count == 0 || items.Select(i => i.NodeKey).Distinct().Count() != 1)
            return null;
        var outcomes = new List<DecisionOutcome>();
        foreach (var item in items)
            outcomes.Add(new(item.Id, item.Number, await DecideAsync(user, item.Id, DecisionKind.Approve, comment, item.Version)));
        return outcomes;
    }
}
