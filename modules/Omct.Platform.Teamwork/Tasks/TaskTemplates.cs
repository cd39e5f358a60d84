using System.Globalization;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Services;
using Marten.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Storage;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Teamwork.Ownership;
using Omct.Platform.Teamwork.Records;

namespace Omct.Platform.Teamwork.Tasks;

/// <summary>
/// Task templates: tasks made from what other modules publish, for the record's owner. An urgent appeal issued on a case
/// (the cases module's contract event <see cref="InterventionIssued"/>) gives its owner the task "follow up … if no answer",
/// due 30 days after the appeal's date. A subscription of the async daemon (one node runs it): each task's id is named after
/// its template and the intervention, so an event processed twice (a node taking over, a rebuild) makes it once. A case
/// without an owner gets no task.
/// </summary>
internal sealed class TaskTemplatesSubscription : SubscriptionBase
{
    public const string SubscriptionId = "teamwork_task_templates";
    public const string UrgentAppealFollowUp = "URGENT_APPEAL_FOLLOW_UP";
    public const int FollowUpDays = 30;

    /// <summary>The caller id the template's events record (the history's "by").</summary>
    public const string SystemCaller = "system:teamwork-task-templates";

    public TaskTemplatesSubscription()
    {
        Name = SubscriptionId;
        IncludeType<InterventionIssued>();
    }

    public static Guid TaskIdOf(string template, Guid sourceId) => NameBasedId.Of($"teamwork.template:{template}:{sourceId}");

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        foreach (var e in page.Events)
        {
            if (e.Data is InterventionIssued { Type: InterventionType.UrgentAppeal } appeal)
            {
                await FollowUpAsync(operations.DocumentStore, e.StreamId, appeal, cancellationToken);
            }
        }

        return NoChanges.Instance;
    }

    private static async Task FollowUpAsync(IDocumentStore store, Guid caseId, InterventionIssued appeal, CancellationToken ct)
    {
        RecordTeam? team;
        await using (var session = store.QuerySession())
        {
            team = await session.LoadAsync<RecordTeam>(RecordTeam.StreamIdOf(caseId), ct);
        }

        if (team?.OwnerId is { } owner)
        {
            await StartOnceAsync(store, TaskIdOf(UrgentAppealFollowUp, appeal.InterventionId), new TaskCreated(
                "Case", caseId, $"Follow up the urgent appeal {appeal.Reference} if there is no answer", appeal.IssuedOn.AddDays(FollowUpDays),
                owner, team.OwnerName, UrgentAppealFollowUp), ct);
        }
    }

    /// <summary>Starts the task <paramref name="taskId"/> (named after its template and source) unless it exists: once, however often asked.</summary>
    public static async Task StartOnceAsync(IDocumentStore store, Guid taskId, TaskCreated created, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = SystemCaller;
        if (await session.Events.FetchStreamStateAsync(taskId, ct) is not null)
        {
            return;
        }

        session.Events.StartStream<WorkTask>(taskId, created);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (StreamCollisions.IsStartedAlready(ex))
        {
            // Made by another run of the same event a moment ago: once is enough.
        }
    }

    /// <summary>What the teamwork subscriptions answer the daemon: they write in sessions of their own, nothing after commit.</summary>
    internal sealed class NoChanges : IChangeListener
    {
        public static readonly NoChanges Instance = new();

        public Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) => Task.CompletedTask;

        public Task BeforeCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) => Task.CompletedTask;
    }
}

/// <summary>
/// Task templates on the deadlines of submissions and calls for input, for the record's owner: a UPR submission gives
/// "Prepare the UPR submission …" due <see cref="PrepareDaysBefore"/> days before its due date
/// (<c>UPR_SUBMISSION_PREPARATION</c>) and "Prepare for the UPR session …" as many days before its session opens
/// (<c>UPR_SESSION_PREPARATION</c>); a call for input gives "Answer the call for input … before &lt;deadline&gt;", due on
/// its deadline (<c>CALL_FOR_INPUT_ANSWER</c>).
/// <para>
/// The submissions module publishes no contract event for a planned submission or an opened call (its events are its
/// own), so the templates are applied when the record gets an owner (<see cref="OwnerAssigned"/>, this module's event),
/// from the deadlines the module publishes (<see cref="ISubmissionActivity.DeadlinesAsync"/>) as the owner may see them:
/// deadlines from the day of the assignment on, within <see cref="HorizonDays"/> days. That is also the catch-up: a record
/// planned before anyone owned it gets its tasks when it gets an owner. Each task's id is named after its template and
/// the record, so a record gets each template's task once — a new owner, a repeat, a rebuild make no second one (the
/// task stays with whom it was made for; reassign it). A deadline moved or set after the assignment makes no new task.
/// </para>
/// </summary>
internal sealed class DeadlineTemplatesSubscription : SubscriptionBase
{
    public const string SubscriptionId = "teamwork_deadline_templates";
    public const string UprSubmissionPreparation = "UPR_SUBMISSION_PREPARATION";
    public const string UprSessionPreparation = "UPR_SESSION_PREPARATION";
    public const string CallForInputAnswer = "CALL_FOR_INPUT_ANSWER";
    public const int PrepareDaysBefore = 14;
    public const int HorizonDays = 3 * 366;

    /// <summary>The UPR's name in <see cref="DeadlineSummary.Mechanism"/>.</summary>
    private const string Upr = "Upr";

    private readonly IServiceProvider _services;

    public DeadlineTemplatesSubscription(IServiceProvider services)
    {
        _services = services;
        Name = SubscriptionId;
        IncludeType<OwnerAssigned>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        var activity = scope.ServiceProvider.GetRequiredService<ISubmissionActivity>();
        var colleagues = scope.ServiceProvider.GetRequiredService<Colleagues>();
        foreach (var e in page.Events)
        {
            if (e.Data is OwnerAssigned { RecordType: SubmissionIds.Submission or SubmissionIds.CallForInput } assigned
                && (await colleagues.ActiveAsync([assigned.AccountId], cancellationToken)).GetValueOrDefault(assigned.AccountId) is { } owner)
            {
                var from = DateOnly.FromDateTime(e.Timestamp.UtcDateTime);
                foreach (var deadline in await activity.DeadlinesAsync(from, from.AddDays(HorizonDays), owner, cancellationToken))
                {
                    if (deadline.Key.SubjectId == assigned.RecordId && Template(deadline) is var (template, title, dueOn))
                    {
                        await TaskTemplatesSubscription.StartOnceAsync(operations.DocumentStore, TaskTemplatesSubscription.TaskIdOf(template, assigned.RecordId),
                            new TaskCreated(assigned.RecordType, assigned.RecordId, title, dueOn, assigned.AccountId, assigned.AccountName, template), cancellationToken);
                    }
                }
            }
        }

        return TaskTemplatesSubscription.NoChanges.Instance;
    }

    /// <summary>The template of a deadline, its task's title and due day; null for a deadline no template is about.</summary>
    public static (string Template, string Title, DateOnly DueOn)? Template(DeadlineSummary deadline)
    {
        var day = deadline.Key.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (deadline.Key.Kind, deadline.Mechanism) switch
        {
            (DeadlineKind.SubmissionDue, Upr) =>
                (UprSubmissionPreparation, Title($"Prepare the UPR submission \"{deadline.Title}\" (due {day})"), deadline.Key.Date.AddDays(-PrepareDaysBefore)),
            (DeadlineKind.UnSession, Upr) =>
                (UprSessionPreparation, Title($"Prepare for the UPR session of \"{deadline.Title}\" (opens {day})"), deadline.Key.Date.AddDays(-PrepareDaysBefore)),
            (DeadlineKind.CallForInputDeadline, _) =>
                (CallForInputAnswer, Title($"Answer the call for input \"{deadline.Title}\" before {day}"), deadline.Key.Date),
            _ => ((string, string, DateOnly)?)null,
        };
    }

    /// <summary>A task title is at most <see cref="TaskCommands.MaxTitle"/> characters: a long record title is cut.</summary>
    private static string Title(string title) => title.Length <= TaskCommands.MaxTitle ? title : title[..(TaskCommands.MaxTitle - 1)] + "…";
}
