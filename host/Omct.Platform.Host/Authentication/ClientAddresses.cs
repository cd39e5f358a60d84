using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Omct.Platform.BuildingBlocks.Configuration;

namespace Omct.Platform.Host.Authentication;

/// <summary>
/// <c>Omct:Network</c>: the reverse proxies whose <c>X-Forwarded-For</c> the host believes. Off by default
/// (both lists empty): the client address is the connection's, and a forwarded header is ignored — anyone can
/// send one. With a proxy configured, a request that arrives from it is attributed to the client the proxy
/// names, so the per-address rate limits (anonymous callers, refused credentials) apply per client rather
/// than to the proxy as one address; a header from any other address is still ignored.
/// </summary>
public sealed class NetworkOptions : IValidatableObject
{
    public const string Section = "Omct:Network";

    /// <summary>Addresses of trusted proxies (<c>10.0.0.5</c>, <c>::1</c>).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form (<c>10.0.0.0/8</c>).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(KnownProxies[i], out _))
            {
                yield return new ValidationResult($"'{KnownProxies[i]}' is not an IP address.", [$"{nameof(KnownProxies)}:{i}"]);
            }
        }

        for (var i = 0; i < KnownNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(KnownNetworks[i], out _))
            {
                yield return new ValidationResult($"'{KnownNetworks[i]}' is not a network in CIDR form (10.0.0.0/8).", [$"{nameof(KnownNetworks)}:{i}"]);
            }
        }
    }
}

internal static class ClientAddresses
{
    public static IServiceCollection AddPlatformForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        // A bad address or network fails start-up here, naming its setting.
        var network = services.AddValidatedSection<NetworkOptions>(configuration, NetworkOptions.Section);
        services.AddSingleton(network);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The client's address and whether it reached the proxy over HTTPS (the HTTPS-only cookies depend on it).
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Walk back through every trusted proxy of a chain (it stops at the first address that is not one).
            o.ForwardLimit = null;
            // Only what is configured: not even loopback by default.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in network.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var range in network.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(range));
            }
        });
        return services;
    }

    public static WebApplication UsePlatformForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<NetworkOptions>().Enabled)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
