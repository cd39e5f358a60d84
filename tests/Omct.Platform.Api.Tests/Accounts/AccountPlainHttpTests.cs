using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Omct.Platform.Accounts;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Accounts;

/// <summary>
/// Outside Development the sign-in cookies are HTTPS-only. Over plain HTTP the accounts' pages say so (instead of an
/// error 500 from the antiforgery cookie); <c>build/run.sh</c>'s loopback host may send them without <c>Secure</c>,
/// and nothing else may.
/// </summary>
public sealed class AccountPlainHttpTests(AccountsFactory https) : IClassFixture<AccountsFactory>
{
    [Fact]
    public async Task Over_plain_HTTP_without_the_setting_sign_in_says_it_needs_HTTPS()
    {
        using var client = https.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false });

        using var json = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account") { Headers = { { "Accept", "application/json" } } });
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        using var body = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        Assert.Equal("HTTPS_REQUIRED", body.RootElement.GetProperty("status").GetString());
        Assert.Contains("Omct:Accounts:AllowPlainHttpOnLoopback", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(json.Headers.Contains("Set-Cookie"));

        using var page = await client.GetAsync("/account/sign-in");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("Sign-in needs HTTPS", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Over HTTPS the same host answers as always.
        var secure = https.Browser();
        using var ok = await secure.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account") { Headers = { { "Accept", "application/json" } } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_loopback_host_with_the_setting_signs_people_in_over_plain_HTTP_with_cookies_without_Secure()
    {
        await using var loopback = new PlainHttpFactory("http://localhost:5080");
        await loopback.InitializeAsync();
        using var client = loopback.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false });

        using var answer = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account") { Headers = { { "Accept", "application/json" } } });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var cookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"), c => c.StartsWith("omct_antiforgery=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://platform.example.org")]
    [InlineData("http://192.0.2.10:5080")]
    public void The_setting_is_refused_unless_the_public_address_is_loopback(string publicUrl)
    {
        var errors = ValidatedSections.Errors(new AccountsOptions { AllowPlainHttpOnLoopback = true, PublicUrl = publicUrl }, AccountsOptions.Section);

        var error = Assert.Single(errors);
        Assert.StartsWith("Omct:Accounts:AllowPlainHttpOnLoopback (Omct__Accounts__AllowPlainHttpOnLoopback)", error, StringComparison.Ordinal);
        Assert.Empty(ValidatedSections.Errors(new AccountsOptions { AllowPlainHttpOnLoopback = true, PublicUrl = "http://localhost:5080" }, AccountsOptions.Section));
    }

    [Fact]
    public async Task A_host_started_with_the_setting_and_a_public_address_stops_naming_the_setting()
    {
        await using var refused = new PlainHttpFactory("https://platform.example.org");
        var failure = await Assert.ThrowsAnyAsync<Exception>(refused.InitializeAsync);
        var validation = failure as OptionsValidationException ?? Assert.IsType<OptionsValidationException>(failure.InnerException);
        Assert.Contains("Omct__Accounts__AllowPlainHttpOnLoopback", validation.Message, StringComparison.Ordinal);
    }

    private sealed class PlainHttpFactory(string publicUrl) : PlatformFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Omct:Accounts:AllowPlainHttpOnLoopback"] = "true",
            ["Omct:Accounts:PublicUrl"] = publicUrl,
        };
    }
}
