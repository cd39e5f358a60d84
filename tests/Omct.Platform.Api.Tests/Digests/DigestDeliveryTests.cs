using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Digests.DigestKit;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>A host whose SMTP server is the test's sink, that accepts http webhooks (a local receiver), on a clock the test moves.</summary>
public sealed class DeliveryPlatform(int smtpPort, FakeTimeProvider clock) : PlatformFactory
{
    public FakeTimeProvider Clock => clock;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Smtp:Host"] = "127.0.0.1",
        ["Omct:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Omct:Smtp:From"] = "OMCT digests <digests@omct.test>",
        ["Omct:Smtp:Security"] = "None",
        ["Omct:Webhooks:AllowHttp"] = "true",
        ["Omct:Webhooks:AllowPrivateNetworks"] = "true", // the receivers listen on the loopback
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(clock);
}

/// <summary>A <see cref="DeliveryPlatform"/> and its SMTP sink (a real SMTP server), started before each test of the class and stopped after it.</summary>
public abstract class DeliveryTestBase : IAsyncLifetime
{
    protected SmtpSink Smtp { get; private set; } = null!;

    protected DeliveryPlatform App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        App = new DeliveryPlatform(Smtp.Port, new FakeTimeProvider(DateTimeOffset.UtcNow));
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>Delivery through a real SMTP server and a real HTTP receiver: retries with backoff, never twice, failures visible.</summary>
public sealed class DigestDeliveryTests : DeliveryTestBase
{

    [Fact]
    public async Task A_digest_is_mailed_through_a_real_SMTP_server_with_its_Message_Id_and_both_parts_and_a_refused_recipient_fails_visibly()
    {
        var admin = App.Admin();
        var asOf = TodayInGeneva().AddDays(1);
        await OpenCaseAsync(admin, "Burkina Faso: journalist detained in Ouagadougou", "BF", "PUBLIC");
        var (subscription, secret) = await SubscribeAsync(admin, new
        {
            name = "Sahel desk", period = "DAILY", audience = "PUBLIC", countries = new[] { "BF" },
            emailRecipients = new[] { "desk@example.org", "reject-me@example.org", "busy@example.org" },
        });
        Assert.Null(secret);
        await RunAsync(admin, "DIGEST", asOf);

        var run = await RunAsync(admin, "DIGEST_DELIVERY", null);
        Assert.Equal(1, run.GetProperty("items").GetInt32());

        var digest = Of(await DigestsAsync(admin), subscription);
        var deliveries = digest.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("target").GetString()!);
        var delivered = deliveries["desk@example.org"];
        Assert.Equal(("DELIVERED", 1), (delivered.GetProperty("status").GetString(), delivered.GetProperty("attempts").GetInt32()));
        Assert.NotEqual(JsonValueKind.Null, delivered.GetProperty("deliveredAt").ValueKind);
        var refused = deliveries["reject-me@example.org"];
        Assert.Equal(("FAILED", 1), (refused.GetProperty("status").GetString(), refused.GetProperty("attempts").GetInt32()));
        Assert.Contains("550", refused.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        var busy = deliveries["busy@example.org"];
        Assert.Equal(("FAILED_RETRYING", 1), (busy.GetProperty("status").GetString(), busy.GetProperty("attempts").GetInt32()));
        Assert.Contains("451", busy.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, busy.GetProperty("nextAttemptAt").ValueKind);

        var message = Assert.Single(Smtp.Messages());
        Assert.Equal(["desk@example.org"], message.GetProperty("envelope").GetProperty("to").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("digests@omct.test", message.GetProperty("envelope").GetProperty("from").GetString());
        Assert.Equal($"Sahel desk: daily digest, {Iso(asOf.AddDays(-1))}", message.GetProperty("subject").GetString());
        var deliveryId = Guid.Parse(delivered.GetProperty("id").GetString()!);
        Assert.Equal($"<digest-{deliveryId:N}@omct.test>", message.GetProperty("messageId").GetString());
        Assert.Equal(digest.GetProperty("markdown").GetString()!.ReplaceLineEndings("\n").Trim(), message.GetProperty("text").GetString()!.ReplaceLineEndings("\n").Trim());
        Assert.Contains(digest.GetProperty("html").GetString()!.Trim(), message.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains("journalist detained in Ouagadougou", message.GetProperty("html").GetString(), StringComparison.Ordinal);

        // Delivered once: later runs, also after the backoff of the busy recipient, send nothing more to the others.
        App.Clock.Advance(TimeSpan.FromMinutes(2));
        await RunAsync(admin, "DIGEST_DELIVERY", null);
        Assert.Single(Smtp.Messages());
        var after = Of(await DigestsAsync(admin), subscription).GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("target").GetString()!);
        Assert.Equal(("FAILED_RETRYING", 2), (after["busy@example.org"].GetProperty("status").GetString(), after["busy@example.org"].GetProperty("attempts").GetInt32()));
        Assert.Equal(("DELIVERED", 1), (after["desk@example.org"].GetProperty("status").GetString(), after["desk@example.org"].GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task A_webhook_that_fails_twice_is_retried_with_backoff_under_one_delivery_id_signed_each_time_and_delivered_once()
    {
        var admin = App.Admin();
        var asOf = TodayInGeneva().AddDays(1);
        await OpenCaseAsync(admin, "Chad: human rights defender abducted in N'Djamena", "TD", "PUBLIC");
        await using var receiver = WebhookReceiver.Start(failFirst: 2);
        var (subscription, secret) = await SubscribeAsync(admin, new { name = "Chad integration", period = "DAILY", audience = "PUBLIC", countries = new[] { "TD" }, webhookUrl = receiver.Url });
        Assert.NotNull(secret);
        receiver.Secret = secret;
        receiver.Clock = App.Clock;
        await RunAsync(admin, "DIGEST", asOf);

        // Attempt 1: 500.
        var start = App.Clock.GetUtcNow();
        Assert.Equal(0, (await RunAsync(admin, "DIGEST_DELIVERY", null)).GetProperty("items").GetInt32());
        var first = await DeliveryAsync(admin, subscription);
        Assert.Equal(("FAILED_RETRYING", 1, "HTTP 500"), (first.GetProperty("status").GetString(), first.GetProperty("attempts").GetInt32(), first.GetProperty("lastError").GetString()));
        var next = first.GetProperty("nextAttemptAt").GetDateTimeOffset();
        Assert.InRange(next, start.AddSeconds(30), start.AddSeconds(36.5)); // 30 s, up to 20 % jitter

        // Not before its time.
        await RunAsync(admin, "DIGEST_DELIVERY", null);
        Assert.Single(receiver.Requests);

        // Attempt 2, after the first backoff: 500 again; the next one waits twice as long.
        App.Clock.Advance(next - App.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        var second = App.Clock.GetUtcNow();
        await RunAsync(admin, "DIGEST_DELIVERY", null);
        Assert.Equal(2, receiver.Requests.Count);
        var retried = await DeliveryAsync(admin, subscription);
        Assert.Equal(("FAILED_RETRYING", 2), (retried.GetProperty("status").GetString(), retried.GetProperty("attempts").GetInt32()));
        next = retried.GetProperty("nextAttemptAt").GetDateTimeOffset();
        Assert.InRange(next, second.AddSeconds(60), second.AddSeconds(72.5));
        App.Clock.Advance(TimeSpan.FromSeconds(55));
        await RunAsync(admin, "DIGEST_DELIVERY", null);
        Assert.Equal(2, receiver.Requests.Count);

        // Attempt 3: accepted.
        App.Clock.Advance(next - App.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await RunAsync(admin, "DIGEST_DELIVERY", null)).GetProperty("items").GetInt32());
        var done = await DeliveryAsync(admin, subscription);
        Assert.Equal(("DELIVERED", 3), (done.GetProperty("status").GetString(), done.GetProperty("attempts").GetInt32()));
        Assert.Equal(JsonValueKind.Null, done.GetProperty("nextAttemptAt").ValueKind);

        // Never again, however much time passes.
        App.Clock.Advance(TimeSpan.FromHours(3));
        await RunAsync(admin, "DIGEST_DELIVERY", null);
        Assert.Equal(3, receiver.Requests.Count);

        // Each attempt: the same delivery id, a valid signature made at the attempt's time, the digest's JSON.
        var deliveryId = done.GetProperty("id").GetString();
        var digestId = Of(await DigestsAsync(admin), subscription).GetProperty("id").GetString();
        Assert.All(receiver.Requests, r =>
        {
            Assert.Equal(deliveryId, r.DeliveryId);
            Assert.Equal("digest.published", r.Event);
            Assert.True(r.SignatureValid, "signature");
            var body = JsonDocument.Parse(r.Body).RootElement;
            Assert.Equal((digestId, "PUBLIC", "DAILY"), (body.GetProperty("id").GetString(), body.GetProperty("audience").GetString(), body.GetProperty("period").GetString()));
            Assert.Contains("abducted in N'Djamena", body.GetProperty("markdown").GetString(), StringComparison.Ordinal);
        });
        Assert.Single(receiver.Requests.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task Two_delivery_runs_at_the_same_moment_send_each_delivery_once()
    {
        var admin = App.Admin();
        var asOf = TodayInGeneva().AddDays(1);
        await OpenCaseAsync(admin, "Guinea: lawyer threatened", "GN", "PUBLIC");
        // The receiver answers slowly, so both runs are at work while the first claims are held.
        await using var receiver = WebhookReceiver.Start(failFirst: 0, delay: TimeSpan.FromMilliseconds(300));
        for (var i = 0; i < 4; i++)
        {
            await SubscribeAsync(admin, new { name = $"Guinea {i}", period = "DAILY", audience = "PUBLIC", countries = new[] { "GN" }, webhookUrl = receiver.Url + $"?n={i}" });
        }

        await RunAsync(admin, "DIGEST", asOf);
        var runs = await Task.WhenAll(RunAsync(App.Admin(), "DIGEST_DELIVERY", null), RunAsync(App.Admin(), "DIGEST_DELIVERY", null));
        Assert.Equal(4, runs.Sum(r => r.GetProperty("items").GetInt32()));
        Assert.Equal(4, receiver.Requests.Count);
        Assert.Equal(4, receiver.Requests.Select(r => r.DeliveryId).Distinct().Count());
    }

    private static async Task<JsonElement> DeliveryAsync(GraphQLClient admin, string subscription) =>
        Assert.Single(Of(await DigestsAsync(admin), subscription).GetProperty("deliveries").EnumerateArray());
}

/// <summary>An HTTP receiver on a free loopback port that checks each webhook's signature and fails the first requests.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly int _failFirst;
    private readonly TimeSpan _delay;
    private readonly Task _loop;
    private int _count;

    private WebhookReceiver(int failFirst, TimeSpan delay)
    {
        (_failFirst, _delay) = (failFirst, delay);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public string? Secret { get; set; }

    public TimeProvider? Clock { get; set; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(string? DeliveryId, string? Event, bool SignatureValid, string Body);

    public static WebhookReceiver Start(int failFirst, TimeSpan? delay = null) => new(failFirst, delay ?? TimeSpan.Zero);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var bytes = body.ToArray();
                var valid = Secret is { } secret && WebhookSignature.Verify(secret, context.Request.Headers[WebhookSignature.Header], bytes, (Clock ?? TimeProvider.System).GetUtcNow());
                Requests.Enqueue(new Received(context.Request.Headers[WebhookSender.DeliveryHeader], context.Request.Headers[WebhookSender.EventHeader], valid, Encoding.UTF8.GetString(bytes)));
                if (_delay > TimeSpan.Zero)
                {
                    await Task.Delay(_delay); // holds the sender's claim a while (not a wait for a clock)
                }

                context.Response.StatusCode = Interlocked.Increment(ref _count) <= _failFirst ? 500 : 200;
                context.Response.Close();
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
