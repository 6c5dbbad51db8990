using Microsoft.Extensions.Options;
using SealPortal.Features.Notifications;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Notifications;

/// <summary>MailKit's SMTP client against a real SMTP peer on a local socket.</summary>
public sealed class EmailTransportTests
{
    private static SmtpEmailTransport Transport(TinySmtpServer smtp) => new(Options.Create(new SmtpOptions
    {
        Host = "127.0.0.1",
        Port = smtp.Port,
        From = "sealportal@example.com",
    }));

    [Fact]
    public async Task A_message_arrives_with_its_envelope_headers_and_utf8_text()
    {
        await using var smtp = new TinySmtpServer();
        await Transport(smtp).SendAsync("keeper@example.com", "印章申请 SR-7", "请审批：合同专用章", default);

        var (to, data) = Assert.Single(smtp.Messages);
        Assert.Equal(["keeper@example.com"], to);
        Assert.Contains("From: sealportal@example.com", data);
        Assert.Contains("To: keeper@example.com", data);
        // The subject is an RFC 2047 encoded word, the body base64: both UTF-8.
        var subject = data.Split('\n').Single(l => l.StartsWith("Subject:", StringComparison.Ordinal))[8..].Trim();
        Assert.Equal("印章申请 SR-7", MimeKit.Utils.Rfc2047.DecodeText(System.Text.Encoding.ASCII.GetBytes(subject)));
        var body = string.Concat(data[(data.IndexOf("\n\n", StringComparison.Ordinal) + 2)..].Split('\n').Select(l => l.Trim()));
        Assert.Equal("请审批：合同专用章", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body)));
    }

    [Fact]
    public async Task A_refused_recipient_is_a_permanent_rejection_with_the_reply_code()
    {
        await using var smtp = new TinySmtpServer { RefuseRecipients = true };
        var ex = await Assert.ThrowsAsync<EmailRejectedException>(() => Transport(smtp).SendAsync("nobody@example.com", "s", "b", default));
        Assert.StartsWith("550 ", SmtpEmailTransport.Describe(ex));
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task A_server_saying_try_later_is_a_transient_failure_with_the_reply_code()
    {
        await using var smtp = new TinySmtpServer(refuseFirst: 1);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => Transport(smtp).SendAsync("keeper@example.com", "s", "b", default));
        Assert.IsNotType<EmailRejectedException>(ex);
        Assert.StartsWith("421 ", SmtpEmailTransport.Describe(ex));
    }
}
