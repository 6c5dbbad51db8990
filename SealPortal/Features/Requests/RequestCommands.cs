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
    /// <param name="onBehalfOfUserId">Whom a deputy decides for; null to decide for oneself.</param>
    public Task<RequestResult> DecideAsync(ClaimsPrincipal user, int requestId, DecisionKind kind, string? comment, long basedOnVersion,
        string? onBehalfOfUserId = null) =>
        RunAsync(user, (requests, userId) => requests.DecideAsync(requestId, userId, kind, comment, basedOnVersion, onBehalfOfUserId, CancellationToken.None));

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

    public Task<RequestResult> SubmitAsync(ClaimsPrincipal user, int requestId) =>
        RunAsync(user, (requests, userId) => requests.SubmitAsync(requestId, userId, CancellationToken.None));

    public Task<RequestResult> WithdrawAsync(ClaimsPrincipal user, int requestId, long basedOnVersion) =>
        RunAsync(user, (requests, userId) => requests.WithdrawAsync(requestId, userId, basedOnVersion, CancellationToken.None));

    public Task<RequestResult> ResubmitAsync(ClaimsPrincipal user, int requestId, long basedOnVersion) =>
        RunAsync(user, (requests, userId) => requests.ResubmitAsync(requestId, userId, basedOnVersion, CancellationToken.None));

    /// <summary>Changes a draft or a returned request; <paramref name="replacementFiles"/>, when any, replace its PDFs.</summary>
    public Task<RequestResult> UpdateDraftAsync(ClaimsPrincipal user, int requestId, SealRequestInput input, IReadOnlyList<UploadedPdf> replacementFiles) =>
        RunAsync(user, (requests, userId) => requests.UpdateDraftAsync(requestId, userId, input, replacementFiles, CancellationToken.None));

    /// <summary>One command in a scope of its own, with the audit trail naming <paramref name="user"/> (a circuit has no HttpContext).</summary>
    private async Task<RequestResult> RunAsync(ClaimsPrincipal user, Func<SealRequestService, string, Task<RequestResult>> command)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return RequestResult.Fail(StatusCodes.Status403Forbidden, "Your session has ended. Sign in again.");
        await using var scope = scopes.CreateAsyncScope();
        using var acting = SealPortal.Features.AuditTrail.AuditTrail.ActingAs(user);
        return await command(scope.ServiceProvider.GetRequiredService<SealRequestService>(), userId);
    }
}
