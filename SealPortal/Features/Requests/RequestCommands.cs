using System.Security.Claims;
using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// Runs request commands from an open circuit. Each command runs in a scope of its own (its own context,
/// audit trail and workflow load) as the signed-in <c>user</c>, so one stale or refused item does not affect
/// the others, and nothing is bound to the page's lifetime: a closed tab does not cancel a command that started.
/// Static pages, endpoints and jobs inject the handlers (Features/Requests/Commands) directly.
/// </summary>
public sealed class RequestCommands(IServiceScopeFactory scopes)
{
    /// <summary>Runs <paramref name="command"/> on a fresh <typeparamref name="THandler"/> as <paramref name="user"/>.</summary>
    public async Task<CommandResult> RunAsync<THandler>(ClaimsPrincipal user, Func<THandler, string, Task<CommandResult>> command)
        where THandler : notnull
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
            return CommandResult.Forbidden(SealPortal.Components.Interactive.CircuitUser.SessionEnded);
        await using var scope = scopes.CreateAsyncScope();
        // No HttpContext in a circuit: the audit trail learns the actor from here.
        using var acting = AuditTrail.AuditTrail.ActingAs(user);
        return await command(scope.ServiceProvider.GetRequiredService<THandler>(), userId);
    }

    public Task<CommandResult> DecideAsync(ClaimsPrincipal user, int requestId, DecisionKind kind, string? comment, long basedOnVersion,
        string? onBehalfOfUserId = null) =>
        RunAsync<DecideHandler>(user, (h, userId) => h.HandleAsync(requestId, userId, kind, comment, basedOnVersion, onBehalfOfUserId, CancellationToken.None));

    /// <summary>
    /// Approves each item as its own decision (own audit line, own optimistic-concurrency check), in order,
    /// and reports each outcome. Items must all wait at the same step; otherwise nothing is decided (null).
    /// </summary>
    public async Task<IReadOnlyList<(InboxItem Item, CommandResult Result)>?> ApproveManyAsync(ClaimsPrincipal user, IReadOnlyList<InboxItem> items, string? comment)
    {
        if (items.Count == 0 || items.Select(i => i.NodeKey).Distinct().Count() != 1)
            return null;
        var outcomes = new List<(InboxItem, CommandResult)>();
        foreach (var item in items)
            outcomes.Add((item, await DecideAsync(user, item.Id, DecisionKind.Approve, comment, item.Version)));
        return outcomes;
    }

    public Task<CommandResult> SubmitAsync(ClaimsPrincipal user, int requestId) =>
        RunAsync<SubmitRequestHandler>(user, (h, userId) => h.HandleAsync(requestId, userId, CancellationToken.None));

    public Task<CommandResult> WithdrawAsync(ClaimsPrincipal user, int requestId, long basedOnVersion) =>
        RunAsync<WithdrawRequestHandler>(user, (h, userId) => h.HandleAsync(requestId, userId, basedOnVersion, CancellationToken.None));

    public Task<CommandResult> ResubmitAsync(ClaimsPrincipal user, int requestId, long basedOnVersion) =>
        RunAsync<ResubmitRequestHandler>(user, (h, userId) => h.HandleAsync(requestId, userId, basedOnVersion, CancellationToken.None));

    /// <summary>Changes a draft or a returned request; <paramref name="replacementFiles"/>, when any, replace its PDFs.</summary>
    public Task<CommandResult> UpdateDraftAsync(ClaimsPrincipal user, int requestId, SealRequestInput input, IReadOnlyList<UploadedPdf> replacementFiles) =>
        RunAsync<UpdateDraftHandler>(user, (h, userId) => h.HandleAsync(requestId, userId, input, replacementFiles, CancellationToken.None));

    /// <summary>The seals the edit dialog offers <paramref name="userId"/>, with the reason for each one they may not ask for (the same checks a save runs).</summary>
    public async Task<IReadOnlyList<(int Id, string Name, SealType Type, SealKind Kind, string? Unusable)>> SealChoicesAsync(string userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DraftChecks>().SealChoicesAsync(userId, null, CancellationToken.None);
    }
}
