using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.GraphQL;
using Omct.Platform.Submissions.Handling;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.Deadlines;

internal enum DeadlineKind { SubmissionDue, UnSession, CallForInputDeadline }

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
        var due = submissions.Where(s => s.DueOn >= from && s.DueOn <= to && s.Status != SubmissionStatus.Submitted)
            .Select(s => new Deadline(s.DueOn, DeadlineKind.SubmissionDue, s));
        var sessions = submissions.Where(s => s.SessionStartsOn >= from && s.SessionStartsOn <= to)
            .Select(s => new Deadline(s.SessionStartsOn!.Value, DeadlineKind.UnSession, s));
        return due.Concat(sessions)
            .Concat(calls.Select(c => new Deadline(c.Deadline, DeadlineKind.CallForInputDeadline, c)))
            .OrderBy(d => d.Date)
            .ToList();
    }
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
