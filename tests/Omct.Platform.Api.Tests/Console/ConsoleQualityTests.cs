using System.Net;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Accounts;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's quality bar in Debian's Chromium: English, French and Spanish (remembered), axe-core on every screen
/// in each language (with screenshots in .local/screenshots/console/), the Content-Security-Policy with no violation,
/// and the initial JavaScript budget.
/// </summary>
public sealed class ConsoleQualityTests(ConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    /// <summary>Each language's labels that the test looks for: sign-in title, second factor, navigation, headings.</summary>
    private static readonly Dictionary<string, (string SignIn, string SecondFactor, string Dashboard, string Cases, string NotFound, string Email, string Password, string Submit, string Code, string Continue)> Labels = new()
    {
        ["en"] = ("Sign in to the OMCT console", "Second factor", "Dashboard", "Cases", "Page not found", "E-mail", "Password", "Sign in", "Code from your authenticator app", "Continue"),
        ["fr"] = ("Connexion à la console OMCT", "Second facteur", "Tableau de bord", "Dossiers", "Page introuvable", "Adresse e-mail", "Mot de passe", "Se connecter", "Code de l'application d'authentification", "Continuer"),
        ["es"] = ("Iniciar sesión en la consola OMCT", "Segundo factor", "Panel", "Casos", "Página no encontrada", "Correo electrónico", "Contraseña", "Iniciar sesión", "Código de la aplicación de autenticación", "Continuar"),
    };

    [Fact]
    public async Task The_language_switch_shows_French_and_Spanish_labels_and_is_remembered()
    {
        var person = await fixture.PersonAsync("console.languages@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await page.GotoAsync(fixture.Url("/"));
        await ConsolePages.SignInAsync(page, person);
        var nav = page.GetByRole(AriaRole.Navigation);
        await Expect(nav.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Cases" })).ToBeVisibleAsync();

        await page.GetByLabel("Language").SelectOptionAsync("fr");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Expect(page.GetByRole(AriaRole.Navigation, new PageGetByRoleOptions { Name = "Navigation principale" })
            .GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Dossiers" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Tableau de bord" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Se déconnecter" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-person")).ToContainTextAsync("Équipe · habilitation Équipe");

        // Remembered: a reload stays in French.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Tableau de bord" })).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync("Console OMCT");

        await page.GetByLabel("Langue").SelectOptionAsync("es");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Casos" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Panel" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cerrar sesión" })).ToBeVisibleAsync();

        // Another tab of the same browser opens in Spanish, the sign-in screen too after signing out.
        var second = await context.NewPageAsync();
        await second.GotoAsync(fixture.Url("/cases"));
        await Expect(second.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Casos", Exact = true })).ToBeVisibleAsync();
        await second.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cerrar sesión" }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Iniciar sesión en la consola OMCT" })).ToBeVisibleAsync();
        Assert.Equal("es", await second.EvaluateAsync<string>("() => localStorage.getItem('omct.console.language')"));
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_any_screen_in_any_language()
    {
        var failures = new List<string>();
        foreach (var (language, label) in Labels)
        {
            var person = await fixture.PersonAsync($"console.axe.{language}@example.org");
            var (context, page, _) = await ConsolePages.NewPageAsync(fixture, language);
            await using var _context = context;

            await page.GotoAsync(fixture.Url("/"));
            await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = label.SignIn })).ToBeVisibleAsync();
            await CheckAsync(page, $"sign-in-{language}", failures);

            await ConsolePages.PasswordAsync(page, person, label.Email, label.Password, label.Submit);
            await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = label.SecondFactor })).ToBeVisibleAsync();
            await CheckAsync(page, $"second-factor-{language}", failures);

            await page.GetByLabel(label.Code).FillAsync(Totp.Code(person.AuthenticatorKey));
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = label.Continue, Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = label.Dashboard })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("signed-in-person")).ToContainTextAsync(person.Email);
            await CheckAsync(page, $"dashboard-{language}", failures);

            await page.GotoAsync(fixture.Url("/cases"));
            await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = label.Cases, Exact = true })).ToBeVisibleAsync();
            await CheckAsync(page, $"cases-{language}", failures);

            await page.GotoAsync(fixture.Url("/no/such/screen"));
            await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = label.NotFound })).ToBeVisibleAsync();
            await CheckAsync(page, $"not-found-{language}", failures);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private async Task CheckAsync(IPage page, string screen, List<string> failures)
    {
        await ConsolePages.ScreenshotAsync(page, screen);
        failures.AddRange(await ConsolePages.AxeFailuresAsync(page, screen, output));
    }

    [Fact]
    public async Task The_pages_carry_a_strict_content_security_policy_and_cause_no_violation()
    {
        var person = await fixture.PersonAsync("console.csp@example.org");
        var (context, page, errors) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;

        var response = await page.GotoAsync(fixture.Url("/cases"));
        var headers = await response!.AllHeadersAsync();
        var csp = headers["content-security-policy"];
        output.WriteLine(csp);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal); // no other origin
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.True(nonce.Length >= 16, csp);
        Assert.Equal(nonce, await page.Locator("meta[name=omct-style-nonce]").GetAttributeAsync("content"));
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Contains("no-cache", headers["cache-control"], StringComparison.Ordinal);

        // Through sign-in, the shell, both screens and a language change: nothing blocked.
        await ConsolePages.SignInAsync(page, person);
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Dashboard" }).ClickAsync();
        await page.GetByLabel("Language").SelectOptionAsync("fr");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Tableau de bord" })).ToBeVisibleAsync();
        Assert.Empty(await ConsolePages.CspViolationsAsync(page));
        Assert.Empty(errors);
        // Mantine's style elements are there, with the nonce (so the policy let them in).
        Assert.True(await page.EvaluateAsync<int>("() => document.querySelectorAll('style[data-mantine-styles]').length") > 0);

        // And the policy is enforced: an inline script and a style without the nonce are refused and reported.
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s);" +
                                 " const t = document.createElement('style'); t.textContent = 'body { color: red }'; document.head.append(t); }");
        await page.WaitForFunctionAsync("() => window.__csp.length >= 2");
        Assert.False(await page.EvaluateAsync<bool>("() => window.__ran === true"));
        var violations = await ConsolePages.CspViolationsAsync(page);
        Assert.Contains(violations, v => v.StartsWith("script-src", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("style-src", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_initial_JavaScript_of_a_signed_in_first_page_is_at_most_250_KB_gzipped()
    {
        var person = await fixture.PersonAsync("console.budget@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await page.GotoAsync(fixture.Url("/"));
        await ConsolePages.SignInAsync(page, person);

        // A first visit of a signed-in person: an empty cache, the dashboard's URL.
        var first = await context.NewPageAsync();
        var scripts = new List<string>();
        first.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "script")
            {
                lock (scripts)
                {
                    scripts.Add(response.Url);
                }
            }
        };
        await first.RouteAsync("**/*", route => route.ContinueAsync(new RouteContinueOptions { Headers = route.Request.Headers.Concat([new("cache-control", "no-cache")]).ToDictionary() }));
        await first.GotoAsync(fixture.Url("/"));
        await Expect(first.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Dashboard" })).ToBeVisibleAsync();
        await first.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // The charts and the map are loaded when shown, in chunks of their own (the issue's budget leaves them out):
        // they must be separate files, fetched after the page, and are not counted.
        static bool LoadedWhenShown(string url) =>
            Path.GetFileName(new Uri(url).AbsolutePath) is var file && (file.StartsWith("DashboardCharts-", StringComparison.Ordinal) ||
                                                                       file.StartsWith("EChart-", StringComparison.Ordinal) || // ECharts itself, shared with the reports
                                                                       file.StartsWith("WorldMap-", StringComparison.Ordinal));
        Assert.Contains(scripts, LoadedWhenShown);
        output.WriteLine($"loaded when shown (not counted): {string.Join(", ", scripts.Where(LoadedWhenShown).Distinct())}");
        scripts.RemoveAll(LoadedWhenShown);

        // The bytes of those scripts as a browser asking for gzip receives them.
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        long total = 0;
        foreach (var url in scripts.Distinct())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
            var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
            output.WriteLine($"{url}: {bytes} bytes gzipped");
            total += bytes;
        }

        output.WriteLine($"initial JavaScript: {total} bytes gzipped in {scripts.Distinct().Count()} file(s)");
        Assert.NotEmpty(scripts);
        Assert.True(total > 20_000, $"implausibly small: {total} bytes");
        Assert.True(total <= 250 * 1024, $"the initial JavaScript is {total} bytes gzipped, over 250 KB");
    }
}
