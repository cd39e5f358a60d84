using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.Http;

/// <summary>
/// The authorisation policies every HTTP endpoint of the platform declares (<c>RequireAuthorization</c>).
/// The host authenticates every request once (X-Api-Key, bearer token; later the cookie session) and
/// evaluates the endpoint's policy before the endpoint runs, so a credential's restrictions hold on every
/// endpoint alike: a refused credential is 401 everywhere (never the anonymous caller), a role below the
/// policy's is 401 for the anonymous caller and 403 otherwise, and a key limited to persisted operations
/// may use no endpoint but <c>/graphql</c> (which runs only its registered documents).
/// </summary>
public static class PlatformPolicies
{
    /// <summary>Any caller, the anonymous one included, whose credential (if any) was accepted. <c>/graphql</c>.</summary>
    public const string Caller = "omct:caller";

    /// <summary>Callers who pull data in bulk (INTEGRATOR, STAFF, EDITOR, ADMIN), sending no persisted-only key: exports, report files.</summary>
    public const string DataPuller = "omct:data-puller";

    /// <summary>Callers who add content (NETWORK_MEMBER, STAFF, EDITOR, ADMIN; not INTEGRATOR, not anonymous), sending no persisted-only key: file uploads.</summary>
    public const string Contributor = "omct:contributor";
}

/// <summary>
/// What a policy of <see cref="PlatformPolicies"/> asks of the caller: an accepted credential (or none),
/// at least <see cref="MinimumRole"/>, and — unless <see cref="AllowsPersistedOperationsOnly"/> — a key that
/// may send any document.
/// </summary>
public sealed class CallerRequirement(Role minimumRole, bool allowsPersistedOperationsOnly) : IAuthorizationRequirement
{
    public Role MinimumRole { get; } = minimumRole;

    public bool AllowsPersistedOperationsOnly { get; } = allowsPersistedOperationsOnly;

    public const string PersistedOperationsOnlyRefusal =
        "This key may run only persisted operations at /graphql (send documentId \"sha256:<hash>\"); it may not use this endpoint.";
}

/// <summary>Evaluates <see cref="CallerRequirement"/> for the caller the host authenticated.</summary>
public sealed class CallerRequirementHandler : AuthorizationHandler<CallerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerRequirement requirement)
    {
        // A credential that was presented and refused never counts as the anonymous caller.
        if (context.Resource is HttpContext http && CallerCredentials.IsRefused(http))
        {
            context.Fail(new AuthorizationFailureReason(this, CallerCredentials.UnknownCredential));
            return Task.CompletedTask;
        }

        var caller = context.User.ToCaller();
        if (!caller.HasRole(requirement.MinimumRole))
        {
            context.Fail(new AuthorizationFailureReason(this, "You are not allowed to do this."));
        }
        else if (caller.PersistedOperationsOnly && !requirement.AllowsPersistedOperationsOnly)
        {
            context.Fail(new AuthorizationFailureReason(this, CallerRequirement.PersistedOperationsOnlyRefusal));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
