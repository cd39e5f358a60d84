using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Xunit;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>Sessions: ended by the server at once (disabled, clearance changed, revoked), and protected against cross-site requests.</summary>
public sealed class AccountSessionTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    private const string Me = "{ me { id role clearance } }";

    [Fact]
    public async Task Disabling_an_account_ends_its_session_at_the_next_request()
    {
        var person = await AccountsSetup.CreateAsync(factory, "fatou@example.org");
        var browser = await AccountsSetup.SignInAsync(factory, person);
        Assert.Equal("STAFF", (await browser.GraphQLAsync(Me)).Data.GetProperty("me").GetProperty("role").GetString());

        await factory.Admin().QueryAsync("mutation($id: ID!) { disableAccount(input: { id: $id }) { account { disabled } } }", new { id = person.Id });

        var after = await browser.GraphQLAsync(Me);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Equal("UNAUTHENTICATED", after.ErrorCode);
        // And it cannot sign in again.
        var again = factory.Browser();
        var (status, _) = await again.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_clearance_change_applies_at_once()
    {
        var person = await AccountsSetup.CreateAsync(factory, "gita@example.org", clearance: "RESTRICTED");
        var browser = await AccountsSetup.SignInAsync(factory, person);
        Assert.Equal("RESTRICTED", (await browser.GraphQLAsync(Me)).Data.GetProperty("me").GetProperty("clearance").GetString());

        await factory.Admin().QueryAsync(
            "mutation($id: ID!) { changeAccountRole(input: { id: $id, role: STAFF, clearance: NETWORK }) { account { clearance } } }", new { id = person.Id });

        // The session opened with RESTRICTED clearance is over: no request runs with the old clearance.
        var after = await browser.GraphQLAsync(Me);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        // A new sign-in has the new clearance (NETWORK: a password alone is enough below STAFF, but the TOTP enrolled stays required).
        var fresh = await AccountsSetup.SignInAsync(factory, person);
        Assert.Equal("NETWORK", (await fresh.GraphQLAsync(Me)).Data.GetProperty("me").GetProperty("clearance").GetString());
    }

    [Fact]
    public async Task A_cookie_request_without_the_antiforgery_token_is_refused_and_writes_nothing()
    {
        var person = await AccountsSetup.CreateAsync(factory, "hana@example.org");
        var browser = await AccountsSetup.SignInAsync(factory, person);
        const string Enrol = "mutation { beginAuthenticatorEnrolment(input: { clientMutationId: \"x\" }) { authenticatorKey } }";

        var refused = await browser.GraphQLAsync(Enrol, withToken: false);

        // Signed in, but the request is not shown to be the person's own: 403 FORBIDDEN, saying what is missing.
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("FORBIDDEN", refused.ErrorCode);
        Assert.Contains("antiforgery token in the X-CSRF-TOKEN header", refused.Raw, StringComparison.Ordinal);
        Assert.False(refused.HasData && refused.Data.ValueKind == System.Text.Json.JsonValueKind.Object);
        await using (var session = factory.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession())
        {
            var accountId = Guid.Parse((await browser.GraphQLAsync(Me)).Data.GetProperty("me").GetProperty("id").GetString()!["user:".Length..]);
            Assert.Null(await session.LoadAsync<Omct.Platform.Accounts.GraphQL.PendingAuthenticator>(accountId));
        }

        // With the token the same request runs (the refusal was the token's).
        var accepted = await browser.GraphQLAsync(Enrol);
        Assert.False(accepted.HasErrors, accepted.Raw);
    }

    [Fact]
    public async Task A_cross_site_form_post_is_refused()
    {
        var person = await AccountsSetup.CreateAsync(factory, "ivan@example.org");
        var browser = await AccountsSetup.SignInAsync(factory, person);

        // A form another site's page posts to /graphql: the browser would send the cookie only without SameSite=Strict,
        // and the form cannot carry the header.
        using var graphql = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["query"] = "mutation { regenerateRecoveryCodes(input: {}) { recoveryCodes } }" }),
        };
        graphql.Headers.Add("Origin", "https://evil.example");
        graphql.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var graphqlResponse = await browser.Http.SendAsync(graphql);
        Assert.Equal(HttpStatusCode.Forbidden, graphqlResponse.StatusCode);

        // A cross-site post to the sign-out form, even with a valid token taken earlier: refused, the session stays.
        var token = await browser.TokenAsync();
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/account/sign-out")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        signOut.Headers.Add("Origin", "https://evil.example");
        signOut.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var signOutResponse = await browser.Http.SendAsync(signOut);
        Assert.Equal(HttpStatusCode.Forbidden, signOutResponse.StatusCode);
        Assert.Equal("STAFF", (await browser.GraphQLAsync(Me)).Data.GetProperty("me").GetProperty("role").GetString());
        var me = await browser.GraphQLAsync("{ me { account { factors { recoveryCodesLeft } } } }");
        Assert.Equal(10, me.Data.GetProperty("me").GetProperty("account").GetProperty("factors").GetProperty("recoveryCodesLeft").GetInt32());
    }

    [Fact]
    public async Task A_revoked_session_ends_and_two_credentials_are_refused()
    {
        var person = await AccountsSetup.CreateAsync(factory, "jon@example.org");
        var first = await AccountsSetup.SignInAsync(factory, person);
        var second = await AccountsSetup.SignInAsync(factory, person);
        Assert.Equal("STAFF", (await first.GraphQLAsync(Me)).Data.GetProperty("me").GetProperty("role").GetString());
        var sessions = (await second.GraphQLAsync("{ me { sessions { id current } } }")).Data.GetProperty("me").GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        var other = sessions.Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();

        var revoked = await second.GraphQLAsync("mutation($id: ID!) { revokeSession(input: { sessionId: $id }) { account { email } } }", new { id = other });
        Assert.False(revoked.HasErrors, revoked.Raw);

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GraphQLAsync(Me)).Status);
        Assert.Equal("STAFF", (await second.GraphQLAsync(Me)).Data.GetProperty("me").GetProperty("role").GetString());

        // The cookie and an API key at once: refused, as two headers are.
        using var both = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = System.Net.Http.Json.JsonContent.Create(new { query = Me }) };
        both.Headers.Add("X-Api-Key", Omct.Platform.Testing.PlatformFactory.AdminKey);
        using var bothResponse = await second.Http.SendAsync(both);
        Assert.Equal(HttpStatusCode.Unauthorized, bothResponse.StatusCode);
    }
}
