using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Access.BearerTokens;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;jwt&gt;</c> from the organisation's identity provider:
/// signature, issuer, audience and lifetime are checked; the role and clearance come from claims.
/// A token that fails any check, or carries no valid role or clearance, is refused (never anonymous).
/// </summary>
internal sealed class BearerTokenAuthenticator
{
    private readonly JwtOptions _options;
    private readonly TokenValidationParameters? _parameters;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ILogger<BearerTokenAuthenticator> _log;

    public BearerTokenAuthenticator(IOptions<JwtOptions> options, TimeProvider time, ILogger<BearerTokenAuthenticator> log)
    {
        _options = options.Value;
        _log = log;
        if (_options.Enabled)
        {
            _parameters = new TokenValidationParameters
            {
                ValidIssuer = _options.Issuer,
                ValidAudience = _options.Audience,
                IssuerSigningKeys = _options.SecurityKeys(),
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = TimeSpan.FromSeconds(_options.ClockSkewSeconds),
                LifetimeValidator = (notBefore, expires, _, p) =>
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    return (notBefore is null || notBefore <= now + p.ClockSkew) && expires is not null && expires > now - p.ClockSkew;
                },
            };
        }
    }

    public async ValueTask<Caller?> AuthenticateAsync(string token)
    {
        if (_parameters is null || token.Length > 16_384)
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            _log.LogInformation("Bearer token refused: {Reason}", result.Exception?.GetType().Name ?? "invalid");
            return null;
        }

        var claims = result.ClaimsIdentity;
        var subject = claims.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject) || _options.Map(claims, subject) is not { } mapped)
        {
            _log.LogInformation("Bearer token refused: no subject, or no valid {RoleClaim}/{ClearanceClaim} claim", _options.RoleClaim, _options.ClearanceClaim);
            return null;
        }

        return new Caller($"user:{subject}", mapped.Name, mapped.Role, mapped.Clearance, mapped.OrganisationId);
    }
}
