using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Teamwork.Ownership;
using Omct.Platform.Teamwork.Records;

namespace Omct.Platform.Teamwork.Tasks;

/// <summary>A task as a caller reads it, with its record (whose level it carries: a task has none of its own).</summary>
internal sealed record TaskView(WorkTask Task, TeamworkRecord Record);

/// <summary>createTask, completeTask, cancelTask, reassignTask: STAFF, on a record (or a task's record) the caller may see.</summary>
internal sealed class TaskCommands(StreamCommands commands, TeamworkRecords records, MyWork.TeamworkReads reads, Colleagues colleagues)
{
    public const string What = "The task";
    public const int MaxTitle = 300;

    public async Task<TaskView> CreateAsync(string recordId, string title, DateOnly dueOn, string? assigneeId, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var record = await records.FindAsync(recordId, commands.Caller, ct);
        var text = Input.Required(title, "title", MaxTitle);
        var (assignee, person) = await colleagues.ReachingAsync(assigneeId ?? OwnAccount(), record.Confidentiality, "assigneeId", ct);
        var created = new TaskCreated(record.RecordType, record.Id, text, dueOn, assignee, person.Name, null);
        var task = await commands.StartAsync<WorkTask>("createTask", Guid.CreateVersion7(), [created], clientMutationId, t => t.RecordId == record.Id, What, ct);
        return new TaskView(task, record);
    }

    public Task<TaskView> CompleteAsync(string taskId, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("completeTask", taskId, expectedVersion, clientMutationId, _ => Task.FromResult<Decide>(task => task.Status switch
        {
            WorkTaskStatus.Open => [new TaskCompleted()],
            WorkTaskStatus.Done => [],
            _ => throw DomainException.Validation("taskId", "A cancelled task cannot be completed."),
        }), ct);

    public Task<TaskView> CancelAsync(string taskId, string? reason, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("cancelTask", taskId, expectedVersion, clientMutationId, _ => Task.FromResult<Decide>(task => task.Status switch
        {
            WorkTaskStatus.Open => [new TaskCancelled(BuildingBlocks.History.RecordHistory.Reason(reason))],
            WorkTaskStatus.Cancelled => [],
            _ => throw DomainException.Validation("taskId", "A task done cannot be cancelled."),
        }), ct);

    public Task<TaskView> ReassignAsync(string taskId, string assigneeId, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("reassignTask", taskId, expectedVersion, clientMutationId, async record =>
        {
            var (assignee, person) = await colleagues.ReachingAsync(assigneeId, record.Confidentiality, "assigneeId", ct);
            return task => task.AssigneeId == assignee || task.Status != WorkTaskStatus.Open
                ? task.Status == WorkTaskStatus.Open ? [] : throw DomainException.Validation("taskId", "Only an open task can be reassigned.")
                : [new TaskReassigned(assignee, person.Name)];
        }, ct);

    private string OwnAccount() => TeamCommands.OwnAccount(commands.Caller);

    /// <summary>A decision on the task's current state.</summary>
    private delegate IReadOnlyList<object> Decide(WorkTask task);

    /// <summary>
    /// Finds the task through its record (NOT_FOUND when hidden), lets <paramref name="prepare"/> read what it needs (the new
    /// assignee's clearance against the record) and decides on the task's stream.
    /// </summary>
    private async Task<TaskView> DecideAsync(
        string operation, string taskId, int? expectedVersion, string? clientMutationId, Func<TeamworkRecord, Task<Decide>> prepare, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var id = GlobalId.DecodeOrNotFound(taskId, TaskIds.Task, What);
        var visible = await reads.FindTaskAsync(id, commands.Caller, ct) ?? throw DomainException.NotFound(What);
        var decide = await prepare(visible.Record);
        var task = await commands.DecideAsync<WorkTask>(operation, id, expectedVersion, clientMutationId, t => decide(t), t => t.Id == id, What, ct);
        return new TaskView(task, visible.Record);
    }
}

internal static class TaskIds
{
    public const string Task = "Task";
}
