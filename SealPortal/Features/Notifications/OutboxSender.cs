using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SealPortal.Data;

namespace SealPortal.Features.Notifications;

public sealed record OutboxRun(int Sent, int Failed, int GaveUp);

/// <summary>
/// Sends the e-mails waiting in the outbox. Each message is marked sent (or re-scheduled with a longer
/// wait after a failure) and saved on its own, so an outage loses nothing and a second run does not
/// send again what the first one finished. The job that calls this never runs twice at once, also
/// across a cluster.
/// </summary>
public sealed class OutboxSender(SealPortalDbContext db, IEmailTransport transport, TimeProvider clock,
    IOptions<SmtpOptions> options, ILogger<OutboxSender> logger)
{
    public const int BatchSize = 50;

    /// <summary>The wait after the <paramref name="attempts"/>-th failure: 1, 2, 4, ... minutes, at most an hour.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Max(0, attempts - 1))));

    public async Task<OutboxRun> SendDueAsync(CancellationToken ct)
    {
        if (!options.Value.IsEnabled)
            return new OutboxRun(0, 0, 0);
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.OutboxMessages
            .Where(m => m.SentAt == null && !m.GaveUp && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Take(BatchSize).ToListAsync(ct);
        int sent = 0, failed = 0, gaveUp = 0;
        foreach (var message in due)
        {
            message.Attempts++;
            try
            {
                await transport.SendAsync(message.To, message.Subject, message.Body, ct);
                message.SentAt = clock.GetUtcNow();
                message.LastError = null;
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                message.LastError = Clip(SmtpEmailTransport.Describe(ex));
                var permanent = ex is EmailRejectedException;
                if (permanent || message.Attempts >= options.Value.MaxAttempts)
                {
                    message.GaveUp = true;
                    gaveUp++;
                    logger.LogError("E-mail {Id} to {To} given up after {Attempts} attempts: {Error}", message.Id, message.To, message.Attempts, ex.Message);
                }
                else
                {
                    message.NextAttemptAt = clock.GetUtcNow().UtcDateTime + Backoff(message.Attempts);
                    failed++;
                    logger.LogWarning("E-mail {Id} to {To} not sent (attempt {Attempts}), next try at {Next:u}: {Error}",
                        message.Id, message.To, message.Attempts, message.NextAttemptAt, ex.Message);
                }
            }
            // Saved per message: what was handed to the server must be marked sent before the next one goes out.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return new OutboxRun(sent, failed, gaveUp);
    }

    private static string Clip(string text) => text.Length <= 1000 ? text : text[..1000];
}
