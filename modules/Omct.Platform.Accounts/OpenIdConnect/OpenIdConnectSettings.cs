using System.ComponentModel.DataAnnotations;

namespace Omct.Platform.Accounts.OpenIdConnect;

/// <summary>
/// <c>Omct:Accounts:OpenIdConnect</c>: "Sign in with &lt;organisation&gt;" through the organisation's OpenID Connect
/// provider. Off unless <see cref="Authority"/> is set; then <see cref="ClientId"/> and <see cref="ClientSecret"/> are
/// required. Role, clearance, name and organisation claims are read as the bearer-token settings say
/// (<c>Omct:Security:Jwt:RoleClaim</c>, …; see <see cref="BuildingBlocks.Callers.CallerClaimMapping"/>).
/// </summary>
public sealed class OpenIdConnectSettings : IValidatableObject
{
    public const string Section = AccountsOptions.Section + ":OpenIdConnect";

    /// <summary>The provider's issuer URL (its discovery document is <c>{Authority}/.well-known/openid-configuration</c>); https, or http on a loopback address only.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client's secret at the provider (sent to its token endpoint only; never logged).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The organisation's name on the button: "Sign in with {DisplayName}".</summary>
    [StringLength(80, MinimumLength = 1)]
    public string DisplayName { get; set; } = "your organisation";

    /// <summary>
    /// The <c>amr</c> values (RFC 8176) that count as the provider's second factor: one of them in the ID token and a
    /// STAFF-clearance (or higher) sign-in needs no TOTP code here. Without one, the platform's own second factor is asked.
    /// </summary>
    public List<string> SecondFactorMethods { get; set; } = ["mfa", "otp", "hwk", "sc"];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>Where the provider sends the browser back (the redirect URI to register with it): <c>{PublicUrl}/account/oidc/callback</c>.</summary>
    public const string CallbackPath = "/account/oidc/callback";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            yield return new ValidationResult("must be an absolute https URL (http only on a loopback address, for tests).", [nameof(Authority)]);
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return new ValidationResult($"is required when {Section}:{nameof(Authority)} is set.", [nameof(ClientId)]);
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return new ValidationResult($"is required when {Section}:{nameof(Authority)} is set.", [nameof(ClientSecret)]);
        }

        if (SecondFactorMethods.Any(m => string.IsNullOrWhiteSpace(m) || m is "pwd" or "pin" or "kba"))
        {
            yield return new ValidationResult("may not be empty nor list a single-factor method (pwd, pin, kba).", [nameof(SecondFactorMethods)]);
        }
    }
}
