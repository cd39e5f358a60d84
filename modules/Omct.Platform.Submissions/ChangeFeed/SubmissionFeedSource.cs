using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.GraphQL;
using Omct.Platform.Submissions.Handling;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.ChangeFeed;

/// <summary>
/// Submissions and calls for input in the change feed. A submission is visible by its
/// confidentiality; a call for input as <c>callsForInput</c> shows it (<see cref="CallVisibility"/>):
/// staff within clearance, a member organisation the calls addressed to it — never an integrator,
/// which is not a network member. Neither has events that delete it or change who sees it.
/// </summary>
internal sealed class SubmissionFeedSource(IDocumentStore store, IDefenderDirectory directory) : IChangeFeedSource
{
    public static readonly FeedEntityType Submissions = new("SUBMISSION", SubmissionIds.Submission, typeof(Submission), [], []);

    public static readonly FeedEntityType CallsForInput = new("CALL_FOR_INPUT", SubmissionIds.CallForInput, typeof(CallForInput), [], []);

    public IReadOnlyList<FeedEntityType> EntityTypes { get; } = [Submissions, CallsForInput];

    public async Task<IReadOnlySet<Guid>> VisibleAsync(FeedEntityType type, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        var wanted = ids.ToArray();
        var levels = caller.VisibleLevels();
        if (type == Submissions)
        {
            await using var session = store.QuerySession();
            return (await session.Query<Submission>().Where(s => wanted.Contains(s.Id) && levels.Contains(s.Confidentiality))
                .Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet();
        }

        if (!caller.HasRole(Role.NetworkMember))
        {
            return new HashSet<Guid>();
        }

        var country = caller.OrganisationId is { } organisation && !caller.HasRole(Role.Staff)
            ? (await directory.OrganisationInfoAsync([organisation], cancellationToken)).GetValueOrDefault(organisation)?.CountryCode
            : null;
        await using var calls = store.QuerySession();
        var found = await calls.Query<CallForInput>().Where(c => wanted.Contains(c.Id) && levels.Contains(c.Confidentiality)).ToListAsync(cancellationToken);
        return found.Where(c => CallVisibility.Sees(caller, c, country)).Select(c => c.Id).ToHashSet();
    }

    public bool LostSight(FeedEntityType type, object @event, Caller caller) => false;
}
