using System.Net;
using System.Text;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Transport;

/// <summary>The GraphQL-over-HTTP rules the endpoint follows (the audit test runs the full npm suite).</summary>
public sealed class HttpTransportTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private HttpClient Http => platform.CreateClient();

    [Fact]
    public async Task Get_runs_queries()
    {
        var response = await Http.GetAsync("/graphql?query=%7B%20me%20%7B%20role%20%7D%20%7D");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ANONYMOUS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_never_runs_mutations()
    {
        var response = await Http.GetAsync("/graphql?query=mutation%20%7B%20revokeApiKey(input%3A%7Bid%3A%22x%22%7D)%20%7B%20clientMutationId%20%7D%20%7D");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Post_without_json_content_type_is_refused()
    {
        var response = await Http.PostAsync("/graphql", new StringContent("{\"query\":\"{ me { role } }\"}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/json", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData(null, "application/json")]
    public async Task Response_media_type_follows_accept(string? accept, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"{ me { role } }\"}", Encoding.UTF8, "application/json"),
        };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
    }

    [Fact]
    public async Task Unacceptable_accept_header_gets_406()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"{ me { role } }\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "text/plain");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request_without_data()
    {
        var response = await Http.PostAsync("/graphql", new StringContent("{\"query\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await GraphQLResponse.ReadAsync(response);
        Assert.False(body.HasData);
        Assert.Equal("BAD_REQUEST", body.ErrorCode);
    }

    [Fact]
    public async Task Validation_errors_are_400_with_graphql_response_json_and_200_with_legacy_json()
    {
        var modern = await platform.GraphQL().PostAsync("{ noSuchField }");
        Assert.Equal(HttpStatusCode.BadRequest, modern.Status);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", modern.ErrorCode);
        Assert.False(modern.HasData);

        var legacy = await platform.GraphQL().PostAsync("{ noSuchField }", accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", legacy.ErrorCode);
    }

    [Fact]
    public async Task Syntax_errors_are_parse_failures()
    {
        var response = await platform.GraphQL().PostAsync("{ me { role ");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("GRAPHQL_PARSE_FAILED", response.ErrorCode);
    }

    [Fact]
    public async Task A_browser_gets_the_ide()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("GraphQL", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
