using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Reminders.Contracts;
using Omct.Platform.Reminders.Planning;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.Reminders.Storage;

/// <summary>How a reminder's anniversary or deadline is named, in a calendar feed and in a person's work.</summary>
internal static class ReminderWording
{
    /// <summary><c>1 year since the conviction: …</c> or <c>500 days in detention: …</c>; <paramref name="what"/> is the event's type as read.</summary>
    public static string Anniversary(AnniversaryKind kind, int? years, int? days, string what, string caseTitle) => kind == AnniversaryKind.Yearly
        ? $"{years} year{(years == 1 ? "" : "s")} since the {what}: {caseTitle}"
        : $"{days} days in detention: {caseTitle}";

    /// <summary>The type of a case event as a sentence says it (<c>CONVICTION</c> → <c>conviction</c>).</summary>
    public static string EventType(string type) => type.ToLowerInvariant().Replace('_', ' ');

    /// <summary>The kind of a deadline (as a calendar category) and its label.</summary>
    public static (string Category, string Label) Deadline(DeadlineKind kind) => kind switch
    {
        DeadlineKind.SubmissionDue => ("SUBMISSION_DUE", "Submission due"),
        DeadlineKind.UnSession => ("UN_SESSION", "UN session opens"),
        _ => ("CALL_FOR_INPUT_DEADLINE", "Call for input closes"),
    };
}

/// <summary>
/// <see cref="IReminderSource"/>: the stored reminders within the caller's clearance, named as the caller may see their
/// subject now — an anniversary through the cases module's <see cref="ICaseActivity"/>, a deadline through the submissions
/// module's <see cref="ISubmissionActivity"/>, one query each per call. A defender mentioned in the case's title reads
/// "[name withheld]" (<see cref="Mentions.Withhold"/>): the wording goes out in notification e-mails too.
/// </summary>
internal sealed class ReminderSource(ReminderStore store, ICaseActivity cases, ISubmissionActivity submissions) : IReminderSource
{
    public async Task<IReadOnlyList<MadeReminder>> MadeSinceAsync(DateTimeOffset since, int take, Caller caller, CancellationToken cancellationToken) =>
        [.. (await store.MadeSinceAsync(since, caller.VisibleLevels(), take, cancellationToken)).Select(Made)];

    public async Task<IReadOnlyDictionary<Guid, ReminderText>> DescribeAsync(IReadOnlyCollection<Guid> reminderIds, Caller caller, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, ReminderText>();
        var reminders = await store.FindAsync(reminderIds.Distinct().ToList(), caller.VisibleLevels(), cancellationToken);
        var anniversaries = reminders.Where(r => r.Anniversary is not null).ToList();
        if (anniversaries.Count > 0)
        {
            var summaries = await cases.SummariesAsync(anniversaries.Select(r => r.Anniversary!.Key.CaseId).Distinct().ToList(), caller, cancellationToken);
            foreach (var r in anniversaries)
            {
                var a = r.Anniversary!;
                if (summaries.TryGetValue(a.Key.CaseId, out var c) && c.Events.TryGetValue(a.Key.CaseEventId, out var e))
                {
                    var wording = ReminderWording.Anniversary(a.Kind, a.Years, a.Days, ReminderWording.EventType(e.Type), Mentions.Withhold(c.Title)!);
                    result[r.Id] = new ReminderText(Made(r), wording, c.CountryCode, null);
                }
            }
        }

        var deadlines = reminders.Where(r => r.Deadline is not null).ToList();
        if (deadlines.Count > 0)
        {
            var found = (await submissions.DeadlinesAsync(deadlines.Min(r => r.DueOn), deadlines.Max(r => r.DueOn), caller, cancellationToken))
                .GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.First());
            foreach (var r in deadlines)
            {
                if (found.TryGetValue(r.Deadline!, out var d))
                {
                    result[r.Id] = new ReminderText(Made(r), $"{ReminderWording.Deadline(d.Key.Kind).Label}: {d.Title}",
                        d.Countries.Count == 1 ? d.Countries[0] : null, d.Mechanism?.ToConstantCase());
                }
            }
        }

        return result;
    }

    private static MadeReminder Made(Reminder r) => new(
        r.Id, r.Kind.ToString().ToConstantCase(), r.DueOn, r.RemindOn, r.Confidentiality,
        r.Anniversary is not null ? "Case" : r.Deadline!.Kind == DeadlineKind.CallForInputDeadline ? SubmissionIds.CallForInput : SubmissionIds.Submission,
        r.Anniversary?.Key.CaseId ?? r.Deadline!.SubjectId, r.CreatedAt);
}
