using System.Net;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>Sign-in through HTTP: password then TOTP, wrong codes, lockout, recovery codes, what a session sees.</summary>
public sealed class AccountSignInTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    private const string Me = "{ me { id role clearance account { email displayName factors { authenticator recoveryCodesLeft secondFactorRequired } } sessions { current } } }";

    [Fact]
    public async Task Password_then_TOTP_opens_a_session_that_graphql_knows()
    {
        var person = await AccountsSetup.CreateAsync(factory, "ana@example.org");
        var browser = factory.Browser();

        var (status, body) = await browser.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("SECOND_FACTOR_REQUIRED", body.GetProperty("status").GetString());
        // The password alone opened no session.
        var before = await browser.GraphQLAsync(Me);
        Assert.Equal("ANONYMOUS", before.Data.GetProperty("me").GetProperty("role").GetString());

        var (second, answer) = await browser.PostAsync("/account/second-factor", new { code = Totp.Code(person.AuthenticatorKey) });
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal("SIGNED_IN", answer.GetProperty("status").GetString());

        var me = (await browser.GraphQLAsync(Me)).Data.GetProperty("me");
        Assert.Equal("STAFF", me.GetProperty("role").GetString());
        Assert.StartsWith("user:", me.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("ana@example.org", me.GetProperty("account").GetProperty("email").GetString());
        Assert.True(me.GetProperty("account").GetProperty("factors").GetProperty("authenticator").GetBoolean());
        Assert.Equal(10, me.GetProperty("account").GetProperty("factors").GetProperty("recoveryCodesLeft").GetInt32());
        Assert.Contains(me.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("current").GetBoolean());
    }

    [Fact]
    public async Task A_wrong_code_opens_no_session_and_is_in_the_audit_trail()
    {
        var person = await AccountsSetup.CreateAsync(factory, "ben@example.org");
        var browser = factory.Browser();
        await browser.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        var wrong = Totp.Code(person.AuthenticatorKey) == "000000" ? "111111" : "000000";

        var (status, body) = await browser.PostAsync("/account/second-factor", new { code = wrong });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("REFUSED", body.GetProperty("status").GetString());
        Assert.Equal("ANONYMOUS", (await browser.GraphQLAsync(Me)).Data.GetProperty("me").GetProperty("role").GetString());
        var trail = await AuditAsync(person.Id);
        Assert.Contains("accounts.sign_in_failed", trail);
        Assert.DoesNotContain("accounts.signed_in", trail);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_with_the_same_answer_as_an_unknown_email()
    {
        var person = await AccountsSetup.CreateAsync(factory, "carla@example.org");
        var browser = factory.Browser();
        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (status, body) = await browser.PostAsync("/account/sign-in", new { email = person.Email, password = "wrong-password-" + i + "-xxxxxxxx" });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            answers.Add(body.ToString());
        }

        // Locked now: the right password is refused too, word for word like an unknown address.
        var (locked, lockedBody) = await browser.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        var (unknown, unknownBody) = await browser.PostAsync("/account/sign-in", new { email = "nobody@example.org", password = person.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, locked);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown);
        Assert.Equal(unknownBody.ToString(), lockedBody.ToString());
        Assert.All(answers, a => Assert.Equal(unknownBody.ToString(), a));

        var trail = await AuditAsync(person.Id);
        Assert.Contains("accounts.locked_out", trail);
        Assert.Equal(4, trail.Count(a => a == "accounts.sign_in_failed"));
    }

    [Fact]
    public async Task An_unknown_email_takes_as_long_as_a_wrong_password()
    {
        var person = await AccountsSetup.CreateAsync(factory, "dora@example.org");
        var browser = factory.Browser();
        // Warm up both paths, then time them alternately.
        await browser.PostAsync("/account/sign-in", new { email = "nobody2@example.org", password = "x-wrong-password-long" });
        var known = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < 2; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await browser.PostAsync("/account/sign-in", new { email = person.Email, password = "x-wrong-password-long" + i });
            known.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await browser.PostAsync("/account/sign-in", new { email = $"nobody-{i}@example.org", password = "x-wrong-password-long" });
            unknownTimes.Add(watch.Elapsed.TotalMilliseconds);
        }

        // The password hash (PBKDF2, 100,000 iterations) dominates both: an unknown address is not answered
        // measurably faster (a skipped hash would make it several times faster).
        Assert.True(unknownTimes.Min() > known.Min() / 3, $"unknown {string.Join(", ", unknownTimes)} ms vs known {string.Join(", ", known)} ms");
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var person = await AccountsSetup.CreateAsync(factory, "emil@example.org");
        var code = person.RecoveryCodes[0];

        var first = factory.Browser();
        await first.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        var (status, _) = await first.PostAsync("/account/second-factor", new { recoveryCode = code });
        Assert.Equal(HttpStatusCode.OK, status);
        var me = (await first.GraphQLAsync(Me)).Data.GetProperty("me");
        Assert.Equal(9, me.GetProperty("account").GetProperty("factors").GetProperty("recoveryCodesLeft").GetInt32());

        var second = factory.Browser();
        await second.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        var (again, _) = await second.PostAsync("/account/second-factor", new { recoveryCode = code });
        Assert.Equal(HttpStatusCode.Unauthorized, again);
        Assert.Equal("ANONYMOUS", (await second.GraphQLAsync(Me)).Data.GetProperty("me").GetProperty("role").GetString());
        Assert.Contains("accounts.recovery_code_used", await AuditAsync(person.Id));
    }

    [Fact]
    public async Task A_new_authenticator_is_enrolled_through_graphql_and_the_old_one_stops()
    {
        var person = await AccountsSetup.CreateAsync(factory, "fred@example.org");
        var browser = await AccountsSetup.SignInAsync(factory, person);

        var begun = await browser.GraphQLAsync("mutation { beginAuthenticatorEnrolment(input: {}) { authenticatorKey } }");
        var key = begun.Data.GetProperty("beginAuthenticatorEnrolment").GetProperty("authenticatorKey").GetString()!;
        Assert.NotEqual(person.AuthenticatorKey, key);
        var wrong = await browser.GraphQLAsync("mutation { confirmAuthenticatorEnrolment(input: { code: \"000000\" }) { recoveryCodes } }");
        Assert.Equal(Totp.Code(key) == "000000" ? null : "VALIDATION", wrong.ErrorCode);
        var confirmed = await browser.GraphQLAsync("mutation($c: String!) { confirmAuthenticatorEnrolment(input: { code: $c }) { recoveryCodes } }", new { c = Totp.Code(key) });
        Assert.Equal(10, confirmed.Data.GetProperty("confirmAuthenticatorEnrolment").GetProperty("recoveryCodes").GetArrayLength());

        // The new key signs in; the old one no longer does (unless both give the same code by chance).
        await AccountsSetup.SignInAsync(factory, person with { AuthenticatorKey = key });
        if (Totp.Code(key) != Totp.Code(person.AuthenticatorKey))
        {
            var old = factory.Browser();
            await old.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
            var (status, _) = await old.PostAsync("/account/second-factor", new { code = Totp.Code(person.AuthenticatorKey) });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }

        Assert.Contains("accounts.authenticator_enrolled", await AuditAsync(person.Id));
        Assert.Contains(factory.Mail.Sent, m => m.To == person.Email && m.Subject.Contains("authenticator", StringComparison.Ordinal));
    }

    internal async Task<List<string>> AuditAsync(string accountId)
    {
        var data = await factory.Admin().QueryAsync("query($id: ID!) { auditTrail(entityId: $id) { action by } }", new { id = accountId });
        return data.GetProperty("auditTrail").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToList();
    }

    [Fact]
    public async Task Without_an_OpenID_Connect_provider_there_is_no_organisation_sign_in()
    {
        var (status, body) = await factory.Browser().GetJsonAsync("/account");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("openIdConnect").ValueKind);
        Assert.DoesNotContain("oidc", await factory.Browser().Http.GetStringAsync("/account/sign-in"), StringComparison.Ordinal);
        using var start = await factory.Browser().Http.GetAsync("/account/oidc?returnUrl=/account");
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        Assert.Null(start.Headers.Location);
    }
}
