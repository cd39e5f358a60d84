using GraphQL;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Handling;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.GraphQL;

/// <summary><c>node(id)</c> for submissions, within the caller's clearance.</summary>
internal sealed class SubmissionNodeResolver(IDocumentStore store) : INodeResolver
{
    public string TypeName => SubmissionIds.Submission;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id)
    {
        await using var session = store.QuerySession();
        var found = await session.LoadAsync<Submission>(id, context.CancellationToken);
        return found is not null && context.GetCaller().CanSee(found) ? found : null;
    }
}

/// <summary><c>node(id)</c> for calls for input: staff, or a member organisation of the call's audience.</summary>
internal sealed class CallForInputNodeResolver(IDocumentStore store, IDefenderDirectory directory) : INodeResolver
{
    public string TypeName => SubmissionIds.CallForInput;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id)
    {
        var caller = context.GetCaller();
        if (!caller.HasRole(Role.NetworkMember))
        {
            return null;
        }

        await using var session = store.QuerySession();
        var found = await session.LoadAsync<CallForInput>(id, context.CancellationToken);
        var country = caller.OrganisationId is { } organisation
            ? (await directory.OrganisationInfoAsync([organisation], context.CancellationToken)).GetValueOrDefault(organisation)?.CountryCode
            : null;
        return found is not null && CallVisibility.Sees(caller, found, country) ? found : null;
    }
}

/// <summary><c>node(id)</c> for inputs to calls for input: as <c>CallForInput.inputs</c> shows them (<see cref="CallInputFinder"/>).</summary>
internal sealed class CallInputNodeResolver(CallInputFinder inputs) : INodeResolver
{
    public string TypeName => SubmissionIds.CallInput;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) =>
        (await inputs.FindAsync([id], context.GetCaller(), context.CancellationToken)).GetValueOrDefault(id)?.Input;
}
