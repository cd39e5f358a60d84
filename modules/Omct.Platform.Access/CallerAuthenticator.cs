using Omct.Platform.Access.ApiKeys;
using Omct.Platform.Access.BearerTokens;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Access;

/// <summary>The host's one entry point for credentials: API keys and bearer tokens.</summary>
internal sealed class CallerAuthenticator(ApiKeyAuthenticator apiKeys, BearerTokenAuthenticator bearerTokens) : ICallerAuthenticator
{
    public ValueTask<Caller?> AuthenticateApiKeyAsync(string apiKey, CancellationToken cancellationToken) =>
        apiKeys.AuthenticateApiKeyAsync(apiKey, cancellationToken);

    public ValueTask<Caller?> AuthenticateBearerTokenAsync(string token, CancellationToken cancellationToken) =>
        bearerTokens.AuthenticateAsync(token);
}
