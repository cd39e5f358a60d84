using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Omct.Platform.BuildingBlocks.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The setting that lets webhooks reach loopback and private addresses (tests, a receiver on the same network).</summary>
    public const string AllowPrivateNetworksSetting = "Omct:Webhooks:AllowPrivateNetworks";

    /// <summary>The signed webhook sender (idempotent: modules that send webhooks each call it).</summary>
    public static IServiceCollection AddWebhookSender(this IServiceCollection services)
    {
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var allowPrivate = provider.GetRequiredService<IConfiguration>().GetValue<bool>(AllowPrivateNetworksSetting);
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    // Checked when connecting, on the address actually dialled, so a name that resolves (or later
                    // re-resolves) to the internal network is refused too: a registered URL must not make the platform
                    // a probe of the machines behind its firewall.
                    ConnectCallback = (context, ct) => ConnectAsync(context, allowPrivate, ct),
                };
            })
            // The factory's default lines name each request's URL at Information level, and receivers put tokens in
            // query strings; the senders log each attempt themselves, without the URL.
            .RemoveAllLoggers();
        services.TryAddSingleton<WebhookSender>();
        return services;
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
        var allowed = allowPrivate ? addresses : addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookEndpointRefusedException(addresses.Length == 0
                ? "The endpoint's name does not resolve."
                : $"The endpoint resolves to a loopback, private or link-local address ({AllowPrivateNetworksSetting}).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether an address is on the public internet (not loopback, private, link-local, unique-local, CGNAT or unspecified).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) ||
                 (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] >= 224);
    }
}

/// <summary>A webhook endpoint the sender will not connect to (its message is safe to show to the webhook's owner).</summary>
public sealed class WebhookEndpointRefusedException(string message) : Exception(message);
