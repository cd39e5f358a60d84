using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>What the console's browser tests do on its pages (English labels unless a language is given).</summary>
internal static class ConsolePages
{
    /// <summary>Screenshots of every screen in the three languages (git-ignored).</summary>
    public static string ScreenshotFolder
    {
        get
        {
            var folder = Path.Combine(RepositoryRoot.Path, ".local", "screenshots", "console");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>
    /// A page in a new browser context (its own cookies and storage) that records every Content-Security-Policy
    /// violation (<c>securitypolicyviolation</c> events, read by <see cref="CspViolationsAsync"/>) and console error.
    /// </summary>
    public static async Task<(IBrowserContext Context, IPage Page, List<string> ConsoleErrors)> NewPageAsync(ConsoleFixture fixture, string? language = null)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "en-GB",
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BaseURL = fixture.BaseUrl.ToString(),
        });
        context.SetDefaultTimeout(20_000);
        await context.AddInitScriptAsync(
            "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));" +
            (language is null ? "" : $"if (!localStorage.getItem('omct.console.language')) localStorage.setItem('omct.console.language', '{language}');"));
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        return (context, page, errors);
    }

    public static async Task<IReadOnlyList<string>> CspViolationsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("() => window.__csp ?? []");

    /// <summary>
    /// A person (invited, password + TOTP set, through the real paths) signed in through the console's sign-in page in a
    /// fresh browser context, in the given language (the fields are found by their autocomplete purpose). The context
    /// closes with the page's context.
    /// </summary>
    public static async Task<IPage> SignedInPageAsync(ConsoleFixture fixture, string email, string role = "STAFF", string clearance = "STAFF", string language = "en")
    {
        var person = await fixture.PersonAsync(email, role, clearance);
        var (_, page, _) = await NewPageAsync(fixture, language);
        await page.GotoAsync(fixture.Url("/sign-in"));
        await page.Locator("input[type=email]").FillAsync(person.Email);
        await page.Locator("input[autocomplete=current-password]").FillAsync(person.Password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = SignInLabels[language].Submit, Exact = true }).ClickAsync();
        await page.Locator("input[autocomplete=one-time-code]").FillAsync(Totp.Code(person.AuthenticatorKey));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = SignInLabels[language].Continue, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("signed-in-person")).ToBeAttachedAsync();
        return page;
    }

    /// <summary>The sign-in buttons' labels per language.</summary>
    public static readonly IReadOnlyDictionary<string, (string Submit, string Continue)> SignInLabels = new Dictionary<string, (string Submit, string Continue)>
    {
        ["en"] = ("Sign in", "Continue"),
        ["fr"] = ("Se connecter", "Continuer"),
        ["es"] = ("Iniciar sesión", "Continuar"),
    };

    /// <summary>Picks an option of a Mantine Select/MultiSelect/Autocomplete by typing and clicking it.</summary>
    public static async Task ChooseAsync(IPage page, ILocator input, string option)
    {
        await input.ClickAsync();
        if (await input.IsEditableAsync())
        {
            await input.FillAsync(option);
        }

        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = option, Exact = true }).First.ClickAsync();
    }

    /// <summary>
    /// Runs axe-core on the page as it is and returns its serious and critical violations, one line each (screen,
    /// impact, rule, where); also fails when axe ran almost no rule (an empty page proves nothing). Writes a line per
    /// screen to <paramref name="output"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AxeFailuresAsync(IPage page, string screen, ITestOutputHelper? output = null)
    {
        var result = await page.RunAxe();
        output?.WriteLine($"{screen}: {result.Violations.Length} violation(s) in all, {result.Passes.Length} rules passed");
        Assert.True(result.Passes.Length > 10, $"{screen}: axe ran almost no rule");
        return result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{screen}: {v.Impact} {v.Id} ({v.Help}) at {string.Join("; ", v.Nodes.Select(n => n.Html))}")
            .ToList();
    }

    /// <summary><see cref="AxeFailuresAsync"/> that must find nothing.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string screen, ITestOutputHelper? output = null)
    {
        var failures = await AxeFailuresAsync(page, screen, output);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>E-mail and password on the sign-in screen (the page must show it).</summary>
    public static async Task PasswordAsync(IPage page, AccountsSetup.Person person, string emailLabel = "E-mail", string passwordLabel = "Password", string submit = "Sign in")
    {
        await page.GetByLabel(emailLabel).FillAsync(person.Email);
        await page.GetByRole(AriaRole.Textbox, new PageGetByRoleOptions { Name = passwordLabel, Exact = true }).FillAsync(person.Password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = submit, Exact = true }).ClickAsync();
    }

    /// <summary>The second factor: a code from the authenticator app (or the one given).</summary>
    public static async Task CodeAsync(IPage page, AccountsSetup.Person person, string? code = null)
    {
        await page.GetByLabel("Code from your authenticator app").FillAsync(code ?? Totp.Code(person.AuthenticatorKey));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Continue", Exact = true }).ClickAsync();
    }

    /// <summary>Password + TOTP from the sign-in screen, then waits for the shell (the person's name in the header).</summary>
    public static async Task SignInAsync(IPage page, AccountsSetup.Person person)
    {
        await PasswordAsync(page, person);
        await CodeAsync(page, person);
        await Expect(page.GetByTestId("signed-in-person")).ToContainTextAsync("Person " + person.Email);
    }

    /// <summary>A full-page screenshot into <see cref="ScreenshotFolder"/> (<paramref name="name"/> without ".png").</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ScreenshotFolder, name.EndsWith(".png", StringComparison.Ordinal) ? name : name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });

    /// <summary>GET /account as the page's browser (its cookies): is it signed in?</summary>
    public static async Task<bool> SignedInAsync(IPage page, ConsoleFixture fixture)
    {
        var response = await page.Context.APIRequest.GetAsync(fixture.BaseUrl + "account", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Accept"] = "application/json" },
        });
        using var json = JsonDocument.Parse(await response.TextAsync());
        return json.RootElement.GetProperty("signedIn").GetBoolean();
    }

    /// <summary>Presses Tab (at most <paramref name="max"/> times) until the focused element satisfies <paramref name="predicate"/> (JS, given the element).</summary>
    public static async Task<bool> TabToAsync(IPage page, string predicate, int max = 40, string key = "Tab")
    {
        for (var i = 0; i < max; i++)
        {
            await page.Keyboard.PressAsync(key);
            if (await page.EvaluateAsync<bool>($"() => {{ const e = document.activeElement; return !!e && ({predicate})(e); }}"))
            {
                return true;
            }
        }

        return false;
    }
}
