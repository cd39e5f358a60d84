using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Deadlines;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Handling;

namespace Omct.Platform.Submissions.Submissions;

/// <summary>The submissions module's answers to the digests and reports (<see cref="ISubmissionActivity"/>).</summary>
internal sealed class SubmissionActivity(IDocumentStore store) : ISubmissionActivity
{
    public async Task<IReadOnlyList<DeadlineSummary>> DeadlinesAsync(DateOnly from, DateOnly to, Caller caller, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var deadlines = await DeadlineSearch.BetweenAsync(session, from, to, caller, null, cancellationToken);
        return deadlines
            .Where(d => d.Subject is not CallForInput || ForTheNetwork(caller))
            .Select(d => d.Subject switch
            {
                Submission s => new DeadlineSummary(new DeadlineKey(d.Kind, s.Id, d.Date), s.Title, s.Mechanism.ToString(), [s.CountryCode], s.Confidentiality),
                CallForInput c => new DeadlineSummary(new DeadlineKey(d.Kind, c.Id, d.Date), c.Title, null, c.AudienceCountryCodes, c.Confidentiality),
                _ => throw new InvalidOperationException("A deadline of an unknown subject."),
            })
            .ToList();
    }

    public async Task<IReadOnlyList<CallForInputSummary>> OpenCallsAsync(DateOnly day, Caller caller, CancellationToken cancellationToken)
    {
        if (!ForTheNetwork(caller))
        {
            return [];
        }

        var levels = caller.VisibleLevels();
        var openedBy = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var session = store.QuerySession();
        var calls = await session.Query<CallForInput>()
            .Where(c => levels.Contains(c.Confidentiality) && c.Status == CallStatus.Open && c.Deadline >= day && c.CreatedAt < openedBy)
            .OrderBy(c => c.Deadline)
            .Take(500)
            .ToListAsync(cancellationToken);
        return calls.Where(c => CallVisibility.Sees(caller, c, null))
            .Select(c => new CallForInputSummary(c.Id, c.Title, c.Question, c.Deadline, c.AudienceCountryCodes, c.Confidentiality))
            .ToList();
    }

    public async Task<IReadOnlyList<SubmissionStatistic>> StatisticsAsync(Caller caller, CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        var visible = await session.Query<Submission>().Where(s => levels.Contains(s.Confidentiality))
            .Select(s => new { s.Mechanism, s.Status })
            .ToListAsync(cancellationToken);
        return visible.GroupBy(s => (s.Mechanism, s.Status))
            .Select(g => new SubmissionStatistic(g.Key.Mechanism.ToString(), g.Key.Status.ToString(), g.Count()))
            .OrderBy(s => s.Mechanism, StringComparer.Ordinal).ThenBy(s => s.Status, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Calls for input are the network's business: not for an audience below NETWORK, whatever the call's level.</summary>
    private static bool ForTheNetwork(Caller caller) => caller.HasRole(Role.NetworkMember) && caller.CanSee(Confidentiality.Network);
}
