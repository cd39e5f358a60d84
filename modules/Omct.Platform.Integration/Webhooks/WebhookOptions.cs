using System.ComponentModel.DataAnnotations;

namespace Omct.Platform.Integration.Webhooks;

/// <summary><c>Omct:Webhooks</c>: which endpoints are accepted and how the dispatcher paces deliveries.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Omct:Webhooks";

    /// <summary>Accept <c>http://</c> endpoints (tests, a receiver on the same private network). Default: https only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>How often the WEBHOOK_DISPATCH job runs (seconds, 1–3600; default 5).</summary>
    [Range(1, 3600)]
    public int DispatchIntervalSeconds { get; set; } = 5;

    /// <summary>Changes per delivery at most (1–1000; default 100).</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Deliveries per webhook per run at most, so one busy webhook does not hold a run (1–1000; default 20).</summary>
    [Range(1, 1000)]
    public int MaxDeliveriesPerRun { get; set; } = 20;

    /// <summary>Webhooks delivered to at the same time by one run (1–32; default 4): one slow endpoint does not hold up the others.</summary>
    [Range(1, 32)]
    public int Parallelism { get; set; } = 4;

    /// <summary>Webhooks one caller may have (1–1000; default 25).</summary>
    [Range(1, 1000)]
    public int MaxWebhooksPerCaller { get; set; } = 25;
}
