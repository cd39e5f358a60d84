using System.ComponentModel.DataAnnotations;
using Omct.Platform.BuildingBlocks.Time;
using Quartz;

namespace Omct.Platform.Reminders;

/// <summary><c>Omct:Reminders</c>: when the reminder jobs run and how far ahead they remind.</summary>
public sealed class ReminderOptions : IValidatableObject
{
    public const string Section = "Omct:Reminders";

    /// <summary>Days before an anniversary its reminder is due (default 14).</summary>
    [Range(1, 365)]
    public int AnniversaryLeadDays { get; set; } = 14;

    /// <summary>Days before a deadline its reminders are due (default 30, 7 and 1).</summary>
    public int[]? DeadlineLeadDays { get; set; }

    /// <summary>Quartz cron expression (seconds first) of both daily jobs (default 06:00 every day).</summary>
    public string Cron { get; set; } = "0 0 6 * * ?";

    /// <summary>
    /// IANA time zone of the cron expression and of "today": Geneva time by default. IANA names Geneva's
    /// zone Europe/Zurich (there is no Europe/Geneva in the tz database), so that is the default, and
    /// "Europe/Geneva" is accepted as another name for it.
    /// </summary>
    public string TimeZone { get; set; } = "Europe/Zurich";

    /// <summary>The deadline leads, largest first (methods, not properties: the configuration binder leaves them alone).</summary>
    public IReadOnlyList<int> DeadlineLeads() => (DeadlineLeadDays is { Length: > 0 } leads ? leads : [30, 7, 1]).Distinct().OrderDescending().ToList();

    public TimeZoneInfo ResolvedTimeZone() => PlatformTimeZones.Resolve(TimeZone);

    /// <summary>The rules no attribute says; each message follows the setting's name (added by the section's validation).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DeadlineLeadDays is { } leads && (leads.Length == 0 || leads.Any(l => l is < 0 or > 365)))
        {
            yield return new ValidationResult("must list days from 0 to 365.", [nameof(DeadlineLeadDays)]);
        }

        if (string.IsNullOrWhiteSpace(Cron) || !CronExpression.TryParse(Cron, out _))
        {
            yield return new ValidationResult($"is not a Quartz cron expression (seconds first, e.g. \"0 0 6 * * ?\"): '{Cron}'.", [nameof(Cron)]);
        }

        if (!PlatformTimeZones.IsKnown(TimeZone))
        {
            yield return new ValidationResult($"is not a known time zone (IANA, e.g. Europe/Zurich): '{TimeZone}'.", [nameof(TimeZone)]);
        }
    }
}
