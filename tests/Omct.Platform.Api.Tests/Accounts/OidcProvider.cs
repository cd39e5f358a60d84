using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>
/// A real OpenID Connect provider (npm's oidc-provider, run by build/web/oidc-provider.mjs) on a free loopback port,
/// with one confidential client for the platform and the test accounts it is given (subject → claims).
/// </summary>
public sealed class OidcProvider : IDisposable
{
    public const string ClientId = "omct-platform";

    /// <summary>The client's secret: the tests check it never reaches the logs or the audit trail.</summary>
    public const string ClientSecret = "client-secret-7f3a9c1e5b2d4f60a8e1";

    private readonly Process _process;

    private OidcProvider(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    public string Authority => $"http://127.0.0.1:{Port}";

    /// <summary>A browser at the provider, with cookies of its own (no session there yet: the provider asks who signs in), no automatic redirect.</summary>
    public static HttpClient NewBrowser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), UseProxy = false });

    public static OidcProvider Start(IReadOnlyDictionary<string, object> accounts)
    {
        var script = Path.Combine(RepositoryRoot.Path, "build", "web", "oidc-provider.mjs");
        Assert.True(Directory.Exists(Path.Combine(RepositoryRoot.Path, "build", "web", "node_modules", "oidc-provider")),
            "build/web/node_modules/oidc-provider is missing: run build/web-assets.sh (build/test.sh does).");
        var start = new ProcessStartInfo("node",
            [script, "--client-id", ClientId, "--client-secret", ClientSecret, "--redirect-uri", "https://localhost/account/oidc/callback", "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // the provider stops when its stdin closes: it never outlives the test
            UseShellExecute = false,
        };
        start.Environment["OIDC_ACCOUNTS"] = JsonSerializer.Serialize(accounts);
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"oidc-provider did not start: {line} {process.StandardError.ReadToEnd()}");
        }

        // Its warnings (a Node.js version it has not been tested on, the in-memory store) go to stderr: drain it.
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new OidcProvider(process, int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5_000))
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}

/// <summary>The accounts host with "Sign in with Example NGO" through a locally started <see cref="OidcProvider"/>.</summary>
public sealed class OidcFactory : PlatformFactory
{
    /// <summary>The provider's test accounts: subject → the claims of its ID token.</summary>
    public static readonly IReadOnlyDictionary<string, object> ProviderAccounts = new Dictionary<string, object>
    {
        ["sub-linked"] = new { email = "linked@example.org", email_verified = true, name = "Linked Person" },
        ["sub-linked-staff"] = new { email = "totp@example.org", email_verified = true, name = "TOTP Person" },
        ["sub-disabled"] = new { email = "disabled@example.org", email_verified = true, name = "Disabled Person", omct_role = "ADMIN", omct_clearance = "RESTRICTED" },
        ["sub-unverified"] = new { email = "unverified@example.org", email_verified = false, name = "Unverified" },
        ["sub-new"] = new { email = "newcomer@example.org", email_verified = true, name = "New Comer", omct_role = "EDITOR", omct_clearance = "NETWORK" },
        ["sub-new-staff"] = new { email = "newstaff@example.org", email_verified = true, name = "New Staff", omct_role = "STAFF", omct_clearance = "STAFF" },
        ["sub-no-claims"] = new { email = "nobody@example.org", email_verified = true, name = "Nobody" },
        ["sub-tamper"] = new { email = "tamper@example.org", email_verified = true, name = "Tamper", omct_role = "STAFF", omct_clearance = "PUBLIC" },
    };

    public OidcFactory() => Provider = OidcProvider.Start(ProviderAccounts);

    public OidcProvider Provider { get; }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturedMail Mail { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:GraphQL:RequestsPerSecondPerAddress"] = "1000000",
        ["Omct:Accounts:PublicUrl"] = "https://localhost",
        ["Omct:Accounts:OpenIdConnect:Authority"] = Provider.Authority,
        ["Omct:Accounts:OpenIdConnect:ClientId"] = OidcProvider.ClientId,
        ["Omct:Accounts:OpenIdConnect:ClientSecret"] = OidcProvider.ClientSecret,
        ["Omct:Accounts:OpenIdConnect:DisplayName"] = "Example NGO",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        // The ID token's lifetime is checked against the real clock of the provider: only the links use this one.
        services.AddSingleton<IPlatformMail>(Mail);
    }

    public Browser Browser() => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    }));

    // The provider also stops when the test process ends (its stdin closes).
    protected override void Dispose(bool disposing)
    {
        Provider.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        Provider.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>Drives a browser through the code flow: the platform's redirect to the provider, its interaction, the redirect back.</summary>
public static class OidcFlow
{
    public sealed record Result(HttpStatusCode Status, string Location, string Body, IReadOnlyList<string> Codes);

    /// <summary>
    /// From <c>GET /account/oidc?returnUrl=…</c> to the answer of the platform's last step (<c>/account/oidc/complete</c>,
    /// or <c>/account/oidc/failed</c> when the callback was refused). <paramref name="callback"/> may change the
    /// redirect back before the browser follows it.
    /// </summary>
    public static async Task<Result> SignInAsync(OidcFactory factory, Browser browser, string login, string amr = "pwd", string? tamper = null,
        string returnUrl = "/account", Func<string, string>? callback = null)
    {
        var codes = new List<string>();
        using var start = await browser.Http.GetAsync($"/account/oidc?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var location = start.Headers.Location!.ToString();
        Assert.StartsWith(factory.Provider.Authority + "/auth?", location, StringComparison.Ordinal);

        // At the provider: its authorization endpoint, the interaction (who signs in, how), the resumed authorization.
        using var provider = OidcProvider.NewBrowser();
        location = await FollowAsync(provider, location);
        location = await FollowAsync(provider, $"{location}?login={login}&amr={amr}{(tamper is null ? "" : $"&tamper={tamper}")}");
        location = await FollowAsync(provider, location);
        Assert.StartsWith("https://localhost/account/oidc/callback?", location, StringComparison.Ordinal);
        codes.Add(System.Web.HttpUtility.ParseQueryString(new Uri(location).Query)["code"]!);
        location = callback?.Invoke(location) ?? location;

        // Back at the platform: the callback (checked by the OpenID Connect handler), then the account's step.
        using var back = await browser.Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var next = back.Headers.Location!.ToString();
        using var last = await browser.Http.GetAsync(next);
        return new Result(last.StatusCode, next, await last.Content.ReadAsStringAsync(), codes);
    }

    private static async Task<string> FollowAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found,
            $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.ToString() : new Uri(new Uri(url), response.Headers.Location).ToString();
    }
}
