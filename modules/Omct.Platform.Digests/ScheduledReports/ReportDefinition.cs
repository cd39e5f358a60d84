using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Digests.ScheduledReports.Formats;

namespace Omct.Platform.Digests.ScheduledReports;

public enum ReportFormat { Csv, Xlsx, Html, Pdf }

public enum ReportLanguage { En, Fr, Es }

/// <summary>A window of days before the day a run is for, in the definition's time zone (both ends inclusive).</summary>
public enum RelativeDateWindow { Yesterday, Last7Days, Last30Days, LastWeek, LastMonth, LastQuarter, LastYear }

public enum ReportRunStatus { Running, Succeeded, Retrying, Failed, Refused }

/// <summary>One column of the table: a dotted path in a row of the list, and its heading in each language.</summary>
public sealed class ReportColumn
{
    public string Path { get; set; } = "";
    public string HeadingEn { get; set; } = "";
    public string? HeadingFr { get; set; }
    public string? HeadingEs { get; set; }

    public string Heading(ReportLanguage language) => ReportText.In(language, HeadingEn, HeadingFr, HeadingEs);
}

/// <summary>A text of a definition (a heading, a title) in its language: the French or Spanish one when given, else the English one.</summary>
internal static class ReportText
{
    public static string In(ReportLanguage language, string en, string? fr, string? es) => language switch
    {
        ReportLanguage.Fr => fr ?? en,
        ReportLanguage.Es => es ?? en,
        _ => en,
    };
}

/// <summary>A relative window resolved at each run into the query's Date variables <see cref="FromVariable"/> and <see cref="ToVariable"/>.</summary>
public sealed class ReportDateVariables
{
    public RelativeDateWindow Window { get; set; }
    public string FromVariable { get; set; } = "";
    public string? ToVariable { get; set; }
}

/// <summary>
/// A report staff define themselves: a GraphQL query (kept as a persisted operation: its text under its SHA-256), what
/// of its answer makes the table, when it runs (a Quartz cron in an IANA time zone, or only on demand), the files made
/// and who gets them. <see cref="Level"/> is the most a run may contain: it runs as its owner with the owner's clearance
/// as it is at that run, lowered to this level, so a recipient whose clearance reaches it may see all of it.
/// </summary>
public sealed class ReportDefinition : IConfidential
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Query { get; set; } = "";
    public string QueryHash { get; set; } = "";

    /// <summary>The query's fixed variables, a JSON object.</summary>
    public string Variables { get; set; } = "{}";
    public List<ReportDateVariables> DateVariables { get; set; } = [];
    public string ListPath { get; set; } = "";
    public List<ReportColumn> Columns { get; set; } = [];
    public ReportLanguage Language { get; set; }
    public string? Cron { get; set; }
    public string TimeZone { get; set; } = "Europe/Zurich";
    public List<ReportFormat> Formats { get; set; } = [];

    /// <summary>Charts drawn over the rows (in the HTML and PDF; their tables in the XLSX).</summary>
    public List<ReportChart> Charts { get; set; } = [];

    /// <summary>Account recipients as callers (<c>user:&lt;account id&gt;</c>).</summary>
    public List<string> AccountRecipients { get; set; } = [];
    public List<string> EmailRecipients { get; set; } = [];

    /// <summary>Webhooks (registered with registerWebhook) notified of each run: its figures and links, never its rows; withheld when the webhook's registrant may not see the level at that run.</summary>
    public List<Guid> WebhookRecipients { get; set; } = [];
    public Confidentiality Level { get; set; }
    public string OwnerId { get; set; } = "";

    /// <summary>Scheduled fires are counted from here (creation, or the last change of the schedule): no run for a fire before it.</summary>
    public DateTimeOffset ScheduledFrom { get; set; }
    public long OrderKey { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    Confidentiality IConfidential.Confidentiality => Level;

    /// <summary>Who sees a definition and its runs: its owner, its account recipients and admins, each within clearance.</summary>
    public bool VisibleTo(Caller caller) => caller.CanSee(Level) && (caller.Id == OwnerId || caller.HasRole(Role.Admin) || AccountRecipients.Contains(caller.Id ?? ""));

    /// <summary>Who changes, deletes and runs it: its owner and admins, within clearance.</summary>
    public bool ManagedBy(Caller caller) => caller.CanSee(Level) && (caller.Id == OwnerId || caller.HasRole(Role.Admin));
}

/// <summary>One run of a definition, as recorded (<c>digests_report_runs</c>).</summary>
public sealed record ReportRun(
    Guid Id, Guid DefinitionId, string Trigger, DateTimeOffset? ScheduledFor, DateOnly ForDay, ReportRunStatus Status, int Attempts,
    DateTimeOffset? NextAttemptAt, DateTimeOffset StartedAt, long? DurationMs, int? Rows, Confidentiality Level, DateOnly? WindowFrom, DateOnly? WindowTo,
    string? Error, IReadOnlyList<string> DeliveredTo, IReadOnlyList<string> Withheld, IReadOnlyList<ReportRunFile> Files, long Seq = 0);

public sealed record ReportRunFile(Guid RunId, string Name, string ContentType, long Size);
