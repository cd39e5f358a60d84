using System.Net;
using System.Text.Json;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

public sealed class KeyExpiryTests(FakeClockPlatformFactory platform) : IClassFixture<FakeClockPlatformFactory>
{
    [Fact]
    public async Task An_expired_key_is_refused_from_the_moment_it_expires()
    {
        var created = await platform.Admin().QueryAsync(
            "mutation { createApiKey(input: { name: \"short-lived\", role: STAFF, clearance: STAFF, expiresAt: \"2026-11-28T10:00:00Z\" }) { key } }");
        var key = created.GetProperty("createApiKey").GetProperty("key").GetString();
        Assert.Equal("STAFF", (await platform.GraphQL(key).QueryAsync("{ me { role } }")).GetProperty("me").GetProperty("role").GetString());

        platform.Clock.Advance(TimeSpan.FromHours(1));
        var response = await platform.GraphQL(key).PostAsync("{ me { role } }");
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("UNAUTHENTICATED", response.ErrorCode);
    }
}

public sealed class RateLimitTests(RateLimitedPlatformFactory platform) : IClassFixture<RateLimitedPlatformFactory>
{
    [Fact]
    public async Task Anonymous_callers_and_keys_are_limited_with_retry_after()
    {
        // A bucket holds two seconds' worth (2 requests at 1/s); the clock stands still, so nothing refills.
        foreach (var key in new[] { null, PlatformFactory.AdminKey })
        {
            var responses = new List<GraphQLResponse>();
            for (var i = 0; i < 5; i++)
            {
                responses.Add(await platform.GraphQL(key).PostAsync("{ me { role } }"));
            }

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], responses.Take(2).Select(r => r.Status));
            Assert.All(responses.Skip(2), r =>
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, r.Status);
                Assert.Equal("LIMIT_EXCEEDED", r.ErrorCode);
            });
        }

        using var http = platform.CreateClient();
        var refused = await http.PostAsync("/graphql", MeRequest());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);

        // One second later one request has been refilled, and only one.
        platform.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/graphql", MeRequest())).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.PostAsync("/graphql", MeRequest())).StatusCode);
    }

    private static StringContent MeRequest() => new("{\"query\":\"{ me { role } }\"}", System.Text.Encoding.UTF8, "application/json");
}

public sealed class CostRateLimitTests(CostRateLimitedPlatformFactory platform) : IClassFixture<CostRateLimitedPlatformFactory>
{
    [Fact]
    public async Task A_document_costs_the_rate_limit_its_complexity_and_one_that_cannot_be_paid_is_refused_before_it_runs()
    {
        // A year of anniversaries is thousands of complexity points: several requests' worth of a bucket of 20.
        const string Year = "{ anniversaries(from: \"2013-01-01\", to: \"2013-12-31\") { date } }";
        var key = platform.GraphQL(PlatformFactory.AdminKey);
        var answers = new List<GraphQLResponse>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await key.PostAsync(Year));
        }

        // Two years fit in the burst; the third is refused before it runs (no data), with the contract's code and a Retry-After.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], answers.Take(2).Select(a => a.Status));
        var refused = answers[2];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("LIMIT_EXCEEDED", refused.ErrorCode);
        Assert.False(refused.HasData);
        Assert.Contains("cost", refused.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        // A cheap request still fits what is left: the cost is counted, the caller is not locked out.
        Assert.Equal(HttpStatusCode.OK, (await key.PostAsync("{ me { role } }")).Status);

        // Once the bucket has refilled, the year answers again.
        platform.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await key.PostAsync(Year)).Status);
    }
}

public sealed class RefusedCredentialLimitTests(RateLimitedPlatformFactory platform) : IClassFixture<RateLimitedPlatformFactory>
{
    [Fact]
    public async Task Refused_credentials_are_limited_per_address_in_a_partition_of_their_own()
    {
        // Two refused credentials fill the address's bucket (1/s, bursts of 2); the clock stands still.
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.GraphQL("guess-1-0123456789").PostAsync("{ me { role } }")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.GraphQL("guess-2-0123456789").PostAsync("{ me { role } }")).Status);

        var third = await platform.GraphQL("guess-3-0123456789").PostAsync("{ me { role } }");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal("LIMIT_EXCEEDED", third.ErrorCode);
        // Bad keys from an address do not lock out the good keys sent from it (issue 15): a valid key has its own bucket.
        Assert.Equal("ADMIN", (await platform.Admin().QueryAsync("{ me { role } }")).GetProperty("me").GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await platform.GraphQL("guess-3b-0123456789").PostAsync("{ me { role } }")).Status);
        // Anonymous requests carry no credential to guess with: their own limit applies.
        Assert.Equal(HttpStatusCode.OK, (await platform.GraphQL().PostAsync("{ me { role } }")).Status);

        platform.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("ADMIN", (await platform.Admin().QueryAsync("{ me { role } }")).GetProperty("me").GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.GraphQL("guess-4-0123456789").PostAsync("{ me { role } }")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await platform.GraphQL("guess-5-0123456789").PostAsync("{ me { role } }")).Status);
    }
}

public sealed class ProductionDefaultsTests(ProductionPlatformFactory platform) : IClassFixture<ProductionPlatformFactory>
{
    [Fact]
    public async Task In_production_anonymous_callers_cannot_discover_the_schema_by_default()
    {
        var introspection = await platform.GraphQL().PostAsync("{ __schema { types { name } } }");
        Assert.True(introspection.HasErrors);
        Assert.DoesNotContain("\"Case\"", introspection.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Did you mean", (await platform.GraphQL().PostAsync("{ caess { totalCount } }")).Raw, StringComparison.Ordinal);
        Assert.False((await platform.Admin().PostAsync("{ __schema { types { name } } }")).HasErrors);
    }
}

public sealed class LockedDownTests(LockedDownPlatformFactory platform) : IClassFixture<LockedDownPlatformFactory>
{
    [Fact]
    public async Task Anonymous_callers_get_neither_introspection_nor_suggestions()
    {
        var introspection = await platform.GraphQL().PostAsync("{ __schema { types { name } } }");
        Assert.True(introspection.HasErrors);
        Assert.DoesNotContain("Case", introspection.Raw, StringComparison.Ordinal);

        var typo = await platform.GraphQL().PostAsync("{ caess { totalCount } }");
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", typo.ErrorCode);
        Assert.DoesNotContain("Did you mean", typo.Raw, StringComparison.Ordinal);

        var staff = await platform.Admin().PostAsync("{ caess { totalCount } }");
        Assert.Contains("Did you mean", staff.Raw, StringComparison.Ordinal);
        Assert.False((await platform.Admin().PostAsync("{ __schema { types { name } } }")).HasErrors);
    }

    [Fact]
    public async Task A_restricted_value_is_null_below_restricted_and_its_reads_are_in_the_audit_trail()
    {
        var anonymous = await platform.GraphQL().QueryAsync("{ dossier { office contact } }");
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("dossier").GetProperty("contact").ValueKind);

        var admin = await platform.Admin().QueryAsync("{ dossier { contact } }");
        Assert.Equal("+41 22 000 00 00", admin.GetProperty("dossier").GetProperty("contact").GetString());

        var id = GlobalId.Encode("Dossier", DossierModule.DossierId);
        await platform.RestrictedReadsWrittenAsync();
        var trail = (await platform.Admin().QueryAsync("query($id: ID!) { auditTrail(entityId: $id) { kind action by traceId } }", new { id }))
            .GetProperty("auditTrail").EnumerateArray().ToList();
        var read = Assert.Single(trail);
        Assert.Equal("RESTRICTED_READ", read.GetProperty("kind").GetString());
        Assert.Equal("Dossier.contact", read.GetProperty("action").GetString());
        Assert.Equal("apikey:bootstrap", read.GetProperty("by").GetString());
    }

    [Fact]
    public async Task Every_change_records_who_when_the_trace_id_and_the_client_mutation_id()
    {
        var opened = await platform.Admin().QueryAsync(
            "mutation { openCase(input: { title: \"Audit: opened\", countryCode: \"SN\", clientMutationId: \"audit-1\" }) { case { id } } }");
        var id = opened.GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: MONITORING }) { case { id } } }", new { id });

        var trail = (await platform.Admin().QueryAsync("query($id: ID!) { auditTrail(entityId: $id) { kind action version by at traceId clientMutationId } }", new { id }))
            .GetProperty("auditTrail").EnumerateArray().ToList();
        Assert.Equal(["cases.case_opened", "cases.case_status_changed"], trail.Select(e => e.GetProperty("action").GetString()));
        Assert.All(trail, e =>
        {
            Assert.Equal("CHANGE", e.GetProperty("kind").GetString());
            Assert.Equal("apikey:bootstrap", e.GetProperty("by").GetString());
            Assert.Matches("^[0-9a-f]{32}$", e.GetProperty("traceId").GetString());
        });
        Assert.Equal("audit-1", trail[0].GetProperty("clientMutationId").GetString());
        Assert.Equal(JsonValueKind.Null, trail[1].GetProperty("clientMutationId").ValueKind);

        var staffKey = (await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"staff\", role: STAFF, clearance: RESTRICTED }) { key } }"))
            .GetProperty("createApiKey").GetProperty("key").GetString();
        Assert.Equal("FORBIDDEN", (await platform.GraphQL(staffKey).PostAsync("query($id: ID!) { auditTrail(entityId: $id) { action } }", new { id })).ErrorCode);
    }
}
