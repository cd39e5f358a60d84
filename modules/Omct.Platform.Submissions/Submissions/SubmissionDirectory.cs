using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Handling;

namespace Omct.Platform.Submissions.Submissions;

/// <summary>The submissions module's answers to other modules (one query per call, within the caller's clearance).</summary>
internal sealed class SubmissionDirectory(IDocumentStore store, IDefenderDirectory directory) : ISubmissionDirectory
{
    public async Task<IReadOnlyDictionary<Guid, object>> SubmissionsAsync(IReadOnlyCollection<Guid> submissionIds, Caller caller, CancellationToken cancellationToken)
    {
        if (submissionIds.Count == 0)
        {
            return new Dictionary<Guid, object>();
        }

        await using var session = store.QuerySession();
        var found = await session.LoadManyAsync<Submission>(cancellationToken, submissionIds.Distinct());
        return found.Where(s => caller.CanSee(s)).ToDictionary(s => s.Id, s => (object)s);
    }

    public async Task<IReadOnlyDictionary<Guid, object>> CallsForInputAsync(IReadOnlyCollection<Guid> callIds, Caller caller, CancellationToken cancellationToken)
    {
        if (callIds.Count == 0 || !caller.HasRole(Role.NetworkMember))
        {
            return new Dictionary<Guid, object>();
        }

        await using var session = store.QuerySession();
        var found = await session.LoadManyAsync<CallForInput>(cancellationToken, callIds.Distinct());
        var country = !caller.HasRole(Role.Staff) && caller.OrganisationId is { } own
            ? (await directory.OrganisationInfoAsync([own], cancellationToken)).GetValueOrDefault(own)?.CountryCode
            : null;
        return found.Where(c => CallVisibility.Sees(caller, c, country)).ToDictionary(c => c.Id, c => (object)c);
    }

    public async Task<Guid?> FindByTitleAsync(string title, Caller caller, CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        var found = await session.Query<Submission>()
            .Where(s => s.Title == title && levels.Contains(s.Confidentiality))
            .Select(s => s.Id)
            .Take(2)
            .ToListAsync(cancellationToken);
        return found.Count == 1 ? found[0] : null;
    }
}
