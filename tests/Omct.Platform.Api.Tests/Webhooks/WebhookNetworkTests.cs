using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Webhooks;
using Xunit;

namespace Omct.Platform.Api.Tests.Webhooks;

/// <summary>Webhooks reach the public internet only, unless Omct:Webhooks:AllowPrivateNetworks says otherwise.</summary>
public sealed class WebhookNetworkTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)] // cloud metadata
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    public void Only_public_addresses_are_public(string address, bool expected) =>
        Assert.Equal(expected, WebhookServiceCollectionExtensions.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task A_webhook_to_the_loopback_is_refused_before_connecting_and_its_error_names_no_address()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var refused = await SendAsync(new Uri($"http://127.0.0.1:{port}/hook"), allowPrivate: false);
        Assert.False(refused.Delivered);
        Assert.Contains("loopback, private or link-local", refused.Error, StringComparison.Ordinal);
        Assert.False(listener.Pending()); // nothing connected

        // Allowed: it connects (and fails, since nobody answers HTTP), and the error says how without the address or port.
        listener.Stop();
        var closed = await SendAsync(new Uri($"http://127.0.0.1:{port}/hook"), allowPrivate: true);
        Assert.False(closed.Delivered);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), closed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", closed.Error, StringComparison.Ordinal);
    }

    private static async Task<WebhookAttempt> SendAsync(Uri endpoint, bool allowPrivate)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [WebhookServiceCollectionExtensions.AllowPrivateNetworksSetting] = allowPrivate ? "true" : "false",
            }).Build())
            .AddSingleton(TimeProvider.System)
            .AddWebhookSender();
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<WebhookSender>().SendAsync(endpoint, WebhookSignature.NewSecret(), "d-1", "test", "{}"u8.ToArray(), CancellationToken.None);
    }
}
