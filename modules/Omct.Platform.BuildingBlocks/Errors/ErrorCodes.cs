namespace Omct.Platform.BuildingBlocks.Errors;

/// <summary>The <c>extensions.code</c> values of the public contract.</summary>
public static class ErrorCodes
{
    public const string Validation = "VALIDATION";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    public const string Internal = "INTERNAL";

    /// <summary>The database cannot be reached for now: HTTP 503 with <c>Retry-After</c>; the request may be sent again.</summary>
    public const string Unavailable = "UNAVAILABLE";
}
