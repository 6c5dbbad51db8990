using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

using SealPortal.Pdf.Signing;

namespace SealPortal.Cli;

/// <summary>
/// Serves a <see cref="TimestampAuthority"/> over HTTP (RFC 3161 3.4) on 127.0.0.1 for the `tsa`
/// verb and the tests. It lives outside Pdf/ because it is ASP.NET hosting; the authority itself
/// (request checks, token signing) is the engine's and has no web dependency.
/// </summary>
public sealed class TimestampServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 64 * 1024;
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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = MaxRequestBytes;
        });
        var app = builder.Build();
        app.MapPost("/", async (HttpContext http) =>
        {
            byte[] body;
            try
            {
                using var buffer = new MemoryStream();
                await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
                body = buffer.ToArray();
            }
            catch (BadHttpRequestException)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }
            // Rejections are still 200 with a TimeStampResp: RFC 3161 puts the status inside the response.
            return Results.Bytes(tsa.Respond(body), "application/timestamp-reply");
        });
        app.MapGet("/", () => Results.Text("RFC 3161 time-stamp authority: POST application/timestamp-query here.\n"));

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        return new TimestampServer(app, new Uri($"http://127.0.0.1:{bound.Port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
