namespace SealPortal.Features.Requests;

/// <summary>
/// Runs after a request's final approval is committed (e.g. e-sealing). Register with
/// <c>services.AddScoped&lt;IRequestApprovedHandler, T&gt;()</c>; every registered handler is called.
/// A handler records its own failures on the request (e.g. <see cref="Data.SealRequestStatus.SealingFailed"/>):
/// an exception is logged and does not undo the approval.
/// </summary>
public interface IRequestApprovedHandler
{
    Task HandleAsync(int sealRequestId, CancellationToken ct);
}
