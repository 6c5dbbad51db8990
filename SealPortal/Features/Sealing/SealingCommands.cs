using System.Security.Claims;

namespace SealPortal.Features.Sealing;

/// <summary>
/// The sealing actions of the request page taken from an open circuit (retry, record a stamping). Each
/// runs in a scope of its own, so nothing holds a context between clicks, and names the acting user for
/// the audit trail (a circuit has no HttpContext).
/// </summary>
public sealed class SealingCommands(IServiceScopeFactory scopes)
{
    public async Task<SealingResult> RetryAsync(ClaimsPrincipal user, int requestId)
    {
        await using var scope = scopes.CreateAsyncScope();
        using var acting = AuditTrail.AuditTrail.ActingAs(user);
        return await scope.ServiceProvider.GetRequiredService<RequestSealing>().RetryAsync(requestId, user, CancellationToken.None);
    }

    public async Task<SealingResult> RecordStampingAsync(ClaimsPrincipal user, int requestId, StampingInput input)
    {
        await using var scope = scopes.CreateAsyncScope();
        using var acting = AuditTrail.AuditTrail.ActingAs(user);
        return await scope.ServiceProvider.GetRequiredService<RequestSealing>().RecordStampingAsync(requestId, user, input, CancellationToken.None);
    }
}
