using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Teamwork.Notes;
using Omct.Platform.Teamwork.Ownership;
using Omct.Platform.Teamwork.Records;
using Omct.Platform.Teamwork.Tasks;

namespace Omct.Platform.Teamwork.MyWork;

/// <summary>A person's work: open tasks by due date, the records they own or watch, their unread mentions, their reminders due first.</summary>
internal sealed record MyWorkView(IReadOnlyList<TaskView> OpenTasks, IReadOnlyList<TeamView> Records, IReadOnlyList<MentionView> UnreadMentions)
{
    public IReadOnlyList<Reminders.ReminderItemView> Reminders { get; init; } = [];

    public MyWorkCounts Counts { get; init; } = new(0, 0, 0, 0);
}

/// <summary>How many of each a person's work holds (for a dashboard), counted as far as they may see them.</summary>
internal sealed record MyWorkCounts(int OpenTasks, int OverdueTasks, int Reminders, int UnreadMentions);

/// <summary>A mention of the caller in a note they may see.</summary>
internal sealed record MentionView(Mention Mention, NoteView Note);

/// <summary>A task filter (<c>tasks(filter:)</c>).</summary>
internal sealed class TaskFilter
{
    [global::GraphQL.Id]
    [System.ComponentModel.Description("Tasks of this account.")]
    public string? AssigneeId { get; set; }

    [System.ComponentModel.Description("Due on or after this day.")]
    public DateOnly? DueFrom { get; set; }

    [System.ComponentModel.Description("Due on or before this day.")]
    public DateOnly? DueTo { get; set; }

    public List<WorkTaskStatus>? Statuses { get; set; }

    [global::GraphQL.Id]
    [System.ComponentModel.Description("Tasks of this record (a Case, Defender, Submission or CallForInput id).")]
    public string? RecordId { get; set; }
}

/// <summary>What teamwork shows a caller: always through the records' visibility (and a note's own level) as they are now.</summary>
internal sealed class TeamworkReads(IDocumentStore store, TeamworkRecords records, Colleagues colleagues, Reminders.ReminderItems reminderItems)
{
    /// <summary>The most mentions myWork reads to count (its counts are "at most" this many).</summary>
    public const int MaxCounted = 5_000;

    /// <summary>How many tasks a list reads at a time before it filters them by their records' visibility.</summary>
    private const int TaskChunk = 500;

    /// <summary>The most items of each kind myWork shows.</summary>
    public const int MaxMyWork = 100;

    /// <summary>The record's team, or null when the caller may not see the record (or it is not one teamwork is about).</summary>
    public async Task<TeamView?> TeamAsync(string recordId, Caller caller, CancellationToken ct)
    {
        if (!GlobalId.TryDecode(recordId, out var type, out var id))
        {
            return null;
        }

        var record = (await records.VisibleAsync([(type, id)], caller, ct)).GetValueOrDefault(id);
        if (record is null)
        {
            return null;
        }

        await using var session = store.QuerySession();
        var team = await session.LoadAsync<RecordTeam>(RecordTeam.StreamIdOf(id), ct) ?? RecordTeam.Empty(record.RecordType, record.Id);
        return new TeamView(team, record);
    }

    /// <summary>The task when the caller may see its record; null otherwise.</summary>
    public async Task<TaskView?> FindTaskAsync(Guid taskId, Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var task = await session.LoadAsync<WorkTask>(taskId, ct);
        var record = task is null ? null : (await records.VisibleAsync([(task.RecordType, task.RecordId)], caller, ct)).GetValueOrDefault(task.RecordId);
        return record is null ? null : new TaskView(task!, record);
    }

    /// <summary>The note when the caller may see both it (its own level) and its record; null otherwise.</summary>
    public async Task<NoteView?> FindNoteAsync(Guid noteId, Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var note = await session.LoadAsync<Note>(noteId, ct);
        var record = note is null || !caller.CanSee(note) ? null : (await records.VisibleAsync([(note.RecordType, note.RecordId)], caller, ct)).GetValueOrDefault(note.RecordId);
        return record is null ? null : new NoteView(note!, record);
    }

    /// <summary>
    /// The owner and watchers who still may be: active, with a clearance that reaches the record now. A person whose
    /// clearance was lowered (or a record raised above them) no longer owns or watches it.
    /// </summary>
    public async Task<(Colleague? Owner, IReadOnlyList<Colleague> Watchers)> MembersAsync(TeamView view, CancellationToken ct)
    {
        var ids = view.Team.WatcherIds.Concat(view.Team.OwnerId is { } o ? [o] : []).ToList();
        var active = await colleagues.ActiveAsync(ids, ct);
        Colleague? Reaching(Guid id) => active.TryGetValue(id, out var p) && p.CanSee(view.Record.Confidentiality) ? new Colleague(id, p.Name) : null;
        return (view.Team.OwnerId is { } owner ? Reaching(owner) : null, [.. view.Team.WatcherIds.Select(Reaching).OfType<Colleague>()]);
    }

    /// <summary>The notes of a record the caller sees, oldest first, those above the caller's clearance left out.</summary>
    public async Task<Connection<NoteView>> NotesAsync(TeamworkRecord record, Caller caller, int? first, string? after, CancellationToken ct)
    {
        var pageSize = Paging.PageSize(first);
        var afterKey = Paging.DecodeCursor(after) ?? 0;
        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        var rows = await session.Query<Note>()
            .Where(n => n.RecordId == record.Id && levels.Contains(n.Confidentiality) && n.OrderKey > afterKey)
            .OrderBy(n => n.OrderKey).Take(pageSize + 1).ToListAsync(ct);
        return Paging.Page([.. rows.Select(n => new NoteView(n, record))], pageSize, n => n.Note.OrderKey, async countCt =>
        {
            await using var count = store.QuerySession();
            return await count.Query<Note>().Where(n => n.RecordId == record.Id && levels.Contains(n.Confidentiality)).CountAsync(countCt);
        });
    }

    /// <summary>Tasks by due date (then creation), those on records the caller may not see left out.</summary>
    public async Task<Connection<TaskView>> TasksAsync(TaskFilter? filter, Caller caller, int? first, string? after, CancellationToken ct)
    {
        var pageSize = Paging.PageSize(first);
        var rows = await VisibleTasksAsync(filter, caller, Paging.DecodeCursor(after), pageSize + 1, ct);
        return Paging.Page(rows, pageSize, t => t.Task.SortKey, countCt => CountVisibleTasksAsync(filter, caller, countCt));
    }

    public async Task<MyWorkView> MyWorkAsync(Caller caller, CancellationToken ct)
    {
        if (Colleagues.AccountIdOf(caller) is not { } me)
        {
            return new MyWorkView([], [], []);
        }

        var mine = new TaskFilter { AssigneeId = GlobalId.Encode("Account", me), Statuses = [WorkTaskStatus.Open] };
        var tasks = await VisibleTasksAsync(mine, caller, null, MaxMyWork, ct);
        await using var session = store.QuerySession();
        var teams = await session.Query<RecordTeam>().Where(t => t.OwnerId == me || t.WatcherIds.Contains(me))
            .OrderByDescending(t => t.UpdatedAt).Take(MaxMyWork).ToListAsync(ct);
        var teamRecords = await records.VisibleAsync(teams.Select(t => (t.RecordType, t.RecordId)), caller, ct);
        var mentions = await session.Query<Mention>().Where(m => m.AccountId == me && m.ReadAt == null)
            .OrderByDescending(m => m.MentionedAt).Take(MaxCounted).ToListAsync(ct);
        var notes = (await session.LoadManyAsync<Note>(ct, mentions.Select(m => m.NoteId).Distinct())).Where(caller.CanSee).ToList();
        var noteRecords = await records.VisibleAsync(notes.Select(n => (n.RecordType, n.RecordId)), caller, ct);
        var visibleNotes = notes.Where(n => noteRecords.ContainsKey(n.RecordId)).ToDictionary(n => n.Id, n => new NoteView(n, noteRecords[n.RecordId]));
        var unread = mentions.Where(m => visibleNotes.ContainsKey(m.NoteId)).Select(m => new MentionView(m, visibleNotes[m.NoteId])).ToList();
        var reminders = await reminderItems.OpenAsync(caller, ct);
        var today = reminderItems.Today();
        return new MyWorkView(
            tasks,
            [.. teams.Where(t => teamRecords.ContainsKey(t.RecordId)).Select(t => new TeamView(t, teamRecords[t.RecordId]))],
            [.. unread.Take(MaxMyWork)])
        {
            Reminders = [.. reminders.Take(MaxMyWork)],
            Counts = new MyWorkCounts(
                await CountVisibleTasksAsync(mine, caller, ct),
                await CountVisibleTasksAsync(new TaskFilter { AssigneeId = mine.AssigneeId, Statuses = mine.Statuses, DueTo = today.AddDays(-1) }, caller, ct),
                reminders.Count, unread.Count),
        };
    }

    /// <summary>
    /// Up to <paramref name="take"/> tasks after the cursor that the caller may see, read in chunks in the list's order (the
    /// cursor in SQL) until the page is full or the tasks run out: a caller who sees few of many tasks still gets them all.
    /// </summary>
    private async Task<IReadOnlyList<TaskView>> VisibleTasksAsync(TaskFilter? filter, Caller caller, long? afterKey, int take, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var page = new List<TaskView>();
        while (page.Count < take)
        {
            var query = Filtered(session, filter);
            if (afterKey is { } after)
            {
                query = query.Where(t => t.SortKey > after);
            }

            var chunk = await query.OrderBy(t => t.SortKey).Take(TaskChunk).ToListAsync(ct);
            var visible = await records.VisibleAsync(chunk.Select(t => (t.RecordType, t.RecordId)), caller, ct);
            page.AddRange(chunk.Where(t => visible.ContainsKey(t.RecordId)).Select(t => new TaskView(t, visible[t.RecordId])).Take(take - page.Count));
            if (chunk.Count < TaskChunk)
            {
                break;
            }

            afterKey = chunk[^1].SortKey;
        }

        return page;
    }

    /// <summary>How many tasks of the filter the caller may see: each distinct record asked once, the tasks counted in SQL.</summary>
    private async Task<int> CountVisibleTasksAsync(TaskFilter? filter, Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var taskRecords = await Filtered(session, filter).Select(t => new TaskRecord { RecordType = t.RecordType, RecordId = t.RecordId }).Distinct().ToListAsync(ct);
        var visible = (await records.VisibleAsync(taskRecords.Select(r => (r.RecordType, r.RecordId)), caller, ct)).Keys.ToArray();
        return visible.Length == 0 ? 0 : await Filtered(session, filter).Where(t => visible.Contains(t.RecordId)).CountAsync(ct);
    }

    private static IQueryable<WorkTask> Filtered(IQuerySession session, TaskFilter? filter)
    {
        IQueryable<WorkTask> query = session.Query<WorkTask>();
        if (filter?.AssigneeId is { } assignee)
        {
            var id = GlobalId.TryDecode(assignee, "Account", out var a) ? a : throw DomainException.Validation("filter.assigneeId", "Not an account id.");
            query = query.Where(t => t.AssigneeId == id);
        }

        if (filter?.RecordId is { } recordId)
        {
            var id = GlobalId.TryDecode(recordId, out _, out var r) ? r : throw DomainException.Validation("filter.recordId", "Not a record id.");
            query = query.Where(t => t.RecordId == id);
        }

        if (filter?.Statuses is { Count: > 0 } statuses)
        {
            query = query.Where(t => statuses.Contains(t.Status));
        }

        if (filter?.DueFrom is { } from)
        {
            query = query.Where(t => t.DueOn >= from);
        }

        if (filter?.DueTo is { } to)
        {
            query = query.Where(t => t.DueOn <= to);
        }

        return query;
    }

    /// <summary>A record tasks are on (the count's distinct projection).</summary>
    private sealed class TaskRecord
    {
        public string RecordType { get; set; } = "";
        public Guid RecordId { get; set; }
    }
}
