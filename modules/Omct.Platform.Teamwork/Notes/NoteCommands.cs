using System.Text.RegularExpressions;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Teamwork.Records;

namespace Omct.Platform.Teamwork.Notes;

/// <summary>A note as a caller reads it, with its record.</summary>
internal sealed record NoteView(Note Note, TeamworkRecord Record);

/// <summary>
/// writeNote, editNote: STAFF, on a record the caller may see, at a level up to the caller's clearance (default STAFF, and
/// at least the record's). <c>@handle</c> mentions (the part of a colleague's e-mail address before the <c>@</c>) notify each
/// colleague once per note — only those whose clearance reaches the note and its record.
/// </summary>
internal sealed partial class NoteCommands(
    StreamCommands commands, TeamworkRecords records, MyWork.TeamworkReads reads, IAccountHandles handles, IDefenderDirectory defenders, TimeProvider time)
{
    public const string What = "The note";
    public const string MentionWhat = "The mention";
    public const int MaxMarkdown = 20_000;

    public async Task<NoteView> WriteAsync(string recordId, string markdown, Confidentiality? confidentiality, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var record = await records.FindAsync(recordId, commands.Caller, ct);
        var text = Input.Required(markdown, "markdown", MaxMarkdown);
        await RequireMentionableAsync(text, ct);
        var level = commands.Caller.Writable(confidentiality, floor: record.Confidentiality);
        var mentioned = await MentionedAsync(text, Max(level, record.Confidentiality), ct);
        var id = Guid.CreateVersion7();
        var note = await commands.StartAsync<Note>("writeNote", id, [new NoteWritten(record.RecordType, record.Id, text, level, mentioned)], clientMutationId,
            n => n.RecordId == record.Id && commands.Caller.CanSee(n), What, session => Notify(session, id, mentioned, []), ct);
        return new NoteView(note, record);
    }

    public async Task<NoteView> EditAsync(string noteId, string markdown, Confidentiality? confidentiality, int? expectedVersion, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var id = GlobalId.DecodeOrNotFound(noteId, NoteIds.Note, What);
        var visible = await reads.FindNoteAsync(id, commands.Caller, ct) ?? throw DomainException.NotFound(What);
        var text = Input.Required(markdown, "markdown", MaxMarkdown);
        await RequireMentionableAsync(text, ct);
        var level = confidentiality is { } requested ? commands.Caller.Writable(requested) : visible.Note.Confidentiality;
        var mentioned = await MentionedAsync(text, Max(level, visible.Record.Confidentiality), ct);
        var note = await commands.DecideAsync<Note>("editNote", id, expectedVersion, clientMutationId,
            current => current.Markdown == text && current.Confidentiality == level ? [] : [new NoteEdited(text, level, mentioned)],
            n => n.Id == id && commands.Caller.CanSee(n), What,
            (session, current, _) => Notify(session, id, mentioned, current.MentionedIds), ct);
        return new NoteView(note, visible.Record);
    }

    /// <summary>
    /// markMentionRead: your own mention (the mentioned person's session), in a note you may still see; any other — another
    /// person's, one whose note was raised above you, an unknown id — is NOT_FOUND alike. Reading it again changes nothing.
    /// </summary>
    public async Task<MyWork.MentionView> MarkReadAsync(string mentionId, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var id = GlobalId.DecodeOrNotFound(mentionId, NoteIds.Mention, MentionWhat);
        var me = Colleagues.AccountIdOf(commands.Caller);
        NoteView? note = null;
        var mention = await commands.OnceAsync<Mention>("markMentionRead", clientMutationId, m => m.Id == id, MentionWhat, async receipt =>
        {
            await using var session = commands.OpenSession(clientMutationId);
            var found = await session.LoadAsync<Mention>(id, ct);
            if (found is null || found.AccountId != me || (note = await reads.FindNoteAsync(found.NoteId, commands.Caller, ct)) is null)
            {
                throw DomainException.NotFound(MentionWhat);
            }

            if (found.ReadAt is null)
            {
                found.ReadAt = time.GetUtcNow();
                session.Store(found);
                receipt.Record(session, id);
                await session.SaveChangesAsync(ct);
            }

            return found;
        }, ct);
        // A repeat answers what the caller may see now: the mention is theirs and its note still visible.
        note ??= mention.AccountId == me ? await reads.FindNoteAsync(mention.NoteId, commands.Caller, ct) : null;
        return new MyWork.MentionView(mention, note ?? throw DomainException.NotFound(MentionWhat));
    }

    /// <summary>The accounts the text mentions whose clearance reaches <paramref name="level"/> (the note's and its record's).</summary>
    private async Task<IReadOnlyList<Guid>> MentionedAsync(string markdown, Confidentiality level, CancellationToken ct)
    {
        var named = MentionPattern().Matches(markdown).Select(m => m.Groups[1].Value.TrimEnd('.', '-')).Where(h => h.Length > 0).ToList();
        if (named.Count == 0)
        {
            return [];
        }

        var found = await handles.FindByHandlesAsync(named, ct);
        return [.. found.Values.Where(p => p.CanSee(level)).Select(Colleagues.AccountIdOf).OfType<Guid>().Distinct()];
    }

    /// <summary>A mention for each colleague the note did not mention before: each person is notified once per note.</summary>
    private void Notify(IDocumentSession session, Guid noteId, IReadOnlyList<Guid> mentioned, IReadOnlyCollection<Guid> before)
    {
        foreach (var accountId in mentioned.Where(a => !before.Contains(a)))
        {
            session.Store(new Mention { Id = Mention.IdOf(noteId, accountId), NoteId = noteId, AccountId = accountId, MentionedAt = time.GetUtcNow() });
        }
    }

    /// <summary>
    /// A defender mentioned as <c>@[id]</c> (<see cref="Mentions"/>, not to be confused with a colleague's <c>@handle</c>) must be one
    /// the writer may find, else VALIDATION on markdown, alike for a missing and a hidden one. The note keeps the token.
    /// </summary>
    private Task RequireMentionableAsync(string markdown, CancellationToken ct) =>
        Mentions.RequireMentionableAsync(DefenderIds.Defender, ids => defenders.ExistingAsync(ids, commands.Caller, ct), ("markdown", markdown));

    private static Confidentiality Max(Confidentiality a, Confidentiality b) => a > b ? a : b;

    /// <summary><c>@handle</c> at the start or after a space or punctuation — not the middle of an e-mail address.</summary>
    [GeneratedRegex(@"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();
}

internal static class NoteIds
{
    public const string Note = "Note";
    public const string Mention = "Mention";
}
