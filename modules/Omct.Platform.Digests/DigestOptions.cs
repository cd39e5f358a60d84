using System.Net.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Time;
using Quartz;

namespace Omct.Platform.Digests;

/// <summary><c>Omct:Digests</c>: when the DIGEST and REPORT jobs run, and how often deliveries are tried.</summary>
public sealed class DigestOptions
{
    public const string Section = "Omct:Digests";

    /// <summary>Quartz cron expression (seconds first) of the DIGEST and REPORT jobs (default 07:00 every day).</summary>
    public string Cron { get; set; } = "0 0 7 * * ?";

    /// <summary>IANA time zone of the cron expression, of "today" and of the digests' days (Geneva time by default).</summary>
    public string TimeZone { get; set; } = "Europe/Zurich";

    /// <summary>Seconds between two runs of DIGEST_DELIVERY (default 30).</summary>
    public int DeliveryIntervalSeconds { get; set; } = 30;

    /// <summary>At most this many items per section (the first in its order), then "… and N more" (default 50).</summary>
    public int MaxItemsPerSection { get; set; } = 50;

    public TimeZoneInfo ResolvedTimeZone() => PlatformTimeZones.Resolve(TimeZone);

    public IEnumerable<string> Errors()
    {
        if (string.IsNullOrWhiteSpace(Cron) || !CronExpression.TryParse(Cron, out _))
        {
            yield return $"Omct:Digests:Cron (Omct__Digests__Cron) is not a Quartz cron expression (seconds first, e.g. \"0 0 7 * * ?\"): '{Cron}'.";
        }

        if (!PlatformTimeZones.IsKnown(TimeZone))
        {
            yield return $"Omct:Digests:TimeZone (Omct__Digests__TimeZone) is not a known time zone (IANA, e.g. Europe/Zurich): '{TimeZone}'.";
        }

        if (MaxItemsPerSection is < 1 or > 1000)
        {
            yield return $"Omct:Digests:MaxItemsPerSection (Omct__Digests__MaxItemsPerSection) must be from 1 to 1000, not {MaxItemsPerSection}.";
        }

        if (DeliveryIntervalSeconds is < 5 or > 3600)
        {
            yield return $"Omct:Digests:DeliveryIntervalSeconds (Omct__Digests__DeliveryIntervalSeconds) must be from 5 to 3600, not {DeliveryIntervalSeconds}.";
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
public sealed class SmtpOptions
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

    public IEnumerable<string> Errors()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"Omct:Smtp:Port (Omct__Smtp__Port) must be from 1 to 65535, not {Port}.";
        }

        if (string.IsNullOrWhiteSpace(From) || !MailAddress.TryCreate(From, out _))
        {
            yield return "Omct:Smtp:From (Omct__Smtp__From) must be the sender's e-mail address when Omct:Smtp:Host is set.";
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return "Omct:Smtp:Username and Omct:Smtp:Password (Omct__Smtp__Username, Omct__Smtp__Password) are given together or not at all.";
        }
    }
}

/// <summary><c>Omct:Reports</c>: the clearance the monthly reports are computed with.</summary>
public sealed class ReportOptions
{
    public const string Section = "Omct:Reports";

    /// <summary>Default STAFF: the reports count what staff may see, and only callers with that clearance may read them.</summary>
    public Confidentiality Clearance { get; set; } = Confidentiality.Staff;

    public IEnumerable<string> Errors()
    {
        if (!Enum.IsDefined(Clearance))
        {
            yield return "Omct:Reports:Clearance (Omct__Reports__Clearance) is one of Public, Network, Staff, Restricted.";
        }
    }
}

/// <summary><c>Omct:Webhooks</c>: whether plain-http webhook endpoints are accepted (never in production; tests and a local receiver).</summary>
public sealed class DigestWebhookOptions
{
    public const string Section = "Omct:Webhooks";

    public bool AllowHttp { get; set; }
}

/// <summary>Validates a section on start with the messages its <c>Errors()</c> gives (each names its setting).</summary>
internal sealed class SectionValidation<T>(Func<T, IEnumerable<string>> errors) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var found = errors(options).ToList();
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
    }
}

internal static class SectionReader
{
    /// <summary>Reads a section now (the job definitions need it at composition time); a bad value fails start-up naming its setting.</summary>
    public static T Read<T>(IConfiguration configuration, string section, Func<T, IEnumerable<string>> errors)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var found = errors(options).ToList();
        return found.Count == 0 ? options : throw new OptionsValidationException(section, typeof(T), found);
    }
}
