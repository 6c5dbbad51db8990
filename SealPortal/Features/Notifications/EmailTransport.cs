using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace SealPortal.Features.Notifications;

/// <summary>Hands one e-mail to a mail server. Throws <see cref="EmailRejectedException"/> when retrying cannot help.</summary>
public interface IEmailTransport
{
    Task SendAsync(string to, string subject, string body, CancellationToken ct);
}

/// <summary>The server refused the message for good (a 5xx answer); the outbox stops trying it.</summary>
public sealed class EmailRejectedException(string message, Exception inner) : Exception(message, inner);

/// <summary>SMTP through System.Net.Mail (MailKit does not restore here); plain text, UTF-8.</summary>
public sealed class SmtpEmailTransport(IOptions<SmtpOptions> options) : IEmailTransport
{
    public async Task SendAsync(string to, string subject, string body, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.IsEnabled)
            throw new InvalidOperationException("Smtp:Host is not set, so the portal sends no e-mail.");
        using var client = new SmtpClient(o.Host, o.Port) { EnableSsl = o.EnableSsl, Timeout = 30_000 };
        if (!string.IsNullOrEmpty(o.User))
            client.Credentials = new NetworkCredential(o.User, o.Password);
        using var message = new MailMessage(o.From, to, subject, body)
        {
            SubjectEncoding = System.Text.Encoding.UTF8,
            BodyEncoding = System.Text.Encoding.UTF8,
        };
        try
        {
            await client.SendMailAsync(message, ct);
        }
        catch (SmtpFailedRecipientException ex) when (IsPermanent(ex.StatusCode))
        {
            throw new EmailRejectedException($"{(int)ex.StatusCode} {ex.Message}", ex);
        }
        catch (SmtpException ex) when (IsPermanent(ex.StatusCode))
        {
            throw new EmailRejectedException($"{(int)ex.StatusCode} {ex.Message}", ex);
        }
    }

    // 5xx means "do not send this again"; 4xx and connection failures are worth another try.
    // GeneralFailure (-1) is what SmtpClient reports for a refused connection, so it is transient.
    private static bool IsPermanent(SmtpStatusCode code) => (int)code >= 500 && (int)code < 600;
}
