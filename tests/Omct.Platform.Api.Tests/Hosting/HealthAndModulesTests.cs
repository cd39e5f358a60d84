using System.Net;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

public sealed class HealthAndModulesTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_200(string path)
    {
        var response = await platform.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Every_module_contributes_to_the_one_schema()
    {
        var data = await platform.GraphQL().QueryAsync("{ caseCount defenderCount articleCount submissionCount me { role } }");
        foreach (var field in new[] { "caseCount", "defenderCount", "articleCount", "submissionCount" })
        {
            Assert.Equal(0, data.GetProperty(field).GetInt32());
        }
    }
}
