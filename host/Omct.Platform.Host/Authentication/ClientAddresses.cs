using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Omct.Platform.Host.Authentication;

/// <summary>
/// <c>Omct:Network</c>: the reverse proxies whose <c>X-Forwarded-For</c> the host believes. Off by default
/// (both lists empty): the client address is the connection's, and a forwarded header is ignored — anyone can
/// send one. With a proxy configured, a request that arrives from it is attributed to the client the proxy
/// names, so the per-address rate limits (anonymous callers, refused credentials) apply per client rather
/// than to the proxy as one address; a header from any other address is still ignored.
/// </summary>
public sealed class NetworkOptions
{
    public const string Section = "Omct:Network";

    /// <summary>Addresses of trusted proxies (<c>10.0.0.5</c>, <c>::1</c>).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form (<c>10.0.0.0/8</c>).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal static class ClientAddresses
{
    public static IServiceCollection AddPlatformForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var network = configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        services.AddSingleton(network);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // Walk back through every trusted proxy of a chain (it stops at the first address that is not one).
            o.ForwardLimit = null;
            // Only what is configured: not even loopback by default.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in network.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                    : throw new InvalidOperationException($"{NetworkOptions.Section}:KnownProxies: '{proxy}' is not an IP address."));
            }

            foreach (var range in network.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(range, out var parsed) ? parsed
                    : throw new InvalidOperationException($"{NetworkOptions.Section}:KnownNetworks: '{range}' is not a network in CIDR form (10.0.0.0/8)."));
            }
        });
        return services;
    }

    public static WebApplication UsePlatformForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<NetworkOptions>().Enabled)
        {
            // Resolving the options now fails start-up on a bad address, naming the setting.
            _ = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
            app.UseForwardedHeaders();
        }

        return app;
    }
}
