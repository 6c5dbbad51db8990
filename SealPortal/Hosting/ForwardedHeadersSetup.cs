using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SealPortal.Hosting;

/// <summary>
/// Behind a reverse proxy the connection's address is the proxy's. "ForwardedHeaders:KnownProxies"
/// (addresses) and "ForwardedHeaders:KnownNetworks" (CIDR, e.g. 10.0.0.0/8) name the proxies whose
/// X-Forwarded-For and X-Forwarded-Proto are believed, so that logs, sign-in limits and the audit trail
/// record the client's address. With neither set, nothing forwarded is believed: a client could
/// otherwise write any address into the audit trail.
/// </summary>
public static class ForwardedHeadersSetup
{
    public const string Section = "ForwardedHeaders";

    public static WebApplicationBuilder AddForwardedHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            o.ForwardLimit = configuration.GetValue($"{Section}:ForwardLimit", 1);
            foreach (var proxy in configuration.GetSection($"{Section}:KnownProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"{Section}:KnownProxies: \"{proxy}\" is not an IP address."));
            foreach (var network in configuration.GetSection($"{Section}:KnownNetworks").Get<string[]>() ?? [])
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"{Section}:KnownNetworks: \"{network}\" is not a network such as 10.0.0.0/8."));
        });
        return builder;
    }

    public static WebApplication UseConfiguredForwardedHeaders(this WebApplication app)
    {
        var configuration = app.Configuration;
        // Read per request: a test host adds its settings after Program.cs has composed the pipeline.
        app.UseWhen(_ => configuration.GetSection($"{Section}:KnownProxies").Exists() || configuration.GetSection($"{Section}:KnownNetworks").Exists(),
            branch => branch.UseForwardedHeaders());
        return app;
    }
}
