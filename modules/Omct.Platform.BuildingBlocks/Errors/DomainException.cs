namespace Omct.Platform.BuildingBlocks.Errors;

/// <summary>
/// A refusal the domain decided on: bad input, a missing or hidden record, a conflict, a forbidden
/// operation. The GraphQL layer turns it into an error with <c>extensions.code</c> (and
/// <c>extensions.field</c> for validation); its message is written for the caller, so it must
/// never carry internals.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(string code, string message, string? field = null) : base(message)
    {
        Code = code;
        Field = field;
    }

    public DomainException() : this(ErrorCodes.Internal, "An internal error occurred.") { }

    public DomainException(string message) : this(ErrorCodes.Internal, message) { }

    public DomainException(string message, Exception innerException) : base(message, innerException) => Code = ErrorCodes.Internal;

    public string Code { get; }

    /// <summary>The input field at fault, as the client named it (e.g. <c>title</c>, <c>victimIds[1]</c>).</summary>
    public string? Field { get; }

    /// <summary>
    /// More for the caller in <c>extensions</c> besides <c>code</c> and <c>field</c> (a CONFLICT's <c>currentVersion</c>,
    /// <c>changedBy</c>, <c>changedAt</c>): only what the caller may see.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Details { get; init; }

    public static DomainException Validation(string field, string message) => new(ErrorCodes.Validation, message, field);

    /// <summary>Not found — also used for records the caller may not see, so the two are indistinguishable.</summary>
    public static DomainException NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found.");

    public static DomainException Conflict(string message) => new(ErrorCodes.Conflict, message);

    public static DomainException Forbidden() => new(ErrorCodes.Forbidden, "You are not allowed to do this.");

    public static DomainException Unauthenticated() => new(ErrorCodes.Unauthenticated, "This operation needs an authenticated caller.");

    public static DomainException LimitExceeded(string message) => new(ErrorCodes.LimitExceeded, message);
}
