using System.Text.Json;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Testing;
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

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

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
