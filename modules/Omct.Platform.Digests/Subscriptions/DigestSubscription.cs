using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Digests.Subscriptions;

public enum DigestPeriod { Daily, Weekly }

/// <summary>
/// Who gets which digest: its period, the clearance of its audience (what a digest may show), an
/// optional filter, and where it goes (e-mail recipients and/or a signed webhook). A Marten document
/// with optimistic concurrency: two staff changing it at once cannot both win silently.
/// </summary>
public sealed class DigestSubscription : IConfidential
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public DigestPeriod Period { get; set; }

    /// <summary>The day a weekly digest is made (for the 7 days before it); Monday by default.</summary>
    public DayOfWeek Weekday { get; set; } = DayOfWeek.Monday;

    /// <summary>The clearance the digest is composed with: nothing above it appears in it.</summary>
    public Confidentiality Audience { get; set; }

    public List<string> Countries { get; set; } = [];

    /// <summary>Article themes (lower case); cases, deadlines and calls have no themes, so the filter narrows the articles only.</summary>
    public List<string> Themes { get; set; } = [];

    public List<string> EmailRecipients { get; set; } = [];
    public string? WebhookUrl { get; set; }

    /// <summary>The HMAC key of the webhook's signature: shown once when made, never returned again.</summary>
    public string? WebhookSecret { get; set; }

    public bool Paused { get; set; }

    /// <summary>Keyset order of the list (a sequence: newest has the highest).</summary>
    public long OrderKey { get; set; }
    public int Version { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who may see and manage it: a caller whose clearance reaches its audience.</summary>
    Confidentiality IConfidential.Confidentiality => Audience;

    /// <summary>The period a digest made on <paramref name="day"/> covers (both days inclusive), or null when none is due that day.</summary>
    public (DateOnly From, DateOnly To)? PeriodEndingBefore(DateOnly day) => Period switch
    {
        DigestPeriod.Daily => (day.AddDays(-1), day.AddDays(-1)),
        DigestPeriod.Weekly when day.DayOfWeek == Weekday => (day.AddDays(-7), day.AddDays(-1)),
        _ => null,
    };
}
