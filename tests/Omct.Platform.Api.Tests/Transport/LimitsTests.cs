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
}
