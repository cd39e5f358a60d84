using JasperFx.Events;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Teamwork.Notes;

/// <summary>An internal note written on a record: its Markdown (rendered and sanitised as articles are), its own level, and who it mentions.</summary>
public sealed record NoteWritten(string RecordType, Guid RecordId, string Markdown, Confidentiality Confidentiality, IReadOnlyList<Guid> MentionedIds);

/// <summary>The note's text or level changed; the previous text stays in its stream (its history).</summary>
public sealed record NoteEdited(string Markdown, Confidentiality Confidentiality, IReadOnlyList<Guid> MentionedIds);

/// <summary>A person's name redacted from the note's text by their erasure: the Markdown as it is now (earlier versions were rewritten in place).</summary>
public sealed record NoteTextRedacted(string Markdown, DateTimeOffset At);

/// <summary>A note as read (inline from its stream): visible where both its own level and its record are.</summary>
public sealed class Note : IConfidential
{
    public Guid Id { get; set; }
    public string RecordType { get; set; } = "";
    public Guid RecordId { get; set; }
    public string Markdown { get; set; } = "";
    public Confidentiality Confidentiality { get; set; }
    public string AuthorId { get; set; } = "";

    /// <summary>Everyone the note ever mentioned (each is notified once, <see cref="Mention"/>).</summary>
    public List<Guid> MentionedIds { get; set; } = [];
    /// <summary>Drawn when it is written (<see cref="BuildingBlocks.GraphQL.OrderKeySequence"/>): notes are listed oldest first by it.</summary>
    public long OrderKey { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A colleague mentioned in a note: their notification, one per note and person whatever the number of edits that name
/// them (its id is named after both), unread until they mark it read.
/// </summary>
public sealed class Mention
{
    public Guid Id { get; set; }
    public Guid NoteId { get; set; }
    public Guid AccountId { get; set; }
    public DateTimeOffset MentionedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }

    public static Guid IdOf(Guid noteId, Guid accountId) => NameBasedId.Of($"teamwork.mention:{noteId}:{accountId}");
}

public sealed class NoteProjection : SingleStreamProjection<Note, Guid>
{
    public static async Task<Note> Create(IEvent<NoteWritten> e, Marten.IQuerySession session) => Touch(new Note
    {
        Id = e.StreamId, RecordType = e.Data.RecordType, RecordId = e.Data.RecordId, Markdown = e.Data.Markdown,
        Confidentiality = e.Data.Confidentiality, AuthorId = e.UserName ?? "", MentionedIds = [.. e.Data.MentionedIds], CreatedAt = e.Timestamp, OrderKey = await TeamworkModule.OrderKeys.NextAsync(session, CancellationToken.None),
    }, e);

    public static Note Apply(IEvent<NoteEdited> e, Note note)
    {
        note.Markdown = e.Data.Markdown;
        note.Confidentiality = e.Data.Confidentiality;
        note.MentionedIds = [.. note.MentionedIds.Union(e.Data.MentionedIds)];
        return Touch(note, e);
    }

    public static Note Apply(IEvent<NoteTextRedacted> e, Note note)
    {
        note.Markdown = e.Data.Markdown;
        return Touch(note, e);
    }

    private static Note Touch(Note note, IEvent e)
    {
        note.Version = (int)e.Version;
        note.UpdatedAt = e.Timestamp;
        return note;
    }
}
