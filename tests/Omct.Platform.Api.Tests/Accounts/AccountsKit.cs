using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>A host whose e-mails the test reads and whose clock it moves (link expiry).</summary>
public sealed class AccountsFactory : PlatformFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturedMail Mail { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // The clock does not move by itself here: the per-address bucket would never refill.
        ["Omct:GraphQL:RequestsPerSecondPerAddress"] = "1000000",
        ["Omct:Accounts:MaxFailedAttempts"] = "3",
        ["Omct:Accounts:PublicUrl"] = "https://localhost",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IPlatformMail>(Mail);
    }

    /// <summary>A browser: keeps cookies, speaks HTTPS (the cookies are Secure outside Development), follows no redirect.</summary>
    public Browser Browser() => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    }));
}

public sealed class CapturedMail : IPlatformMail
{
    private readonly List<(string To, string Subject, string Text)> _sent = [];

    public bool Enabled => true;

    public IReadOnlyList<(string To, string Subject, string Text)> Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToList();
            }
        }
    }

    public Task<bool> SendAsync(string to, string subject, string text, CancellationToken cancellationToken)
    {
        lock (_sent)
        {
            _sent.Add((to, subject, text));
        }

        return Task.FromResult(true);
    }

    /// <summary>The token of the last link e-mailed to <paramref name="to"/>.</summary>
    public string LastLinkToken(string to) =>
        Sent.Where(m => m.To == to).Select(m => Regex.Match(m.Text, @"/account/link\?token=([A-Za-z0-9_\-]+)")).Last(m => m.Success).Groups[1].Value;
}

/// <summary>A browser session against the host: cookies, the antiforgery token, JSON calls.</summary>
public sealed class Browser(HttpClient http)
{
    private string? _graphqlToken;

    public HttpClient Http => http;

    /// <summary>The antiforgery token for the current session (GET /account), as the console would fetch it.</summary>
    public async Task<string> TokenAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("antiforgeryToken").GetString()!;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body, bool withToken = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Accept.ParseAdd("application/json");
        if (withToken)
        {
            request.Headers.Add("X-CSRF-TOKEN", await TokenAsync());
        }

        using var response = await http.SendAsync(request);
        // A sign-in (or out) changes the identity the antiforgery token is bound to.
        _graphqlToken = null;
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A GraphQL request with the session cookie and (unless told not to) the antiforgery header.</summary>
    public async Task<GraphQLResponse> GraphQLAsync(string query, object? variables = null, bool withToken = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (withToken)
        {
            // Fetched once per signed-in session, as the console keeps it (GET /account would drop a dead cookie).
            request.Headers.Add("X-CSRF-TOKEN", _graphqlToken ??= await TokenAsync());
        }

        using var response = await http.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }
}

/// <summary>RFC 6238 codes (SHA-1, 30 s, 6 digits) from a base32 key, as an authenticator app computes them.</summary>
public static class Totp
{
    public static string Code(string base32Key, DateTimeOffset? at = null)
    {
        var key = Base32(base32Key);
        var counter = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        Span<byte> message = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(message, counter);
#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1
        var hash = HMACSHA1.HashData(key, message);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            value = (value << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)((value >> (bits - 8)) & 0xFF));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}

/// <summary>Makes accounts through the real paths: inviteAccount (bootstrap admin key), the e-mailed link, enrolment.</summary>
public static class AccountsSetup
{
    public const string Password = "violet-harbour-lantern-1987";

    public sealed record Person(string Id, string Email, string Password, string AuthenticatorKey, IReadOnlyList<string> RecoveryCodes);

    public static Task<string> InviteAsync(PlatformFactory factory, string email, string role = "STAFF", string clearance = "STAFF") =>
        InviteAsync(factory.Admin(), email, role, clearance);

    /// <summary>Invites a person (of a member organisation when <paramref name="organisationId"/> is given): the account's id.</summary>
    public static async Task<string> InviteAsync(GraphQLClient admin, string email, string role = "STAFF", string clearance = "STAFF", string? organisationId = null)
    {
        var data = await admin.QueryAsync(
            "mutation($input: InviteAccountInput!) { inviteAccount(input: $input) { account { id email role clearance } } }",
            new { input = new { email, displayName = "Person " + email, role, clearance, organisationId } });
        return data.GetProperty("inviteAccount").GetProperty("account").GetProperty("id").GetString()!;
    }

    public static Task<Person> CreateAsync(AccountsFactory factory, string email, string role = "STAFF", string clearance = "STAFF") =>
        CreateAsync(factory.Admin(), factory.Browser(), factory.Mail, email, role, clearance);

    /// <summary>The same through any host: an admin client, a cookie-keeping browser and the mail it sends.</summary>
    public static async Task<Person> CreateAsync(GraphQLClient admin, Browser browser, CapturedMail mail, string email, string role = "STAFF", string clearance = "STAFF",
        string? organisationId = null)
    {
        var id = await InviteAsync(admin, email, role, clearance, organisationId);
        var token = mail.LastLinkToken(email);
        var (status, link) = await browser.GetJsonAsync($"/account/link?token={token}");
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The invitation link was refused: {status} {link}");
        }

        var key = link.GetProperty("authenticatorKey").GetString()!;
        var (used, done) = await browser.PostAsync("/account/link", new { token, password = Password, code = Totp.Code(key) });
        if (used != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The invitation was refused: {used} {done}");
        }

        var codes = done.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        return new Person(id, email, Password, key, codes);
    }

    /// <summary>Password then TOTP, as a browser does; the browser is signed in after it.</summary>
    public static Task<Browser> SignInAsync(AccountsFactory factory, Person person) => SignInAsync(factory.Browser(), person);

    /// <summary>The same with any cookie-keeping browser (another host's).</summary>
    public static async Task<Browser> SignInAsync(Browser browser, Person person)
    {
        var (status, body) = await browser.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        if (body.GetProperty("status").GetString() != "SECOND_FACTOR_REQUIRED")
        {
            throw new InvalidOperationException($"Password step: {status} {body}");
        }

        var (second, answer) = await browser.PostAsync("/account/second-factor", new { code = Totp.Code(person.AuthenticatorKey) });
        if (second != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Second factor step: {second} {answer}");
        }

        return browser;
    }
}
