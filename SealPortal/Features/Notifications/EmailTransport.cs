using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace SealPortal.Features.Notifications;

/// <summary>Hands one e-mail to a mail server. Throws <see cref="EmailRejectedException"/> when retrying cannot help.</summary>
public interface IEmailTransport
{
    Task SendAsync(string to, string subject, string body, CancellationToken ct);
}

/// <summary>The server refused the message for good (a 5xx answer); the outbox stops trying it.</summary>
public sealed class EmailRejectedException(string message, Exception inner) : Exception(message, inner);

/// <summary>SMTP through MailKit; plain text, UTF-8, one connection per message.</summary>
public sealed class SmtpEmailTransport(IOptions<SmtpOptions> options) : IEmailTransport
{
    public async Task SendAsync(string to, string subject, string body, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.IsEnabled)
            throw new InvalidOperationException("Smtp:Host is not set, so the portal sends no e-mail.");
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        // Base64 keeps Chinese text intact through servers that only take 7-bit mail.
        message.Body = new TextPart(TextFormat.Plain) { Text = body, ContentTransferEncoding = ContentEncoding.Base64 };

        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            // Port 465 speaks TLS from the first byte; elsewhere EnableSsl means STARTTLS, required.
            var security = !o.EnableSsl ? SecureSocketOptions.None
                : o.Port == 465 ? SecureSocketOptions.SslOnConnect
                : SecureSocketOptions.StartTls;
            await client.ConnectAsync(o.Host, o.Port, security, ct);
            if (!string.IsNullOrEmpty(o.User))
                await client.AuthenticateAsync(o.User, o.Password ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (SmtpCommandException ex) when (IsPermanent(ex.StatusCode))
        {
            throw new EmailRejectedException(Describe(ex), ex);
        }
        catch (AuthenticationException ex)
        {
            throw new EmailRejectedException($"the mail server refused Smtp:User {o.User}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The reply code first: it is what tells an operator "try later" (4xx) from "refused" (5xx).
    /// </summary>
    public static string Describe(Exception ex) => ex switch
    {
        SmtpCommandException smtp => $"{(int)smtp.StatusCode} {smtp.Message}",
        EmailRejectedException rejected => rejected.Message,
        _ => ex.Message,
    };

    // 5xx means "do not send this again"; 4xx and connection failures are worth another try.
    private static bool IsPermanent(SmtpStatusCode code) => (int)code >= 500 && (int)code < 600;
}
