using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Omct.Platform.Accounts;

/// <summary><c>Omct:Accounts</c>: staff sign-in, sessions and the links sent by e-mail.</summary>
public sealed class AccountsOptions : IValidatableObject
{
    public const string Section = "Omct:Accounts";

    /// <summary>A session unused for this long ends (sliding).</summary>
    [Range(1, 480)]
    public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>A session ends this long after its sign-in, however used.</summary>
    [Range(1, 168)]
    public int SessionAbsoluteHours { get; set; } = 12;

    /// <summary>Failed sign-ins (password or code) in a row before the account is locked.</summary>
    [Range(3, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>How long an invitation (or second-factor enrolment) link is valid.</summary>
    [Range(1, 720)]
    public int InvitationLinkHours { get; set; } = 72;

    /// <summary>How long a password reset link is valid.</summary>
    [Range(5, 1440)]
    public int ResetLinkMinutes { get; set; } = 30;

    /// <summary>The address people reach the platform at, for the links in e-mails (<c>https://platform.example.org</c>).</summary>
    [Url]
    public string PublicUrl { get; set; } = "http://localhost:5080";

    /// <summary>On a database without any account, an ADMIN account with RESTRICTED clearance is made for this address at start, and its one-time setup link is logged.</summary>
    [EmailAddress]
    public string? FirstAdministratorEmail { get; set; }

    /// <summary>
    /// Cookies (session, second factor, antiforgery, OpenID Connect) without the <c>Secure</c> flag, for a host people reach
    /// over plain HTTP on this machine only (<c>build/run.sh</c>); allowed only when <see cref="PublicUrl"/> is a loopback
    /// address. Off by default: outside Development, cookies are sent over HTTPS only.
    /// </summary>
    public bool AllowPlainHttpOnLoopback { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AllowPlainHttpOnLoopback && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) && url.IsLoopback))
        {
            yield return new ValidationResult(
                "AllowPlainHttpOnLoopback is for a host reached on this machine only: PublicUrl must then be a loopback address (http://localhost:5080).",
                [nameof(AllowPlainHttpOnLoopback)]);
        }
    }

    /// <summary>
    /// The <c>Secure</c> policy of every cookie the accounts module writes: over HTTPS only, except in Development or with
    /// <see cref="AllowPlainHttpOnLoopback"/>, where a cookie follows the request.
    /// </summary>
    public CookieSecurePolicy CookieSecurity(IHostEnvironment environment) =>
        environment.IsDevelopment() || AllowPlainHttpOnLoopback ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
}
