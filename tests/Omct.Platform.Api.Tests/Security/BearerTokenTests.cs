using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>A host that trusts an identity provider (issuer, audience, HMAC secret and an RSA key).</summary>
public sealed class IdentityProviderPlatformFactory : PlatformFactory
{
    public const string Issuer = "https://id.omct.example";
    public const string Audience = "omct-platform";

    public static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);
    public static readonly RSA Rsa = RSA.Create(2048);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Security:Jwt:Issuer"] = Issuer,
        ["Omct:Security:Jwt:Audience"] = Audience,
        ["Omct:Security:Jwt:SigningKeys:0"] = Convert.ToBase64String(Secret),
        ["Omct:Security:Jwt:SigningKeys:1"] = Rsa.ExportSubjectPublicKeyInfoPem(),
    };
}

public sealed class BearerTokenTests(IdentityProviderPlatformFactory platform) : IClassFixture<IdentityProviderPlatformFactory>
{
    [Fact]
    public async Task A_valid_token_gives_the_role_and_clearance_of_its_claims()
    {
        foreach (var key in new SecurityKey[] { new SymmetricSecurityKey(IdentityProviderPlatformFactory.Secret), new RsaSecurityKey(IdentityProviderPlatformFactory.Rsa) })
        {
            var me = await QueryAsBearer(Token(key, role: "STAFF", clearance: "NETWORK"), "{ me { id name role clearance } }");
            Assert.Equal(HttpStatusCode.OK, me.Status);
            var caller = me.Data.GetProperty("me");
            Assert.Equal(("user:maria", "Maria", "STAFF", "NETWORK"),
                (caller.GetProperty("id").GetString(), caller.GetProperty("name").GetString(), caller.GetProperty("role").GetString(), caller.GetProperty("clearance").GetString()));
        }

        var write = await QueryAsBearer(Token(Hmac(), role: "STAFF", clearance: "STAFF"),
            "mutation { openCase(input: { title: \"Bearer: opened\", countryCode: \"GN\" }) { case { id } } }");
        Assert.False(write.HasErrors, write.ToString());
    }

    /// <summary>
    /// The bad tokens by name only: each is minted inside its test run (<see cref="BadToken"/>), not
    /// when the theory data is discovered — a token valid "in 30 minutes" minted at discovery could
    /// already be valid when a slow run reaches it.
    /// </summary>
    public static TheoryData<string> BadTokens() =>
    [
        "expired", "not yet valid", "other issuer", "other audience", "other key", "no role", "unknown role", "system role", "no clearance", "unsigned", "garbage",
    ];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_unauthenticated_never_anonymous(string why)
    {
        var response = await QueryAsBearer(BadToken(why), "{ me { role } }");
        Assert.True(response.Status == HttpStatusCode.Unauthorized, $"{why}: {response}");
        Assert.Equal("UNAUTHENTICATED", response.ErrorCode);
        Assert.False(response.HasData);
    }

    private static string BadToken(string why) => why switch
    {
        "expired" => Token(Hmac(), expires: DateTime.UtcNow.AddMinutes(-10)),
        "not yet valid" => Token(Hmac(), notBefore: DateTime.UtcNow.AddMinutes(30), expires: DateTime.UtcNow.AddHours(1)),
        "other issuer" => Token(Hmac(), issuer: "https://evil.example"),
        "other audience" => Token(Hmac(), audience: "another-app"),
        "other key" => Token(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32))),
        "no role" => Token(Hmac(), role: null),
        "unknown role" => Token(Hmac(), role: "SUPERUSER"),
        "system role" => Token(Hmac(), role: "SYSTEM"),
        "no clearance" => Token(Hmac(), clearance: null),
        "unsigned" => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IdentityProviderPlatformFactory.Issuer, Audience = IdentityProviderPlatformFactory.Audience, Expires = DateTime.UtcNow.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("sub", "x"), new Claim("omct_role", "ADMIN"), new Claim("omct_clearance", "RESTRICTED")]),
        }),
        "garbage" => "not.a.token",
        _ => throw new ArgumentOutOfRangeException(nameof(why), why, "no such bad token"),
    };

    [Fact]
    public async Task A_signed_in_user_may_list_webhooks_but_not_register_one_since_its_access_cannot_be_checked_later()
    {
        var token = Token(Hmac(), role: "ADMIN", clearance: "RESTRICTED");
        var register = await QueryAsBearer(token, "mutation { registerWebhook(input: { name: \"session\", url: \"https://example.org/hooks\" }) { secret webhook { id } } }");
        Assert.Equal("FORBIDDEN", register.ErrorCode);
        Assert.Contains("API key", register.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        var listed = await QueryAsBearer(token, "{ webhooks { totalCount } }");
        Assert.Equal(0, listed.Data.GetProperty("webhooks").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Two_credentials_at_once_or_another_scheme_are_refused()
    {
        using var http = platform.CreateClient();
        using var both = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Json("{ me { role } }") };
        both.Headers.Add("Authorization", $"Bearer {Token(Hmac())}");
        both.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(both)).StatusCode);

        using var basic = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Json("{ me { role } }") };
        basic.Headers.Add("Authorization", "Basic YWRtaW46YWRtaW4=");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(basic)).StatusCode);
    }

    private async Task<GraphQLResponse> QueryAsBearer(string token, string query)
    {
        using var http = platform.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Json(query) };
        request.Headers.Add("Authorization", $"Bearer {token}");
        return await GraphQLResponse.ReadAsync(await http.SendAsync(request));
    }

    private static StringContent Json(string query) =>
        new(System.Text.Json.JsonSerializer.Serialize(new { query }), System.Text.Encoding.UTF8, "application/json");

    private static SymmetricSecurityKey Hmac() => new(IdentityProviderPlatformFactory.Secret);

    private static string Token(SecurityKey key, string? role = "STAFF", string? clearance = "STAFF", string issuer = IdentityProviderPlatformFactory.Issuer,
        string audience = IdentityProviderPlatformFactory.Audience, DateTime? expires = null, DateTime? notBefore = null)
    {
        var claims = new List<Claim> { new("sub", "maria"), new("name", "Maria") };
        if (role is not null)
        {
            claims.Add(new Claim("omct_role", role));
        }

        if (clearance is not null)
        {
            claims.Add(new Claim("omct_clearance", clearance));
        }

        var algorithm = key is SymmetricSecurityKey ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.RsaSha256;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer, Audience = audience, Subject = new ClaimsIdentity(claims),
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-1), Expires = expires ?? DateTime.UtcNow.AddHours(1),
            IssuedAt = (notBefore ?? DateTime.UtcNow).AddMinutes(-1),
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }
}

public sealed class MisconfiguredIdentityProviderFactory : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Security:Jwt:Issuer"] = IdentityProviderPlatformFactory.Issuer,
        ["Omct:Security:Jwt:Audience"] = IdentityProviderPlatformFactory.Audience,
        ["Omct:Security:Jwt:SigningKeys:0"] = "dG9vIHNob3J0",
    };
}

public sealed class IdentityProviderSettingsTests
{
    [Fact]
    public async Task A_bad_signing_key_fails_start_up_naming_the_setting()
    {
        var factory = new MisconfiguredIdentityProviderFactory();
        Exception? error;
        try
        {
            error = await Record.ExceptionAsync(factory.InitializeAsync);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }

        Assert.NotNull(error);
        Assert.Contains("Omct:Security:Jwt:SigningKeys:0", error.ToString(), StringComparison.Ordinal);
    }
}
