using System.Net;
using System.Text;
using System.Text.Json;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>Issue 15, hole 6: one authentication pipeline and one set of policies for every endpoint.</summary>
public sealed class AuthenticationPipelineTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_persisted_operations_only_key_is_refused_at_export_and_reports()
    {
        var persistedOnly = await CreateKeyAsync(persistedOperationsOnly: true);
        var full = await CreateKeyAsync(persistedOperationsOnly: false);
        var report = "/reports/" + GlobalId.Encode("Report", Guid.CreateVersion7()) + ".csv";

        // The same role and clearance without the restriction reaches both endpoints (an unknown report is 404).
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/export/cases", full)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(report, full)).StatusCode);

        foreach (var path in new[] { "/export/cases", report })
        {
            using var refused = await GetAsync(path, persistedOnly);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];
            Assert.Equal("FORBIDDEN", error.GetProperty("extensions").GetProperty("code").GetString());
            Assert.Contains("persisted operations", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        // At /graphql the key still runs only registered documents, as before.
        Assert.Equal("FORBIDDEN", (await platform.GraphQL(persistedOnly).PostAsync("{ me { role } }")).ErrorCode);
    }

    [Fact]
    public async Task Every_endpoint_refuses_a_bad_credential_or_two_credentials_with_401_and_the_same_error()
    {
        foreach (var path in new[] { "/graphql?query=%7Bme%7Brole%7D%7D", "/export/cases", "/reports/x.csv" })
        {
            using var bad = await GetAsync(path, "not-a-key-of-ours-at-all");
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
            Assert.Equal("ApiKey, Bearer", bad.Headers.WwwAuthenticate.ToString());
            Assert.Contains("\"UNAUTHENTICATED\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var both = new HttpRequestMessage(HttpMethod.Get, path);
            both.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
            both.Headers.Add("Authorization", "Bearer x.y.z");
            Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient().SendAsync(both)).StatusCode);
        }

        // No credential: the anonymous caller at /graphql, 401 where the policy needs a caller who pulls data.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/graphql?query=%7Bme%7Brole%7D%7D", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/export/cases", null)).StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await platform.CreateClient().SendAsync(request);
    }

    private async Task<string> CreateKeyAsync(bool persistedOperationsOnly) =>
        (await platform.Admin().QueryAsync("mutation($only: Boolean) { createApiKey(input: { name: \"pipeline\", role: INTEGRATOR, clearance: RESTRICTED, persistedOperationsOnly: $only }) { key } }",
            new { only = persistedOperationsOnly }))
        .GetProperty("createApiKey").GetProperty("key").GetString()!;
}

/// <summary>The low item of issue 15: client addresses behind a configured reverse proxy, and only there.</summary>
public sealed class ForwardedClientAddressTests(ProxiedPlatformFactory platform) : IClassFixture<ProxiedPlatformFactory>
{
    [Fact]
    public async Task X_Forwarded_For_is_honoured_only_from_a_configured_proxy()
    {
        // Behind the proxy, each client has its own bucket (two requests, the clock stands still).
        Assert.Equal([200, 200, 429], await SendAsync(ProxiedPlatformFactory.Proxy, "203.0.113.1", 3));
        Assert.Equal([200, 200, 429], await SendAsync(ProxiedPlatformFactory.Proxy, "203.0.113.2", 3));

        // From any other address the header is ignored: every "client" it names shares that address's bucket.
        Assert.Equal([200, 200], await SendAsync("10.0.0.9", "203.0.113.3", 2));
        Assert.Equal([429], await SendAsync("10.0.0.9", "203.0.113.4", 1));
    }

    private async Task<List<int>> SendAsync(string remote, string forwardedFor, int times)
    {
        var statuses = new List<int>();
        for (var i = 0; i < times; i++)
        {
            var context = await platform.Server.SendAsync(c =>
            {
                c.Request.Method = "POST";
                c.Request.Path = "/graphql";
                c.Request.ContentType = "application/json";
                c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{\"query\":\"{ me { role } }\"}"));
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
                c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            });
            statuses.Add(context.Response.StatusCode);
        }

        return statuses;
    }
}

/// <summary>The low item of issue 15: a flood of bad keys from an address does not lock out the good keys sent from it.</summary>
public sealed class BadKeyFloodTests(RateLimitedPlatformFactory platform) : IClassFixture<RateLimitedPlatformFactory>
{
    [Fact]
    public async Task A_hundred_bad_keys_from_one_address_do_not_lock_out_good_keys_from_it()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            statuses.Add((await platform.GraphQL($"guess-{i:D3}-0123456789abcdef").PostAsync("{ me { role } }")).Status);
        }

        // The refused credentials' bucket (1/s, bursts of 2, the clock stands still) is spent at once.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(2));
        Assert.All(statuses.Skip(2), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));

        // Good keys from the same address are served, each within its own limit.
        var created = await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"good\", role: STAFF, clearance: STAFF }) { key } }");
        var good = created.GetProperty("createApiKey").GetProperty("key").GetString();
        Assert.Equal("STAFF", (await platform.GraphQL(good).QueryAsync("{ me { role } }")).GetProperty("me").GetProperty("role").GetString());
        Assert.Equal("ADMIN", (await platform.Admin().QueryAsync("{ me { role } }")).GetProperty("me").GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await platform.GraphQL("guess-final-0123456789").PostAsync("{ me { role } }")).Status);
    }
}

/// <summary>Issue 17: one rate limiter (ASP.NET Core's, partitioned per caller) for every endpoint with a policy, none for health checks.</summary>
public sealed class EndpointRateLimitTests(RateLimitedPlatformFactory platform) : IClassFixture<RateLimitedPlatformFactory>
{
    [Fact]
    public async Task A_callers_one_bucket_is_spent_across_graphql_export_and_reports_and_health_checks_are_not_limited()
    {
        var report = "/reports/" + GlobalId.Encode("Report", Guid.CreateVersion7()) + ".csv";
        // The admin key's bucket holds two requests (1/s, the clock stands still): one export, one report file.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/export/cases", PlatformFactory.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(report, PlatformFactory.AdminKey)).StatusCode);

        foreach (var path in new[] { "/export/cases", report, "/graphql?query=%7Bme%7Brole%7D%7D" })
        {
            using var refused = await GetAsync(path, PlatformFactory.AdminKey);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];
            Assert.Equal("LIMIT_EXCEEDED", error.GetProperty("extensions").GetProperty("code").GetString());
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/health/live", null)).StatusCode);
        }

        // One second later one request has been refilled, on whichever endpoint.
        platform.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/export/cases", PlatformFactory.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync("/graphql?query=%7Bme%7Brole%7D%7D", PlatformFactory.AdminKey)).StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await platform.CreateClient().SendAsync(request);
    }
}
