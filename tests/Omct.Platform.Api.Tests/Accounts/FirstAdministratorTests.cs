using System.Net;
using System.Text.RegularExpressions;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>A host started with Omct:Accounts:FirstAdministratorEmail on an empty database.</summary>
public sealed class FirstAdministratorFactory : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Accounts:FirstAdministratorEmail"] = "first-admin@example.org",
        ["Omct:Accounts:PublicUrl"] = "https://localhost",
    };
}

public sealed class FirstAdministratorTests(FirstAdministratorFactory factory) : IClassFixture<FirstAdministratorFactory>
{
    [Fact]
    public async Task The_first_administrator_is_made_once_and_its_setup_link_is_logged_and_works_once()
    {
        var line = await Eventually.GetAsync(() => factory.Logs.Events
            .Select(e => e.RenderMessage()).FirstOrDefault(m => m.Contains("First administrator", StringComparison.Ordinal)), m => m is not null);
        var token = Regex.Match(line!, @"/account/link\?token=([A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.NotEmpty(token);

        var browser = new Browser(factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
        }));
        var (status, link) = await browser.GetJsonAsync($"/account/link?token={token}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("first-admin@example.org", link.GetProperty("email").GetString());
        var key = link.GetProperty("authenticatorKey").GetString()!;
        var (used, _) = await browser.PostAsync("/account/link", new { token, password = AccountsSetup.Password, code = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.OK, used);
        var (again, _) = await browser.PostAsync("/account/link", new { token, password = AccountsSetup.Password, code = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.NotFound, again);

        var accounts = await factory.Admin().QueryAsync("{ accounts { totalCount nodes { email role clearance } } }");
        var only = Assert.Single(accounts.GetProperty("accounts").GetProperty("nodes").EnumerateArray());
        Assert.Equal("ADMIN", only.GetProperty("role").GetString());
        Assert.Equal("RESTRICTED", only.GetProperty("clearance").GetString());
    }
}
