using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Host.Console;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// How the host serves the console at /console (deep links, headers, cached assets, no build) and registers the
/// console's persisted operations at start-up from the manifest of its build.
/// </summary>
public sealed class ConsoleHostingTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    private static Dictionary<string, string> Manifest()
    {
        var path = Path.Combine(ConsoleFixture.ConsoleBuild, "persisted-documents.json");
        Assert.True(File.Exists(path), $"{path} is missing: run build/console.sh (build/test.sh does).");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
    }

    [Fact]
    public async Task Every_console_path_is_index_html_with_a_fresh_nonce_and_the_assets_are_cached_for_a_year()
    {
        var http = factory.CreateClient(new() { AllowAutoRedirect = false });

        using var deep = await http.GetAsync("/console/cases/7a1c/timeline?tab=victims");
        Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
        Assert.Equal("text/html", deep.Content.Headers.ContentType?.MediaType);
        var html = await deep.Content.ReadAsStringAsync();
        var csp = deep.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"<meta name=\"omct-style-nonce\" content=\"{nonce}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("__OMCT_STYLE_NONCE__", html, StringComparison.Ordinal);
        Assert.Equal(ConsoleEndpoints.ContentSecurityPolicy(nonce), csp);
        Assert.Contains("no-cache", deep.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal("DENY", deep.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", deep.Headers.GetValues("X-Content-Type-Options").Single());
        // No inline script in the page: every script is a file of the console's own.
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=\"/console/assets/)", html);

        using var again = await http.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(nonce, Regex.Match(again.Headers.GetValues("Content-Security-Policy").Single(), "'nonce-([^']+)'").Groups[1].Value);

        var script = Regex.Match(html, "src=\"(/console/assets/[^\"]+\\.js)\"").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, script);
        request.Headers.AcceptEncoding.ParseAdd("br");
        using var asset = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("br", asset.Content.Headers.ContentEncoding.Single());
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age=31536000", asset.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Contains("immutable", asset.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

        // A missing asset is a 404 (never index.html); the manifest is not served; only GET.
        using var missing = await http.GetAsync("/console/assets/index-missing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var traversal = await http.GetAsync("/console/assets/..%2Fpersisted-documents.json");
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
        var manifest = await http.GetStringAsync("/console/persisted-documents.json");
        Assert.DoesNotContain("sha256:", manifest, StringComparison.Ordinal);
        using var post = await http.PostAsync("/console/cases", new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task The_console_manifest_is_registered_at_start_up_and_a_signed_in_person_runs_its_operations_by_id()
    {
        // A fresh database: every document of the console's manifest is registered, by the build, with no admin step.
        var manifest = Manifest();
        var registered = (await factory.Admin().QueryAsync("{ persistedOperations { sha256Hash name document registeredBy } }"))
            .GetProperty("persistedOperations").EnumerateArray().ToList();
        foreach (var (key, document) in manifest)
        {
            var operation = Assert.Single(registered, o => "sha256:" + o.GetProperty("sha256Hash").GetString() == key);
            Assert.Equal(document, operation.GetProperty("document").GetString());
            Assert.Equal(ConsolePersistedOperations.RegisteredBy, operation.GetProperty("registeredBy").GetString());
            Assert.StartsWith("console:", operation.GetProperty("name").GetString(), StringComparison.Ordinal);
        }

        var shellMe = Assert.Single(manifest, e => e.Value.StartsWith("query ShellMe", StringComparison.Ordinal)).Key;
        var person = await AccountsSetup.CreateAsync(factory, "console.persisted@example.org");
        var browser = factory.Browser();
        await browser.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        await browser.PostAsync("/account/second-factor", new { code = Totp.Code(person.AuthenticatorKey) });
        var token = await browser.TokenAsync();

        // The console's own request: the document's id only, the session cookie and the antiforgery header.
        var byId = await PostAsync(browser, new { documentId = shellMe, operationName = "ShellMe" }, token);
        Assert.False(byId.HasErrors, byId.ToString());
        Assert.Equal("Person console.persisted@example.org", byId.Data.GetProperty("me").GetProperty("name").GetString());
        Assert.Equal("STAFF", byId.Data.GetProperty("me").GetProperty("role").GetString());

        // Without the antiforgery header the session's request is refused before anything runs (403, FORBIDDEN).
        var forged = await PostAsync(browser, new { documentId = shellMe }, null);
        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);

        // Cookie sessions are not restricted to persisted operations (as a STAFF key is not): the console sends only
        // them, but a person's session may still send a document, answered as any STAFF caller's.
        var sent = await browser.GraphQLAsync("{ me { role clearance } caseCount }");
        Assert.False(sent.HasErrors, sent.ToString());
        Assert.Equal("STAFF", sent.Data.GetProperty("me").GetProperty("role").GetString());
        var asKey = await factory.GraphQL(await StaffKeyAsync()).PostAsync("{ caseCount }");
        Assert.Equal(asKey.Data.GetProperty("caseCount").GetInt32(), sent.Data.GetProperty("caseCount").GetInt32());
    }

    [Fact]
    public async Task Registering_the_manifest_again_adds_nothing_and_says_so()
    {
        var before = (await factory.Admin().QueryAsync("{ persistedOperations { sha256Hash registeredAt } }")).GetProperty("persistedOperations").GetRawText();
        var registration = factory.Services.GetServices<IHostedService>().OfType<ConsolePersistedOperations>().Single();
        await registration.StartAsync(CancellationToken.None);

        var after = (await factory.Admin().QueryAsync("{ persistedOperations { sha256Hash registeredAt } }")).GetProperty("persistedOperations").GetRawText();
        Assert.Equal(before, after);
        var lines = factory.Logs.Events.Where(e => e.MessageTemplate.Text.StartsWith("Console: {Added} persisted operation(s) registered", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count); // at start-up, and now
        Assert.Equal("0", lines[^1].Properties["Added"].ToString());
        Assert.Equal(Manifest().Count.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[^1].Properties["Known"].ToString());
    }

    [Fact]
    public void A_manifest_entry_that_is_not_the_hash_of_its_document_is_refused()
    {
        const string Document = "query Probe { me { name } }";
        var good = ConsolePersistedOperations.Read(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["sha256:" + Omct.Platform.Access.PersistedOperations.PersistedOperation.HashOf(Document)] = Document,
        }));
        Assert.Equal("console:Probe", Assert.Single(good).Name);

        var tampered = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["sha256:" + Omct.Platform.Access.PersistedOperations.PersistedOperation.HashOf(Document)] = "query Probe { me { name role } }",
        });
        var error = Assert.Throws<InvalidOperationException>(() => ConsolePersistedOperations.Read(tampered));
        Assert.Contains("not the SHA-256 of its document", error.Message, StringComparison.Ordinal);
    }

    private static async Task<GraphQLResponse> PostAsync(Accounts.Browser browser, object body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(body) };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (token is not null)
        {
            request.Headers.Add("X-CSRF-TOKEN", token);
        }

        using var response = await browser.Http.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }

    private async Task<string> StaffKeyAsync()
    {
        var created = await factory.Admin().QueryAsync(
            "mutation { createApiKey(input: { name: \"console staff\", role: STAFF, clearance: STAFF }) { key } }");
        return created.GetProperty("createApiKey").GetProperty("key").GetString()!;
    }
}

/// <summary>A host whose web root holds no console build (a checkout where build/console.sh has not run).</summary>
public sealed class NoConsoleFactory : PlatformFactory
{
    public string WebRoot { get; } = Directory.CreateTempSubdirectory("omct-no-console-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseWebRoot(WebRoot);
    }
}

public sealed class ConsoleNotBuiltTests(NoConsoleFactory factory) : IClassFixture<NoConsoleFactory>
{
    [Fact]
    public async Task Without_a_console_build_the_host_runs_and_console_says_how_to_build_it()
    {
        var http = factory.CreateClient();
        using var response = await http.GetAsync("/console/cases");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("The staff console is not built", body, StringComparison.Ordinal);
        Assert.Contains("build/console.sh", body, StringComparison.Ordinal);

        // The API is unaffected, and the log says why /console is not there.
        var me = await factory.Admin().QueryAsync("{ me { role } }");
        Assert.Equal("ADMIN", me.GetProperty("me").GetProperty("role").GetString());
        Assert.Contains(factory.Logs.Events, e => e.MessageTemplate.Text.StartsWith("The staff console is not built", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Events, e => e.MessageTemplate.Text.StartsWith("No console manifest", StringComparison.Ordinal));
    }
}
