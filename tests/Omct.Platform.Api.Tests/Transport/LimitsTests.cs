using System.Net;
using System.Text;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Transport;

/// <summary>Hostile documents are refused with LIMIT_EXCEEDED before any resolver or database work.</summary>
public sealed class LimitsTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_10_MB_body_is_refused_as_too_large()
    {
        // No timing here: how fast a shared CI machine answers says nothing about the limit (performance is
        // for build/bench). The endpoint stops at the size limit (Content-Length, or counting while it reads).
        var body = "{\"query\":\"{ me { role } }\",\"padding\":\"" + new string('a', 10 * 1024 * 1024) + "\"}";
        var response = await platform.CreateClient().PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        var parsed = await GraphQLResponse.ReadAsync(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("LIMIT_EXCEEDED", parsed.ErrorCode);
    }

    [Fact]
    public async Task A_200_level_nested_document_is_refused()
    {
        var query = "{ " + string.Concat(Enumerable.Repeat("__schema { types { ", 100)) + "name" + new string('}', 201);
        var response = await platform.GraphQL().PostAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("LIMIT_EXCEEDED", response.ErrorCode);
        Assert.Contains("nested too deeply", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_deeper_than_the_depth_limit_is_refused()
    {
        // 20 levels: parses fine, valid against the schema, refused by the depth limit (15).
        var query = "{ __schema { types { fields { type { " + string.Concat(Enumerable.Repeat("ofType { ", 16)) + "name" + new string('}', 16) + " } } } } }";
        var response = await platform.GraphQL().PostAsync(query);
        Assert.Equal("LIMIT_EXCEEDED", response.ErrorCode);
        Assert.False(response.HasData);
    }

    [Fact]
    public async Task An_alias_bomb_is_refused()
    {
        var query = "{ " + string.Join(' ', Enumerable.Range(0, 5000).Select(i => $"a{i}: me {{ role }}")) + " }";
        var response = await platform.GraphQL().PostAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("LIMIT_EXCEEDED", response.ErrorCode);
        Assert.Contains("aliases", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_very_wide_document_is_refused()
    {
        var query = "{ " + string.Concat(Enumerable.Repeat("me { role } ", 3000)) + " }";
        var response = await platform.GraphQL().PostAsync(query);
        Assert.Equal("LIMIT_EXCEEDED", response.ErrorCode);
    }

    [Fact]
    public async Task A_fragment_bomb_is_refused_before_validation_walks_it()
    {
        // 30 fragments, each spreading the previous one twice: 1.5 KB of text, 2^30 fields once expanded. The
        // complexity analysis walks every spread again (a 2^18 bomb took 0.35 s, doubling with each level):
        // without the expanded count this request would occupy a core for hours.
        var fragments = string.Join(' ', Enumerable.Range(1, 30).Select(l => $"fragment F{l} on Query {{ ...F{l - 1} ...F{l - 1} }}"));
        var response = await platform.Admin().PostAsync("query Bomb { ...F30 } fragment F0 on Query { me { role } } " + fragments);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("LIMIT_EXCEEDED", response.ErrorCode);
        Assert.Contains("once its fragments are expanded", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fragments_used_several_times_are_within_the_limits()
    {
        // What a client's generated queries look like: named fragments, spread several times and nested.
        var response = await platform.Admin().PostAsync("""
            query Dashboard {
              me { ...Who }
              newest: cases(first: 2) { nodes { ...CaseSummary } }
              oldest: cases(first: 2, orderBy: OPENED_ON_ASC) { nodes { ...CaseSummary } }
            }
            fragment Who on Caller { name role clearance }
            fragment CaseSummary on Case { id reference title status country { ...Place } victims { ...Person } }
            fragment Place on Country { code alpha3 name region }
            fragment Person on Victim { id name confidentiality }
            """);
        Assert.False(response.HasErrors, response.Raw);
        Assert.Equal("ADMIN", response.Data.GetProperty("me").GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_list_of_more_than_1000_values_is_refused_in_the_document_and_in_the_variables()
    {
        string Countries(int n) => string.Join(", ", Enumerable.Repeat("\"CO\"", n));
        var literal = await platform.GraphQL().PostAsync($"{{ cases(filter: {{countries: [{Countries(1001)}]}}) {{ totalCount }} }}");
        Assert.Equal(HttpStatusCode.BadRequest, literal.Status);
        Assert.Equal("LIMIT_EXCEEDED", literal.ErrorCode);
        Assert.Contains("more than 1000 items", literal.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        const string query = "query($c: [CountryCode!]) { cases(filter: {countries: $c}) { totalCount } }";
        var variable = await platform.GraphQL().PostAsync(query, new { c = Enumerable.Repeat("CO", 1001).ToArray() });
        Assert.Equal("LIMIT_EXCEEDED", variable.ErrorCode);
        Assert.False(variable.HasData && variable.Data.ValueKind == System.Text.Json.JsonValueKind.Object);

        // At the limit, the same request is answered.
        Assert.False((await platform.GraphQL().PostAsync(query, new { c = Enumerable.Repeat("CO", 1000).ToArray() })).HasErrors);
        Assert.False((await platform.GraphQL().PostAsync($"{{ cases(filter: {{countries: [{Countries(1000)}]}}) {{ totalCount }} }}")).HasErrors);
    }
}

/// <summary>The execution timeout, the complexity budget and the page-size cap, each with a small value of its own.</summary>
public sealed class ExecutionLimitsTests(TightLimitsPlatformFactory platform) : IClassFixture<TightLimitsPlatformFactory>
{
    [Fact]
    public async Task A_request_running_longer_than_the_timeout_is_stopped()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var response = await platform.GraphQL().PostAsync("{ slow }");
        Assert.Equal("LIMIT_EXCEEDED", response.ErrorCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(25), $"took {started.Elapsed}"); // the resolver alone would take 60 s
    }

    [Fact]
    public async Task A_document_over_the_complexity_budget_is_refused_before_it_runs()
    {
        var response = await platform.GraphQL().PostAsync(
            "{ cases(first: 100) { nodes { id reference title summary status openedOn country { code name alpha3 } victims { id name defender { id name cases { reference } } } events { id type date } } } }");
        Assert.Equal("LIMIT_EXCEEDED", response.ErrorCode);
        Assert.False(response.HasData && response.Data.ValueKind == System.Text.Json.JsonValueKind.Object);
        Assert.False((await platform.GraphQL().PostAsync("{ me { role } }")).HasErrors);
    }

    [Fact]
    public async Task A_document_seen_before_is_still_held_to_the_complexity_budget_of_its_new_variables()
    {
        // Validated documents are kept for their next use (ValidatedDocumentCache); the budget depends on the
        // variables (first: $n multiplies the page's fields), so it must run again on every request.
        const string Wide = "query($n: Int) { cases(first: $n) { nodes { id reference title summary status openedOn country { code name alpha3 } } } }";
        var first = await platform.GraphQL().PostAsync(Wide, new { n = 1 });
        Assert.False(first.HasErrors, first.ToString());
        Assert.False((await platform.GraphQL().PostAsync(Wide, new { n = 1 })).HasErrors);
        Assert.Equal("LIMIT_EXCEEDED", (await platform.GraphQL().PostAsync(Wide, new { n = 100 })).ErrorCode);
        Assert.Equal("LIMIT_EXCEEDED", (await platform.GraphQL().PostAsync(Wide + " ", new { n = 100 })).ErrorCode);
    }

    [Fact]
    public async Task A_document_seen_before_is_still_refused_to_a_role_that_may_not_run_it()
    {
        var admin = platform.Admin();
        const string Jobs = "{ scheduledJobs { name } }";
        Assert.False((await admin.PostAsync(Jobs)).HasErrors);
        Assert.Equal("UNAUTHENTICATED", (await platform.GraphQL().PostAsync(Jobs)).ErrorCode);
        Assert.False((await admin.PostAsync(Jobs)).HasErrors);
    }

    [Fact]
    public async Task Pages_are_capped_at_100()
    {
        var response = await platform.GraphQL().PostAsync("{ me { role } cases(first: 101) { totalCount } }");
        Assert.Equal("LIMIT_EXCEEDED", response.ErrorCode);
    }
}

public sealed class TightLimitsPlatformFactory : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:GraphQL:TimeoutSeconds"] = "1",
        ["Omct:GraphQL:MaxComplexity"] = "200",
    };

    protected override IEnumerable<Omct.Platform.BuildingBlocks.Modules.PlatformModule> ExtraModules => [new SlowModule()];
}

/// <summary>A field that takes a minute unless cancelled.</summary>
internal sealed class SlowModule : Omct.Platform.BuildingBlocks.Modules.PlatformModule
{
    public override string Name => "slow";

    public override void AddQueryFields(GraphQL.Types.ObjectGraphType query) =>
        Omct.Platform.BuildingBlocks.GraphQL.AccessRules.AllowAnonymous(query.Field<GraphQL.Types.StringGraphType>("slow"))
            .ResolveAsync(async ctx =>
            {
                await Task.Delay(TimeSpan.FromSeconds(60), ctx.CancellationToken);
                return "done";
            });
}
