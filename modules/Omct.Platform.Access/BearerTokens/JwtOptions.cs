using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Omct.Platform.Access.BearerTokens;

/// <summary>
/// <c>Omct:Security:Jwt</c>: the organisation's identity provider. Bearer tokens are accepted only
/// when <see cref="Issuer"/> is set; then <see cref="Audience"/> and at least one signing key are
/// required (checked on start).
/// </summary>
public sealed class JwtOptions
{
    public const string Section = "Omct:Security:Jwt";

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>
    /// The keys tokens may be signed with: PEM public keys (RSA or EC, <c>-----BEGIN PUBLIC KEY-----</c>)
    /// or base64 secrets of at least 32 bytes (HMAC). Several keys allow rotation.
    /// </summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>The claim holding the platform role (ADMIN, EDITOR, STAFF, NETWORK_MEMBER, INTEGRATOR).</summary>
    public string RoleClaim { get; set; } = "omct_role";

    /// <summary>The claim holding the clearance (PUBLIC, NETWORK, STAFF, RESTRICTED).</summary>
    public string ClearanceClaim { get; set; } = "omct_clearance";

    public string NameClaim { get; set; } = "name";

    /// <summary>The claim holding a member organisation's id (a GUID), for its staff.</summary>
    public string OrganisationClaim { get; set; } = "omct_organisation";

    public int ClockSkewSeconds { get; set; } = 60;

    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer);

    /// <summary>Null when valid, else what is wrong, naming the setting.</summary>
    public string? Problem()
    {
        if (!Enabled)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            return $"{Section}:Audience is required when {Section}:Issuer is set.";
        }

        if (SigningKeys.Count == 0)
        {
            return $"{Section}:SigningKeys needs at least one key when {Section}:Issuer is set.";
        }

        for (var i = 0; i < SigningKeys.Count; i++)
        {
            try
            {
                _ = ToSecurityKey(SigningKeys[i]);
            }
            catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
            {
                return $"{Section}:SigningKeys:{i} is neither a PEM public key nor a base64 secret of at least 32 bytes ({e.Message}).";
            }
        }

        return null;
    }

    public IReadOnlyList<SecurityKey> SecurityKeys() => SigningKeys.Select(ToSecurityKey).ToList();

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

/// <summary>Fails start-up with a message that names the bad <c>Omct:Security:Jwt</c> setting.</summary>
internal sealed class JwtOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<JwtOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, JwtOptions options) =>
        options.Problem() is { } problem
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problem)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
