using System.Net;
using Omct.Platform.Testing;
using Serilog.Events;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

public sealed class ErrorsAndLoggingTests(FailingPlatformFactory platform) : IClassFixture<FailingPlatformFactory>
{
    [Fact]
    public async Task A_failing_resolver_is_INTERNAL_for_the_client_and_a_stack_trace_in_the_log()
    {
        var response = await platform.GraphQL().PostAsync("{ boom }");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("INTERNAL", response.ErrorCode);
        var error = response.Errors[0];
        Assert.Equal("An internal error occurred.", error.GetProperty("message").GetString());
        var traceId = error.GetProperty("extensions").GetProperty("traceId").GetString();
        Assert.False(string.IsNullOrEmpty(traceId));
        Assert.DoesNotContain("hunter2", response.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", response.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", response.Raw, StringComparison.Ordinal);

        var events = await Eventually.GetAsync(() => platform.Logs.Events.ToList(), l => l.Any(e => e.Exception is InvalidOperationException));
        var logged = Assert.Single(events, e => e.Exception is InvalidOperationException);
        Assert.Equal(LogEventLevel.Error, logged.Level);
        Assert.Contains("at ", logged.Exception!.StackTrace, StringComparison.Ordinal);
        Assert.Equal($"\"{traceId}\"", logged.Properties["TraceId"].ToString());
    }

    [Fact]
    public async Task Requests_are_logged_with_method_path_status_duration_and_trace_id()
    {
        await platform.GraphQL().PostAsync("{ me { role } }");
        var events = await Eventually.GetAsync(() => platform.Logs.Events.ToList(), l => l.Any(e => e.Properties.ContainsKey("RequestPath")));
        // Other tests of this class share the host: take the first request line that matches.
        var request = Assert.IsType<LogEvent>(events.FirstOrDefault(e =>
            e.Properties.TryGetValue("RequestPath", out var path) && path.ToString() == "\"/graphql\""
            && e.Properties.TryGetValue("StatusCode", out var status) && status.ToString() == "200"));
        Assert.Equal("\"POST\"", request.Properties["RequestMethod"].ToString());
        Assert.True(request.Properties.ContainsKey("Elapsed"));
        Assert.True(request.Properties.ContainsKey("TraceId"));
    }
}
