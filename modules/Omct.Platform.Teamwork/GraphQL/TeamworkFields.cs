using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Teamwork.MyWork;
using Omct.Platform.Teamwork.Notes;
using Omct.Platform.Teamwork.Ownership;
using Omct.Platform.Teamwork.Records;
using Omct.Platform.Teamwork.Tasks;

namespace Omct.Platform.Teamwork.GraphQL;

[QueryFields]
internal sealed class TeamworkQueries
{
    [Description("STAFF: who owns and watches a record (a Case, Defender, Submission or CallForInput id) and its internal notes; null when you may not see the record.")]
    [RequireRole(Role.Staff)]
    public Task<TeamView?> Teamwork([Id] string recordId, [FromServices] TeamworkReads reads, IResolveFieldContext ctx) =>
        reads.TeamAsync(recordId, ctx.GetCaller(), ctx.CancellationToken);

    [Description("STAFF: the colleagues a record may be given to — the active STAFF, EDITOR and ADMIN accounts whose clearance reaches the record " +
                 "(a Case, Defender, Submission or CallForInput id you may see; NOT_FOUND otherwise), by name; without a record, those whose clearance reaches " +
                 "`level` (default STAFF: a report's recipients, for instance).")]
    [RequireRole(Role.Staff)]
    public async Task<IReadOnlyList<Colleague>> Colleagues(
        [Id] string? recordId, Confidentiality? level, [FromServices] TeamworkRecords records, [FromServices] Colleagues colleagues, IResolveFieldContext ctx)
    {
        var reaching = recordId is null ? level ?? Confidentiality.Staff : (await records.FindAsync(recordId, ctx.GetCaller(), ctx.CancellationToken)).Confidentiality;
        return await colleagues.ReachingAllAsync(reaching, ctx.CancellationToken);
    }

    [Description("STAFF: tasks on the records you may see, by due date.")]
    [RequireRole(Role.Staff)]
    public Task<Connection<TaskView>> Tasks(TaskFilter? filter, int? first, string? after, [FromServices] TeamworkReads reads, IResolveFieldContext ctx) =>
        reads.TasksAsync(filter, ctx.GetCaller(), first, after, ctx.CancellationToken);

    [Description("STAFF: your open tasks by due date, the records you own or watch, and the notes that mention you — what you may see of them now.")]
    [RequireRole(Role.Staff)]
    public Task<MyWorkView> MyWork([FromServices] TeamworkReads reads, IResolveFieldContext ctx) => reads.MyWorkAsync(ctx.GetCaller(), ctx.CancellationToken);
}

[MutationFields]
internal sealed class TeamworkMutations
{
    private const string Reaches = " The account must be active and its clearance must reach the record (VALIDATION otherwise).";

    [Description("STAFF: makes an account the owner of a record you may see (a Case, Defender, Submission or CallForInput)." + Reaches)]
    [RequireRole(Role.Staff)]
    public async Task<Payload<TeamView>> AssignOwner(AssignOwnerInput input, [FromServices] TeamCommands commands, CancellationToken ct) =>
        new(await commands.AssignOwnerAsync(input.RecordId, input.AccountId, input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: an account (you, by default) watches a record you may see." + Reaches)]
    [RequireRole(Role.Staff)]
    public async Task<Payload<TeamView>> WatchRecord(WatchRecordInput input, [FromServices] TeamCommands commands, CancellationToken ct) =>
        new(await commands.WatchAsync(input.RecordId, input.AccountId, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: an account (you, by default) no longer watches a record you may see.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<TeamView>> UnwatchRecord(UnwatchRecordInput input, [FromServices] TeamCommands commands, CancellationToken ct) =>
        new(await commands.UnwatchAsync(input.RecordId, input.AccountId, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: a task on a record you may see, for an account (you, by default) whose clearance reaches the record.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<TaskView>> CreateTask(CreateTaskInput input, [FromServices] TaskCommands commands, CancellationToken ct) =>
        new(await commands.CreateAsync(input.RecordId, input.Title, input.DueOn, input.AssigneeId, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: marks an open task done.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<TaskView>> CompleteTask(CompleteTaskInput input, [FromServices] TaskCommands commands, CancellationToken ct) =>
        new(await commands.CompleteAsync(input.TaskId, input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: cancels an open task, with an optional reason.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<TaskView>> CancelTask(CancelTaskInput input, [FromServices] TaskCommands commands, CancellationToken ct) =>
        new(await commands.CancelAsync(input.TaskId, input.Reason, input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: gives an open task to another account whose clearance reaches its record.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<TaskView>> ReassignTask(ReassignTaskInput input, [FromServices] TaskCommands commands, CancellationToken ct) =>
        new(await commands.ReassignAsync(input.TaskId, input.AssigneeId, input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: an internal note (Markdown) on a record you may see, with its own level; @handle (the part of a colleague's e-mail " +
                 "address before the @) mentions a colleague, who is notified once if their clearance reaches the note.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<NoteView>> WriteNote(WriteNoteInput input, [FromServices] NoteCommands commands, CancellationToken ct) =>
        new(await commands.WriteAsync(input.RecordId, input.Markdown, input.Confidentiality, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: changes a note's text or level; the previous text stays in its history. Colleagues newly mentioned are notified.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<NoteView>> EditNote(EditNoteInput input, [FromServices] NoteCommands commands, CancellationToken ct) =>
        new(await commands.EditAsync(input.NoteId, input.Markdown, input.Confidentiality, input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: marks one of your mentions read: it leaves myWork.unreadMentions.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<MentionView>> MarkMentionRead(MarkMentionReadInput input, [FromServices] NoteCommands commands, CancellationToken ct) =>
        new(await commands.MarkReadAsync(input.MentionId, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: marks one of your reminders (myWork.reminders) dealt with: it leaves your work, and stays in its history.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Reminders.ReminderItemView>> AcknowledgeReminder(AcknowledgeReminderInput input, [FromServices] Reminders.ReminderItemCommands commands, CancellationToken ct) =>
        new(await commands.AcknowledgeAsync(input.ReminderId, input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: takes one of your reminders out of your work until a later day (at most 366 days ahead), when it comes back.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Reminders.ReminderItemView>> SnoozeReminder(SnoozeReminderInput input, [FromServices] Reminders.ReminderItemCommands commands, CancellationToken ct) =>
        new(await commands.SnoozeAsync(input.ReminderId, input.Until, input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: how you are told by e-mail of new reminders and mentions: IMMEDIATE, DAILY (the default) or NONE. For a person signed in.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Notifications.NotificationPreference>> SetNotificationPreference(
        SetNotificationPreferenceInput input, [FromServices] Notifications.NotificationPreferenceCommands commands, CancellationToken ct) =>
        new(await commands.SetAsync(input.Mode, input.ClientMutationId, ct), input.ClientMutationId);
}

internal sealed class MarkMentionReadInput : IdempotentInput
{
    [Id]
    public string MentionId { get; set; } = "";
}

internal sealed class AssignOwnerInput : MutationInput
{
    [Id]
    [Description("A Case, Defender, Submission or CallForInput id.")]
    public string RecordId { get; set; } = "";

    [Id]
    public string AccountId { get; set; } = "";
}

/// <summary>An input about a record (a creation on it, or a change of its team that takes no expectedVersion).</summary>
internal abstract class RecordInput : IdempotentInput
{
    [Id]
    [Description("A Case, Defender, Submission or CallForInput id.")]
    public string RecordId { get; set; } = "";
}

internal abstract class WatcherInput : RecordInput
{
    [Id]
    [Description("The watcher; you (a signed-in person) when absent.")]
    public string? AccountId { get; set; }
}

internal sealed class WatchRecordInput : WatcherInput;

internal sealed class UnwatchRecordInput : WatcherInput;

internal sealed class CreateTaskInput : RecordInput
{
    [Description("At most 300 characters.")]
    public string Title { get; set; } = "";

    public DateOnly DueOn { get; set; }

    [Id]
    [Description("The account that does it; you (a signed-in person) when absent.")]
    public string? AssigneeId { get; set; }
}

internal abstract class TaskInput : MutationInput
{
    [Id]
    public string TaskId { get; set; } = "";
}

internal sealed class CompleteTaskInput : TaskInput;

internal sealed class CancelTaskInput : TaskInput
{
    [Description("Why (at most 2,000 characters).")]
    public string? Reason { get; set; }
}

internal sealed class ReassignTaskInput : TaskInput
{
    [Id]
    public string AssigneeId { get; set; } = "";
}

internal sealed class WriteNoteInput : RecordInput
{
    [Description("Markdown, at most 20,000 characters.")]
    public string Markdown { get; set; } = "";

    [Description(WriteClearance.DefaultDescription)]
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class EditNoteInput : MutationInput
{
    [Id]
    public string NoteId { get; set; } = "";

    [Description("Markdown, at most 20,000 characters.")]
    public string Markdown { get; set; } = "";

    [Description("The note's new level (not above your own clearance); unchanged when absent.")]
    public Confidentiality? Confidentiality { get; set; }
}

internal abstract class ReminderItemInput : MutationInput
{
    [Id]
    [Description("Your reminder (myWork.reminders' id).")]
    public string ReminderId { get; set; } = "";
}

internal sealed class AcknowledgeReminderInput : ReminderItemInput;

internal sealed class SnoozeReminderInput : ReminderItemInput
{
    [Description("The day it comes back: after today, at most 366 days ahead.")]
    public DateOnly Until { get; set; }
}

internal sealed class SetNotificationPreferenceInput : IdempotentInput
{
    public Notifications.NotificationMode Mode { get; set; }
}
