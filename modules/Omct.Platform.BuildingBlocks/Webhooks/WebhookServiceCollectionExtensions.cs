using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Omct.Platform.BuildingBlocks.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The signed webhook sender (idempotent: modules that send webhooks each call it).</summary>
    public static IServiceCollection AddWebhookSender(this IServiceCollection services)
    {
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            // The factory's default lines name each request's URL at Information level, and receivers put tokens in
            // query strings; the senders log each attempt themselves, without the URL.
            .RemoveAllLoggers();
        services.TryAddSingleton<WebhookSender>();
        return services;
    }
}
