using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Accounts;
using Xunit;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>
/// "Sign in with Example NGO" through HTTP against a locally started OpenID Connect provider (oidc-provider): the code
/// flow ends in the platform's own session, for an account linked by e-mail or made from the provider's claims; a
/// disabled account, a tampered ID token or a return URL to another host are refused; STAFF needs a second factor.
/// </summary>
public sealed class AccountOpenIdConnectTests(OidcFactory factory) : IClassFixture<OidcFactory>
{
    private const string Me = "{ me { id name role clearance account { external } } }";

    private async Task<string> InviteAsync(string email, string role = "STAFF", string clearance = "STAFF") =>
        (await AccountsSetup.CreateAsync(factory.Admin(), factory.Browser(), factory.Mail, email, role, clearance)).Id;

    private static async Task<JsonElement> MeAsync(Browser browser) =>
        (await browser.GraphQLAsync(Me)).Data.GetProperty("me");

    private async Task<string> AuditAsync(string accountId) =>
        (await factory.Admin().PostAsync("query($id: ID!) { auditTrail(entityId: $id) { action by } }", new { id = accountId })).Raw;

    private async Task<IReadOnlyList<object>> EventsAsync(Guid accountId)
    {
        await using var documents = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await documents.Events.FetchStreamAsync(accountId)).Select(e => e.Data).ToList();
    }

    /// <summary>The account's id in an Account node id (what inviteAccount answers).</summary>
    private static Guid Of(string nodeId) =>
        BuildingBlocks.Ids.GlobalId.TryDecode(nodeId, "Account", out var id) ? id : throw new ArgumentException(nodeId);

    /// <summary>The caller id (<c>me.id</c>) of an account's session.</summary>
    private static string CallerOf(string nodeId) => $"user:{Of(nodeId)}";

    private async Task<Account?> AccountAsync(string email)
    {
        var normalized = email.ToUpperInvariant();
        await using var documents = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await documents.Query<Account>().SingleOrDefaultAsync(a => a.NormalizedEmail == normalized);
    }

    [Fact]
    public async Task GET_account_and_the_sign_in_page_offer_the_organisations_provider()
    {
        var (status, body) = await factory.Browser().GetJsonAsync("/account");
        Assert.Equal(HttpStatusCode.OK, status);
        var oidc = body.GetProperty("openIdConnect");
        Assert.Equal("Example NGO", oidc.GetProperty("displayName").GetString());
        Assert.Equal("/account/oidc?returnUrl=%2Faccount", oidc.GetProperty("signInUrl").GetString());

        // A local page to come back to is kept; another host is replaced by /account.
        Assert.Equal("/account/oidc?returnUrl=%2Fgraphql", (await factory.Browser().GetJsonAsync("/account?returnUrl=/graphql")).Body.GetProperty("openIdConnect").GetProperty("signInUrl").GetString());
        Assert.Equal("/account/oidc?returnUrl=%2Faccount",
            (await factory.Browser().GetJsonAsync("/account?returnUrl=" + Uri.EscapeDataString("https://evil.example.org/"))).Body.GetProperty("openIdConnect").GetProperty("signInUrl").GetString());

        var page = await factory.Browser().Http.GetStringAsync("/account/sign-in");
        Assert.Contains("Sign in with Example NGO", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/oidc?returnUrl=%2Faccount\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_code_flow_ends_in_a_session_of_the_account_linked_by_e_mail()
    {
        var id = await InviteAsync("linked@example.org");
        var browser = factory.Browser();

        var result = await OidcFlow.SignInAsync(factory, browser, "sub-linked", amr: "pwd,mfa", returnUrl: "/account?from=oidc");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.StartsWith("/account/oidc/complete?", result.Location, StringComparison.Ordinal);
        Assert.Contains("content=\"0;url=/account?from=oidc\"", result.Body, StringComparison.Ordinal);
        var me = await MeAsync(browser);
        Assert.Equal(CallerOf(id), me.GetProperty("id").GetString());
        Assert.Equal("STAFF", me.GetProperty("clearance").GetString());
        // The provider's name claim does not rename a linked account, nor do its (absent) role claims change it.
        Assert.Equal("Person linked@example.org", me.GetProperty("name").GetString());
        Assert.False(me.GetProperty("account").GetProperty("external").GetBoolean());
        Assert.Contains(await EventsAsync(Of(id)), e => e is AccountSignedIn { Method: "OIDC+MFA" });
        Assert.Contains("accounts.signed_in", await AuditAsync(id), StringComparison.Ordinal);

        // The platform's ordinary session: signing out ends it.
        var (signedOut, _) = await browser.PostAsync("/account/sign-out", new { });
        Assert.Equal(HttpStatusCode.OK, signedOut);
        Assert.Equal("ANONYMOUS", (await MeAsync(browser)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Staff_without_a_second_factor_at_the_provider_must_pass_the_platforms_own()
    {
        var person = await AccountsSetup.CreateAsync(factory.Admin(), factory.Browser(), factory.Mail, "totp@example.org");
        var browser = factory.Browser();

        var result = await OidcFlow.SignInAsync(factory, browser, "sub-linked-staff", amr: "pwd");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("content=\"0;url=/account/second-factor\"", result.Body, StringComparison.Ordinal);
        // A password at the provider alone is no session.
        Assert.Equal("ANONYMOUS", (await MeAsync(browser)).GetProperty("role").GetString());
        var (wrong, _) = await browser.PostAsync("/account/second-factor", new { code = "000000" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal("ANONYMOUS", (await MeAsync(browser)).GetProperty("role").GetString());

        var (passed, body) = await browser.PostAsync("/account/second-factor", new { code = Totp.Code(person.AuthenticatorKey) });

        Assert.Equal(HttpStatusCode.OK, passed);
        Assert.Equal("SIGNED_IN", body.GetProperty("status").GetString());
        Assert.Equal(CallerOf(person.Id), (await MeAsync(browser)).GetProperty("id").GetString());
        var events = await EventsAsync(Of(person.Id));
        Assert.Contains(events, e => e is AccountSignInFailed { Reason: "WRONG_CODE" });
        Assert.Contains(events, e => e is AccountSignedIn { Method: "OIDC+TOTP" });
        Assert.DoesNotContain(events, e => e is AccountSignedIn { Method: "OIDC" or "OIDC+MFA" });
    }

    [Fact]
    public async Task An_unknown_address_with_role_and_clearance_claims_gets_an_external_account()
    {
        var browser = factory.Browser();

        var result = await OidcFlow.SignInAsync(factory, browser, "sub-new");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        var me = await MeAsync(browser);
        Assert.Equal("EDITOR", me.GetProperty("role").GetString());
        Assert.Equal("NETWORK", me.GetProperty("clearance").GetString());
        Assert.Equal("New Comer", me.GetProperty("name").GetString());
        Assert.True(me.GetProperty("account").GetProperty("external").GetBoolean());
        var account = await AccountAsync("newcomer@example.org");
        Assert.NotNull(account);
        Assert.True(account.External);
        Assert.Equal("sub-new", account.ExternalSubject);
        Assert.Null(account.PasswordHash);
        Assert.Equal(account.CallerId, me.GetProperty("id").GetString());
        var events = await EventsAsync(account.Id);
        Assert.Contains(events, e => e is AccountCreatedFromProvider { Role: BuildingBlocks.Callers.Role.Editor, Clearance: BuildingBlocks.Callers.Confidentiality.Network });
        Assert.Contains(events, e => e is AccountSignedIn { Method: "OIDC" });

        // The next sign-in finds the same account; it has no password to sign in with here.
        var again = factory.Browser();
        Assert.Equal(HttpStatusCode.OK, (await OidcFlow.SignInAsync(factory, again, "sub-new")).Status);
        Assert.Equal(account.CallerId, (await MeAsync(again)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Browser().PostAsync("/account/sign-in", new { email = "newcomer@example.org", password = "" })).Status);
    }

    [Fact]
    public async Task An_external_account_with_STAFF_clearance_claims_gets_no_session_without_a_second_factor()
    {
        var browser = factory.Browser();

        var result = await OidcFlow.SignInAsync(factory, browser, "sub-new-staff", amr: "pwd");

        Assert.Contains("content=\"0;url=/account/second-factor\"", result.Body, StringComparison.Ordinal);
        Assert.Equal("ANONYMOUS", (await MeAsync(browser)).GetProperty("role").GetString());

        // With the provider's second factor (amr mfa) the same person signs in.
        var withMfa = factory.Browser();
        await OidcFlow.SignInAsync(factory, withMfa, "sub-new-staff", amr: "pwd,otp");
        Assert.Equal("STAFF", (await MeAsync(withMfa)).GetProperty("clearance").GetString());
    }

    [Fact]
    public async Task Without_a_linked_account_or_role_claims_unverified_or_disabled_the_sign_in_is_refused()
    {
        var disabled = await InviteAsync("disabled@example.org");
        await factory.Admin().QueryAsync("mutation($id: ID!) { disableAccount(input: { id: $id }) { account { disabled } } }", new { id = disabled });
        await InviteAsync("unverified@example.org");

        foreach (var login in new[] { "sub-disabled", "sub-unverified", "sub-no-claims" })
        {
            var browser = factory.Browser();
            var result = await OidcFlow.SignInAsync(factory, browser, login, amr: "pwd,mfa");

            Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
            Assert.Contains("did not succeed", result.Body, StringComparison.Ordinal);
            Assert.Equal("ANONYMOUS", (await MeAsync(browser)).GetProperty("role").GetString());
        }

        Assert.Null(await AccountAsync("nobody@example.org"));
        // The disabled account's claims (ADMIN, RESTRICTED) made nothing: it stays disabled, its failure is in its trail.
        var account = await AccountAsync("disabled@example.org");
        Assert.True(account!.Disabled);
        Assert.Equal(BuildingBlocks.Callers.Role.Staff, account.Role);
        Assert.Contains(await EventsAsync(Of(disabled)), e => e is AccountSignInFailed { Reason: "NOT_ALLOWED" });
        Assert.DoesNotContain(await EventsAsync(Of(disabled)), e => e is AccountSignedIn);
    }

    [Fact]
    public async Task A_token_for_another_audience_with_a_bad_signature_or_a_wrong_nonce_is_refused()
    {
        foreach (var tamper in new[] { "audience", "signature", "nonce" })
        {
            var browser = factory.Browser();

            var result = await OidcFlow.SignInAsync(factory, browser, "sub-tamper", tamper: tamper);

            Assert.Equal("/account/oidc/failed", result.Location);
            Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
            Assert.Equal("ANONYMOUS", (await MeAsync(browser)).GetProperty("role").GetString());
            Assert.Null(await AccountAsync("tamper@example.org"));
        }

        // The same sign-in with the provider's own token succeeds: the refusals were the tampering's.
        var honest = factory.Browser();
        Assert.Equal(HttpStatusCode.OK, (await OidcFlow.SignInAsync(factory, honest, "sub-tamper")).Status);
        Assert.Equal("PUBLIC", (await MeAsync(honest)).GetProperty("clearance").GetString());
    }

    [Fact]
    public async Task A_callback_without_the_browsers_correlation_cookie_or_replayed_is_refused()
    {
        // The redirect back followed by another browser (a login-CSRF attempt): no correlation or nonce cookie.
        var victim = factory.Browser();
        string? stolen = null;
        var result = await OidcFlow.SignInAsync(factory, factory.Browser(), "sub-new", callback: location =>
        {
            stolen = location;
            return location;
        });
        Assert.Equal(HttpStatusCode.OK, result.Status);
        using var replayed = await victim.Http.GetAsync(stolen);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/account/oidc/failed", replayed.Headers.Location!.ToString());
        Assert.Equal("ANONYMOUS", (await MeAsync(victim)).GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("https://evil.example.org/account")]
    [InlineData("//evil.example.org/account")]
    [InlineData("/\\evil.example.org/account")]
    [InlineData("http:evil.example.org")]
    [InlineData("javascript:alert(1)")]
    public async Task A_return_url_to_another_host_is_refused(string returnUrl)
    {
        var browser = factory.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/account/oidc?returnUrl={Uri.EscapeDataString(returnUrl)}");
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("returnUrl", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Neither_the_logs_nor_the_audit_trail_hold_the_client_secret_a_code_or_a_token()
    {
        // A sign-in, a refused token, a refused address: every authorization code the browser saw is collected.
        var codes = new List<string>();
        codes.AddRange((await OidcFlow.SignInAsync(factory, factory.Browser(), "sub-new")).Codes);
        codes.AddRange((await OidcFlow.SignInAsync(factory, factory.Browser(), "sub-tamper", tamper: "signature")).Codes);
        codes.AddRange((await OidcFlow.SignInAsync(factory, factory.Browser(), "sub-no-claims")).Codes);
        var account = await AccountAsync("newcomer@example.org");

        var logs = string.Join("\n", factory.Logs.Events.Select(e => e.RenderMessage() + " " + string.Join(" ", e.Properties.Select(p => p.Value.ToString()))));
        var trail = await AuditAsync(BuildingBlocks.Ids.GlobalId.Encode("Account", account!.Id));
        var events = string.Join("\n", (await EventsAsync(account.Id)).Select(e => JsonSerializer.Serialize(e)));

        Assert.Contains("OpenID Connect sign-in refused", logs, StringComparison.Ordinal);
        Assert.Contains("accounts.signed_in", trail, StringComparison.Ordinal);
        Assert.Equal(3, codes.Count);
        foreach (var secret in codes.Append(OidcProvider.ClientSecret))
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, trail, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, events, StringComparison.Ordinal);
        }

        // No JWT (an ID or access token: base64url of '{"') anywhere in the logs.
        Assert.DoesNotContain("eyJ", logs, StringComparison.Ordinal);
    }
}
