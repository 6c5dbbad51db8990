using System.Security.Claims;
using SealPortal.Data;
using SealPortal.Features.Ledger;

namespace SealPortal.Features.AuditTrail;

/// <summary>
/// The audit trail: every action with actor, time and source address, append-only and
/// hash-chained (see <see cref="ChainInterceptor"/>). Actor and source address come from the
/// current request when there is one; outside a request the actor is "system" unless named.
/// </summary>
public sealed class AuditTrail(
    SealPortalDbContext db,
    IHttpContextAccessor http,
    AuditBatch batch,
    TimeProvider clock)
{
    public const string SystemActor = "system";

    /// <summary>
    /// Adds the event to the caller's context, so the caller's SaveChanges writes it in the same
    /// transaction as the change it describes. <paramref name="actor"/> names the actor when the
    /// request has no signed-in user yet (a sign-in, a failed sign-in).
    /// </summary>
    public AuditEvent Add(AuditAction action, string? detail = null, string? subject = null, string? actor = null, string? actorUserId = null)
    {
        var e = Create(http, clock, action, detail, subject, actor, actorUserId);
        db.AuditEvents.Add(e);
        return e;
    }

    /// <summary>
    /// Adds the event to <paramref name="into"/>, a context the caller made for one operation (services used
    /// from a circuit hold no scoped context), so that context's SaveChanges writes it with the change it describes.
    /// </summary>
    public static AuditEvent AddTo(SealPortalDbContext into, IHttpContextAccessor http, TimeProvider clock,
        AuditAction action, string? detail = null, string? subject = null)
    {
        var e = Create(http, clock, action, detail, subject, null, null);
        into.AuditEvents.Add(e);
        return e;
    }

    /// <summary>
    /// Records the event on its own, in a fresh context, so the caller's unsaved changes are not saved with it; returns
    /// once it is committed. Events recorded at the same moment share one commit (<see cref="AuditBatch"/>).
    /// </summary>
    public async Task RecordAsync(AuditAction action, string? detail = null, string? subject = null, string? actor = null,
        string? actorUserId = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var e = Create(http, clock, action, detail, subject, actor, actorUserId);
        await batch.WriteAsync(e);
    }

    private static readonly AsyncLocal<ClaimsPrincipal?> Acting = new();

    /// <summary>
    /// Names the user behind work that runs outside an HTTP request (an action in an open Blazor circuit,
    /// where there is no HttpContext), for every event recorded until the returned scope is disposed.
    /// </summary>
    public static IDisposable ActingAs(ClaimsPrincipal user)
    {
        var previous = Acting.Value;
        Acting.Value = user;
        return new Restore(previous);
    }

    private sealed class Restore(ClaimsPrincipal? previous) : IDisposable
    {
        public void Dispose() => Acting.Value = previous;
    }

    private static AuditEvent Create(IHttpContextAccessor http, TimeProvider clock, AuditAction action, string? detail, string? subject, string? actor, string? actorUserId)
    {
        var context = http.HttpContext;
        var user = context?.User?.Identity?.IsAuthenticated == true ? context.User : Acting.Value;
        var signedIn = user?.Identity?.IsAuthenticated == true;
        return new AuditEvent
        {
            AppendOrder = ChainInterceptor.NextAppendOrder(),
            At = ChainCanonicalForm.Normalize(clock.GetUtcNow()),
            Action = action,
            ActorUserId = actorUserId ?? (actor is null && signedIn ? user!.FindFirstValue(ClaimTypes.NameIdentifier) : null),
            Actor = Truncate(actor ?? (signedIn ? user!.Identity!.Name : null) ?? SystemActor, 256)!,
            SourceAddress = context?.Connection.RemoteIpAddress?.ToString(),
            Subject = Truncate(subject, 256),
            Detail = Truncate(detail, 4000),
        };
    }

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
