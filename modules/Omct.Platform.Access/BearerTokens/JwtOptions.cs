using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Access.BearerTokens;

/// <summary>
/// <c>Omct:Security:Jwt</c>: the organisation's identity provider. Bearer tokens are accepted only
/// when <see cref="Issuer"/> is set; then <see cref="Audience"/> and at least one signing key are
/// required (checked on start).
/// </summary>
public sealed class JwtOptions : CallerClaimMapping, IValidatableObject
{
    public new const string Section = CallerClaimMapping.Section;

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>
    /// The keys tokens may be signed with: PEM public keys (RSA or EC, <c>-----BEGIN PUBLIC KEY-----</c>)
    /// or base64 secrets of at least 32 bytes (HMAC). Several keys allow rotation.
    /// </summary>
    public List<string> SigningKeys { get; set; } = [];

    // RoleClaim, ClearanceClaim, NameClaim, OrganisationClaim: CallerClaimMapping (shared with the OpenID Connect sign-in).

    public int ClockSkewSeconds { get; set; } = 60;

    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer);

    /// <summary>With an issuer: an audience and signing keys that each read as a key; each message follows the setting's name.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult($"is required when {Section}:{nameof(Issuer)} is set.", [nameof(Audience)]);
        }

        if (SigningKeys.Count == 0)
        {
            yield return new ValidationResult($"needs at least one key when {Section}:{nameof(Issuer)} is set.", [nameof(SigningKeys)]);
        }

        for (var i = 0; i < SigningKeys.Count; i++)
        {
            if (Unreadable(SigningKeys[i]) is { } reason)
            {
                yield return new ValidationResult(
                    $"is neither a PEM public key nor a base64 secret of at least 32 bytes ({reason}).", [$"{nameof(SigningKeys)}:{i}"]);
            }
        }
    }

    public IReadOnlyList<SecurityKey> SecurityKeys() => SigningKeys.Select(ToSecurityKey).ToList();

    private static string? Unreadable(string key)
    {
        try
        {
            _ = ToSecurityKey(key);
            return null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return e.Message;
        }
    }

    private static SecurityKey ToSecurityKey(string key)
    {
        key = key.Trim();
        if (key.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            try
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(key);
                return new RsaSecurityKey(rsa);
            }
            catch (ArgumentException)
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(key);
                return new ECDsaSecurityKey(ec);
            }
        }

        var secret = Convert.FromBase64String(key);
        return secret.Length >= 32 ? new SymmetricSecurityKey(secret) : throw new FormatException("the secret is shorter than 32 bytes");
    }
}
