using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Omct.Platform.Teamwork.Tasks;

public enum WorkTaskStatus { Open, Done, Cancelled }

/// <summary>A task on a record, for one person; <paramref name="Template"/> names the template that made it, if one did.</summary>
public sealed record TaskCreated(string RecordType, Guid RecordId, string Title, DateOnly DueOn, Guid AssigneeId, string AssigneeName, string? Template);

public sealed record TaskCompleted;

public sealed record TaskCancelled(string? Reason);

public sealed record TaskReassigned(Guid AssigneeId, string AssigneeName);

/// <summary>A person's name redacted from the task's title by their erasure: the title as it is now.</summary>
public sealed record TaskTitleRedacted(string Title, DateTimeOffset At);

/// <summary>A task as read (inline from its stream). It has no level of its own: it is visible where its record is.</summary>
public sealed class WorkTask
{
    public Guid Id { get; set; }
    public string RecordType { get; set; } = "";
    public Guid RecordId { get; set; }
    public string Title { get; set; } = "";
    public DateOnly DueOn { get; set; }
    public Guid AssigneeId { get; set; }
    public WorkTaskStatus Status { get; set; }
    public string? Template { get; set; }

    /// <summary>Lists order by it: the due day, then an order key drawn at creation (unique), in one number a cursor can hold.</summary>
    public long SortKey { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class WorkTaskProjection : SingleStreamProjection<WorkTask, Guid>
{
    public static async Task<WorkTask> Create(IEvent<TaskCreated> e, Marten.IQuerySession session) => Touch(new WorkTask
    {
        Id = e.StreamId, RecordType = e.Data.RecordType, RecordId = e.Data.RecordId, Title = e.Data.Title, DueOn = e.Data.DueOn,
        AssigneeId = e.Data.AssigneeId, Template = e.Data.Template, Status = WorkTaskStatus.Open, CreatedAt = e.Timestamp,
        SortKey = SortKeyOf(e.Data.DueOn, await TeamworkModule.OrderKeys.NextAsync(session, CancellationToken.None)),
    }, e);

    public static WorkTask Apply(IEvent<TaskCompleted> e, WorkTask task)
    {
        task.Status = WorkTaskStatus.Done;
        return Touch(task, e);
    }

    public static WorkTask Apply(IEvent<TaskCancelled> e, WorkTask task)
    {
        task.Status = WorkTaskStatus.Cancelled;
        return Touch(task, e);
    }

    public static WorkTask Apply(IEvent<TaskReassigned> e, WorkTask task)
    {
        task.AssigneeId = e.Data.AssigneeId;
        return Touch(task, e);
    }

    public static WorkTask Apply(IEvent<TaskTitleRedacted> e, WorkTask task)
    {
        task.Title = e.Data.Title;
        return Touch(task, e);
    }

    public static long SortKeyOf(DateOnly dueOn, long orderKey) => ((long)dueOn.DayNumber << 40) | orderKey;

    private static WorkTask Touch(WorkTask task, IEvent e)
    {
        task.Version = (int)e.Version;
        task.UpdatedAt = e.Timestamp;
        return task;
    }
}
