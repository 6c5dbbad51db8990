using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Features.Sealing;

/// <summary>
/// An RFC 3161 time-stamp authority over HTTP for sealing tests: it answers the first <c>answer</c>
/// requests and holds every later one (a portal killed while waiting), or answers 503 while <see cref="Down"/>.
/// </summary>
internal sealed class ControllableTsa : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    private ControllableTsa(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>While true every request gets 503, as from an authority that is down.</summary>
    public bool Down { get; set; }

    /// <summary>Completes when a request is being held.</summary>
    public Task Held => _held.Task;

    public static async Task<ControllableTsa> StartAsync(TimestampAuthority authority, int answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var tsa = new ControllableTsa(app);
        app.MapPost("/", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            if (tsa.Down)
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            if (Interlocked.Increment(ref tsa._count) > answer)
            {
                tsa._held.TrySetResult();
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }
            return Results.Bytes(authority.Respond(body.ToArray()), "application/timestamp-reply");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        tsa.Url = new Uri($"http://127.0.0.1:{new Uri(address).Port}/");
        return tsa;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
