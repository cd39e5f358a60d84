using System.ComponentModel.DataAnnotations;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Time;
using Quartz;

namespace Omct.Platform.Teamwork.Notifications;

/// <summary>
/// <c>Omct:Teamwork</c>: where the console is (the links of the e-mails), how often notifications go out, when the daily
/// summary is sent, and the teams that get a record's reminders while nobody owns it.
/// </summary>
public sealed class TeamworkOptions : IValidatableObject
{
    public const string Section = "Omct:Teamwork";

    /// <summary>The staff console's address, for the links in e-mails (default http://localhost:5080/console).</summary>
    public string ConsoleUrl { get; set; } = "http://localhost:5080/console";

    /// <summary>Seconds between two runs of TEAMWORK_NOTIFICATIONS (new reminders to people, immediate e-mails); default 60.</summary>
    [Range(5, 3600)]
    public int NotificationIntervalSeconds { get; set; } = 60;

    /// <summary>Quartz cron expression (seconds first) of the daily summary (default 07:00 every day, after the reminder jobs).</summary>
    public string SummaryCron { get; set; } = "0 0 7 * * ?";

    /// <summary>IANA time zone of the summary's cron and of "today" in a person's work (default Europe/Zurich, Geneva time).</summary>
    public string TimeZone { get; set; } = "Europe/Zurich";

    /// <summary>The teams of records nobody owns.</summary>
    public TeamworkTeams Teams { get; set; } = new();

    public TimeZoneInfo ResolvedTimeZone() => PlatformTimeZones.Resolve(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(ConsoleUrl, UriKind.Absolute, out var console) || console.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"is not an absolute http(s) address: '{ConsoleUrl}'.", [nameof(ConsoleUrl)]);
        }

        if (string.IsNullOrWhiteSpace(SummaryCron) || !CronExpression.TryParse(SummaryCron, out _))
        {
            yield return new ValidationResult($"is not a Quartz cron expression (seconds first, e.g. \"0 0 7 * * ?\"): '{SummaryCron}'.", [nameof(SummaryCron)]);
        }

        if (!PlatformTimeZones.IsKnown(TimeZone))
        {
            yield return new ValidationResult($"is not a known time zone (IANA, e.g. Europe/Zurich): '{TimeZone}'.", [nameof(TimeZone)]);
        }

        foreach (var (code, _) in Teams.Countries.Where(t => !Country.TryGet(t.Key, out _)))
        {
            yield return new ValidationResult($"names '{code}', which is not an ISO 3166-1 alpha-2 country code (e.g. BY).", [$"{nameof(Teams)}:{nameof(TeamworkTeams.Countries)}"]);
        }

        foreach (var (name, _) in Teams.Mechanisms.Where(t => !TeamworkTeams.MechanismNames.Contains(t.Key.ToUpperInvariant())))
        {
            yield return new ValidationResult($"names '{name}', which is not one of {string.Join(", ", TeamworkTeams.MechanismNames)}.",
                [$"{nameof(Teams)}:{nameof(TeamworkTeams.Mechanisms)}"]);
        }

        foreach (var (key, members) in Teams.Countries.Select(t => ($"{nameof(TeamworkTeams.Countries)}:{t.Key}", t.Value))
                     .Concat(Teams.Mechanisms.Select(t => ($"{nameof(TeamworkTeams.Mechanisms)}:{t.Key}", t.Value))))
        {
            if (members.Length == 0 || members.Any(m => !System.Net.Mail.MailAddress.TryCreate(m, out var address) || address.Address != m.Trim()))
            {
                yield return new ValidationResult("must list the e-mail addresses of the team's accounts (ana@example.org).", [$"{nameof(Teams)}:{key}"]);
            }
        }
    }
}

/// <summary>
/// Who gets the reminders of a record that has no owner: <c>Countries:BY = [ana@example.org, …]</c> for the cases of a
/// country; <c>Mechanisms:UPR = […]</c> for the submissions of a mechanism (UPR, CAT, HRC_SPECIAL_PROCEDURE, OTHER), and
/// <c>Mechanisms:CALL_FOR_INPUT</c> for the calls for input. Members are accounts by their e-mail address.
/// </summary>
public sealed class TeamworkTeams
{
    public const string CallForInput = "CALL_FOR_INPUT";

    public static readonly IReadOnlyList<string> MechanismNames = ["UPR", "CAT", "HRC_SPECIAL_PROCEDURE", "OTHER", CallForInput];

    public Dictionary<string, string[]> Countries { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string[]> Mechanisms { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The members' addresses of the team of a country or a mechanism (none when no team is configured).</summary>
    public IReadOnlyList<string> Of(string? country, string? mechanism) =>
        [.. (mechanism is not null && Mechanisms.TryGetValue(mechanism, out var byMechanism) ? byMechanism : [])
            .Concat(mechanism is null && country is not null && Countries.TryGetValue(country, out var byCountry) ? byCountry : [])
            .Select(m => m.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];
}
