using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Accounts;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's sign-in in Debian's Chromium, through the Accounts module's JSON endpoints: password + TOTP, a wrong
/// code, an ended session (back to sign-in, then to the screen it was on), the organisation's OpenID Connect link,
/// and the whole path by keyboard alone.
/// </summary>
public sealed class ConsoleSignInTests(ConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task Password_and_TOTP_land_on_the_screen_asked_for_and_the_console_sends_only_persisted_operations()
    {
        var person = await fixture.PersonAsync("console.signin@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        var bodies = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/graphql", StringComparison.Ordinal))
            {
                lock (bodies)
                {
                    bodies.Add(request.PostData ?? "");
                }
            }
        };

        await page.GotoAsync(fixture.Url("/cases"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/sign-in\\?returnTo=%2Fcases$"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Sign in to the OMCT console" })).ToBeVisibleAsync();

        await ConsolePages.PasswordAsync(page, person);
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Second factor" })).ToBeVisibleAsync();
        Assert.False(await ConsolePages.SignedInAsync(page, fixture)); // the password alone opened no session
        await ConsolePages.CodeAsync(page, person);

        await Expect(page).ToHaveURLAsync(fixture.Url("/cases"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Cases", Exact = true })).ToBeVisibleAsync();
        // Name, role and clearance as the API tells them (the shell's query went through).
        var header = page.GetByTestId("signed-in-person");
        await Expect(header).ToContainTextAsync("Signed in as Person console.signin@example.org");
        await Expect(header).ToContainTextAsync("Staff · clearance Staff");
        Assert.True(await ConsolePages.SignedInAsync(page, fixture));

        // Every GraphQL request was a persisted operation by id: no document text left the browser.
        Assert.NotEmpty(bodies);
        foreach (var body in bodies)
        {
            output.WriteLine(body);
            var json = JsonNode.Parse(body)!.AsObject();
            Assert.StartsWith("sha256:", (string?)json["documentId"], StringComparison.Ordinal);
            Assert.False(json.ContainsKey("query"), body);
        }
    }

    [Fact]
    public async Task A_wrong_code_shows_an_error_and_opens_no_session()
    {
        var person = await fixture.PersonAsync("console.wrongcode@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await page.GotoAsync(fixture.Url("/"));
        await ConsolePages.PasswordAsync(page, person);
        var wrong = Totp.Code(person.AuthenticatorKey) == "000000" ? "111111" : "000000";
        await ConsolePages.CodeAsync(page, person, wrong);

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The code is wrong or has expired");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/sign-in"));
        await Expect(page.GetByTestId("signed-in-person")).ToHaveCountAsync(0);
        Assert.False(await ConsolePages.SignedInAsync(page, fixture));

        // A wrong password is told as such too, on the first step.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Start again" }).ClickAsync();
        await ConsolePages.PasswordAsync(page, person with { Password = person.Password + "x" });
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The e-mail or the password is wrong");
    }

    [Fact]
    public async Task A_revoked_session_goes_to_sign_in_and_then_back_to_the_screen_it_was_going_to()
    {
        var person = await fixture.PersonAsync("console.revoked@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await page.GotoAsync(fixture.Url("/"));
        await ConsolePages.SignInAsync(page, person);
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Dashboard" })).ToBeVisibleAsync();
        // The dashboard has finished asking (the map, the next 30 days and the latest changes come after the figures and
        // the charts): a request of its own after the revocation would go to sign-in before the click below.
        await page.WaitForFunctionAsync(
            "() => !!document.querySelector('[data-map-ready]') && !!document.querySelector('[data-testid=recent-changes]')" +
            " && document.querySelectorAll('[data-testid=upcoming] .mantine-Skeleton-root, [data-testid=recent-changes] .mantine-Skeleton-root').length === 0");

        // The same person, elsewhere, ends the browser's session (revokeSession of their other session).
        var other = fixture.HttpBrowser();
        await other.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        var (_, signedIn) = await other.PostAsync("/account/second-factor", new { recoveryCode = person.RecoveryCodes[0] });
        Assert.Equal("SIGNED_IN", signedIn.GetProperty("status").GetString());
        var sessions = (await other.GraphQLAsync("{ me { sessions { id current } } }")).Data.GetProperty("me").GetProperty("sessions");
        var browserSession = sessions.EnumerateArray().Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();
        var revoked = await other.GraphQLAsync("mutation($id: ID!) { revokeSession(input: { sessionId: $id }) { account { id } } }", new { id = browserSession });
        Assert.False(revoked.HasErrors, revoked.ToString());

        // The next screen asks the API, which answers 401: sign-in, with a word on why, and returnTo.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Cases" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/sign-in\\?returnTo=%2Fcases&ended=1$"));
        await Expect(page.GetByTestId("session-ended")).ToContainTextAsync("Your session has ended");

        // Signing in again (a recovery code this time) goes back there.
        await ConsolePages.PasswordAsync(page, person);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Use a recovery code instead" }).ClickAsync();
        await page.GetByLabel("Recovery code").FillAsync(person.RecoveryCodes[1]);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Continue", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(fixture.Url("/cases"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Cases", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_passkey_signs_the_person_in_from_the_console_with_the_browsers_WebAuthn()
    {
        var person = await fixture.PersonAsync("console.passkey@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        // CDP's virtual authenticator (WebAuthn accepts localhost over plain HTTP).
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true,
                ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });

        // Without a passkey yet, the console says it was not accepted and opens no session.
        await page.GotoAsync(fixture.Url("/"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in with a passkey" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The passkey was not accepted.");
        Assert.False(await ConsolePages.SignedInAsync(page, fixture));

        // Signed in with password + code, the person adds a passkey on their account page, then signs out.
        await ConsolePages.SignInAsync(page, person);
        await page.GotoAsync(fixture.BaseUrl + "account");
        await page.ClickAsync("#register-passkey");
        await Expect(page.Locator("#passkey-status")).ToHaveTextAsync("Passkey added.");
        await page.GotoAsync(fixture.Url("/cases"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByText("You are signed out.")).ToBeVisibleAsync();

        // The passkey alone: no e-mail, no password, no code.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in with a passkey" }).ClickAsync();
        await Expect(page.GetByTestId("signed-in-person")).ToContainTextAsync("Person console.passkey@example.org");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Dashboard" })).ToBeVisibleAsync();
        Assert.True(await ConsolePages.SignedInAsync(page, fixture));
    }

    [Fact]
    public async Task A_request_that_cannot_reach_the_server_is_told_in_a_notification_and_keeps_the_person_signed_in()
    {
        var person = await fixture.PersonAsync("console.offline@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await page.GotoAsync(fixture.Url("/"));
        await ConsolePages.SignInAsync(page, person);

        await page.RouteAsync("**/graphql", route => route.AbortAsync("internetdisconnected"));
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Cases" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new LocatorFilterOptions { HasText = "The server could not be reached" })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(fixture.Url("/cases"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Cases", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_shows_sign_in()
    {
        var person = await fixture.PersonAsync("console.signout@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await page.GotoAsync(fixture.Url("/cases"));
        await ConsolePages.SignInAsync(page, person);

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByText("You are signed out.")).ToBeVisibleAsync();
        Assert.False(await ConsolePages.SignedInAsync(page, fixture));
        await page.GotoAsync(fixture.Url("/cases"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/sign-in\\?returnTo=%2Fcases$"));
    }

    [Fact]
    public async Task The_organisations_OpenID_Connect_provider_when_GET_account_names_one_is_offered_as_a_link()
    {
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await page.GotoAsync(fixture.Url("/"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Sign in to the OMCT console" })).ToBeVisibleAsync();
        // Without a provider (this host has none configured): no such link.
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Sign in with" })).ToHaveCountAsync(0);

        // GET /account as a host with a provider answers it (the field is optional in the console's types).
        await page.RouteAsync("**/account", async route =>
        {
            var response = await route.FetchAsync();
            var json = JsonNode.Parse(await response.TextAsync())!.AsObject();
            json["openIdConnect"] = new JsonObject { ["displayName"] = "Example IdP", ["signInUrl"] = "/account/oidc/sign-in" };
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = json.ToJsonString() });
        });
        await page.ReloadAsync();
        var link = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Sign in with Example IdP" });
        await Expect(link).ToBeVisibleAsync();
        await Expect(link).ToHaveAttributeAsync("href", "/account/oidc/sign-in");
    }

    [Fact]
    public async Task Keyboard_alone_signs_in_and_reaches_the_main_screens()
    {
        var person = await fixture.PersonAsync("console.keyboard@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await page.GotoAsync(fixture.Url("/"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Sign in to the OMCT console" })).ToBeVisibleAsync();

        Assert.True(await ConsolePages.TabToAsync(page, "e => e.type === 'email'"), "Tab never reached the e-mail field");
        await page.Keyboard.TypeAsync(person.Email);
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.type === 'password'"), "Tab never reached the password field");
        await page.Keyboard.TypeAsync(person.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Second factor" })).ToBeVisibleAsync();
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.autocomplete === 'one-time-code'"), "Tab never reached the code field");
        await page.Keyboard.TypeAsync(Totp.Code(person.AuthenticatorKey));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Dashboard" })).ToBeVisibleAsync();

        // The first Tab stop skips to the content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to the content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // The navigation's links, by Tab and Enter.
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.tagName === 'A' && e.textContent.trim() === 'Cases'"), "Tab never reached Cases");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(fixture.Url("/cases"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Cases", Exact = true })).ToBeVisibleAsync();
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.tagName === 'A' && e.textContent.trim() === 'Dashboard'"), "Tab never reached Dashboard");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/?$"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Dashboard" })).ToBeVisibleAsync();

        // Sign-out is reachable too.
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.tagName === 'BUTTON' && e.textContent.trim() === 'Sign out'"), "Tab never reached Sign out");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("You are signed out.")).ToBeVisibleAsync();
    }
}
