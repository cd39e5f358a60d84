using System.ComponentModel.DataAnnotations;

namespace Omct.Platform.Host.Configuration;

/// <summary>The <c>Omct</c> configuration section (environment form: <c>Omct__SeedDemoData</c> …).</summary>
public sealed class PlatformOptions : IValidatableObject
{
    public const string Section = "Omct";

    /// <summary>Load the demo data from the seed page on an empty database.</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>small or large (read by the seeders): a wrong value stops start-up, seeding or not.</summary>
    public string? DemoSize { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(DemoSize) && DemoSize.Trim().ToLowerInvariant() is not ("small" or "large"))
        {
            yield return new ValidationResult($"must be small or large, not '{DemoSize}'.", [nameof(DemoSize)]);
        }
    }
}

/// <summary><c>Omct:Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Omct:Jobs";

    /// <summary>False: the scheduler does not fire on its own (jobs still run when triggered through the API).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>This process's id in the Quartz cluster; default: machine name and process id.</summary>
    public string? NodeId { get; set; }

    /// <summary>
    /// Another interval for a job that fires at an interval, by job name
    /// (<c>Omct__Jobs__Intervals__PUBLISH_SCHEDULED_ARTICLES=00:00:10</c>): operations and tests.
    /// </summary>
    public Dictionary<string, TimeSpan> Intervals { get; set; } = [];
}

/// <summary><c>Omct:GraphQL</c>: limits applied to every request before any database work.</summary>
public sealed class GraphQLOptions
{
    public const string Section = "Omct:GraphQL";

    [Range(1_000, 10_000_000)]
    public int MaxDocumentBytes { get; set; } = 100_000;

    [Range(2, 100)]
    public int MaxDepth { get; set; } = 15;

    [Range(10, 1_000_000)]
    public int MaxComplexity { get; set; } = 20_000;

    [Range(1, 10_000)]
    public int MaxAliases { get; set; } = 50;

    [Range(1, 10_000)]
    public int MaxFields { get; set; } = 500;

    /// <summary>Items of any one list value, in the document or in the variables (a filter's values, ids …).</summary>
    [Range(1, 100_000)]
    public int MaxListItems { get; set; } = 1_000;

    /// <summary>Validated documents kept for their next use (0: none); see ValidatedDocumentCache.</summary>
    [Range(0, 100_000)]
    public int DocumentCacheEntries { get; set; } = 500;

    /// <summary>Documents longer than this (characters) are validated every time, never kept.</summary>
    [Range(100, 1_000_000)]
    public int DocumentCacheMaxLength { get; set; } = 8_000;

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>Sustained requests per second per API key or user (bursts of twice that).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecondPerKey { get; set; } = 5_000;

    /// <summary>Sustained requests per second per client address, for anonymous callers.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecondPerAddress { get; set; } = 50;

    /// <summary>Introspection and "Did you mean …" suggestions for anonymous callers (off by default in Production).</summary>
    public bool? AnonymousIntrospection { get; set; }

    /// <summary>Whether anonymous callers may discover the schema (introspection, suggestions) here.</summary>
    public bool AnonymousSchemaDiscovery(IHostEnvironment environment) => AnonymousIntrospection ?? !environment.IsProduction();
}
