using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Time;
using Quartz;

namespace Omct.Platform.Digests;

/// <summary><c>Omct:Digests</c>: when the DIGEST and REPORT jobs run, and how often deliveries are tried.</summary>
public sealed class DigestOptions : IValidatableObject
{
    public const string Section = "Omct:Digests";

    /// <summary>Quartz cron expression (seconds first) of the DIGEST and REPORT jobs (default 07:00 every day).</summary>
    public string Cron { get; set; } = "0 0 7 * * ?";

    /// <summary>IANA time zone of the cron expression, of "today" and of the digests' days (Geneva time by default).</summary>
    public string TimeZone { get; set; } = "Europe/Zurich";

    /// <summary>Seconds between two runs of DIGEST_DELIVERY (default 30).</summary>
    [Range(5, 3600)]
    public int DeliveryIntervalSeconds { get; set; } = 30;

    /// <summary>At most this many items per section (the first in its order), then "… and N more" (default 50).</summary>
    [Range(1, 1000)]
    public int MaxItemsPerSection { get; set; } = 50;

    public TimeZoneInfo ResolvedTimeZone() => PlatformTimeZones.Resolve(TimeZone);

    /// <summary>The rules no attribute says; each message follows the setting's name (added by the section's validation).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Cron) || !CronExpression.TryParse(Cron, out _))
        {
            yield return new ValidationResult($"is not a Quartz cron expression (seconds first, e.g. \"0 0 7 * * ?\"): '{Cron}'.", [nameof(Cron)]);
        }

        if (!PlatformTimeZones.IsKnown(TimeZone))
        {
            yield return new ValidationResult($"is not a known time zone (IANA, e.g. Europe/Zurich): '{TimeZone}'.", [nameof(TimeZone)]);
        }
    }
}

/// <summary>How the SMTP connection is secured (MailKit's SecureSocketOptions).</summary>
public enum SmtpSecurity
{
    /// <summary>TLS on connect for port 465, STARTTLS when the server offers it otherwise.</summary>
    Auto,
    /// <summary>No TLS (a relay on the same host or network only).</summary>
    None,
    /// <summary>STARTTLS, required.</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary><c>Omct:Smtp</c>: the mail server digests are sent through. Without a host, e-mail delivery is off (a warning at start).</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string Section = "Omct:Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>The sender address (required with a host), e.g. <c>digests@omct.org</c> or <c>OMCT digests &lt;digests@omct.org&gt;</c>.</summary>
    public string? From { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>With a host: a port, a sender, and a user name with its password or neither (the port is not checked without a host).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (Port is < 1 or > 65535)
        {
            yield return new ValidationResult($"must be from 1 to 65535, not {Port}.", [nameof(Port)]);
        }

        if (string.IsNullOrWhiteSpace(From) || !MailAddress.TryCreate(From, out _))
        {
            yield return new ValidationResult($"must be the sender's e-mail address when {Section}:{nameof(Host)} is set.", [nameof(From)]);
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("are given together or not at all.", [nameof(Username), nameof(Password)]);
        }
    }
}

/// <summary><c>Omct:Reports</c>: the clearance the monthly reports are computed with; how report definitions' runs are kept and printed.</summary>
public sealed class ReportOptions
{
    public const string Section = "Omct:Reports";

    /// <summary>Default STAFF: the reports count what staff may see, and only callers with that clearance may read them.</summary>
    [EnumDataType(typeof(Confidentiality), ErrorMessage = "{0} is one of Public, Network, Staff, Restricted.")]
    public Confidentiality Clearance { get; set; } = Confidentiality.Staff;

    /// <summary>How long the files of a report definition's runs are kept (<c>Omct:Reports:RunFileDays</c>, 1 to 3650; default 90).</summary>
    [Range(1, 3650, ErrorMessage = "{0} is a number of days from 1 to 3650.")]
    public int RunFileDays { get; set; } = 90;

    /// <summary>
    /// The headless Chromium that prints a report definition's PDF (<c>Omct:Reports:ChromiumPath</c>); unset: <c>chromium</c>,
    /// <c>chromium-browser</c> or <c>google-chrome</c> on the PATH. None found: the PDF format is refused.
    /// </summary>
    public string? ChromiumPath { get; set; }

    /// <summary>The most rows a PDF shows (<c>Omct:Reports:PdfMaxRows</c>, 1 to 100,000; default 10,000): it says where the rest is.</summary>
    [Range(1, 100_000, ErrorMessage = "{0} is a number of rows from 1 to 100,000.")]
    public int PdfMaxRows { get; set; } = 10_000;

    /// <summary>How long Chromium may take to start and print one PDF (<c>Omct:Reports:PdfTimeoutSeconds</c>, 5 to 3600; default 120).</summary>
    [Range(5, 3600, ErrorMessage = "{0} is a number of seconds from 5 to 3600.")]
    public int PdfTimeoutSeconds { get; set; } = 120;
    /// <summary>
    /// The address people and webhook receivers reach the API at, for the download links in report e-mails and notifications
    /// (<c>Omct:Reports:PublicUrl</c>, absolute http(s)); unset: <c>Omct:Accounts:PublicUrl</c>, where people reach the platform.
    /// </summary>
    [Url(ErrorMessage = "{0} is the absolute http(s) address the API is reached at (https://platform.example.org).")]
    public string? PublicUrl { get; set; }
}

/// <summary><c>Omct:Webhooks</c>: whether plain-http webhook endpoints are accepted (never in production; tests and a local receiver).</summary>
public sealed class DigestWebhookOptions
{
    public const string Section = "Omct:Webhooks";

    public bool AllowHttp { get; set; }
}
