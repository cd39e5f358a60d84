using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Rendering;
using Omct.Platform.Teamwork.MyWork;
using Omct.Platform.Teamwork.Notes;
using Omct.Platform.Teamwork.Ownership;
using Omct.Platform.Teamwork.Records;
using Omct.Platform.Teamwork.Tasks;

namespace Omct.Platform.Teamwork.GraphQL;

internal sealed class ColleagueGraphType : ObjectGraphType<Colleague>
{
    public ColleagueGraphType()
    {
        Name = "Colleague";
        Description = "A person with an account, as teamwork names them.";
        Field<NonNullGraphType<IdGraphType>>("accountId").Description("The account's id.").Resolve(c => GlobalId.Encode("Account", c.Source.AccountId));
        Field(p => p.Name).Description("The account's display name.");
        Field(p => p.Handle, nullable: true).Description("The part of the account's e-mail address before the @, to mention them in a note (@handle); given by `colleagues`, null elsewhere.");
        this.FieldsShownWithRecord();
    }
}

internal static class RecordFields
{
    /// <summary>The <c>record</c> and <c>recordId</c> fields of teamwork items: the record as its module's type, through node(id) (so within clearance).</summary>
    public static void AddRecordFields<T>(this ObjectGraphType<T> type, Func<T, TeamworkRecord> record)
    {
        type.Field<NonNullGraphType<IdGraphType>>("recordId").Description("The record's id (a Case, Defender, Submission or CallForInput).")
            .Resolve(c => record(c.Source).GlobalId);
        type.Field<NodeInterfaceGraphType>("record").Description("The record (a Case, Defender, Submission or CallForInput).")
            .ResolveAsync(async c => await c.ResolveNodeAsync(record(c.Source).RecordType, record(c.Source).Id));
    }

    /// <summary>The record fields, then <c>confidentiality version createdAt updatedAt</c> of a task or a note.</summary>
    public static void AddRecordAndEntityFields<T>(
        this ObjectGraphType<T> type, Func<T, TeamworkRecord> record, string levelDescription, Func<T, Confidentiality> level,
        Func<T, (int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)> entity)
    {
        type.AddRecordFields(record);
        type.Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Description(levelDescription).Resolve(c => level(c.Source));
        type.Field<NonNullGraphType<IntGraphType>>("version").Description("Pass it as expectedVersion.").Resolve(c => entity(c.Source).Version);
        type.Field<NonNullGraphType<IsoDateTimeGraphType>>("createdAt").Resolve(c => entity(c.Source).CreatedAt);
        type.Field<NonNullGraphType<IsoDateTimeGraphType>>("updatedAt").Resolve(c => entity(c.Source).UpdatedAt);
    }
}

internal sealed class TeamworkGraphType : ObjectGraphType<TeamView>
{
    public const string TypeName = "Teamwork";

    public TeamworkGraphType()
    {
        Name = TypeName;
        Description = "Who owns and who watches a record, and its internal notes. Visible where the record is.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Record.Id));
        this.AddRecordFields(v => v.Record);
        Field<ColleagueGraphType>("owner")
            .Description("The owner, while their account is active and their clearance reaches the record; null otherwise.")
            .ResolveAsync(async c => (await c.Service<TeamworkReads>().MembersAsync(c.Source, c.CancellationToken)).Owner);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ColleagueGraphType>>>>("watchers")
            .Description("The watchers whose account is active and whose clearance reaches the record (lowering it takes them off).")
            .ResolveAsync(async c => (await c.Service<TeamworkReads>().MembersAsync(c.Source, c.CancellationToken)).Watchers);
        Field<NonNullGraphType<ConnectionGraphType<NoteGraphType>>>("notes")
            .Description("The internal notes on the record you may see, oldest first.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => (object)await c.Service<TeamworkReads>().NotesAsync(
                c.Source.Record, c.GetCaller(), c.GetArgument<int?>("first"), c.GetArgument<string?>("after"), c.CancellationToken));
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Description("The record's level now.").Resolve(c => c.Source.Record.Confidentiality);
        Field<NonNullGraphType<IntGraphType>>("version").Description("The team's version (0 before anyone owns or watches the record); pass it as expectedVersion.")
            .Resolve(c => c.Source.Team.Version);
        Field<IsoDateTimeGraphType>("createdAt").Resolve(c => c.Source.Team.Version == 0 ? null : c.Source.Team.CreatedAt);
        Field<IsoDateTimeGraphType>("updatedAt").Resolve(c => c.Source.Team.Version == 0 ? null : c.Source.Team.UpdatedAt);
        this.HistoryField(v => v.Team.Id, _ => Describe);
        this.FieldsShownWithRecord();
    }

    private static HistoryDescription? Describe(JasperFx.Events.IEvent e) => e.Data switch
    {
        OwnerAssigned a => new("OWNER_ASSIGNED", $"Owner: {a.AccountName}."),
        WatcherAdded w => new("WATCHER_ADDED", $"{w.AccountName} watches the record."),
        WatcherRemoved w => new("WATCHER_REMOVED", $"{w.AccountName} no longer watches the record{Because(w.Reason)}."),
        OwnerRemoved o => new("OWNER_REMOVED", $"{o.AccountName} no longer owns the record{Because(o.Reason)}."),
        _ => null,
    };

    /// <summary>Why the platform took someone off (<see cref="TeamRemovalReasons"/>); nothing when a person did.</summary>
    private static string Because(string? reason) => reason switch
    {
        TeamRemovalReasons.ClearanceLowered => ": their clearance no longer reaches it (CLEARANCE_LOWERED)",
        TeamRemovalReasons.RecordRaised => ": it was raised above their clearance (RECORD_RAISED)",
        TeamRemovalReasons.AccountDisabled => ": their account was disabled (ACCOUNT_DISABLED)",
        _ => "",
    };
}

internal sealed class TaskStatusGraphType : EnumerationGraphType<WorkTaskStatus>
{
    public TaskStatusGraphType()
    {
        Name = "TaskStatus";
        Description = "OPEN, DONE or CANCELLED.";
    }
}

internal sealed class TaskGraphType : ObjectGraphType<TaskView>
{
    public TaskGraphType()
    {
        Name = TaskIds.Task;
        Description = "A task on a record, for one person. It has no level of its own: it is visible where its record is.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TaskIds.Task, c.Source.Task.Id));
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Task.Title);
        Field<NonNullGraphType<IsoDateGraphType>>("dueOn").Resolve(c => c.Source.Task.DueOn);
        Field<NonNullGraphType<TaskStatusGraphType>>("status").Resolve(c => c.Source.Task.Status);
        Field<NonNullGraphType<IdGraphType>>("assigneeId").Description("The assignee's account.").Resolve(c => GlobalId.Encode("Account", c.Source.Task.AssigneeId));
        Field<ColleagueGraphType>("assignee").Description("The assignee, while their account is active.")
            .ResolveAsync(async c => (await c.Service<Colleagues>().ActiveAsync([c.Source.Task.AssigneeId], c.CancellationToken))
                .GetValueOrDefault(c.Source.Task.AssigneeId) is { } p ? new Colleague(c.Source.Task.AssigneeId, p.Name) : null);
        Field<StringGraphType>("template").Description("The template that made it (e.g. URGENT_APPEAL_FOLLOW_UP), if one did.").Resolve(c => c.Source.Task.Template);
        this.AddRecordAndEntityFields(v => v.Record, "Its record's level now (a task has none of its own).", v => v.Record.Confidentiality,
            v => (v.Task.Version, v.Task.CreatedAt, v.Task.UpdatedAt));
        this.HistoryField(v => v.Task.Id, _ => Describe);
        this.FieldsShownWithRecord();
    }

    private static HistoryDescription? Describe(JasperFx.Events.IEvent e) => e.Data switch
    {
        TaskCreated t => new("TASK_CREATED", $"Task \"{t.Title}\" for {t.AssigneeName}, due {t.DueOn:yyyy-MM-dd}" + (t.Template is { } name ? $" (template {name})." : ".")),
        TaskCompleted => new("TASK_COMPLETED", "Task done."),
        TaskCancelled c => new("TASK_CANCELLED", "Task cancelled.", c.Reason),
        TaskReassigned r => new("TASK_REASSIGNED", $"Task reassigned to {r.AssigneeName}."),
        _ => null,
    };
}

internal sealed class NoteGraphType : ObjectGraphType<NoteView>
{
    public NoteGraphType()
    {
        Name = NoteIds.Note;
        Description = "An internal note on a record: never public, visible where both its own level and its record are.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(NoteIds.Note, c.Source.Note.Id));
        Field<NonNullGraphType<StringGraphType>>("markdown")
            .Description("The text as written (Markdown), a defender mentioned in it (@[id]) named as the caller may name them: the name, else the pseudonym, else [name withheld].")
            .Resolve(c => Mentioning(c));
        Field<NonNullGraphType<StringGraphType>>("bodyHtml").Description("The Markdown (mentions named as in markdown) rendered and sanitised as an article's body is.")
            .Resolve(c => Mentioning(c) switch
            {
                global::GraphQL.DataLoader.IDataLoaderResult<string?> named => named.Then(markdown => MarkdownRenderer.ToHtml(markdown!)),
                var markdown => MarkdownRenderer.ToHtml((string)markdown!),
            });
        Field<StringGraphType>("author").Description("The caller id of its author (user:…, apikey:…).").Resolve(c => c.Source.Note.AuthorId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("mentionedAccountIds")
            .Description("The accounts it mentions (each notified once).").Resolve(c => c.Source.Note.MentionedIds.Select(id => GlobalId.Encode("Account", id)).ToList());
        this.AddRecordAndEntityFields(v => v.Record, "The note's own level: it is visible where both it and its record are.", v => v.Note.Confidentiality,
            v => (v.Note.Version, v.Note.CreatedAt, v.Note.UpdatedAt));
        this.HistoryField(v => v.Note.Id, _ => Describe);
        this.FieldsShownWithRecord();
    }

    /// <summary>
    /// The note's Markdown as the caller reads it: the events hold a mentioned defender's token (writeNote checks the writer
    /// may find them), and the name goes in only here, escaped as Markdown — one directory call per request for a page.
    /// </summary>
    private static object? Mentioning(IResolveFieldContext<NoteView> c) =>
        c.Mentioning<Defenders.Contracts.IDefenderDirectory>(c.Source.Note.Markdown, Defenders.Contracts.DefenderIds.Defender, d => d.DisplayNamesAsync, MarkdownText.Escape);

    private static HistoryDescription? Describe(JasperFx.Events.IEvent e) => e.Data switch
    {
        NoteWritten w => new("NOTE_WRITTEN", $"Note written ({w.Confidentiality.ToString().ToUpperInvariant()})."),
        NoteEdited d => new("NOTE_EDITED", $"Note edited ({d.Confidentiality.ToString().ToUpperInvariant()})."),
        _ => null,
    };
}

internal sealed class MentionGraphType : ObjectGraphType<MentionView>
{
    public MentionGraphType()
    {
        Name = NoteIds.Mention;
        Description = "You were mentioned in a note.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(NoteIds.Mention, c.Source.Mention.Id));
        Field<NonNullGraphType<NoteGraphType>>("note").Resolve(c => c.Source.Note);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("mentionedAt").Resolve(c => c.Source.Mention.MentionedAt);
        Field<IsoDateTimeGraphType>("readAt").Description("When you marked it read (markMentionRead); null while unread.").Resolve(c => c.Source.Mention.ReadAt);
        this.FieldsShownWithRecord();
    }
}

internal sealed class MyWorkGraphType : ObjectGraphType<MyWorkView>
{
    public MyWorkGraphType()
    {
        Name = "MyWork";
        Description = "Your work (a signed-in person's; empty for an API key): at most 100 of each.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TaskGraphType>>>>("openTasks").Description("Your open tasks, by due date.").Resolve(c => c.Source.OpenTasks);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TeamworkGraphType>>>>("records").Description("The records you own or watch, latest change first.")
            .Resolve(c => c.Source.Records);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MentionGraphType>>>>("unreadMentions").Description("Notes that mention you, newest first.")
            .Resolve(c => c.Source.UnreadMentions);
        this.AddReminderFields();
        this.FieldsShownWithRecord();
    }
}

/// <summary><c>node(id)</c> for teamwork: a Teamwork (by its record), a Task, a Note — within the same rules as everywhere.</summary>
internal sealed class TeamworkNodeResolver(TeamworkReads reads, Marten.IDocumentStore store) : INodeResolver
{
    public string TypeName => TeamworkGraphType.TypeName;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id)
    {
        // The team's id is its record's: which type it is, the record modules answer.
        foreach (var type in TeamworkRecords.RecordTypes)
        {
            if (await reads.TeamAsync(GlobalId.Encode(type, id), context.GetCaller(), context.CancellationToken) is { } team)
            {
                return team;
            }
        }

        // The change feed names a team by its stream's id: the same team, read by the same rule.
        await using var session = store.QuerySession();
        return await session.LoadAsync<RecordTeam>(id, context.CancellationToken) is { } byStream
            ? await reads.TeamAsync(GlobalId.Encode(byStream.RecordType, byStream.RecordId), context.GetCaller(), context.CancellationToken)
            : null;
    }
}

internal sealed class TaskNodeResolver(TeamworkReads reads) : INodeResolver
{
    public string TypeName => TaskIds.Task;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) => await reads.FindTaskAsync(id, context.GetCaller(), context.CancellationToken);
}

internal sealed class NoteNodeResolver(TeamworkReads reads) : INodeResolver
{
    public string TypeName => NoteIds.Note;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) => await reads.FindNoteAsync(id, context.GetCaller(), context.CancellationToken);
}
