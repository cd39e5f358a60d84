using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Omct.Platform.Integration.Webhooks;

/// <summary><c>Omct:Webhooks</c>: which endpoints are accepted and how the dispatcher paces deliveries.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Omct:Webhooks";

    /// <summary>Accept <c>http://</c> endpoints (tests, a receiver on the same private network). Default: https only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>How often the WEBHOOK_DISPATCH job runs (seconds, 1–3600; default 5).</summary>
    public int DispatchIntervalSeconds { get; set; } = 5;

    /// <summary>Changes per delivery at most (1–1000; default 100).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Deliveries per webhook per run at most, so one busy webhook does not hold a run (1–1000; default 20).</summary>
    public int MaxDeliveriesPerRun { get; set; } = 20;

    /// <summary>Webhooks delivered to at the same time by one run (1–32; default 4): one slow endpoint does not hold up the others.</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>Webhooks one caller may have (1–1000; default 25).</summary>
    public int MaxWebhooksPerCaller { get; set; } = 25;

    /// <summary>Reads and validates the section; a bad value fails start-up with a message naming its setting.</summary>
    public static WebhookOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<WebhookOptions>() ?? new WebhookOptions();
        var errors = options.Errors().ToList();
        return errors.Count == 0 ? options : throw new OptionsValidationException(Section, typeof(WebhookOptions), errors);
    }

    public IEnumerable<string> Errors()
    {
        if (DispatchIntervalSeconds is < 1 or > 3600)
        {
            yield return $"Omct:Webhooks:DispatchIntervalSeconds (Omct__Webhooks__DispatchIntervalSeconds) must be from 1 to 3600, not {DispatchIntervalSeconds}.";
        }

        if (BatchSize is < 1 or > 1000)
        {
            yield return $"Omct:Webhooks:BatchSize (Omct__Webhooks__BatchSize) must be from 1 to 1000, not {BatchSize}.";
        }

        if (MaxDeliveriesPerRun is < 1 or > 1000)
        {
            yield return $"Omct:Webhooks:MaxDeliveriesPerRun (Omct__Webhooks__MaxDeliveriesPerRun) must be from 1 to 1000, not {MaxDeliveriesPerRun}.";
        }

        if (Parallelism is < 1 or > 32)
        {
            yield return $"Omct:Webhooks:Parallelism (Omct__Webhooks__Parallelism) must be from 1 to 32, not {Parallelism}.";
        }

        if (MaxWebhooksPerCaller is < 1 or > 1000)
        {
            yield return $"Omct:Webhooks:MaxWebhooksPerCaller (Omct__Webhooks__MaxWebhooksPerCaller) must be from 1 to 1000, not {MaxWebhooksPerCaller}.";
        }
    }
}

internal sealed class WebhookOptionsValidation : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = options.Errors().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
