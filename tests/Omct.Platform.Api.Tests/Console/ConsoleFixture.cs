using System.Net;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The host on Kestrel at <c>http://localhost:&lt;port&gt;</c> (<see cref="KestrelAccountsFactory"/>: WebAuthn accepts
/// <c>localhost</c>, not 127.0.0.1; Development, so plain HTTP keeps its cookies), serving the build of build/console.sh,
/// and one Debian Chromium (Playwright with <c>ExecutablePath</c>: nothing downloaded; the
/// NuGet package ships its node driver) shared by the tests of a class, each test in its own browser context.
/// </summary>
public class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public ConsoleFixture()
        : this(new KestrelAccountsFactory())
    {
    }

    /// <summary>The console on a host of its own settings (<see cref="LargeDemoConsoleFixture"/>).</summary>
    protected ConsoleFixture(KestrelAccountsFactory host) => Host = host;

    public KestrelAccountsFactory Host { get; }

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The host's console folder (wwwroot/console): index.html, assets/, persisted-documents.json.</summary>
    public static string ConsoleBuild => Path.Combine(RepositoryRoot.Path, "host", "Omct.Platform.Host", "wwwroot", "console");

    public Uri BaseUrl => Host.BaseUrl;

    /// <summary>An absolute URL of the console, e.g. <c>Url("/cases")</c>.</summary>
    public string Url(string path = "/") => BaseUrl.ToString().TrimEnd('/') + "/console" + path;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Path.Combine(ConsoleBuild, "index.html")),
            $"The console is not built ({ConsoleBuild} is missing): run build/console.sh (build/test.sh does).");
        await ((IAsyncLifetime)Host).InitializeAsync();
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium is missing at {chromium}: apt-get install -y chromium (.ci/run does).");
        // Web-first assertions wait up to 15 s (Playwright's default is 5): on a busy 2-core machine running several
        // browser classes and their hosts at once, a screen's chunk and first answer can take longer than 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await ((IAsyncLifetime)Host).DisposeAsync();
    }

    /// <summary>A person with a known password, TOTP key and recovery codes, made through the real paths (invitation, link).</summary>
    public async Task<AccountsSetup.Person> PersonAsync(string email, string role = "STAFF", string clearance = "STAFF", string? organisationId = null)
    {
        var admin = new GraphQLClient(new HttpClient { BaseAddress = BaseUrl }, PlatformFactory.AdminKey);
        return await AccountsSetup.CreateAsync(admin, HttpBrowser(), Host.Mail, email, role, clearance, organisationId);
    }

    /// <summary>A cookie-keeping HTTP client on the host (the same person elsewhere, for the API's side).</summary>
    public Accounts.Browser HttpBrowser()
    {
#pragma warning disable CA2000 // owned by the HttpClient
        var cookies = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
#pragma warning restore CA2000
        return new Accounts.Browser(new HttpClient(cookies) { BaseAddress = BaseUrl });
    }
}

/// <summary>The console over the large demo data (5,003 cases, <c>Omct:DemoSize = large</c>), seeded before the host serves.</summary>
public sealed class LargeDemoConsoleFixture() : ConsoleFixture(new KestrelAccountsFactory(new Dictionary<string, string?>
{
    ["Omct:SeedDemoData"] = "true",
    ["Omct:DemoSize"] = "large",
}));
