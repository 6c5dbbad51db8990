using SealPortal.Pdf.Signing;

namespace SealPortal.Cli;

/// <summary>
/// Serves a <see cref="TimestampAuthority"/> over HTTP (RFC 3161 3.4) on 127.0.0.1 for the `tsa`
/// verb and the tests. It lives outside Pdf/ because it is ASP.NET hosting; the authority itself
/// (request checks, token signing) is the engine's and has no web dependency.
/// </summary>
public sealed class TimestampServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TimestampServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Where clients POST their requests, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Url { get; }

    /// <param name="port">0 picks a free ephemeral port (what tests must use).</param>
    public static async Task<TimestampServer> StartAsync(TimestampAuthority tsa, int port, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tsa);
        var (app, url) = await LoopbackResponderServer.StartAsync(b => tsa.Respond(b), "application/timestamp-reply",
            "RFC 3161 time-stamp authority: POST application/timestamp-query here.", port, ct);
        return new TimestampServer(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
