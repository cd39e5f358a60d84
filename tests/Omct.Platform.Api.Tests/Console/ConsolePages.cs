using System.Text.Json;
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
    public static async Task<IPage> SignedInPageAsync(ConsoleFixture fixture, string email, string role = "STAFF", string clearance = "STAFF", string language = "en",
        string? organisationId = null)
    {
        // The person is made through the API while the browser opens the sign-in page: neither waits for the other.
        var making = fixture.PersonAsync(email, role, clearance, organisationId);
        var opening = SignInPageAsync(fixture, language);
        await Task.WhenAll(making, opening);
        var (person, page) = (await making, await opening);
        await page.Locator("input[type=email]").FillAsync(person.Email);
        await page.Locator("input[autocomplete=current-password]").FillAsync(person.Password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = SignInLabels[language].Submit, Exact = true }).ClickAsync();
        await page.Locator("input[autocomplete=one-time-code]").FillAsync(Totp.Code(person.AuthenticatorKey));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = SignInLabels[language].Continue, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("signed-in-person")).ToBeAttachedAsync();
        return page;
    }

    private static async Task<IPage> SignInPageAsync(ConsoleFixture fixture, string language)
    {
        var (_, page, _) = await NewPageAsync(fixture, language);
        await page.GotoAsync(fixture.Url("/sign-in"));
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

    // axe-core as the Deque package ships it, injected once per document (through the debugger protocol, so the console's
    // CSP does not apply to it) and run there directly: the package's own runner injects it again and serialises partial
    // results frame by frame at every call, which made each check take seconds on two cores.
    private static readonly Lazy<string> AxeSource = new(() =>
    {
        using var stream = typeof(Deque.AxeCore.Commons.AxeResult).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is not in Deque.AxeCore.Commons");
        return new StreamReader(stream).ReadToEnd();
    });

    /// <summary>
    /// Runs axe-core on the page as it is and returns its serious and critical violations, one line each (screen,
    /// impact, rule, where); also fails when axe ran almost no rule (an empty page proves nothing). With a dialog open,
    /// the page behind it is inert (checked on its own when it was the screen): axe checks the dialog. Every rule runs;
    /// only violations are reported node by node. Writes a line per screen to <paramref name="output"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AxeFailuresAsync(IPage page, string screen, ITestOutputHelper? output = null)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(AxeSource.Value);
        }

        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            async () => {
              // A dialog fading in has its text at part opacity: axe checks what the person sees once it has settled.
              await (
            """ + Settle + """
              )();
              const dialogs = document.querySelectorAll('[role="dialog"][aria-modal="true"]');
              const r = await window.axe.run(dialogs.length === 1 ? dialogs[0] : document, { resultTypes: ['violations'] });
              return {
                passes: r.passes.length,
                violations: r.violations.map(v => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.map(n => n.html) })),
              };
            }
            """);
        var passes = result.GetProperty("passes").GetInt32();
        var violations = result.GetProperty("violations").EnumerateArray().ToList();
        output?.WriteLine($"{screen}: {violations.Count} violation(s) in all, {passes} rules passed");
        Assert.True(passes > 10, $"{screen}: axe ran almost no rule");
        return violations.Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{screen}: {v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()} ({v.GetProperty("help").GetString()}) at "
                + string.Join("; ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString())))
            .ToList();
    }

    // Waits until the page has settled — no transition running (of those that end: a running job's striped bar moves for
    // as long as the job runs) and an open modal dialog wholly opaque — checked at each frame, for at most a second (a
    // transition may start a frame late).
    private const string Settle = """
        async () => {
          const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve(undefined)));
          const opaque = element => { for (let e = element; e; e = e.parentElement) { if (getComputedStyle(e).opacity !== '1') return false; } return true; };
          for (let i = 0; i < 60; i++) {
            await frame();
            const running = document.getAnimations().filter(a => a.playState === 'running' && Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity));
            const modal = document.querySelector('[role="dialog"][aria-modal="true"]');
            if (i >= 2 && running.length === 0 && (!modal || opaque(modal))) break;
          }
        }
        """;

    /// <summary>
    /// Waits for what the person sees to settle: no (ending) transition running and an open dialog wholly opaque — e.g. a
    /// modal that has just opened, before its screenshot (instead of a fixed pause for its transition).
    /// </summary>
    public static Task SettledAsync(IPage page) => page.EvaluateAsync(Settle);

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
