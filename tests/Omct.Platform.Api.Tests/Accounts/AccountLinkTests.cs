using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>One-time links (invitation, reset), and nothing secret in the logs or the audit trail.</summary>
public sealed class AccountLinkTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    [Fact]
    public async Task An_invitation_link_works_once()
    {
        var person = await AccountsSetup.CreateAsync(factory, "kim@example.org");
        var token = factory.Mail.LastLinkToken(person.Email);

        var browser = factory.Browser();
        var (status, _) = await browser.GetJsonAsync($"/account/link?token={token}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        var (used, _) = await browser.PostAsync("/account/link", new { token, password = "another-long-password-42", code = Totp.Code(person.AuthenticatorKey) });
        Assert.Equal(HttpStatusCode.NotFound, used);
        // The first use stands: the password set with it still signs in.
        await AccountsSetup.SignInAsync(factory, person);
    }

    [Fact]
    public async Task An_invitation_link_expires()
    {
        await AccountsSetup.InviteAsync(factory, "lea@example.org");
        var token = factory.Mail.LastLinkToken("lea@example.org");
        var browser = factory.Browser();
        var (fresh, link) = await browser.GetJsonAsync($"/account/link?token={token}");
        Assert.Equal(HttpStatusCode.OK, fresh);
        var key = link.GetProperty("authenticatorKey").GetString()!;

        // The host's clock only moves forward: the other tests of the class work from the later time on.
        factory.Clock.Advance(TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));
        var (status, body) = await browser.PostAsync("/account/link", new { token, password = AccountsSetup.Password, code = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("REFUSED", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_password_too_short_or_common_is_refused_without_spending_the_link()
    {
        await AccountsSetup.InviteAsync(factory, "mo@example.org");
        var token = factory.Mail.LastLinkToken("mo@example.org");
        var browser = factory.Browser();
        var (_, link) = await browser.GetJsonAsync($"/account/link?token={token}");
        var key = link.GetProperty("authenticatorKey").GetString()!;

        var (shortStatus, shortBody) = await browser.PostAsync("/account/link", new { token, password = "short-pass", code = Totp.Code(key) });
        var (commonStatus, commonBody) = await browser.PostAsync("/account/link", new { token, password = "1qaz2wsx3edc", code = Totp.Code(key) });

        Assert.Equal(HttpStatusCode.BadRequest, shortStatus);
        Assert.Equal("password", shortBody.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, commonStatus);
        Assert.Contains("common", commonBody.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (ok, _) = await browser.PostAsync("/account/link", new { token, password = AccountsSetup.Password, code = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task A_reset_link_sets_a_new_password_ends_sessions_and_the_same_answer_for_unknown_addresses()
    {
        var person = await AccountsSetup.CreateAsync(factory, "nina@example.org");
        var session = await AccountsSetup.SignInAsync(factory, person);
        Assert.Equal("STAFF", (await session.GraphQLAsync("{ me { role } }")).Data.GetProperty("me").GetProperty("role").GetString());
        var mails = factory.Mail.Sent.Count;

        var browser = factory.Browser();
        var (known, knownBody) = await browser.PostAsync("/account/reset", new { email = person.Email });
        var (unknown, unknownBody) = await browser.PostAsync("/account/reset", new { email = "nobody@example.org" });
        Assert.Equal(HttpStatusCode.Accepted, known);
        Assert.Equal(known, unknown);
        Assert.Equal(unknownBody.ToString(), knownBody.ToString());
        Assert.Equal(mails + 1, factory.Mail.Sent.Count);

        var token = factory.Mail.LastLinkToken(person.Email);
        const string NewPassword = "quiet-meadow-compass-2024";
        var (status, _) = await browser.PostAsync("/account/link", new { token, password = NewPassword });
        Assert.Equal(HttpStatusCode.OK, status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GraphQLAsync("{ me { role } }")).Status);
        await AccountsSetup.SignInAsync(factory, person with { Password = NewPassword });
        var old = factory.Browser();
        var (oldStatus, _) = await old.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, oldStatus);
        Assert.Contains(factory.Mail.Sent, m => m.To == person.Email && m.Subject.Contains("password was changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Neither_the_logs_nor_the_audit_trail_hold_a_password_TOTP_key_or_recovery_code()
    {
        var person = await AccountsSetup.CreateAsync(factory, "omar@example.org");
        var browser = await AccountsSetup.SignInAsync(factory, person);
        var recovery = factory.Browser();
        await recovery.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
        await recovery.PostAsync("/account/second-factor", new { recoveryCode = person.RecoveryCodes[1] });
        var codes = (await browser.GraphQLAsync("mutation { regenerateRecoveryCodes(input: {}) { recoveryCodes } }"))
            .Data.GetProperty("regenerateRecoveryCodes").GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        await factory.Browser().PostAsync("/account/sign-in", new { email = person.Email, password = person.Password + "-wrong" });

        var trail = (await factory.Admin().PostAsync("query($id: ID!) { auditTrail(entityId: $id) { action by traceId clientMutationId } }", new { id = person.Id })).Raw;
        await using var documents = factory.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        var events = await documents.Events.FetchStreamAsync(Guid.Parse(person.Id.Length > 0 ? (await browser.GraphQLAsync("{ me { id } }")).Data.GetProperty("me").GetProperty("id").GetString()!["user:".Length..] : ""));
        var eventData = string.Join("\n", events.Select(e => System.Text.Json.JsonSerializer.Serialize(e.Data)));
        var logs = string.Join("\n", factory.Logs.Events.Select(e => e.RenderMessage() + " " + string.Join(" ", e.Properties.Select(p => p.Value.ToString()))));

        Assert.Contains("accounts.signed_in", trail);
        Assert.Contains("Sign-in refused", logs);
        foreach (var secret in new[] { person.Password, person.AuthenticatorKey }.Concat(person.RecoveryCodes).Concat(codes))
        {
            Assert.DoesNotContain(secret, trail, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, eventData, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
        }
    }
}
