using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>What an endpoint received: the headers that matter, the exact body, and what it answered.</summary>
public sealed record ReceivedDelivery(string? DeliveryId, string? Event, string? Signature, string? ContentType, byte[] Body, int AnsweredWith)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public IReadOnlyList<JsonElement> Changes => [.. Json.GetProperty("changes").EnumerateArray()];
}

/// <summary>
/// An integrator's webhook endpoint: a real Kestrel server on a free port of 127.0.0.1, answering each
/// POST to <c>/hooks</c> with the next scripted status (then <see cref="DefaultStatus"/>), optionally
/// after a delay (a slow endpoint), and recording every request.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script = new();
    private readonly List<ReceivedDelivery> _received = [];
    private int _inFlight;
    private int _maxInFlight;

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public int DefaultStatus { get; set; } = 200;

    public TimeSpan Delay { get; set; }

    /// <summary>The most requests that were being answered at the same moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public IReadOnlyList<ReceivedDelivery> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The requests answered with a 2xx: what the integrator accepted.</summary>
    public IReadOnlyList<ReceivedDelivery> Accepted => [.. Received.Where(r => r.AnsweredWith is >= 200 and < 300)];

    /// <summary>The next requests are answered with these statuses, in order.</summary>
    public void Respond(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(status);
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hooks";
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay); // a slow endpoint, on the wall clock
            }

            var status = _script.TryDequeue(out var scripted) ? scripted : DefaultStatus;
            lock (_received)
            {
                _received.Add(new ReceivedDelivery(
                    http.Request.Headers["X-Omct-Delivery"].ToString(), http.Request.Headers["X-Omct-Event"].ToString(),
                    http.Request.Headers["X-Omct-Signature"].ToString(), http.Request.ContentType, buffer.ToArray(), status));
            }

            http.Response.StatusCode = status;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
