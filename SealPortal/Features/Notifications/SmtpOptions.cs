namespace SealPortal.Features.Notifications;

/// <summary>
/// "Smtp" in configuration. Without a <see cref="Host"/> the portal sends no e-mail (it says so in
/// the log at start) and notifications appear only under the bell.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string From { get; set; } = "sealportal@localhost";

    public bool EnableSsl { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The portal's public address, put in front of links in e-mails (e.g. "https://seal.example.com").</summary>
    public string? PortalUrl { get; set; }

    /// <summary>How many times a message is tried before it is given up (and shown as failed).</summary>
    public int MaxAttempts { get; set; } = 10;

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Host))]
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Host);
}
