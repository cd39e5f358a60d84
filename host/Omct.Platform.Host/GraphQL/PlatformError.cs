using GraphQL;

namespace Omct.Platform.Host.GraphQL;

/// <summary>An error as the contract shows it: a message for the caller and <c>extensions.code</c>.</summary>
internal sealed class PlatformError : ExecutionError
{
    public PlatformError(
        string code, string message, string? field = null, string? traceId = null, IReadOnlyDictionary<string, object?>? details = null) : base(message)
    {
        Code = code;
        Field = field;
        TraceId = traceId;
        Details = details;
    }

    /// <summary>Further <c>extensions</c> (<see cref="BuildingBlocks.Errors.DomainException.Details"/>).</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; }

    public string? Field { get; }

    public string? TraceId { get; }
}
