using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The host on Kestrel at <c>http://localhost:&lt;port&gt;</c> (WebAuthn accepts <c>localhost</c>, not 127.0.0.1) with
/// its own database and captured mail, in Development (plain HTTP: the cookies are not Secure-only), serving the
/// console build of build/console.sh.
/// </summary>
public sealed class ConsoleHost : PlatformFactory
{
    public ConsoleHost() => UseKestrel(0);

    public CapturedMail Mail { get; } = new();

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

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:GraphQL:RequestsPerSecondPerAddress"] = "1000000",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IPlatformMail>(Mail);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}

/// <summary>
/// A <see cref="ConsoleHost"/> and one Debian Chromium (Playwright with <c>ExecutablePath</c>: nothing downloaded; the
/// NuGet package ships its node driver) shared by the tests of a class, each test in its own browser context.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public ConsoleHost Host { get; } = new();

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
    public async Task<AccountsSetup.Person> PersonAsync(string email, string role = "STAFF", string clearance = "STAFF")
    {
        var admin = new GraphQLClient(new HttpClient { BaseAddress = BaseUrl }, PlatformFactory.AdminKey);
        return await AccountsSetup.CreateAsync(admin, HttpBrowser(), Host.Mail, email, role, clearance);
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
