using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Xunit;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>
/// The caller directory (who a caller is now, for work done later on its behalf) vouches for a staff account through
/// the Accounts module: a webhook can be registered from a session, and follows the account's clearance and disabling.
/// </summary>
public sealed class AccountCallerDirectoryTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    [Fact]
    public async Task A_session_registers_a_webhook_and_the_directory_follows_its_account()
    {
        var person = await AccountsSetup.CreateAsync(factory, "webhooks@example.org", role: "STAFF", clearance: "STAFF");
        var browser = await AccountsSetup.SignInAsync(factory, person);
        var callerId = (await browser.GraphQLAsync("{ me { id } }")).Data.GetProperty("me").GetProperty("id").GetString()!;
        var directory = factory.Services.GetRequiredService<ICallerDirectory>();

        var registered = await browser.GraphQLAsync("mutation { registerWebhook(input: { name: \"from a session\", url: \"https://example.org/hooks\" }) { webhook { id } secret } }");

        Assert.False(registered.HasErrors, registered.Raw);
        var now = await directory.FindActiveAsync(callerId, CancellationToken.None);
        Assert.NotNull(now);
        Assert.Equal((Role.Staff, Confidentiality.Staff), (now.Role, now.Clearance));

        // A lowered clearance applies to the work done later; a disabled account is no longer vouched for.
        await factory.Admin().QueryAsync(
            "mutation($id: ID!) { changeAccountRole(input: { id: $id, role: STAFF, clearance: NETWORK }) { account { clearance } } }", new { id = person.Id });
        Assert.Equal(Confidentiality.Network, (await directory.FindActiveAsync(callerId, CancellationToken.None))!.Clearance);
        await factory.Admin().QueryAsync("mutation($id: ID!) { disableAccount(input: { id: $id }) { account { disabled } } }", new { id = person.Id });
        Assert.Null(await directory.FindActiveAsync(callerId, CancellationToken.None));
    }

    [Theory]
    [InlineData("user:someone-at-the-identity-provider")]
    [InlineData("user:0196a1b2-0000-7000-8000-000000000000")]
    [InlineData("user:")]
    public async Task A_bearer_token_user_or_an_unknown_account_is_not_vouched_for(string callerId) =>
        Assert.Null(await factory.Services.GetRequiredService<ICallerDirectory>().FindActiveAsync(callerId, CancellationToken.None));
}
