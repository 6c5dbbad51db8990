using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

using SealPortal.Pdf.Signing;

namespace SealPortal.Cli;

/// <summary>
/// Serves a request/response protocol over HTTP POST on 127.0.0.1: RFC 3161 for
/// <see cref="TimestampServer"/>, RFC 6960 for <see cref="OcspServer"/>, for the verbs and the tests.
/// Outside Pdf/ because it is ASP.NET hosting; the protocols themselves are the engine's.
/// </summary>
internal static class LoopbackResponderServer
{
    private const int MaxRequestBytes = 64 * 1024;

    /// <param name="port">0 picks a free ephemeral port (what tests must use).</param>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(Func<byte[], byte[]> respond, string responseType, string description,
        int port, CancellationToken ct)
    {
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
            // Rejections are still 200: both protocols put their status inside the response.
            return Results.Bytes(respond(body), responseType);
        });
        app.MapGet("/", () => Results.Text(description + "\n"));

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri($"http://127.0.0.1:{new Uri(address).Port}/"));
    }
}

/// <summary>Serves an <see cref="OcspResponder"/> over HTTP (RFC 6960 appendix A.1) on 127.0.0.1.</summary>
public sealed class OcspServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OcspServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Where clients POST their requests, e.g. http://127.0.0.1:41235/.</summary>
    public Uri Url { get; }

    /// <param name="port">0 picks a free ephemeral port (what tests must use).</param>
    public static async Task<OcspServer> StartAsync(OcspResponder responder, int port, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(responder);
        var (app, url) = await LoopbackResponderServer.StartAsync(b => responder.Respond(b), "application/ocsp-response",
            "RFC 6960 OCSP responder: POST application/ocsp-request here.", port, ct);
        return new OcspServer(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
