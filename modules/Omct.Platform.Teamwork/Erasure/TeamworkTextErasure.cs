using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Teamwork.Notes;
using Omct.Platform.Teamwork.Tasks;

namespace Omct.Platform.Teamwork.Erasure;

/// <summary>
/// A defender's erasure reaches the internal notes and the tasks: every teamwork event whose data holds the person's name
/// is rewritten in place (a note's earlier versions included), and each note or task concerned gets
/// <see cref="NoteTextRedacted"/> or <see cref="TaskTitleRedacted"/> with its text as it is now, appended at the version
/// read (one changed in between fails the erasure: erase again).
/// </summary>
internal sealed class TeamworkTextErasure(IDocumentStore store) : IPersonalDataErasureParticipant
{
    public async Task<ErasurePreparation> PrepareAsync(ErasedPerson person, CancellationToken cancellationToken)
    {
        if (NameRedaction.For(person) is not { } redaction)
        {
            return ErasurePreparation.Nothing;
        }

        await using var session = store.QuerySession();
        var events = await EventTextRedaction.FindAsync(session, "teamwork.", redaction, cancellationToken);
        if (events.Count == 0)
        {
            return ErasurePreparation.Nothing;
        }

        var ids = events.Select(e => e.StreamId).Distinct().ToArray();
        var appends = new List<(Guid Id, int Version, object Event)>();
        var listing = new List<RedactedRecord>();
        foreach (var note in await session.LoadManyAsync<Note>(cancellationToken, ids))
        {
            var count = 0;
            var markdown = redaction.Redact(note.Markdown, ref count)!;
            if (count > 0)
            {
                appends.Add((note.Id, note.Version, new NoteTextRedacted(markdown, person.ErasedAt)));
            }

            listing.Add(new RedactedRecord(NoteIds.Note, note.Id, $"{note.RecordType} note", [count > 0 ? "markdown" : "history"], count > 0 ? count : Occurrences(note.Id), note.Confidentiality));
        }

        foreach (var task in await session.LoadManyAsync<WorkTask>(cancellationToken, ids))
        {
            var count = 0;
            var title = redaction.Redact(task.Title, ref count)!;
            if (count > 0)
            {
                appends.Add((task.Id, task.Version, new TaskTitleRedacted(title, person.ErasedAt)));
            }

            listing.Add(new RedactedRecord(TaskIds.Task, task.Id, title, [count > 0 ? "title" : "history"], count > 0 ? count : Occurrences(task.Id), Confidentiality.Restricted));
        }

        return new ErasurePreparation(write =>
        {
            EventTextRedaction.QueueRewrite(write, events);
            foreach (var (id, version, redacted) in appends)
            {
                write.Events.Append(id, version + 1, redacted);
            }
        }, listing);

        int Occurrences(Guid id) => events.Where(e => e.StreamId == id).Sum(e => e.Occurrences);
    }
}
