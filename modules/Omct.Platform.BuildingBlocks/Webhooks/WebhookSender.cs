using System.Diagnostics;
using System.Net.Http.Headers;

namespace Omct.Platform.BuildingBlocks.Webhooks;

/// <summary>One delivery attempt: what the receiver answered (or why nothing came back) and how long it took.</summary>
public sealed record WebhookAttempt(bool Delivered, int? StatusCode, string? Error, TimeSpan Duration)
{
    /// <summary>A receiver that answered 410 Gone wants no more deliveries: retrying is pointless.</summary>
    public bool Gone => StatusCode == 410;
}

/// <summary>
/// Sends one signed webhook (POST, JSON) with the headers every platform webhook carries:
/// <c>X-Omct-Delivery</c> (the delivery id: the same on every retry, so receivers can drop
/// duplicates), <c>X-Omct-Event</c> and <see cref="WebhookSignature.Header"/>. Any 2xx is a delivery;
/// anything else, a timeout or a connection failure is a failed attempt, for the caller's retry
/// policy (<see cref="WebhookRetryPolicy"/>). Redirects are not followed.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "omct-webhooks";
    public const string DeliveryHeader = "X-Omct-Delivery";
    public const string EventHeader = "X-Omct-Event";

    public async Task<WebhookAttempt> SendAsync(
        Uri endpoint, string secret, string deliveryId, string eventType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(DeliveryHeader, deliveryId);
        request.Headers.Add(EventHeader, eventType);
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, time.GetUtcNow(), body.Span));

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return new WebhookAttempt(status is >= 200 and < 300, status, status is >= 200 and < 300 ? null : $"HTTP {status}", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // What failed, never the secret, the body or the addresses and ports behind the name (which would make
            // the attempts' record a map of what the platform can reach).
            var error = e switch
            {
                TaskCanceledException => "timed out",
                HttpRequestException { InnerException: WebhookEndpointRefusedException refused } => refused.Message,
                HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } => $"connection failed ({socket.SocketErrorCode})",
                HttpRequestException http => $"request failed ({http.HttpRequestError})",
                _ => "request failed",
            };
            return new WebhookAttempt(false, null, error, Stopwatch.GetElapsedTime(started));
        }
    }
}

/// <summary>When to try again after a failed attempt, and when to give up for now (pause).</summary>
public static class WebhookRetryPolicy
{
    /// <summary>Attempts after which an endpoint (or a delivery) is paused until someone resumes it.</summary>
    public const int MaxAttempts = 8;

    /// <summary>30 s, 1 min, 2 min … up to an hour, with up to 20 % jitter so that retries do not arrive together.</summary>
    public static DateTimeOffset NextAttemptAt(int failedAttempts, DateTimeOffset now, Random? random = null)
    {
        var seconds = Math.Min(3600, 30 * Math.Pow(2, Math.Max(0, failedAttempts - 1)));
        var jitter = 1 + (random ?? Random.Shared).NextDouble() * 0.2;
        return now + TimeSpan.FromSeconds(seconds * jitter);
    }

    /// <summary>An endpoint URL a webhook may be sent to: absolute http(s), https only unless <paramref name="allowHttp"/>; null when valid, else why not.</summary>
    public static string? CheckEndpoint(string? url, bool allowHttp)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || url!.Length > 2000)
        {
            return "An absolute http(s) URL of at most 2,000 characters.";
        }

        if (uri.Scheme == "http" && !allowHttp)
        {
            return "Only https endpoints are accepted here (Omct:Webhooks:AllowHttp).";
        }

        return string.IsNullOrEmpty(uri.UserInfo) ? null : "Credentials do not belong in the URL; the signature authenticates the platform.";
    }
}
