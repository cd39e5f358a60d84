namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>Turns a credential presented with a request into a caller.</summary>
public interface ICallerAuthenticator
{
    /// <summary>The caller for an API key, or null when the key is unknown, expired or revoked.</summary>
    ValueTask<Caller?> AuthenticateApiKeyAsync(string apiKey, CancellationToken cancellationToken);

    /// <summary>The caller for a bearer token (JWT), or null when it is invalid, expired or not accepted here.</summary>
    ValueTask<Caller?> AuthenticateBearerTokenAsync(string token, CancellationToken cancellationToken);
}
