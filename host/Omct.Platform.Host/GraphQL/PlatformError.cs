using GraphQL;

namespace Omct.Platform.Host.GraphQL;

/// <summary>An error as the contract shows it: a message for the caller and <c>extensions.code</c>.</summary>
internal sealed class PlatformError : ExecutionError
{
    public PlatformError(string code, string message, string? field = null, string? traceId = null) : base(message)
    {
        Code = code;
        Field = field;
        TraceId = traceId;
    }

    public string? Field { get; }

    public string? TraceId { get; }
}
