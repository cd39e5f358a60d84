using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Transport;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>Kestrel on a free port of <c>localhost</c> (WebAuthn refuses 127.0.0.1 as a relying party), mail captured.</summary>
public sealed class KestrelAccountsFactory : PlatformFactory
{
    private readonly IReadOnlyDictionary<string, string?> _extraSettings;

    public KestrelAccountsFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>With more settings (e.g. the large demo data); the single public constructor stays the fixtures' one.</summary>
    internal KestrelAccountsFactory(IReadOnlyDictionary<string, string?> extraSettings)
    {
        _extraSettings = extraSettings;
        UseKestrel(0);
    }

    public CapturedMail Mail { get; } = new();

    /// <summary>http://localhost:port, the origin the browser and the relying party share.</summary>
    public Uri BaseUrl
    {
        get
        {
            StartServer();
            var address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("[::]", "localhost", StringComparison.Ordinal).Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
            return new Uri($"http://localhost:{address.Port}");
        }
    }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(_extraSettings)
    {
        ["Omct:GraphQL:RequestsPerSecondPerAddress"] = "1000000",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IPlatformMail>(Mail);

    /// <summary>Development: plain HTTP on localhost, so the cookies are not Secure-only for the test's own HTTP client.</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}

/// <summary>
/// A passkey registered and used in Debian's Chromium (build/web/passkey-browser.mjs, playwright-core) with CDP's
/// virtual WebAuthn authenticator: password + TOTP on the account pages, "Add a passkey", sign out, "Sign in with a
/// passkey" alone; the account's audit trail then records both the passkey and the passkey sign-in.
/// </summary>
public sealed class PasskeyBrowserTests(KestrelAccountsFactory platform, ITestOutputHelper output) : IClassFixture<KestrelAccountsFactory>
{
    [Fact]
    public async Task A_passkey_added_in_Chromium_signs_the_person_in_without_password_or_code()
    {
        var baseUrl = platform.BaseUrl;
        var admin = new GraphQLClient(new HttpClient { BaseAddress = baseUrl }, PlatformFactory.AdminKey);
        var cookies = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var person = await AccountsSetup.CreateAsync(admin, new Browser(new HttpClient(cookies) { BaseAddress = baseUrl }), platform.Mail, "passkey.person@example.org");

        var signedInBefore = (await ActionsAsync(admin, person.Id)).Count(a => a.EndsWith(".signed_in", StringComparison.Ordinal));
        var screenshot = BrowserScript.ScreenshotPath("passkey-sign-in.png");
        var stdout = await BrowserScript.RunAsync("passkey-browser.mjs",
            [baseUrl.ToString().TrimEnd('/'), person.Email, person.Password, person.AuthenticatorKey, screenshot], output);
        Assert.Contains("ok: passkey added", stdout, StringComparison.Ordinal);
        Assert.Contains("ok: signed in with the passkey as user:", stdout, StringComparison.Ordinal);
        Assert.True(new FileInfo(screenshot).Length > 5_000, "no screenshot");

        // The account's own history tells of it, from the server's side: the passkey, and two more sign-ins.
        var after = await ActionsAsync(admin, person.Id);
        output.WriteLine(string.Join(", ", after));
        Assert.Contains(after, a => a.EndsWith("passkey_added", StringComparison.Ordinal));
        Assert.Equal(signedInBefore + 2, after.Count(a => a.EndsWith(".signed_in", StringComparison.Ordinal)));
    }

    private static async Task<List<string>> ActionsAsync(GraphQLClient admin, string accountId)
    {
        var data = await admin.QueryAsync("query($id: ID!) { auditTrail(entityId: $id) { action } }", new { id = accountId });
        return data.GetProperty("auditTrail").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToList();
    }
}
