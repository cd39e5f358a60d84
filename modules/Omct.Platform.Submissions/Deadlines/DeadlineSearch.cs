using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.GraphQL;
using Omct.Platform.Submissions.Handling;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.Deadlines;

/// <summary>A date advocacy work must meet (the reminders of the jobs module are made from these).</summary>
internal sealed record Deadline(DateOnly Date, DeadlineKind Kind, object Subject);

internal static class DeadlineSearch
{
    public static async Task<IReadOnlyList<Deadline>> BetweenAsync(IQuerySession session, DateOnly from, DateOnly to, Caller caller, string? country, CancellationToken ct)
    {
        var levels = caller.VisibleLevels();
        var submissions = await session.Query<Submission>()
            .Where(s => levels.Contains(s.Confidentiality) && s.Status != SubmissionStatus.OutcomeRecorded
                        && ((s.DueOn >= from && s.DueOn <= to && s.Status != SubmissionStatus.Submitted)
                            || (s.SessionStartsOn >= from && s.SessionStartsOn <= to)))
            .ToListAsync(ct);
        var calls = caller.HasRole(Role.NetworkMember)
            ? (await session.Query<CallForInput>().Where(c => levels.Contains(c.Confidentiality) && c.Deadline >= from && c.Deadline <= to && c.Status == CallStatus.Open)
                .ToListAsync(ct)).Where(c => CallVisibility.Sees(caller, c, country)).ToList()
            : [];
        return submissions.SelectMany(s => Of(s, caller, from, to))
            .Concat(calls.SelectMany(c => Of(c, caller, country, from, to)))
            .OrderBy(d => d.Date)
            .ToList();
    }

    /// <summary>
    /// The deadlines a submission has now (within from–to when given): its due date until it is submitted, its session until the outcome is recorded.
    /// A submission of the past recorded as it was has none before the day it was recorded (no reminder, no digest entry for the past).
    /// </summary>
    public static IEnumerable<Deadline> Of(Submission s, Caller caller, DateOnly? from = null, DateOnly? to = null)
    {
        if (!caller.CanSee(s) || s.Status == SubmissionStatus.OutcomeRecorded)
        {
            yield break;
        }

        if (s.Status != SubmissionStatus.Submitted && Within(s.DueOn, from, to) && NotBefore(s.DueOn, s.RecordedOn))
        {
            yield return new Deadline(s.DueOn, DeadlineKind.SubmissionDue, s);
        }

        if (s.SessionStartsOn is { } session && Within(session, from, to) && NotBefore(session, s.RecordedOn))
        {
            yield return new Deadline(session, DeadlineKind.UnSession, s);
        }
    }

    /// <summary>The deadline of a call for input while it is open and the caller may see it (for a call of the past, not one before the day it was recorded).</summary>
    public static IEnumerable<Deadline> Of(CallForInput c, Caller caller, string? country, DateOnly? from = null, DateOnly? to = null)
    {
        if (caller.HasRole(Role.NetworkMember) && c.Status == CallStatus.Open && Within(c.Deadline, from, to) && NotBefore(c.Deadline, c.RecordedOn)
            && CallVisibility.Sees(caller, c, country))
        {
            yield return new Deadline(c.Deadline, DeadlineKind.CallForInputDeadline, c);
        }
    }

    /// <summary>A date of a record of the past is a deadline only from the day it was recorded on (<paramref name="recordedOn"/>; null: any).</summary>
    private static bool NotBefore(DateOnly date, DateOnly? recordedOn) => recordedOn is not { } recorded || date >= recorded;

    private static bool Within(DateOnly date, DateOnly? from, DateOnly? to) => (from is null || date >= from) && (to is null || date <= to);
}

/// <summary>The deadlines of this module for other modules (see <see cref="IDeadlineCalendar"/>).</summary>
internal sealed class DeadlineCalendar(IDocumentStore store) : IDeadlineCalendar
{
    public async Task<IReadOnlyList<DeadlineOccurrence>> BetweenAsync(DateOnly from, DateOnly to, Caller caller, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var deadlines = await DeadlineSearch.BetweenAsync(session, from, to, caller, null, cancellationToken);
        return deadlines.Select(d => new DeadlineOccurrence(KeyOf(d), ((IConfidential)d.Subject).Confidentiality)).ToList();
    }

    public async Task<IReadOnlyDictionary<DeadlineKey, object>> FindAsync(IReadOnlyCollection<DeadlineKey> keys, Caller caller, CancellationToken cancellationToken)
    {
        var found = new Dictionary<DeadlineKey, object>();
        if (keys.Count == 0)
        {
            return found;
        }

        await using var session = store.QuerySession();
        var submissionIds = keys.Where(k => k.Kind != DeadlineKind.CallForInputDeadline).Select(k => k.SubjectId).Distinct().ToArray();
        var callIds = keys.Where(k => k.Kind == DeadlineKind.CallForInputDeadline).Select(k => k.SubjectId).Distinct().ToArray();
        var subjects = new List<Deadline>();
        foreach (var s in submissionIds.Length == 0 ? [] : await session.LoadManyAsync<Submission>(cancellationToken, submissionIds))
        {
            subjects.AddRange(DeadlineSearch.Of(s, caller));
        }

        foreach (var c in callIds.Length == 0 ? [] : await session.LoadManyAsync<CallForInput>(cancellationToken, callIds))
        {
            subjects.AddRange(DeadlineSearch.Of(c, caller, null));
        }

        foreach (var deadline in subjects)
        {
            var key = KeyOf(deadline);
            if (keys.Contains(key))
            {
                found[key] = deadline;
            }
        }

        return found;
    }

    private static DeadlineKey KeyOf(Deadline d) => new(d.Kind, ((IHasEntityId)d.Subject).Id, d.Date);
}

internal sealed class DeadlineKindGraphType : EnumerationGraphType<DeadlineKind> { public DeadlineKindGraphType() => Name = "DeadlineKind"; }

internal sealed class DeadlineSubjectGraphType : UnionGraphType
{
    public DeadlineSubjectGraphType()
    {
        Name = "DeadlineSubject";
        Type<SubmissionGraphType>();
        Type<CallForInputGraphType>();
    }
}

internal sealed class DeadlineGraphType : ObjectGraphType<Deadline>
{
    public DeadlineGraphType()
    {
        Name = "Deadline";
        Field<NonNullGraphType<IsoDateGraphType>>("date").Resolve(c => c.Source.Date);
        Field<NonNullGraphType<DeadlineKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<DeadlineSubjectGraphType>>("subject").Resolve(c => c.Source.Subject);
        this.FieldsShownWithRecord();
    }
}
