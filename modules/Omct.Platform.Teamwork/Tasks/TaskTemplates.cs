using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Services;
using Marten.Subscriptions;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Teamwork.Ownership;

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
        await using var session = store.LightweightSession();
        session.LastModifiedBy = SystemCaller;
        var team = await session.LoadAsync<RecordTeam>(RecordTeam.StreamIdOf(caseId), ct);
        var taskId = TaskIdOf(UrgentAppealFollowUp, appeal.InterventionId);
        if (team?.OwnerId is not { } owner || await session.Events.FetchStreamStateAsync(taskId, ct) is not null)
        {
            return;
        }

        session.Events.StartStream<WorkTask>(taskId, new TaskCreated(
            "Case", caseId, $"Follow up the urgent appeal {appeal.Reference} if there is no answer", appeal.IssuedOn.AddDays(FollowUpDays),
            owner, team.OwnerName, UrgentAppealFollowUp));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.Events.ExistingStreamIdCollisionException)
        {
            // Made by another run of the same event a moment ago: once is enough.
        }
    }

    private sealed class NoChanges : IChangeListener
    {
        public static readonly NoChanges Instance = new();

        public Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) => Task.CompletedTask;

        public Task BeforeCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) => Task.CompletedTask;
    }
}
